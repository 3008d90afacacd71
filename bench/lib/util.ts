/** Small helpers every bench shares: time, logging, progress lines, percentiles, the abort flag. */

/** Set by SIGINT/SIGTERM: every phase stops at its next step. */
export const run = { aborted: false };

/** A number from the environment, or the fallback. */
export function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got '${raw}'`);
  return value;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();
export const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
export const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toString() : String(n));
export const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;

/** A line on stderr every second while a phase runs. */
export function progress(label: string, status: () => string): () => void {
  const start = now();
  const timer = setInterval(() => log(`${label} ${((now() - start) / 1000).toFixed(1)}s ${status()}`), 1000);
  return () => clearInterval(timer);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

export async function waitUntil(what: string, probe: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (run.aborted) throw new Error(`run.aborted while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
