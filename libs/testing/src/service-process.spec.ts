import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { serviceEntryPoint, serviceEnv, serviceNodeArgs } from './service-process';

describe('serviceNodeArgs (the profiling knobs of a service process)', () => {
  const dir = join(tmpdir(), 'service-process-spec');

  it('adds nothing without the knobs', () => {
    expect(serviceNodeArgs('approval', 3001, {})).toEqual([]);
  });

  it('profiles the services BENCH_CPU_PROF names, into BENCH_PROFILE_DIR, and exits normally after shutdown', () => {
    const args = serviceNodeArgs('approval', 3001, { BENCH_CPU_PROF: 'approval, supervision', BENCH_PROFILE_DIR: dir });
    expect(args).toEqual(
      expect.arrayContaining([
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        expect.stringMatching(/^--cpu-prof-name=approval-3001-\d+\.cpuprofile$/),
      ]),
    );
    expect(args[args.indexOf('--require') + 1]).toMatch(/exit-after-shutdown\.preload\.js$/);
    expect(serviceNodeArgs('credit', 3004, { BENCH_CPU_PROF: 'approval,supervision', BENCH_PROFILE_DIR: dir })).toEqual([]);
    expect(serviceNodeArgs('credit', 3004, { BENCH_CPU_PROF: 'all', BENCH_PROFILE_DIR: dir })).toContain('--cpu-prof');
  });

  it('samples the allocations of the services BENCH_ALLOC_PROF names, from their unbundled code, and exits normally after shutdown', () => {
    const args = serviceNodeArgs('supervision', 3002, { BENCH_ALLOC_PROF: 'supervision' });
    const preloads = args.flatMap((arg, i) => (args[i - 1] === '--require' ? [arg] : []));
    expect(preloads).toEqual([
      expect.stringMatching(/alloc-profile\.preload\.js$/),
      expect.stringMatching(/exit-after-shutdown\.preload\.js$/),
    ]);
    expect(args).not.toContain('--cpu-prof');
    expect(serviceEntryPoint('supervision', { BENCH_ALLOC_PROF: 'supervision' })).toMatch(/services\/supervision\/src\/main\.js$/);
    expect(serviceEntryPoint('supervision', {})).toMatch(/services\/supervision\/src\/serve\.js$/);
    expect(serviceNodeArgs('approval', 3001, { BENCH_ALLOC_PROF: 'supervision' })).toEqual([]);
    const both = serviceNodeArgs('approval', 3001, { BENCH_ALLOC_PROF: 'all', BENCH_CPU_PROF: 'all', BENCH_PROFILE_DIR: dir });
    expect(both.filter((arg) => arg.endsWith('exit-after-shutdown.preload.js'))).toHaveLength(1);
    expect(both).toContain('--cpu-prof');
  });

  it('passes BENCH_NODE_ARGS to every service', () => {
    expect(serviceNodeArgs('credit', 3004, { BENCH_NODE_ARGS: ' --heapsnapshot-signal=SIGUSR2  --max-semi-space-size=8' })).toEqual([
      '--heapsnapshot-signal=SIGUSR2',
      '--max-semi-space-size=8',
    ]);
  });
});

describe('serviceEnv (the environment a service process starts with)', () => {
  it("keeps glibc to two malloc arenas unless the starter's environment says otherwise, and gives the service its port", () => {
    expect(serviceEnv({ LOG_LEVEL: 'warn' }, 3002, { PATH: '/bin' })).toEqual({
      MALLOC_ARENA_MAX: '2',
      PATH: '/bin',
      LOG_LEVEL: 'warn',
      PORT: '3002',
    });
    expect(serviceEnv({}, 3002, { MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });

  it("lets the service's own settings win over the starter's environment, and the port over both", () => {
    expect(serviceEnv({ LOG_LEVEL: 'warn', PORT: '1' }, 3002, { LOG_LEVEL: 'debug', PORT: '2' })).toMatchObject({
      LOG_LEVEL: 'warn',
      PORT: '3002',
    });
  });
});
