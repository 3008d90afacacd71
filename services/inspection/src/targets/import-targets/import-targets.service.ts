import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { finished, type Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { parse } from 'csv-parse';
import { DataSource } from 'typeorm';
import { inspectionError } from '../../inspection.errors';
import { PoolImport, RejectedRow } from './pool-import.entity';
import { IMPORT_FIELDS, TargetRow, validateTargetRow } from './target-row';

/** Columns a CSV header line must name: without them no row could be accepted. */
const REQUIRED_COLUMNS = ['uscc', 'name'];

/** The CSV header line, checked before any row is read (csv-parse's `columns` callback). */
function checkedHeader(header: string[]): string[] {
  const missing = REQUIRED_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0)
    throw inspectionError(
      'INVALID_IMPORT',
      `body: the CSV header line lacks ${missing.join(', ')} (columns: ${IMPORT_FIELDS.join(', ')})`,
      {
        field: missing[0],
      },
    );
  return header;
}

export type ImportFormat = 'ndjson' | 'csv';

/** The body ended before its end: the rows that arrived whole are written, the job is marked failed. */
class BodyCutOff extends Error {
  constructor(line: number, cause: Error) {
    super(
      `the body was cut off after line ${line} (${cause.message}): the import is incomplete; send the file again (rows are upserted by USCC)`,
    );
    this.name = 'BodyCutOff';
  }
}

/** Watches a body for an end before its end: `stop` is called with the cause, which `cause()` returns from then on. */
function watchForCut(body: Readable, stop: (cause: Error) => void): { cause: () => Error | undefined; unwatch: () => void } {
  let cause: Error | undefined;
  const unwatch = finished(body, (error) => {
    if (!error) return;
    cause = error;
    stop(error);
  });
  return { cause: () => cause, unwatch };
}

/** Rows written per transaction; the job's progress is updated with each batch. */
export const IMPORT_BATCH_ROWS = 5_000;
/** Rejected rows kept in the report with their problems (all are counted). */
export const REPORTED_REJECTIONS = 1_000;

/**
 * (line number, parsed value or a parse error) for each record of the body, streamed. A body cut off
 * before its end (the connection closed, or the edge answered 408 to a body that stopped arriving)
 * throws once the records that did arrive are read: an import is complete only when its body was.
 */
async function* records(format: ImportFormat, body: Readable): AsyncGenerator<{ line: number; value?: unknown; error?: string }> {
  if (format === 'ndjson') {
    const lines = createInterface({ input: body, crlfDelay: Infinity });
    const cut = watchForCut(body, () => lines.close());
    let line = 0;
    try {
      for await (const text of lines) {
        line++;
        if (text.trim() === '') continue;
        try {
          yield { line, value: JSON.parse(text) };
        } catch (error) {
          yield { line, error: `not JSON: ${(error as Error).message}` };
        }
      }
    } finally {
      cut.unwatch();
    }
    const cause = cut.cause();
    if (cause) throw new BodyCutOff(line, cause);
    return;
  }
  const skipped: { line: number; error: string }[] = [];
  const parser = parse({
    columns: checkedHeader,
    bom: true,
    trim: true,
    skip_empty_lines: true,
    info: true,
    skip_records_with_error: true,
    max_record_size: 65_536,
  });
  body.pipe(parser);
  // A body cut off destroys the parser with the cause, which ends the loop below (pipe alone would leave it waiting).
  const cut = watchForCut(body, (cause) => parser.destroy(cause));
  parser.on('skip', (error: Error & { lines?: number }) => skipped.push({ line: error.lines ?? 0, error: error.message }));
  let line = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      while (skipped.length > 0) yield skipped.shift()!;
      line = info.lines;
      yield { line, value: record };
    }
  } catch (error) {
    const cause = cut.cause();
    throw cause ? new BodyCutOff(line, cause) : error;
  } finally {
    cut.unwatch();
  }
  while (skipped.length > 0) yield skipped.shift()!;
}

/**
 * Streams a pre-existing register into the target pool: validated row by row, written in batches
 * (upsert by USCC: re-running a file gives the same pool), progress visible at GET /targets/imports/:id
 * while it runs. A rejected row never stops the import; it is reported with its line and problems.
 */
@Injectable()
export class ImportTargetsService {
  private readonly log = new Logger(ImportTargetsService.name);

  constructor(private readonly dataSource: DataSource) {}

  static formatOf(contentType: string | undefined): ImportFormat {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    if (type === 'application/x-ndjson' || type === 'application/ndjson') return 'ndjson';
    if (type === 'text/csv') return 'csv';
    throw inspectionError('UNSUPPORTED_IMPORT_FORMAT', `content-type: must be application/x-ndjson or text/csv, not ${type || 'none'}`);
  }

