import { request } from 'node:http';
import { InProcessService, testUscc, waitFor } from '@backbone/testing';
import { loadInspectionConfig } from './inspection.config';
import { INSPECTION_SERVICE, InspectionModule } from './inspection.module';

const SAMR = '320700-SAMR';
const KEYS = { [SAMR]: 'test-key-market-regulator-320700' };
const TIMEOUT_MS = 1_000;

/**
 * A register's import streams its body for as long as the register is long: the edge's request
 * timeout bounds a pause in the body, not the whole of it (docs/adr/0123). Real PostgreSQL and Kafka.
 */
describe('inspection: a streamed import outlasting the request timeout (real Kafka and PostgreSQL)', () => {
  let service: InProcessService;

  beforeAll(async () => {
    service = await InProcessService.start({
      service: INSPECTION_SERVICE,
      loadConfig: loadInspectionConfig,
      module: (config) => InspectionModule.forRoot(config),
      clients: KEYS,
      env: { POOL_KEEPER_DEPARTMENTS: SAMR, INSPECTION_SWEEP_INTERVAL_MS: '0', HTTP_REQUEST_TIMEOUT_MS: String(TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  const rows = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => `${JSON.stringify({ uscc: testUscc(from + i), name: `流式企业${from + i}` })}\n`).join('');

  /** Streams `chunks` to POST /targets/imports one every `everyMs`, then ends the body unless `stall`. */
  function stream(chunks: string[], everyMs: number, stall = false): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${service.url}/targets/imports`,
        { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'x-api-key': KEYS[SAMR], 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (data) => (text += data));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      let sent = 0;
      const next = () => {
        if (sent < chunks.length) {
          req.write(chunks[sent++]);
          setTimeout(next, everyMs);
        } else if (!stall) req.end();
      };
      next();
    });
  }

  it('completes an import whose body keeps arriving for longer than HTTP_REQUEST_TIMEOUT_MS', async () => {
    const chunks = Array.from({ length: 12 }, (_, i) => rows(7_000_000 + i * 100, 100));
    const started = Date.now();
    const report = await stream(chunks, 250);
    expect(Date.now() - started).toBeGreaterThan(2 * TIMEOUT_MS);
    expect(report.status).toBe(201);
    expect(report.body).toMatchObject({ status: 'completed', rowsRead: 1_200, rowsAccepted: 1_200, rowsRejected: 0 });
    const sql = await service.sql();
    const stored = await sql.query(`SELECT count(*)::int AS n FROM target_entity WHERE uscc = ANY ($1::text[])`, [
      Array.from({ length: 1_200 }, (_, i) => testUscc(7_000_000 + i)),
    ]);
    expect(stored.rows[0].n).toBe(1_200);
  });

  it('answers 408 to a body that stops arriving, and records the import as failed, not completed', async () => {
    const sql = await service.sql();
    const before = (await sql.query(`SELECT count(*)::int AS n FROM pool_import`)).rows[0].n;
    const answer = await stream([rows(7_100_000, 50)], 10, true);
    expect(answer.status).toBe(408);
    expect(answer.body).toMatchObject({ code: 'REQUEST_TIMEOUT', correlationId: expect.any(String) });
    await waitFor('the stalled import to end', async () => {
      const { rows: jobs } = await sql.query(`SELECT status FROM pool_import ORDER BY started_at DESC LIMIT 1`);
      return jobs[0]?.status !== 'running';
    });
    const { rows: jobs } = await sql.query(`SELECT status, rows_read, error FROM pool_import ORDER BY started_at DESC LIMIT 1`);
    expect((await sql.query(`SELECT count(*)::int AS n FROM pool_import`)).rows[0].n).toBe(before + 1);
    expect(jobs[0]).toMatchObject({
      status: 'failed',
      rows_read: 50,
      error: expect.stringContaining('the body was cut off after line 50'),
    });
  });

  it('records an import as failed when its client goes away mid-body', async () => {
    const sql = await service.sql();
    const req = request(`${service.url}/targets/imports`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', 'x-api-key': KEYS[SAMR], 'transfer-encoding': 'chunked' },
    });
    req.on('error', () => undefined);
    // Two whole rows, and a third cut mid-way: the two are written and counted, the third is not.
    req.write(`uscc,name\n${testUscc(7_200_000)},流式企业\n${testUscc(7_200_001)},流式企业\n${testUscc(7_200_002)},流`);
    await waitFor('the import to start', async () => {
      const { rows: jobs } = await sql.query(`SELECT status, rows_read FROM pool_import ORDER BY started_at DESC LIMIT 1`);
      return jobs[0]?.status === 'running';
    });
    req.destroy();
    await waitFor('the abandoned import to end', async () => {
      const { rows: jobs } = await sql.query(`SELECT status FROM pool_import ORDER BY started_at DESC LIMIT 1`);
      return jobs[0]?.status !== 'running';
    });
    const { rows: jobs } = await sql.query(`SELECT status, rows_read, error FROM pool_import ORDER BY started_at DESC LIMIT 1`);
    expect(jobs[0]).toMatchObject({ status: 'failed', rows_read: 2, error: expect.stringContaining('the body was cut off after line 3') });
    const stored = await sql.query(`SELECT uscc FROM target_entity WHERE uscc = ANY ($1::text[]) ORDER BY uscc`, [
      [0, 1, 2].map((i) => testUscc(7_200_000 + i)),
    ]);
    expect(stored.rows.map((row) => row.uscc)).toEqual([0, 1].map((i) => testUscc(7_200_000 + i)));
  });
});
