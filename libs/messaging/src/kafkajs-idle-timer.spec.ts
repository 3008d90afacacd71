import { setTimeout as sleep } from 'node:timers/promises';
import {
  INSTALLED_KAFKAJS_VERSION,
  KafkajsRequestQueue,
  PATCHED_KAFKAJS_VERSION,
  quietIdleRequestQueues,
  type RequestQueueState,
} from './kafkajs-idle-timer';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

type Queue = RequestQueueState & {
  push(request: { entry: { correlationId: number; apiName: string }; expectResponse: boolean; sendRequest: () => void }): void;
  maybeThrottle(ms: number): void;
  destroy(): void;
};

const queues: Queue[] = [];
function newQueue(): Queue {
  const queue = new KafkajsRequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'spec',
    broker: '127.0.0.1:9092',
    logger: silent,
  }) as Queue;
  queues.push(queue);
  return queue;
}

/** How often the queue checks its pending requests in `ms` of doing nothing, after one answered request. */
async function checksWhileIdle(queue: Queue, ms: number): Promise<number> {
  let checks = 0;
  const check = queue.checkPendingRequests.bind(queue);
  queue.checkPendingRequests = () => {
    checks++;
    check();
  };
  queue.checkPendingRequests(); // what kafkajs does when a request is answered (fulfillRequest)
  await sleep(ms);
  return checks - 1;
}

describe('kafkajs request queues left quiet when idle (tulios/kafkajs#1556, ADR 0079)', () => {
  const prototype = KafkajsRequestQueue.prototype;
  const original = prototype.scheduleCheckPendingRequests;

  afterEach(() => {
    for (const queue of queues.splice(0)) queue.destroy();
    prototype.scheduleCheckPendingRequests = original;
  });

  it('is written for the kafkajs in use: on an upgrade, check whether the release fixed the timer and drop this patch', () => {
    expect(INSTALLED_KAFKAJS_VERSION).toBe(PATCHED_KAFKAJS_VERSION);
    expect(quietIdleRequestQueues()).toBe(true);
  });

  it('without it, an idle queue checks again about every millisecond', async () => {
    // About 500 in the half second; a generous floor for a worker starved of the CPU.
    expect(await checksWhileIdle(newQueue(), 500)).toBeGreaterThan(25);
  });

  it('with it, an idle queue schedules nothing', async () => {
    quietIdleRequestQueues();
    const queue = newQueue();
    expect(await checksWhileIdle(queue, 500)).toBe(0);
    expect(queue.throttleCheckTimeoutId).toBeNull();
  });

  it('with it, a request held back by the broker’s throttling is still sent once the throttle ends', async () => {
    quietIdleRequestQueues();
    const queue = newQueue();
    const sent: number[] = [];
    const throttledAt = Date.now();
    queue.maybeThrottle(50);
    queue.push({ entry: { correlationId: 1, apiName: 'Fetch' }, expectResponse: true, sendRequest: () => sent.push(Date.now()) });
    expect(sent).toEqual([]);
    expect(queue.pending).toHaveLength(1);
    for (const deadline = Date.now() + 5000; sent.length === 0 && Date.now() < deadline;) await sleep(10);
    expect(sent).toHaveLength(1);
    expect(sent[0] - throttledAt).toBeGreaterThanOrEqual(45);
    expect(queue.pending).toHaveLength(0);
  });
});
