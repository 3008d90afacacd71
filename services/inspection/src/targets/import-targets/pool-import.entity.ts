import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { RowProblem } from './target-row';

export interface RejectedRow {
  line: number;
  problems: RowProblem[];
}

/** A bulk import of the target pool and its report (progress while it runs). */
@Entity('pool_import')
export class PoolImport {
  @PrimaryColumn('uuid') id: string;
  @Column() department: string;
  @Column() format: string;
  @Column() status: string;
  @Column('int', { name: 'rows_read' }) rowsRead: number;
  @Column('int', { name: 'rows_accepted' }) rowsAccepted: number;
  @Column('int', { name: 'rows_rejected' }) rowsRejected: number;
  @Column('jsonb') rejected: RejectedRow[];
  @Column('text', { nullable: true }) error: string | null;
  @Column('timestamptz', { name: 'started_at' }) startedAt: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt: Date | null;
}

export function importView(job: PoolImport) {
  return {
    id: job.id,
    department: job.department,
    format: job.format,
    status: job.status,
    rowsRead: job.rowsRead,
    rowsAccepted: job.rowsAccepted,
    rowsRejected: job.rowsRejected,
    /** The first rejected rows (line number in the file, each problem named); rowsRejected counts them all. */
    rejected: job.rejected,
    error: job.error,
    startedAt: job.startedAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
