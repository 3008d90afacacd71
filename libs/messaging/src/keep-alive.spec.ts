import { keepAlive } from './keep-alive';

describe('keepAlive', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('heartbeats every interval while the work runs, and stops when it ends', async () => {
    const heartbeat = jest.fn(async () => undefined);
    let finish!: (value: string) => void;
    const running = keepAlive(() => new Promise<string>((resolve) => (finish = resolve)), heartbeat, 1000);

    await jest.advanceTimersByTimeAsync(3500);
    expect(heartbeat).toHaveBeenCalledTimes(3);

    finish('done');
    await expect(running).resolves.toBe('done');
    await jest.advanceTimersByTimeAsync(5000);
    expect(heartbeat).toHaveBeenCalledTimes(3);
  });

  it('a failing heartbeat (a rebalance, the broker gone) does not interrupt the work', async () => {
    const heartbeat = jest.fn(async () => {
      throw Object.assign(new Error('The group is rebalancing'), { type: 'REBALANCE_IN_PROGRESS' });
    });
    let finish!: () => void;
    const running = keepAlive(() => new Promise<void>((resolve) => (finish = resolve)), heartbeat, 100);
    await jest.advanceTimersByTimeAsync(450);
    expect(heartbeat.mock.calls.length).toBeGreaterThanOrEqual(4);
    finish();
    await expect(running).resolves.toBeUndefined();
  });

  it('never has two heartbeats in flight: a slow broker is not sent a queue of them', async () => {
    let answer!: () => void;
    const heartbeat = jest.fn(() => new Promise<void>((resolve) => (answer = resolve)));
    let finish!: () => void;
    const running = keepAlive(() => new Promise<void>((resolve) => (finish = resolve)), heartbeat, 100);
    await jest.advanceTimersByTimeAsync(550);
    expect(heartbeat).toHaveBeenCalledTimes(1);
    answer();
    await jest.advanceTimersByTimeAsync(100);
    expect(heartbeat).toHaveBeenCalledTimes(2);
    finish();
    await running;
  });

  it('passes the work’s failure on, and stops heartbeating', async () => {
    const heartbeat = jest.fn(async () => undefined);
    await expect(keepAlive(async () => Promise.reject(new Error('handler failed')), heartbeat, 100)).rejects.toThrow('handler failed');
    await jest.advanceTimersByTimeAsync(1000);
    expect(heartbeat).not.toHaveBeenCalled();
  });
});
