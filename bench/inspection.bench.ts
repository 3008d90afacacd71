/**
 * Random-inspection benchmark: the inspection service as its own process on the real infrastructure.
 *
 *   npm run bench:inspection      (builds, then runs dist/bench/inspection.bench.js)
 *
 * Phase 1 — import: BENCH_POOL_ROWS (1,000,000) NDJSON rows streamed to POST /targets/imports in one
 *   request; prints rows/s (with the import job's own progress while it runs) and the service's peak RSS.
 * Phase 2 — the service restarted (so that its peak RSS is the freeze's alone), a task whose pool is the
 *   whole register, freeze (canonical text built by PostgreSQL, SHA-256, inspector side) and a stratified
 *   draw of BENCH_RATIO_BP (500 = 5 %) in every stratum, two inspectors per entity from BENCH_INSPECTORS
 *   (200), in a fresh process again; prints seconds and the service's peak RSS for each. Aim: freeze + draw ≤ 10 s, ≤ 250 MB (238 MiB).
 * Figures only, no assertions of speed; exits non-zero if anything fails. Machine load is printed.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { loadavg, cpus } from 'node:os';
import { Readable } from 'node:stream';
import { TEST_CLIENTS, TestSystem, testUscc } from '@backbone/testing';

const ROWS = Number(process.env.BENCH_POOL_ROWS ?? 1_000_000);
const RATIO_BP = Number(process.env.BENCH_RATIO_BP ?? 500);
const INSPECTORS = Number(process.env.BENCH_INSPECTORS ?? 200);
const KEY = TEST_CLIENTS['320700-SAMR'];
const TIERS = ['A', 'B', 'C', 'D'];

const peakRssMb = (pid: number | undefined): number => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
};

function rows(): Readable {
  let i = 0;
  return new Readable({
    read() {
      let chunk = '';
      for (let k = 0; k < 2_000 && i < ROWS; k++, i++) {
        chunk += `{"uscc":"${testUscc(10_000_000 + i)}","name":"基准企业${i}","creditTier":"${TIERS[i % 4]}","keySupervision":${i % 50 === 0}}\n`;
      }
      this.push(chunk.length > 0 ? chunk : null);
    },
  });
}

function upload(url: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/targets/imports`,
      { method: 'POST', headers: { 'content-type': 'application/x-ndjson', 'x-api-key': KEY, 'transfer-encoding': 'chunked' } },
      (res) => {
        let body = '';
        res.on('data', (data) => (body += data));
        res.on('end', () =>
          res.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`import: HTTP ${res.statusCode} ${body}`)),
        );
      },
    );
    req.on('error', reject);
    rows().pipe(req);
  });
}

async function call(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': KEY },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json();
  if (response.status >= 300) throw new Error(`${method} ${path}: HTTP ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

async function main() {
  process.stdout.write(
    `inspection bench: ${ROWS.toLocaleString('en')} pool rows, draw ${RATIO_BP / 100} % per stratum, ${INSPECTORS} inspectors\n`,
  );
  process.stdout.write(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  const system = await TestSystem.start(
    ['inspection'],
    {
      inspection: {
        INSPECTION_SWEEP_INTERVAL_MS: '0',
        LOG_LEVEL: 'warn',
        INSPECTION_RATIOS_JSON: JSON.stringify({ A: RATIO_BP, B: RATIO_BP, C: RATIO_BP, D: RATIO_BP, K: RATIO_BP }),
      },
    },
    { ownSessions: true }, // as npm start runs them (ADR 0130)
  );
  try {
    const service = system.service('inspection');
    // Phase 1: import
    let started = Date.now();
    const progress = setInterval(() => {
      void system
        .sql('inspection')
        .then((db) => db.query(`SELECT rows_read FROM pool_import ORDER BY started_at DESC LIMIT 1`))
        .then((result) => {
          const read = result.rows[0]?.rows_read ?? 0;
          process.stdout.write(
            `  import progress: ${read.toLocaleString('en')} rows (${Math.round(read / ((Date.now() - started) / 1000))} rows/s)\n`,
          );
        })
        .catch(() => undefined);
    }, 10_000);
    const report = await upload(service.url);
    clearInterval(progress);
    const importSeconds = (Date.now() - started) / 1000;
    const importRss = peakRssMb(service.pid);
    process.stdout.write(
      `import: ${report.rowsAccepted.toLocaleString('en')} rows accepted, ${report.rowsRejected} rejected in ${importSeconds.toFixed(1)} s ` +
        `= ${Math.round(report.rowsAccepted / importSeconds).toLocaleString('en')} rows/s; service peak RSS ${importRss} MiB\n`,
    );

    // Phase 2: a fresh process, then freeze + draw
    await service.stop();
    await service.start();
    await call(service.url, 'PUT', '/items/BENCH-ALL', {
      name: '基准全量抽查',
      legalBasis: '基准',
      inspectingDepartments: ['320700-SAMR'],
      objectScope: {},
      method: 'on_site',
      kind: 'key',
      minRatioBp: 0,
      maxRatioBp: 10_000,
      frequencyPerYear: 1,
    });
    for (let i = 0; i < INSPECTORS; i++) {
      await call(service.url, 'POST', '/inspectors', { name: `检查员${i}`, certificateNumber: `BENCH-${i}`, regionCode: '320700' });
    }
    const task = await call(service.url, 'POST', '/tasks', { reference: `BENCH-${Date.now()}`, title: '基准', itemCodes: ['BENCH-ALL'] });
    const seed = 'inspection-bench-seed-0001';
    const baseRss = peakRssMb(service.pid);
    started = Date.now();
    const frozen = await call(service.url, 'POST', `/tasks/${task.id}/freeze`, {
      seedCommitment: createHash('sha256').update(seed).digest('hex'),
    });
    const freezeSeconds = (Date.now() - started) / 1000;
    const freezeRss = peakRssMb(service.pid);
    // The draw in a fresh process too, so that its peak is its own and not the freeze's.
    await service.stop();
    await service.start();
    const drawBaseRss = peakRssMb(service.pid);
    started = Date.now();
    const drawn = await call(service.url, 'POST', `/tasks/${task.id}/draws`, { seed });
    const drawSeconds = (Date.now() - started) / 1000;
    const drawRss = peakRssMb(service.pid);
    process.stdout.write(
      `freeze: pool of ${frozen.poolSize.toLocaleString('en')} entities, hash ${frozen.poolHash.slice(0, 16)}…, ${freezeSeconds.toFixed(2)} s; ` +
        `service peak RSS ${freezeRss} MiB (${baseRss} MiB before it)\n` +
        `draw: ${drawn.drawn.toLocaleString('en')} entities (${drawn.strata.map((s: any) => `${s.stratum} ${s.drawn}`).join(', ')}) with ` +
        `${INSPECTORS} inspectors, ${drawSeconds.toFixed(2)} s; service peak RSS ${drawRss} MiB (${drawBaseRss} MiB before it, a fresh process)\n` +
        `freeze + hash + draw: ${(freezeSeconds + drawSeconds).toFixed(2)} s; service peak RSS ${Math.max(freezeRss, drawRss)} MiB (aim: ≤ 10 s, ≤ 250 MB = 238 MiB)\n`,
    );
    process.stdout.write(
      `machine load average after: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
  } finally {
    await system.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`inspection bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
