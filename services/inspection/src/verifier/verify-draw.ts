/**
 * The draw verifier: re-runs a task's draws from its public endpoints only (no key) and prints the list.
 *
 *   npm run verify-draw -- <task id> [--url http://127.0.0.1:3005]      (or INSPECTION_URL)
 *
 * Checks, for the task: the published pool text is in canonical form and hashes to the published pool
 * hash; then for every drawn round: the revealed seed hashes to the commitment published before it, the
 * draw re-run on (pool, seed, published draw input) gives the published digest, and — where the task
 * publishes its list — the same list line for line. Exit code 0 when everything matches, 1 otherwise.
 */
import { parseCanonicalPool, poolHash, seedCommitment } from '../draws/canonical-pool';
import { runDraw } from '../draws/draw';
import type { PublishedDrawInput } from '../tasks/inspection-task.entity';

export interface VerificationReport {
  ok: boolean;
  lines: string[];
  /** The canonical result of the latest drawn round, as re-computed. */
  list: string;
}

type Fetch = (url: string) => Promise<{ ok: boolean; status: number; text(): Promise<string> }>;

export async function verifyDraw(baseUrl: string, taskId: string, fetchImpl: Fetch = fetch): Promise<VerificationReport> {
  const get = async (path: string) => {
    const response = await fetchImpl(`${baseUrl.replace(/\/$/, '')}${path}`);
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
    return response.text();
  };
  const lines: string[] = [];
  let ok = true;
  const check = (passed: boolean, what: string) => {
    lines.push(`${passed ? 'OK      ' : 'MISMATCH'} ${what}`);
    ok &&= passed;
  };
  const task = JSON.parse(await get(`/public/tasks/${taskId}`));
  lines.push(`task ${task.reference} (${task.id}) "${task.title}", lead ${task.leadDepartment}, status ${task.status}`);
  const poolText = await get(`/public/tasks/${taskId}/pool`);
  const hash = poolHash(poolText);
  check(hash === task.poolHash, `pool hash ${hash} (published ${task.poolHash})`);
  const pool = parseCanonicalPool(poolText);
  check(pool.size === task.poolSize, `pool size ${pool.size} (published ${task.poolSize})`);
  const input = JSON.parse(await get(`/public/tasks/${taskId}/draw-input`)) as PublishedDrawInput;
  check(JSON.stringify(input.ratiosBp) === JSON.stringify(task.ratiosBp), `ratios ${JSON.stringify(input.ratiosBp)}`);
  let list = '';
  for (const round of task.draws as { round: number; seed: string | null; seedCommitment: string; digest: string | null }[]) {
    if (!round.seed) {
      lines.push(`round ${round.round}: seed commitment ${round.seedCommitment}, not drawn yet`);
      continue;
    }
    check(
      seedCommitment(round.seed) === round.seedCommitment,
      `round ${round.round}: SHA-256(seed) is the commitment ${round.seedCommitment}`,
    );
    const outcome = runDraw({ pool, seed: round.seed, ...input });
    check(outcome.digest === round.digest, `round ${round.round}: digest ${outcome.digest} (published ${round.digest})`);
    list = outcome.result;
    if (task.drawnList !== null) {
      const published = await get(`/public/tasks/${taskId}/draws/${round.round}/result`).catch(() => null);
      if (published !== null)
        check(published === list, `round ${round.round}: the published list, line for line (${outcome.targets.length} entities)`);
    }
    lines.push(`round ${round.round}: ${outcome.strata.map((s) => `${s.stratum} ${s.drawn}/${s.poolSize} at ${s.ratioBp} bp`).join(', ')}`);
  }
  return { ok, lines, list };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const urlIndex = args.indexOf('--url');
  const baseUrl = urlIndex >= 0 ? args[urlIndex + 1] : (process.env.INSPECTION_URL ?? 'http://127.0.0.1:3005');
  const taskId = args.find((arg, i) => !arg.startsWith('--') && (urlIndex < 0 || i !== urlIndex + 1));
  if (!taskId) {
    process.stderr.write('usage: npm run verify-draw -- <task id> [--url http://127.0.0.1:3005]\n');
    process.exit(2);
  }
  const report = await verifyDraw(baseUrl, taskId);
  process.stdout.write(`${report.lines.join('\n')}\n\ndrawn list (USCC, stratum, inspectors by department):\n${report.list}`);
  process.stdout.write(report.ok ? '\nverified: the published draw is reproduced exactly\n' : '\nNOT verified: see MISMATCH above\n');
  process.exit(report.ok ? 0 : 1);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`verify-draw: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
