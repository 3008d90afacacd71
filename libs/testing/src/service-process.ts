import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './infra';
import { listensOn } from './listening';
import { waitFor } from './wait';

export type ServiceName = 'approval' | 'supervision' | 'enforcement' | 'credit' | 'inspection' | 'console' | 'integration';

/** The services of the loop (what a TestSystem starts by default); inspection, console and integration join when asked for. */
export const SERVICE_NAMES: readonly ServiceName[] = ['approval', 'supervision', 'enforcement', 'credit'];

/** Every service there is. */
export const ALL_SERVICE_NAMES: readonly ServiceName[] = [...SERVICE_NAMES, 'inspection', 'console', 'integration'];

/**
 * Node flags for a service process, from the environment of whoever starts it (the benches, e2e):
 * - BENCH_CPU_PROF=approval,supervision (or `all`): `--cpu-prof`, one `<service>-<port>-<time>.cpuprofile`
 *   per process in BENCH_PROFILE_DIR (default `.stack/profiles`), written when the service stops
 *   (stop(), not crash()); open it in Chrome DevTools or summarise it with `node dist/bench/lib/cpu-profile.js`.
 *   NODE_OPTIONS cannot carry --cpu-prof, hence this knob.
 * - BENCH_ALLOC_PROF=supervision (or `all`, a list as above): V8's sampling heap profiler, keeping what
 *   the garbage collector freed, one `<service>-<port>-<time>.heapprofile` per process in
 *   BENCH_PROFILE_DIR, written when the service stops (alloc-profile.preload.ts); summarise it with
 *   `node dist/bench/lib/alloc-profile.js`.
 * - BENCH_NODE_ARGS: further flags for every service process, split on spaces (e.g.
 *   `--max-semi-space-size=8`).
 * - BENCH_HEAP_SNAPSHOT=<dir>: `--heapsnapshot-signal=SIGUSR2`, snapshots written into that directory (the
 *   loop bench signals its services once it has read their memory; summarise with
 *   `node dist/bench/lib/heap-snapshot.js`). Without it a SIGUSR2 would end the process.
 */
