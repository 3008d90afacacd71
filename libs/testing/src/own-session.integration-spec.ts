import { spawn } from 'node:child_process';
import { dropTestDatabase } from './database';
import { REPO_ROOT, resolveInfra } from './infra';
import { procStat } from './service-process';
import { waitFor } from './wait';

/** A process's state letter, or undefined once it is gone. */
function stateOf(pid: number): string | undefined {
  try {
    return procStat(pid)[0];
  } catch {
    return undefined;
  }
}

describe('a service process in a session of its own (ADR 0130)', () => {
  const databases: string[] = [];

  afterAll(async () => {
    const infra = await resolveInfra();
    for (const database of databases) await dropTestDatabase(infra, database);
  });

  it('runs as a session of its own, as npm start runs it, and is killed when the process that started it exits', async () => {
    // A starter of its own that exits without stopping the service: only ServiceProcess's exit hook stops it.
    const script = `
      const { procStat, TestSystem } = require('./dist/libs/testing/src/index.js');
      const sessionOf = (pid) => Number(procStat(pid)[3]);
      (async () => {
        const system = await TestSystem.start(['credit'], {}, { ownSessions: true });
        const pid = system.service('credit').pid;
        const facts = { pid, session: sessionOf(pid), starterSession: sessionOf('self'), databases: [...system.databases.values()] };
        console.log(JSON.stringify(facts));
        process.exit(0);
      })().catch((error) => {
        console.error(error);
        process.exit(1);
      });`;
    const child = spawn(process.execPath, ['-e', script], { cwd: REPO_ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    const line = out.split('\n').find((l) => l.startsWith('{'));
    const started = line ? (JSON.parse(line) as { pid: number; session: number; starterSession: number; databases: string[] }) : undefined;
    databases.push(...(started?.databases ?? []));
    expect(code).toBe(0);
    if (!started) throw new Error(`the starter printed no facts: ${out}`);

    // A session leader (setsid), not a member of its starter's session.
    expect(started.session).toBe(started.pid);
    expect(started.starterSession).not.toBe(started.pid);
    await waitFor('the service gone with its starter', async () => [undefined, 'Z'].includes(stateOf(started.pid)), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
  }, 240_000);
});
