import { ConsumerStopping, OutagePause } from './outage-pause';

/** A database that refused the connection: an outage, not the message's fault. */
const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

describe('OutagePause', () => {
  it('waits out an outage without counting it, and says so', async () => {
    const pause = new OutagePause(1, 1);
    const heartbeat = jest.fn(async () => undefined);
    await expect(pause.waitIfTransient(refused, 0, 'topic/0@1', heartbeat)).resolves.toBe(true);
    expect(heartbeat).toHaveBeenCalledTimes(1);
  });

  it("is no pause for the work's own failure", async () => {
    const pause = new OutagePause(1, 1);
    await expect(pause.waitIfTransient(new Error('a rule was broken'), 0, 'topic/0@1', async () => undefined)).resolves.toBe(false);
  });

  it('a stop ends a pause under way at once: the message is left uncommitted and the consumer can leave its group', async () => {
    // A pause far longer than any test: only stop() can end it.
    const pause = new OutagePause(3_600_000, 3_600_000);
    const heartbeat = jest.fn(async () => undefined);
    const waiting = pause.waitIfTransient(refused, 0, 'topic/0@1', heartbeat);
    const outcome = waiting.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setImmediate(resolve));
    pause.stop();
    expect(await outcome).toBeInstanceOf(ConsumerStopping);
    expect(heartbeat).not.toHaveBeenCalled();
  });

  it('after a stop, an outage gives the message up at once; resume() waits again', async () => {
    const pause = new OutagePause(1, 1);
    pause.stop();
    await expect(pause.waitIfTransient(refused, 0, 'topic/0@1', async () => undefined)).rejects.toBeInstanceOf(ConsumerStopping);
    pause.resume();
    await expect(pause.waitIfTransient(refused, 0, 'topic/0@1', async () => undefined)).resolves.toBe(true);
  });

  it("a stop ends a retry's backoff at once: the message is left uncommitted instead of tried again", async () => {
    const pause = new OutagePause();
    await expect(pause.backoff(1)).resolves.toBeUndefined();
    const waiting = pause.backoff(3_600_000).then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await new Promise((resolve) => setImmediate(resolve));
    pause.stop();
    expect(await waiting).toBeInstanceOf(ConsumerStopping);
    await expect(pause.backoff(1)).rejects.toBeInstanceOf(ConsumerStopping);
  });
});
