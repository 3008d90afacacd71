import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './infra';
import { freePort } from './free-port';
import { waitFor } from './wait';

/** Every prefix the gateway routes (deploy/gateway/backbone.conf), each to one upstream. */
export const GATEWAY_ROUTES = ['approval', 'supervision', 'enforcement', 'credit', 'inspection', 'console', 'integration'] as const;
export type GatewayRoute = (typeof GATEWAY_ROUTES)[number];

/** The nginx binary from Debian's package (deploy/local/stack.sh gateway-up installs it). */
export function nginxBinary(): string {
  for (const candidate of ['/usr/sbin/nginx', '/usr/bin/nginx']) if (existsSync(candidate)) return candidate;
  try {
    return execFileSync('sh', ['-c', 'command -v nginx'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nginx is not installed: run `bash deploy/local/stack.sh gateway-up` once (it installs the Debian package)');
  }
}

/**
 * The real gateway for an end-to-end test: nginx with the repository's configuration
 * (deploy/gateway/nginx.conf and backbone.conf, unchanged but for the listening port and the
 * upstreams file), routing to the test system's service processes. Routes without a service answer 503.
 */
export class GatewayProcess {
  private child?: ChildProcess;

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get accessLog(): string {
    return join(this.dir, 'logs', 'access.log');
  }

  /** The access log, one JSON object per request. */
  accessLogEntries(): Record<string, unknown>[] {
    if (!existsSync(this.accessLog)) return [];
    return readFileSync(this.accessLog, 'utf8')
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  static async start(upstreams: Partial<Record<GatewayRoute, string>>): Promise<GatewayProcess> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'backbone-gateway-'));
    // nginx's workers run as an unprivileged user when the tests run as root: they must reach tmp/
    chmodSync(dir, 0o755);
    for (const sub of ['run', 'logs', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
    const source = join(REPO_ROOT, 'deploy', 'gateway');
    const unused = await freePort();
    const upstreamLines = GATEWAY_ROUTES.map((route) => {
      const target = upstreams[route] ? new URL(upstreams[route]).host : `127.0.0.1:${unused}`;
      return `upstream backbone_${route} { server ${target}; keepalive 4; }`;
    });
    writeFileSync(join(dir, 'upstreams.conf'), `${upstreamLines.join('\n')}\n`);
    const routes = readFileSync(join(source, 'backbone.conf'), 'utf8');
    if (!routes.includes('listen 8080;'))
      throw new Error('deploy/gateway/backbone.conf no longer listens on 8080: update the test gateway');
    writeFileSync(join(dir, 'backbone.conf'), routes.replace('listen 8080;', `listen 127.0.0.1:${port};`));
    const main = readFileSync(join(source, 'nginx.conf'), 'utf8');
    if (!main.includes('include upstreams.local.conf;')) throw new Error('deploy/gateway/nginx.conf changed its upstream include');
    writeFileSync(join(dir, 'nginx.conf'), main.replace('include upstreams.local.conf;', 'include upstreams.conf;'));

    const gateway = new GatewayProcess(port, dir);
    const child = spawn(nginxBinary(), ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exited: string | undefined;
    child.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}: ${stderr}`));
    gateway.child = child;
    await waitFor(`the gateway on ${gateway.url}`, async () => {
      if (exited) throw new Error(`nginx ${exited}`);
      return (await fetch(`${gateway.url}/health`)).ok;
    });
    return gateway;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
