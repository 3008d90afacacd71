/** A subscription as the API shows it: never its secret (given once, at creation). */
export interface SubscriptionRow {
  id: string;
  department: string;
  url: string;
  event_types: string[];
  status: 'active' | 'disabled';
  created_at: Date;
  disabled_at: Date | null;
  pending?: string;
  delivered?: string;
  dead?: string;
  oldest_pending_at?: Date | null;
}

export function subscriptionView(row: SubscriptionRow) {
  return {
    id: row.id,
    department: row.department,
    url: row.url,
    eventTypes: row.event_types,
    status: row.status,
    createdAt: row.created_at,
    disabledAt: row.disabled_at,
    deliveries: {
      pending: Number(row.pending ?? 0),
      delivered: Number(row.delivered ?? 0),
      dead: Number(row.dead ?? 0),
      oldestPendingAt: row.oldest_pending_at ?? null,
    },
  };
}

/** The SELECT of subscriptions with their delivery counts (append WHERE … GROUP BY s.id). */
export const SUBSCRIPTION_SELECT = `
  SELECT s.id, s.department, s.url, s.event_types, s.status, s.created_at, s.disabled_at,
         count(d.id) FILTER (WHERE d.status = 'pending') AS pending,
         count(d.id) FILTER (WHERE d.status = 'delivered') AS delivered,
         count(d.id) FILTER (WHERE d.status = 'dead') AS dead,
         min(d.created_at) FILTER (WHERE d.status = 'pending') AS oldest_pending_at
  FROM webhook_subscription s LEFT JOIN webhook_delivery d ON d.subscription_id = s.id`;
