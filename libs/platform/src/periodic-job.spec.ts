import { PeriodicJob } from './periodic-job';

class CountingJob extends PeriodicJob {
  readonly started: Date[] = [];
  finish: Array<(error?: Error) => void> = [];

  constructor(private readonly interval: number) {
    super();
  }

  protected intervalMs(): number {
    return this.interval;
  }

  protected tick(now: Date): Promise<void> {
    this.started.push(now);
    return new Promise((resolve, reject) => this.finish.push((error) => (error ? reject(error) : resolve())));
  }

  settleLast(error?: Error): Promise<void> {
    this.finish[this.finish.length - 1](error);
    return Promise.resolve().then(() => undefined);
  }
}

const flush = () => new Promise<void>((resolve) => jest.requireActual<typeof import('timers')>('timers').setImmediate(resolve));

describe('PeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('ticks once per interval, and never twice at once: a tick due while one runs is skipped', async () => {
    const job = new CountingJob(1_000);
    job.onApplicationBootstrap();
    jest.advanceTimersByTime(999);
    expect(job.started).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(job.started).toHaveLength(1);
    jest.advanceTimersByTime(3_000); // still running: three due ticks skipped
    expect(job.started).toHaveLength(1);
    await job.settleLast();
    await flush();
    jest.advanceTimersByTime(1_000);
    expect(job.started).toHaveLength(2);
    await job.settleLast();
    await job.onApplicationShutdown();
  });

  it('logs a failed tick and runs the next', async () => {
    const job = new CountingJob(1_000);
    const logged = jest.spyOn((job as unknown as { logger: { error: () => void } }).logger, 'error').mockImplementation(() => undefined);
    job.onApplicationBootstrap();
    jest.advanceTimersByTime(1_000);
    await job.settleLast(new Error('database unavailable'));
    await flush();
    expect(logged).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(1_000);
    expect(job.started).toHaveLength(2);
    await job.settleLast();
    await job.onApplicationShutdown();
  });

  it('with an interval of 0 never ticks by itself, but runs on demand', async () => {
    const job = new CountingJob(0);
    job.onApplicationBootstrap();
    jest.advanceTimersByTime(3_600_000);
    expect(job.started).toHaveLength(0);
    const done = job.runTick(new Date('2026-11-30T08:00:00Z'));
    expect(job.started).toEqual([new Date('2026-11-30T08:00:00Z')]);
    await job.settleLast();
    await expect(done).resolves.toBeUndefined();
  });

  it('shutdown stops the timer and waits for the running tick', async () => {
    const job = new CountingJob(1_000);
    job.onApplicationBootstrap();
    jest.advanceTimersByTime(1_000);
    let stopped = false;
    const stopping = job.onApplicationShutdown().then(() => (stopped = true));
    await flush();
    expect(stopped).toBe(false);
    await job.settleLast();
    await stopping;
    expect(stopped).toBe(true);
    jest.advanceTimersByTime(10_000);
    expect(job.started).toHaveLength(1);
  });
});
