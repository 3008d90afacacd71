import { closeSync, fdatasync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Client } from 'pg';
import { REPO_ROOT } from '@backbone/testing';
import { fmt, now, percentile } from './util';

/**
 * What the disk did while a phase ran, beside the latencies the bench measures (ADR 0098). With
 * `synchronous_commit` on every commit waits for PostgreSQL's WAL to reach the disk, so a stall of the
 * disk's flushes is a stall of every request that commits then. The probe writes 8 KiB and `fdatasync`s
 * it every `intervalMs`, in a file beside PostgreSQL's data where it can (same filesystem, same queue),
 * and samples how much of the page cache is dirty: the kernel writes that back in bursts (after
 * `vm.dirty_expire_centisecs`, or past `vm.dirty_background_*`), and a burst queues in front of the WAL's
 * flushes.
 */
export class StorageProbe {
  private readonly flushes: number[] = [];
  private dirtyMaxKib = 0;
  private readonly fd: number;
  private readonly file: string;
  private timer?: NodeJS.Timeout;
  private dirtyTimer?: NodeJS.Timeout;
  private inFlight = false;
  private stopped = false;
  private readonly block = Buffer.alloc(8192, 0x2a);

  /** Probes in `dir`; `where` describes it in the summary. */
  private constructor(
    dir: string,
    private readonly where: string,
    private readonly intervalMs: number,
  ) {
    this.file = join(dir, `.storage-probe-${process.pid}`);
    this.fd = openSync(this.file, 'w', 0o600);
  }

  /**
   * Finds where to probe, as close to the data of the PostgreSQL that `db` is connected to as this process
   * may write: beside its data directory (the directory itself is the postgres user's), else in the local
   * stack's directory, else in the system's temporary directory. Returns what starts a probe there (once
   * per phase; the place is looked up once); the summary says where, and whether it shares the data's
   * filesystem.
   */
  static async starterBesideDataOf(db: Pick<Client, 'query'>, intervalMs = 20): Promise<() => StorageProbe> {
    // SHOW data_directory needs a superuser (or pg_read_all_settings), as the local stack's user is.
    const dataDirectory = await db
      .query<{ data_directory: string }>('SHOW data_directory')
      .then((result) => result.rows[0]?.data_directory)
      .catch(() => undefined);
    const stack = process.env.STACK_DIR || join(REPO_ROOT, '.stack');
    const candidates = [...(dataDirectory ? [dirname(dataDirectory)] : []), stack, tmpdir()];
    return () => {
      let lastError: unknown;
      for (const dir of candidates) {
        try {
          const probe = new StorageProbe(dir, `${dir}, ${sameDevice(dir, dataDirectory)}`, intervalMs);
          probe.begin();
          return probe;
        } catch (error) {
          lastError = error;
        }
      }
      throw new Error(`storage probe: no writable directory (${(lastError as Error).message})`);
    };
  }

  private begin(): void {
    this.timer = setInterval(() => {
      if (this.inFlight) return; // a flush still waiting is itself the stall being measured
      this.inFlight = true;
      const started = now();
      writeSync(this.fd, this.block, 0, this.block.length, 0);
      fdatasync(this.fd, () => {
        this.flushes.push(now() - started);
        this.inFlight = false;
        if (this.stopped) this.remove();
      });
    }, this.intervalMs);
    this.dirtyTimer = setInterval(() => {
      this.dirtyMaxKib = Math.max(this.dirtyMaxKib, dirtyKib(readFileSync('/proc/meminfo', 'utf8')));
    }, 100);
  }

  /** Stops probing and summarises (one line, for the bench's report); a flush still running closes the file when it ends. */
  stop(): string {
    clearInterval(this.timer);
    clearInterval(this.dirtyTimer);
    this.stopped = true;
    if (!this.inFlight) this.remove();
    return summariseStorage(this.flushes, this.dirtyMaxKib, writebackSettings(), this.where, this.intervalMs);
  }

  private remove(): void {
    try {
      closeSync(this.fd);
      rmSync(this.file, { force: true });
    } catch {
      // the summary matters more than the probe's file
    }
  }
}

/** `Dirty:` of /proc/meminfo, KiB (0 when absent). */
export function dirtyKib(meminfo: string): number {
  return Number(/^Dirty:\s+(\d+)\s+kB/m.exec(meminfo)?.[1] ?? 0);
}

/** The kernel's writeback settings that decide when dirty pages go out: background threshold and age. */
export function writebackSettings(read: (name: string) => string = (name) => readFileSync(`/proc/sys/vm/${name}`, 'utf8')): string {
  const value = (name: string) => {
    try {
      return Number(read(name).trim());
    } catch {
      return NaN;
    }
  };
  const bytes = value('dirty_background_bytes');
  const background =
    bytes > 0 ? `dirty_background_bytes ${fmt(bytes / 1048576)} MiB` : `dirty_background_ratio ${value('dirty_background_ratio')} %`;
  return `vm.${background}, dirty_expire ${value('dirty_expire_centisecs') / 100} s`;
}

export function summariseStorage(flushes: number[], dirtyMaxKib: number, settings: string, where: string, intervalMs: number): string {
  const sorted = [...flushes].sort((a, b) => a - b);
  const q = (p: number) => (sorted.length ? percentile(sorted, p).toFixed(1) : 'n/a');
  const over = sorted.filter((ms) => ms > 100).length;
  return (
    `storage: fdatasync of 8 KiB every ${intervalMs} ms p50/p99/max ${q(0.5)}/${q(0.99)}/${q(1)} ms, ${over} over 100 ms ` +
    `(${sorted.length} flushes in ${where}); dirty page cache up to ${fmt(dirtyMaxKib / 1024)} MiB (${settings})`
  );
}

function sameDevice(dir: string, dataDirectory: string | undefined): string {
  if (!dataDirectory) return "PostgreSQL's data directory unknown";
  try {
    return statSync(dir).dev === statSync(dataDirectory).dev
      ? "the filesystem of PostgreSQL's data"
      : "not the filesystem of PostgreSQL's data";
  } catch {
    return "PostgreSQL's data not readable here";
  }
}
