import { Agent, request as httpRequest } from 'node:http';
import { TEST_CLIENTS, testUscc } from '@backbone/testing';
import { run, sleep } from './util';

/** The agencies' side of a bench: approvals posted over HTTP, with the retries a careful client makes. */

export const APPROVER: keyof typeof TEST_CLIENTS = '320700-APPROVAL';

interface PostResult {
  status: number;
  text: string;
}

export function postJson(agent: Agent, port: number, path: string, apiKey: string, body: string): Promise<PostResult> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-api-key': apiKey },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(30_000, () => req.destroy(new Error('request timed out after 30 s')));
    req.on('error', reject);
    req.end(body);
  });
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

  /** Posts one approval; retries (same application number, so idempotent) on transport errors and 5xx. */
  async submit(agent: Agent, prefix: string, n: number): Promise<void> {
    const body = this.body(prefix, n);
    for (let attempt = 1; ; attempt++) {
      let result: PostResult | undefined;
      try {
        result = await postJson(agent, this.port, '/approvals', TEST_CLIENTS[APPROVER], body);
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
