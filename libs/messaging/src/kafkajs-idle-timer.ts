/**
 * kafkajs 2.2.4 keeps a 1 ms timer running on every broker connection that has ever had a request
 * answered, busy or idle (tulios/kafkajs#1556; the fix, tulios/kafkajs#1667, is not released). Its
 * request queue re-arms the "check pending requests" timer after each check. With nothing pending and no
 * throttling, the delay is negative, so Node waits 1 ms and the timer fires again, and again. An idle
 * service woke about 1,500 times a second and spent ~5 % of a core doing nothing (ADR 0079; under the
 * loop the timers fall in with the real work and cost nothing measurable).
 *
 * The patch is kafkajs's own method, changed as that fix changes it: a check is scheduled only while a
 * request waits in the queue (for throttling to end, or for an in-flight slot, which a fulfilled request
 * also frees at once). It replaces the prototype's method, so it applies to every connection of the
 * process: the service's clients, the consumer's, and the ones ConsumerExit opens to remove a member.
 */
// kafkajs' request queue is not part of its typed API: the deep path, with the fields the patch touches.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const KafkajsRequestQueue: RequestQueueClass = require('kafkajs/src/network/requestQueue');
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { version: INSTALLED_KAFKAJS_VERSION } = require('kafkajs/package.json') as { version: string };

/** The version whose request queue this patch is for; another version is left as it is. */
export const PATCHED_KAFKAJS_VERSION = '2.2.4';

/** kafkajs' own interval for re-checking a queue that waits for an in-flight slot (its CHECK_PENDING_REQUESTS_INTERVAL). */
const CHECK_PENDING_REQUESTS_INTERVAL = 10;

export interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

interface RequestQueueClass {
  new (options: Record<string, unknown>): RequestQueueState;
  prototype: RequestQueueState;
}

function scheduleCheckPendingRequests(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const throttled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    throttled > 0 ? throttled : CHECK_PENDING_REQUESTS_INTERVAL,
  );
}

/** Installs the patch once per process; true when kafkajs is the version it is for. */
export function quietIdleRequestQueues(): boolean {
  if (INSTALLED_KAFKAJS_VERSION !== PATCHED_KAFKAJS_VERSION) return false;
  KafkajsRequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  return true;
}
