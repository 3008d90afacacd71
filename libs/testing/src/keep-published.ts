/**
 * Service settings for a test that reads what a service published from its outbox: the relay marks
 * acknowledged rows `sent_at` and keeps them (OUTBOX_RETENTION_HOURS) instead of deleting them, the
 * default (ADR 0013). Tests of delivery itself (relay, crash, outages) run the default.
 */
export const KEEP_PUBLISHED = { OUTBOX_RETENTION_HOURS: '168' } as const;
