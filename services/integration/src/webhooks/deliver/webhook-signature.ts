import { Webhook } from 'standardwebhooks';

/**
 * The Standard Webhooks headers of one delivery: `webhook-id` (the event id: the same on every retry,
 * receivers deduplicate on it), `webhook-timestamp` (seconds) and `webhook-signature`
 * (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` with the subscription's secret).
 */
export function signedHeaders(secret: string, eventId: string, body: string, at: Date = new Date()): Record<string, string> {
  return {
    'content-type': 'application/cloudevents+json',
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(eventId, at, body),
  };
}

/** The wait before the next attempt after `failures` failed ones: doubling from `base`, capped, ±10 % jitter. */
export function backoffMs(failures: number, base: number, max: number, random: () => number = Math.random): number {
  const plain = Math.min(max, base * 2 ** Math.max(0, failures - 1));
  return Math.round(plain * (0.9 + 0.2 * random()));
}
