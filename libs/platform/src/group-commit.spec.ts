import { GroupCommit, type GroupResults, type GroupTiming } from './group-commit';

/** A writer that records the groups it was given and answers when told to. */
class Writer {
  readonly groups: number[][] = [];
  private readonly finishers: Array<() => void> = [];
  auto = true;
  failWhole?: (items: number[]) => Error | undefined;
  failItem?: (item: number) => boolean;

  write = (items: number[]): Promise<GroupResults<string>> => {
    this.groups.push(items);
    const answer = () => {
      const whole = this.failWhole?.(items);
      if (whole) throw whole;
      return items.map((item) => (this.failItem?.(item) ? new Error(`item ${item} refused`) : `ok ${item}`));
    };
    if (this.auto) return Promise.resolve().then(answer);
    return new Promise((resolve, reject) =>
      this.finishers.push(() => {
        try {
          resolve(answer());
        } catch (error) {
          reject(error);
        }
      }),
    );
  };

  finishOne(): void {
    this.finishers.shift()?.();
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('group commit', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('holds the first item for the linger time, then writes everything that came meanwhile as one group', async () => {
    const writer = new Writer();
    const batcher = new GroupCommit({ lingerMs: 2, maxBatch: 10, concurrency: 1 }, writer.write);
    const answers = [1, 2, 3].map((item) => batcher.submit(item));
    await settle();
    expect(writer.groups).toEqual([]);
    jest.advanceTimersByTime(1);
    await settle();
    expect(writer.groups).toEqual([]);
    jest.advanceTimersByTime(1);
    await expect(Promise.all(answers)).resolves.toEqual(['ok 1', 'ok 2', 'ok 3']);
    expect(writer.groups).toEqual([[1, 2, 3]]);
  });

  it('lets a full group leave at once, without waiting for the linger time', async () => {
    const writer = new Writer();
    const batcher = new GroupCommit({ lingerMs: 1_000, maxBatch: 3, concurrency: 2 }, writer.write);
    const answers = [1, 2, 3].map((item) => batcher.submit(item));
    await expect(Promise.all(answers)).resolves.toEqual(['ok 1', 'ok 2', 'ok 3']);
    expect(writer.groups).toEqual([[1, 2, 3]]);
  });

  it('while every writer is busy, items wait and leave together as soon as one is free (the group grows with the load)', async () => {
    const writer = new Writer();
    writer.auto = false;
    const batcher = new GroupCommit({ lingerMs: 2, maxBatch: 100, concurrency: 1 }, writer.write);
    const first = batcher.submit(1);
    jest.advanceTimersByTime(2);
    await settle();
    expect(writer.groups).toEqual([[1]]);
    const later = [2, 3, 4, 5].map((item) => batcher.submit(item));
    jest.advanceTimersByTime(50);
    await settle();
    expect(writer.groups).toEqual([[1]]);
    expect(batcher.pending).toBe(5);
    writer.finishOne();
    await expect(first).resolves.toBe('ok 1');
    await settle();
    expect(writer.groups).toEqual([[1], [2, 3, 4, 5]]);
    writer.finishOne();
    await expect(Promise.all(later)).resolves.toEqual(['ok 2', 'ok 3', 'ok 4', 'ok 5']);
    expect(batcher.pending).toBe(0);
  });

  it('splits what waits into groups of at most maxBatch', async () => {
    const writer = new Writer();
    const batcher = new GroupCommit({ lingerMs: 2, maxBatch: 2, concurrency: 1 }, writer.write);
    writer.auto = false;
    const answers = [1, 2, 3, 4, 5].map((item) => batcher.submit(item));
    await settle();
    expect(writer.groups).toEqual([[1, 2]]);
    for (let i = 0; i < 3; i++) {
      writer.finishOne();
      await settle();
      jest.advanceTimersByTime(2);
      await settle();
    }
    await expect(Promise.all(answers)).resolves.toHaveLength(5);
    expect(writer.groups).toEqual([[1, 2], [3, 4], [5]]);
  });

  it("gives each item its own answer: one item's refusal fails only that item", async () => {
    const writer = new Writer();
    writer.failItem = (item) => item === 2;
    const batcher = new GroupCommit({ lingerMs: 1, maxBatch: 10, concurrency: 1 }, writer.write);
    const answers = [1, 2, 3].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    jest.advanceTimersByTime(1);
    await expect(Promise.all(answers)).resolves.toEqual(['ok 1', 'item 2 refused', 'ok 3']);
    expect(writer.groups).toEqual([[1, 2, 3]]);
  });

  it('writes a failed group again item by item, so that the item that cannot be written fails alone', async () => {
    const writer = new Writer();
    writer.failWhole = (items) => (items.includes(2) ? new Error('check constraint violated') : undefined);
    const batcher = new GroupCommit({ lingerMs: 1, maxBatch: 10, concurrency: 1 }, writer.write);
    const answers = [1, 2, 3].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    jest.advanceTimersByTime(1);
    await expect(Promise.all(answers)).resolves.toEqual(['ok 1', 'check constraint violated', 'ok 3']);
    expect(writer.groups).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('fails the whole group at once, without retries, when retryAlone says the error concerns everyone (the database is down)', async () => {
    const writer = new Writer();
    writer.failWhole = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const batcher = new GroupCommit(
      { lingerMs: 1, maxBatch: 10, concurrency: 1, retryAlone: (error) => (error as { code?: string }).code !== 'ECONNREFUSED' },
      writer.write,
    );
    const answers = [1, 2].map((item) => batcher.submit(item).catch((error: Error) => error.message));
    jest.advanceTimersByTime(1);
    await expect(Promise.all(answers)).resolves.toEqual(['connect ECONNREFUSED', 'connect ECONNREFUSED']);
    expect(writer.groups).toEqual([[1, 2]]);
  });

  it('a writer answering the wrong number of results fails its items rather than mixing answers up', async () => {
    const batcher = new GroupCommit<number, string>({ lingerMs: 0, maxBatch: 10, concurrency: 1 }, () => Promise.resolve([]));
    const answer = batcher.submit(1);
    jest.advanceTimersByTime(0);
    await expect(answer).rejects.toThrow('0 results for 1 items');
  });

  it("tells observe each item's wait before its group left and the write's time", async () => {
    const writer = new Writer();
    writer.auto = false;
    const timings: GroupTiming[] = [];
    const batcher = new GroupCommit({ lingerMs: 2, maxBatch: 10, concurrency: 1, observe: (timing) => timings.push(timing) }, writer.write);
    const first = batcher.submit(1);
    jest.advanceTimersByTime(1);
    const second = batcher.submit(2);
    jest.advanceTimersByTime(1);
    await settle();
    expect(writer.groups).toEqual([[1, 2]]);
    expect(timings).toEqual([]);
    jest.advanceTimersByTime(7);
    writer.finishOne();
    await expect(Promise.all([first, second])).resolves.toEqual(['ok 1', 'ok 2']);
    expect(timings).toEqual([{ waited: [2, 1], write: 7 }]);
  });

  it('drained() writes what waits at once and resolves when nothing is left', async () => {
    const writer = new Writer();
    const batcher = new GroupCommit({ lingerMs: 60_000, maxBatch: 10, concurrency: 1 }, writer.write);
    const answer = batcher.submit(7);
    await batcher.drained();
    await expect(answer).resolves.toBe('ok 7');
    expect(batcher.pending).toBe(0);
    await expect(batcher.drained()).resolves.toBeUndefined();
  });
});