export function serviceNodeArgs(name: string, port: number, env: NodeJS.ProcessEnv = process.env): string[] {
  const args = (env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  if (env.BENCH_HEAP_SNAPSHOT) {
    mkdirSync(env.BENCH_HEAP_SNAPSHOT, { recursive: true });
    args.push('--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${env.BENCH_HEAP_SNAPSHOT}`);
  }
  if (cpuProfiled(name, env)) {
    const dir = env.BENCH_PROFILE_DIR || join(REPO_ROOT, '.stack', 'profiles');
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}-${port}-${Date.now()}.cpuprofile`);
  }
  if (allocProfiled(name, env)) args.push('--require', join(REPO_ROOT, 'dist/libs/testing/src/alloc-profile.preload.js'));
  if (profiled(name, env)) args.push('--require', join(REPO_ROOT, 'dist/libs/testing/src/exit-after-shutdown.preload.js'));
  return args;
}

/**
 * The environment a service process starts with: the launcher's defaults (MALLOC_ARENA_MAX=2: glibc keeps
 * two malloc arenas instead of up to eight per core, ADR 0091; npm start and the image set it too), then
 * the environment of whoever starts it (which may set them otherwise), then the service's own settings.
 */
export function serviceEnv(own: Record<string, string>, port: number, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...SERVICE_PROCESS_DEFAULTS, ...env, ...own, PORT: String(port) };
}

/** What every launcher of a service sets unless told otherwise (deploy/local/start.sh, deploy/docker/Dockerfile). */
export const SERVICE_PROCESS_DEFAULTS: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/**
 * The file a service process runs: `serve.js`, the service bundled into one file with its V8 code cache
 * (scripts/bundle-services.mjs, ADR 0032), as `npm start` and the image run it; tsc's unbundled `main.js`
 * when the process is profiled (BENCH_CPU_PROF, BENCH_ALLOC_PROF), so that the profile names each package's code.
 */
export function serviceEntryPoint(name: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(REPO_ROOT, 'dist/services', name, 'src', profiled(name, env) ? 'main.js' : 'serve.js');
}

/** A knob's list (`approval,supervision`) names the service, or says `all`. */
function named(list: string | undefined, name: string): boolean {
  const names = (list ?? '').split(',').map((s) => s.trim());
  return names.includes(name) || names.includes('all');
}

const cpuProfiled = (name: string, env: NodeJS.ProcessEnv) => named(env.BENCH_CPU_PROF, name);
const allocProfiled = (name: string, env: NodeJS.ProcessEnv) => named(env.BENCH_ALLOC_PROF, name);
const profiled = (name: string, env: NodeJS.ProcessEnv) => cpuProfiled(name, env) || allocProfiled(name, env);

/** Processes started in sessions of their own: killed when this process exits, as nothing else would stop them. */
const ownSessionChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const orphan of ownSessionChildren) orphan.kill('SIGKILL');
});

/**
 * The fields of a process's /proc/<pid>/stat (Linux) after its command name, which may hold spaces: [0] is
 * its state, [3] its session, [11] and [12] its user and system CPU in clock ticks, [16] its nice value.
 */
export function procStat(pid: number | 'self'): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
}

/** A service running as its own OS process from the build output (`npm run build`). */
export class ServiceProcess {
  private child?: ChildProcess;
  private log?: WriteStream;
  /** The process is being killed or stopped on purpose (crash(), stop()): its exit is expected. */
  private signalled = false;
  /** Exits nobody asked for (the process died by itself: an unhandled error, say), with their code or signal. */
  readonly unexpectedExits: string[] = [];
  /** Called when the process exits by itself (not by crash() or stop()). */
  onUnexpectedExit?: (why: string) => void;
  readonly logFile: string;
  /** How long start() waits for /health (longer on a loaded machine: SERVICE_START_TIMEOUT_MS). */
  startTimeoutMs = Number(process.env.SERVICE_START_TIMEOUT_MS) || 180_000;

  /**
   * @param ownSession start the process in a session of its own, as `npm start` does (`setsid`), rather than in
   * this one. Linux's autogroup scheduling shares the CPU out between sessions first, so the benches use it: a
   * service then competes for a core as under `npm start`, not inside the bench's session, beside the bench's
   * own client at a higher priority (ADR 0130). A test keeps its processes in its own session, where a Ctrl-C
   * at the terminal reaches them too.
   */
  constructor(
    readonly name: ServiceName,
    readonly port: number,
    private readonly env: Record<string, string>,
    logDir = join(REPO_ROOT, '.stack', 'logs', 'tests'),
    readonly ownSession = false,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.logFile = join(logDir, `${name}-${port}.log`);
  }

  /** Another instance of the same service (same database, same consumer group), on another port; `env` overrides. */
  replica(port: number, instance: string, env: Record<string, string> = {}): ServiceProcess {
    return new ServiceProcess(this.name, port, { ...this.env, SERVICE_INSTANCE: instance, ...env }, dirname(this.logFile), this.ownSession);
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Spawns the process and waits until it is ready (`/health` 200: its database and Kafka answer), or
   * with `until: 'live'` only until it answers at all (`/health/live`: for a start while a dependency is down).
   */
  async start({ until = 'ready' }: { until?: 'ready' | 'live' } = {}): Promise<void> {
    this.log ??= createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, [...serviceNodeArgs(this.name, this.port), serviceEntryPoint(this.name)], {
      env: serviceEnv(this.env, this.port),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: this.ownSession,
    });
    if (this.ownSession) {
      ownSessionChildren.add(child);
      child.once('exit', () => ownSessionChildren.delete(child));
    }
    child.stdout?.pipe(this.log, { end: false });
    child.stderr?.pipe(this.log, { end: false });
    this.child = child;
    this.signalled = false;
    let exited: string | undefined;
    child.once('exit', (code, signal) => {
      exited = `exited with ${code ?? signal}`;
      if (this.signalled || this.child !== child) return;
      this.unexpectedExits.push(exited);
      this.onUnexpectedExit?.(exited);
    });
    await waitFor(
      `${this.name} to be ${until} on ${this.url} (log: ${this.logFile})`,
      async () => {
        if (exited) throw new Error(`${this.name} ${exited}; see ${this.logFile}`);
        const response = await fetch(`${this.url}${until === 'ready' ? '/health' : '/health/live'}`);
        // The answer counts only if this process is the one listening on the port (listening.ts).
        return response.ok && listensOn(child.pid as number, this.port) !== false;
      },
      { timeoutMs: this.startTimeoutMs, intervalMs: 200 },
    );
  }

  /**
   * CPU time (user + system) the running process has used so far, in ms (Linux: /proc). What a boot
   * costs, whatever the machine's load: its wall time is this plus the waiting for a core.
   */
  cpuTimeMs(): number {
    if (!this.pid) throw new Error(`${this.name} is not running`);
    const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const fields = procStat(this.pid);
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  }

  /** The nice value of the process's main thread (Linux: /proc), which it lowers once it listens (ADR 0032). */
  niceValue(): number {
    if (!this.pid) throw new Error(`${this.name} is not running`);
    return Number(procStat(this.pid)[16]);
  }

  /** kill -9: no shutdown hooks, no flushing, no goodbye. */
  async crash(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /**
   * SIGTERM: the service shuts down gracefully (leaves its consumer group, finishes what it holds).
   * One that has not exited after `graceMs` is killed. Returns how it ended: 'stopped' (by itself),
   * 'killed' (after the grace period) or 'not running'.
   */
  async stop({ graceMs = 15_000 }: { graceMs?: number } = {}): Promise<'stopped' | 'killed' | 'not running'> {
    return this.signal('SIGTERM', graceMs);
  }

  private async signal(signal: NodeJS.Signals, graceMs = 15_000): Promise<'stopped' | 'killed' | 'not running'> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return 'not running';
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.signalled = true;
    child.kill(signal);
    let killed = false;
    const timer = setTimeout(() => {
      killed = signal !== 'SIGKILL';
      child.kill('SIGKILL');
    }, graceMs);
    await exited;
    clearTimeout(timer);
    this.child = undefined;
    return killed ? 'killed' : 'stopped';
  }
}
