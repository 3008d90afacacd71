export interface GroupCommitOptions {
  /** How long the first waiting item waits for company before its group leaves (ms). */
  lingerMs: number;
  /** A group leaves at once when this many items wait. */
  maxBatch: number;
  /** Groups written at the same time (the writer's connections); items arriving meanwhile wait and leave together. */
  concurrency: number;
  /**
   * When a whole group fails, whether its items are written again one by one, so that an item that
   * cannot be written fails alone (default: always). Say no for errors that would fail every item
   * (the database is down).
   */
  retryAlone?: (error: unknown) => boolean;
  /**
   * Told of each group once it is written: how long each of its items waited for the group to leave
   * (from `submit`), and how long the write took (ms). Where an item's time goes, for a service's metrics.
   */
  observe?: (timing: GroupTiming) => void;
}

/** A written group's times (ms): each item's wait before its group left, in order, and the write's. */
export interface GroupTiming {
  waited: number[];
  write: number;
}

/** What a writer answers for each item of a group, in the group's order: its result, or its own failure. */
export type GroupResults<O> = ReadonlyArray<O | Error>;

interface Waiting<I, O> {
  item: I;
  /** `performance.now()` at `submit`. */
  since: number;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted one by one (HTTP requests) are written together, one group per
 * transaction, by `write`. A group leaves when its first item has waited `lingerMs`, or when `maxBatch`
 * items wait, and only while fewer than `concurrency` groups are being written: under load the groups
 * grow by themselves, idle an item waits `lingerMs` at most. Each item gets its own answer: `write`
 * returns one result or Error per item; a failure of the whole group is retried item by item (see
 * `retryAlone`), so that one bad item does not fail the others.
 */
export class GroupCommit<I, O> {
  private waiting: Array<Waiting<I, O>> = [];
  private timer: NodeJS.Timeout | undefined;
  /** The oldest waiting item has waited long enough. */
  private due = false;
  private writing = 0;
  private readonly idle = new Set<() => void>();

  constructor(
    private readonly options: GroupCommitOptions,
    private readonly write: (items: I[]) => Promise<GroupResults<O>>,
  ) {}

  /** Items waiting or being written. */
  get pending(): number {
    return this.waiting.length + this.writing;
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, since: performance.now(), resolve, reject });
      if (this.waiting.length >= this.options.maxBatch) this.leave();
      else if (!this.timer && !this.due) {
        this.timer = setTimeout(() => {
          this.timer = undefined;
          this.due = true;
          this.leave();
        }, this.options.lingerMs);
      }
    });
  }

  /** Resolves once nothing waits and nothing is being written (a graceful stop). */
  drained(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.due = true;
      this.leave();
    }
    return new Promise((resolve) => this.idle.add(resolve));
  }

  private leave(): void {
    while (
      this.waiting.length > 0 &&
      this.writing < this.options.concurrency &&
      (this.due || this.waiting.length >= this.options.maxBatch)
    ) {
      const group = this.waiting.splice(0, this.options.maxBatch);
      // Whoever still waits has waited through a write: they leave as soon as a writer is free.
      this.due = this.waiting.length > 0;
      if (!this.due && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      this.writing++;
      void this.run(group).finally(() => {
        this.writing--;
        if (this.waiting.length > 0) this.leave();
        else if (this.writing === 0) for (const resolve of this.idle) resolve();
        if (this.pending === 0) this.idle.clear();
      });
    }
    if (this.waiting.length > 0 && !this.due && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.due = true;
        this.leave();
      }, this.options.lingerMs);
    }
  }

  private async run(group: Array<Waiting<I, O>>): Promise<void> {
    let results: GroupResults<O>;
    const started = performance.now();
    try {
      results = await this.write(group.map((waiting) => waiting.item));
      if (results.length !== group.length) throw new Error(`group commit: ${results.length} results for ${group.length} items`);
      this.options.observe?.({ waited: group.map((waiting) => started - waiting.since), write: performance.now() - started });
    } catch (error) {
      if (group.length > 1 && (this.options.retryAlone?.(error) ?? true)) {
        for (const waiting of group) await this.run([waiting]);
      } else for (const waiting of group) waiting.reject(error);
      return;
    }
    group.forEach((waiting, index) => {
      const result = results[index];
      if (result instanceof Error) waiting.reject(result);
      else waiting.resolve(result);
    });
  }
}
