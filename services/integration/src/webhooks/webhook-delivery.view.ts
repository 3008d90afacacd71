export const DELIVERY_COLUMNS = `id, subscription_id, event_id, event_type, subject, status, attempts, next_attempt_at,
  last_attempt_at, last_status, last_error, created_at, delivered_at, dead_at`;

export function deliveryView(row: Record<string, unknown>) {
  return {
    id: String(row.id),
    subscriptionId: row.subscription_id,
    eventId: row.event_id,
    eventType: row.event_type,
    subject: row.subject,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    lastAttemptAt: row.last_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
    deadAt: row.dead_at,
  };
}
