/**
 * Keeps a consumer's group membership alive while `work` runs (ADR 0025).
 *
 * kafkajs heartbeats only when it is called: between batches, and wherever the handler calls the
 * batch's `heartbeat()`. One database transaction of the inbox can outlast the consumer session on a
 * starved machine (a chunk of messages waiting for a connection or the CPU); the coordinator then
 * takes the member for dead, evicts it, and its offset commits fail: the work is done again by the
 * next owner, and the backlog grows. Here the heartbeat also runs on a timer while the work is in
 * flight, so a member is evicted only when its process stops answering, never because it is slow.
 *
 * A failing background heartbeat (a rebalance under way, the broker gone) does not stop the work: a
 * transaction is not interrupted halfway. The caller's own heartbeat after the work reports it.
 */
export async function keepAlive<T>(work: () => Promise<T>, heartbeat: () => Promise<void>, intervalMs: number): Promise<T> {
  let beating = false;
  const timer = setInterval(() => {
    if (beating) return; // one request at a time: a slow broker is not sent a queue of heartbeats
    beating = true;
    heartbeat()
      .catch(() => undefined)
      .finally(() => (beating = false));
  }, intervalMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
