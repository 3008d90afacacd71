import { Pool } from 'undici';
import { TEST_CLIENTS, testUscc } from '@backbone/testing';
import { run, sleep } from './util';

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
}
