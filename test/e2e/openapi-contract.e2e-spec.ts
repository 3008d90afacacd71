import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_SERVICE_NAMES, REPO_ROOT, ServiceName, TEST_CLIENTS, TestSystem } from '@backbone/testing';

/** Installed by scripts/test-tools.sh (a virtual environment with the pinned version from PyPI). */
const SCHEMATHESIS = join(REPO_ROOT, '.stack/tools/schemathesis/bin/schemathesis');
const HERE = join(REPO_ROOT, 'test/e2e/schemathesis');
/** Test cases per operation and phase: enough for the coverage phase's boundaries, small enough for a few minutes in all. */
const MAX_EXAMPLES = process.env.SCHEMATHESIS_MAX_EXAMPLES ?? '3';
const CALLER = 'PLATFORM-OPS' as const;

/**
 * The caller holds every role of every service, so that generated requests reach the handlers and
 * not only the role check (which roles hold which routes is the authorization matrix's business).
 */
const EVERY_ROLE: Partial<Record<ServiceName, Record<string, string>>> = {
  approval: { APPROVER_DEPARTMENTS: `320700-APPROVAL,${CALLER}` },
  supervision: { REGULATOR_DEPARTMENTS: `320700-SAMR,${CALLER}`, REGISTRATION_DEPARTMENTS: `320700-SAMR,${CALLER}` },
  enforcement: {
    ENFORCEMENT_DEPARTMENTS: `320700-SAMR,${CALLER}`,
    LEGAL_REVIEW_DEPARTMENTS: `320700-LEGAL,${CALLER}`,
    HOTLINE_DEPARTMENTS: `320700-HOTLINE,${CALLER}`,
  },
  credit: { CREDIT_AUTHORITY_DEPARTMENTS: `CREDIT-AUTHORITY,${CALLER}`, REPAIR_APPLICANT_DEPARTMENTS: `320700-SAMR,${CALLER}` },
  inspection: { INSPECTING_DEPARTMENTS: `320700-SAMR,${CALLER}` },
  // the hosts the hook generates webhook URLs under (hooks.py), so that subscriptions are made, not only refused
  integration: { WEBHOOK_ALLOWED_HOSTS: '*.example.gov.cn' },
};

interface Run {
  code: number | null;
  output: string;
}

function schemathesis(url: string): Promise<Run> {
  const args = [
    '--config-file',
    join(HERE, 'schemathesis.toml'),
    'run',
    `${url}/api/docs-json`,
    '--url',
    url,
    '--checks',
    'all',
    '--max-examples',
    MAX_EXAMPLES,
    '--seed',
    process.env.SCHEMATHESIS_SEED ?? '1',
    '--header',
    `x-api-key: ${TEST_CLIENTS[CALLER]}`,
    '--workers',
    '1',
    '--no-shrink',
    '--output-truncate',
    'true',
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(SCHEMATHESIS, args, {
      env: { ...process.env, SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: HERE, NO_COLOR: '1', COLUMNS: '120' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The failure lines of Schemathesis' summary (`❌ ST202 Schema-valid request rejected: 2`). */
function failureLines(output: string): string[] {
  const summary = output.slice(output.lastIndexOf('SUMMARY'));
  return summary.split('\n').filter((line) => /^\s*❌\s+ST\d+/.test(line) || /Errors?:/.test(line));
}

/** Runs work given to it at most two at a time, in the order given. */
function twoAtATime(): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (work) => {
    if (running === 2) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

/**
 * Every service's OpenAPI document is a contract an agency can generate a client from: Schemathesis
 * (all checks: server errors, undocumented statuses and content types, schema-valid requests
 * refused, schema-violating ones accepted, authentication ignored, methods not allowed) finds nothing.
 */
describe('the OpenAPI documents (Schemathesis, all checks)', () => {
  let system: TestSystem;
  const runs = new Map<ServiceName, Promise<Run>>();

  beforeAll(async () => {
    if (!existsSync(SCHEMATHESIS)) throw new Error(`${SCHEMATHESIS} is missing: run bash scripts/test-tools.sh`);
    system = await TestSystem.start(ALL_SERVICE_NAMES, EVERY_ROLE);
    // Two services at a time, the next starting when one finishes (a run is one Schemathesis process and
    // one service busy): one after another, the seven took about four minutes of a CI run.
    const turns = twoAtATime();
    for (const name of ALL_SERVICE_NAMES) {
      const run = turns(() => schemathesis(system.service(name).url));
      run.catch(() => undefined); // awaited by its test; not an unhandled rejection meanwhile
      runs.set(name, run);
    }
  });

  afterAll(async () => {
    await Promise.allSettled(runs.values());
    await system?.stop();
  });

  it.each(ALL_SERVICE_NAMES)('%s: Schemathesis reports no failure', async (name) => {
    const run = await (runs.get(name) as Promise<Run>);
    const failures = failureLines(run.output);
    if (run.code !== 0 || failures.length > 0) {
      // The whole report names each failing operation, the check and a curl to reproduce it.
      process.stdout.write(`\n--- Schemathesis on ${name} ---\n${run.output}\n`);
    }
    expect({ exitCode: run.code, failures }).toEqual({ exitCode: 0, failures: [] });
  });
});
