import { Pool } from 'undici';
import { TEST_CLIENTS, testUscc } from '@backbone/testing';
import { medianStall, type PressureBySecond } from './pressure';
import { log, now, percentile, progress, run, sleep } from './util';

/**
 * The agencies' side of a bench: approvals posted over HTTP, with the retries a careful client makes.
 * The client is undici's connection pool, not Node's `http.request`: the bench shares the two cores with
 * what it measures, and undici spends about 95 µs of CPU a request where `http.request` spent 155–195
 * (ADR 0100). Neither the requests nor what the services do with them change.
 */

export const APPROVER: keyof typeof TEST_CLIENTS = '320700-APPROVAL';

interface PostResult {
  status: number;
  text: string;
}

export async function postJson(pool: Pool, path: string, apiKey: string, body: string): Promise<PostResult> {
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body,
  });
  return { status: response.statusCode, text: await response.body.text() };
}

export class Approvals {
  accepted = 0;
  retries = 0;
  lastError = '';
  private readonly entities: number;

  constructor(
    private readonly port: number,
    private readonly random: () => number,
    entities = 20_000,
  ) {
    this.entities = entities;
  }

  body(prefix: string, n: number): string {
    return JSON.stringify({
      applicationNumber: `${prefix}-${n}`,
      uscc: testUscc(1_000_000 + Math.floor(this.random() * this.entities)),
      entityName: `连云港基准测试${n}号食品有限公司`,
      itemCode: 'FOOD-BUSINESS-LICENCE',
      regionCode: '320703',
      kind: 'licence',
      outcome: 'granted',
      licenceNumber: `JY1320703${prefix}${String(n).padStart(8, '0')}`,
    });
  }

  /** Keep-alive connections to approval (or to another approval process's `port`), for up to `connections` requests in flight. */
  pool(connections: number, port = this.port): Pool {
    return new Pool(`http://127.0.0.1:${port}`, { connections, headersTimeout: 30_000, bodyTimeout: 30_000 });
  }

  /** Posts one approval; retries (same application number, so idempotent) on transport errors and 5xx. */
  async submit(pool: Pool, prefix: string, n: number): Promise<void> {
    const body = this.body(prefix, n);
    for (let attempt = 1; ; attempt++) {
      let result: PostResult | undefined;
      try {
        result = await postJson(pool, '/approvals', TEST_CLIENTS[APPROVER], body);
      } catch (error) {
        this.lastError = (error as Error).message;
      }
      if (result && (result.status === 201 || result.status === 200)) {
        this.accepted++;
        return;
      }
      if (result) {
        this.lastError = `HTTP ${result.status}: ${result.text.slice(0, 300)}`;
        if (result.status < 500) throw new Error(`POST /approvals ${prefix}-${n} rejected: ${this.lastError}`);
      }
      if (attempt >= 8 || run.aborted) throw new Error(`POST /approvals ${prefix}-${n} failed ${attempt} times: ${this.lastError}`);
      this.retries++;
      await sleep(50 * 2 ** Math.min(attempt, 5));
    }
  }

  /**
   * Posts `planned` approvals at `rate` a second in an open loop, over `pools` in turn: each goes when it is
   * due whatever the answers, and its time is counted from then (no coordinated omission; `late` says how late
   * the bench itself sent it). When more than `maxInFlight` wait, the system fell behind and an open loop
   * would measure only its own queue: it stops sending and says so in `fellBehind`. Throws the first failure.
   */
  async openLoop(
    pools: readonly Pool[],
    prefix: string,
    rate: number,
    planned: number,
    options: { label: string; maxInFlight: number; status?: (sent: number) => string },
  ): Promise<OpenLoop> {
    const ms: number[] = [];
    const dueAt: number[] = [];
    const late: number[] = [];
    const inflight = new Set<Promise<void>>();
    let failure: unknown;
    let issued = 0;
    let fellBehind: OpenLoop['fellBehind'];
    const start = now();
    const stop = progress(options.label, () => `${options.status?.(issued) ?? `sent ${issued}`} in flight ${inflight.size}`);
    try {
      while (issued < planned && !run.aborted && !failure) {
        const due = Math.min(planned, Math.floor(((now() - start) / 1000) * rate) + 1);
        while (issued < due) {
          const n = issued++;
          const scheduled = start + (n / rate) * 1000;
          late.push(now() - scheduled);
          const request = this.submit(pools[n % pools.length], prefix, n)
            .then(() => {
              ms.push(now() - scheduled);
              dueAt.push(scheduled - start);
            })
            .catch((error: unknown) => void (failure ??= error))
            .finally(() => inflight.delete(request));
          inflight.add(request);
        }
        if (inflight.size > options.maxInFlight) {
          fellBehind = { issued, planned };
          log(`${options.label}: ${inflight.size} requests in flight, the system fell behind ${rate}/s; stopped sending after ${issued}`);
          break;
        }
        await sleep(2);
      }
      await Promise.all(inflight);
    } finally {
      stop();
    }
    if (failure) throw failure;
    return { ms, dueAt, late, sent: issued, fellBehind, seconds: (now() - start) / 1000 };
  }
}