  private async start(id: string, department: string, format: ImportFormat): Promise<void> {
    await this.dataSource.query(`INSERT INTO pool_import (id, department, format, status) VALUES ($1, $2, $3, 'running')`, [
      id,
      department,
      format,
    ]);
  }

  /**
   * Runs an import. The job is recorded when the first row arrives: a body with no row, or a CSV
   * header line without the columns every row needs, is refused (400) and nothing is written.
   */
  async run(department: string, format: ImportFormat, body: Readable): Promise<PoolImport> {
    const id = randomUUID();
    let started = false;
    let batch = new Map<string, TargetRow>();
    let read = 0;
    let accepted = 0;
    let rejectedCount = 0;
    let rejected: RejectedRow[] = [];
    const flush = async () => {
      await this.write(id, [...batch.values()], { read, accepted, rejectedCount, rejected });
      batch = new Map();
      rejected = [];
    };
    try {
      for await (const record of records(format, body)) {
        if (!started) {
          await this.start(id, department, format);
          started = true;
        }
        read++;
        const result = record.error
          ? { problems: [{ field: '(row)', rule: format === 'csv' ? 'csv' : 'json', message: record.error }] }
          : validateTargetRow(record.value);
        if ('row' in result) {
          accepted++;
          batch.set(result.row.uscc, result.row);
        } else {
          rejectedCount++;
          rejected.push({ line: record.line, problems: result.problems });
        }
        if (batch.size >= IMPORT_BATCH_ROWS || read % IMPORT_BATCH_ROWS === 0) await flush();
      }
      if (!started)
        throw inspectionError('INVALID_IMPORT', 'body: no rows to import (NDJSON: one object a line; CSV: a header line, then rows)');
      await flush();
      await this.dataSource.query(`UPDATE pool_import SET status = 'completed', finished_at = now() WHERE id = $1`, [id]);
    } catch (error) {
      if (!started) throw error; // refused before anything was written
      // Rows that arrived whole before a cut are as good as any: written, and counted in the report.
      if (error instanceof BodyCutOff) await flush().catch(() => undefined);
      this.log.warn(`import ${id} failed after ${read} rows: ${(error as Error).message}`);
      await this.dataSource.query(`UPDATE pool_import SET status = 'failed', error = $2, finished_at = now() WHERE id = $1`, [
        id,
        (error as Error).message.slice(0, 1000),
      ]);
    }
    return this.dataSource.getRepository(PoolImport).findOneByOrFail({ id });
  }

  /** One batch and the progress it makes, in one transaction. */
  private async write(
    id: string,
    rows: TargetRow[],
    progress: { read: number; accepted: number; rejectedCount: number; rejected: RejectedRow[] },
  ): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (rows.length > 0) {
        await manager.query(
          `INSERT INTO target_entity (uscc, name, entity_type, industry, region_code, credit_tier, key_supervision, status, source)
           SELECT u, n, t, i, r, coalesce(c, 'B'), k, s, 'import'
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[], $8::text[]) AS x(u, n, t, i, r, c, k, s)
           ON CONFLICT (uscc) DO UPDATE SET
             name = EXCLUDED.name, entity_type = EXCLUDED.entity_type, industry = EXCLUDED.industry,
             region_code = EXCLUDED.region_code, key_supervision = EXCLUDED.key_supervision, status = EXCLUDED.status,
             updated_at = now()`,
          [
            rows.map((row) => row.uscc),
            rows.map((row) => row.name),
            rows.map((row) => row.entityType),
            rows.map((row) => row.industry),
            rows.map((row) => row.regionCode),
            rows.map((row) => row.creditTier),
            rows.map((row) => row.keySupervision),
            rows.map((row) => row.status),
          ],
        );
        // A register's tier counts only until the credit service has spoken about the entity.
        const tiered = rows.filter((row) => row.creditTier !== null);
        if (tiered.length > 0) {
          await manager.query(
            `UPDATE target_entity t SET credit_tier = x.c FROM unnest($1::text[], $2::text[]) AS x(u, c)
             WHERE t.uscc = x.u AND t.credit_effective_at IS NULL AND t.credit_tier <> x.c`,
            [tiered.map((row) => row.uscc), tiered.map((row) => row.creditTier)],
          );
        }
      }
      await manager.query(
        `UPDATE pool_import SET rows_read = $2, rows_accepted = $3, rows_rejected = $4,
           rejected = CASE WHEN jsonb_array_length(rejected) >= $6 THEN rejected
                           ELSE rejected || (SELECT coalesce(jsonb_agg(e), '[]') FROM (SELECT e FROM jsonb_array_elements($5::jsonb) e LIMIT $6 - jsonb_array_length(rejected)) x) END
         WHERE id = $1`,
        [id, progress.read, progress.accepted, progress.rejectedCount, JSON.stringify(progress.rejected), REPORTED_REJECTIONS],
      );
    });
  }
}
