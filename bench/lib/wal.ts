import type { Client } from 'pg';
import { fmt } from './util';

/** PostgreSQL's WAL counters (the whole cluster) at one moment, with its checkpoints so far. */
export interface WalSample {
  bytes: number;
  records: number;
  /** Full-page images: a page's first change after a checkpoint writes the whole page to the WAL. */
  fullPages: number;
  checkpoints: number;
}

/** One row from `pg_stat_wal` and `pg_stat_bgwriter` (PostgreSQL 14 and later), counted since their last reset. */
export const WAL_SAMPLE = `SELECT w.wal_bytes::text AS bytes, w.wal_records AS records, w.wal_fpi AS full_pages,
        b.checkpoints_timed + b.checkpoints_req AS checkpoints
   FROM pg_stat_wal w, pg_stat_bgwriter b`;

export async function walSample(db: Pick<Client, 'query'>): Promise<WalSample> {
  const [row] = (await db.query(WAL_SAMPLE)).rows;
  return {
    bytes: Number(row.bytes),
    records: Number(row.records),
    fullPages: Number(row.full_pages),
    checkpoints: Number(row.checkpoints),
  };
}

/**
 * What PostgreSQL wrote to its WAL between two samples: every commit waits for its share of that to reach the
 * disk (`synchronous_commit` on), so a phase's WAL rate, and how much of it is whole pages written again after
 * a checkpoint, sit beside its latencies. `loops`, when given, divides the bytes per loop.
 */
export function describeWal(before: WalSample, after: WalSample, seconds: number, loops?: number): string {
  const bytes = after.bytes - before.bytes;
  const records = after.records - before.records;
  const fullPages = after.fullPages - before.fullPages;
  const checkpoints = after.checkpoints - before.checkpoints;
  const mib = bytes / 1048576;
  const perLoop = loops && loops > 0 ? `, ${(bytes / loops / 1024).toFixed(1)} KiB a loop` : '';
  return (
    `WAL: ${fmt(mib)} MiB in ${fmt(seconds)} s (${(seconds > 0 ? mib / seconds : 0).toFixed(1)} MiB/s${perLoop}), ` +
    `${records} records of which ${fullPages} full-page images; ` +
    `${checkpoints} checkpoint${checkpoints === 1 ? '' : 's'} started meanwhile (the cluster, all databases)`
  );
}