/** What an open loop sent and how each request fared. */
export interface OpenLoop {
  /** Each answered request's time from when it was due (ms), in the order of the answers (read-only: `dueAt` pairs with it). */
  ms: readonly number[];
  /** When each answered request was due (ms from the start), in the same order as `ms`. */
  dueAt: readonly number[];
  /** How late the bench itself sent each request (ms after it was due), in the order sent. */
  late: number[];
  sent: number;
  fellBehind?: { issued: number; planned: number };
  seconds: number;
}

/**
 * When an open loop's slow requests were due, a second at a time, and how late the bench itself sent:
 * `37 over 50 ms, due in second 0: 30, 12: 7; the bench sent p50/p99/max 0.4/2.1/9.0 ms late`. A stall
 * shows as one second's crowd, a steady tail as a few in every second.
 */
export function describeSlow(loop: Pick<OpenLoop, 'ms' | 'dueAt' | 'late'>, overMs: number): string {
  const bySecond = slowBySecond(loop, overMs);
  let slow = 0;
  for (const n of bySecond.values()) slow += n;
  const seconds = [...bySecond].map(([second, n]) => `${second}: ${n}`);
  const late = [...loop.late].sort((a, b) => a - b);
  const at = (p: number) => percentile(late, p).toFixed(1);
  return (
    `${slow} over ${overMs} ms${slow ? `, due in second ${seconds.join(', ')}` : ''}; ` +
    `the bench sent p50/p99/max ${at(0.5)}/${at(0.99)}/${at(1)} ms late`
  );
}

/** A second of an open loop in which a crowd of its slow requests was due (ADR 0132). */
export interface Crowd {
  second: number;
  /** Its requests over the goal. */
  slow: number;
  /** How long some task waited for a core and for the disk in that second (ms), when the phase had a pressure probe. */
  stall?: { cpu: number; io: number };
}

/** Where an open loop's requests over a goal came from: a few seconds' crowds, or every second (ADR 0132). */
export interface Tail {
  /** Requests over the goal. */
  slow: number;
  /** The seconds holding at least a fifth of them (and at least `CROWD_MIN`), most first. */
  crowds: Crowd[];
  /** The phase's median stall a second (ms), when it had a pressure probe. */
  medianStall?: { cpu: number; io: number };
  /** The p99 (ms) of the requests due outside the crowds' seconds; the phase's own p99 when there is no crowd. */
  p99Outside: number;
}

/** Fewer slow requests than this in one second are not called a crowd, whatever their share. */
export const CROWD_MIN = 10;

/**
 * The tail of an open loop over `overMs`: the seconds it came in (a crowd: a fifth of the slow requests or
 * more), what the kernel's pressure probe saw in them and in the phase's median second, and the p99 of the
 * requests due in the other seconds. A stall shows as a crowd, a steady tail as none.
 */
export function tailOf(loop: Pick<OpenLoop, 'ms' | 'dueAt'>, overMs: number, pressure?: PressureBySecond): Tail {
  const bySecond = slowBySecond(loop, overMs);
  let slow = 0;
  for (const n of bySecond.values()) slow += n;
  const crowds: Crowd[] = [...bySecond]
    .filter(([, n]) => n >= CROWD_MIN && n * 5 >= slow)
    .sort(([a, n], [b, m]) => m - n || a - b)
    .map(([second, n]) => {
      const stall = pressure?.get(second);
      return { second, slow: n, ...(stall ? { stall: { cpu: stall.cpu, io: stall.io } } : {}) };
    });
  const crowded = new Set(crowds.map(({ second }) => second));
  const outside: number[] = [];
  for (let i = 0; i < loop.ms.length; i++) if (!crowded.has(Math.floor(loop.dueAt[i] / 1000))) outside.push(loop.ms[i]);
  outside.sort((a, b) => a - b);
  return {
    slow,
    crowds,
    ...(pressure && pressure.size > 0 ? { medianStall: medianStall(pressure) } : {}),
    p99Outside: outside.length ? percentile(outside, 0.99) : 0,
  };
}

/** How many of an open loop's requests over `overMs` were due in each second from its start, in time order. */
export function slowBySecond(loop: Pick<OpenLoop, 'ms' | 'dueAt'>, overMs: number): Map<number, number> {
  const bySecond = new Map<number, number>();
  for (let i = 0; i < loop.ms.length; i++) {
    if (loop.ms[i] <= overMs) continue;
    const second = Math.floor(loop.dueAt[i] / 1000);
    bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
  }
  return new Map([...bySecond].sort(([a], [b]) => a - b));
}
