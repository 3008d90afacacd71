import { addSample, describeRunnable, procsRunning, RunnableCounts, RunnableSampler, statState } from './runnable';

describe('runnable main threads (ADR 0121)', () => {
  it('reads procs_running from /proc/stat', () => {
    expect(procsRunning('cpu  1 2 3 4\ncpu0 1 2 3 4\nctxt 99\nprocs_running 3\nprocs_blocked 0\n')).toBe(3);
    expect(() => procsRunning('cpu  1 2 3 4\n')).toThrow('/proc/stat has no procs_running line');
  });

  it("reads a thread's state after its name, whatever the name holds", () => {
    expect(statState('4242 (node) R 1 4242 4242 0 -1')).toBe('R');
    expect(statState('4243 (postgres: x (y) idle) S 1 2 3')).toBe('S');
  });

  it('counts each main thread runnable in all samples and in those with a core free', () => {
    const counts: RunnableCounts = { samples: 0, coreFree: 0, runnable: new Map() };
    const states = (approval: string, supervision: string) =>
      new Map([
        ['approval', approval],
        ['supervision', supervision],
      ]);
    addSample(counts, 3, 2, states('R', 'R'));
    addSample(counts, 1, 2, states('R', 'S'));
    addSample(counts, 0, 2, states('S', 'S'));
    addSample(counts, 2, 2, states('R', 'D'));
    expect(counts.samples).toBe(4);
    expect(counts.coreFree).toBe(2);
    expect(counts.runnable.get('approval')).toEqual({ all: 3, whenFree: 1 });
    expect(counts.runnable.get('supervision')).toEqual({ all: 1, whenFree: 0 });
    expect(describeRunnable(counts, 25)).toBe(
      'main thread runnable (4 samples at 25/s while sending): approval 75 %, supervision 25 %; ' +
        'a core free in 50 % of them, and then runnable: approval 50 %, supervision 0 %',
    );
  });

  it('says n/a for a share of no samples', () => {
    const counts: RunnableCounts = { samples: 0, coreFree: 0, runnable: new Map([['approval', { all: 0, whenFree: 0 }]]) };
    expect(describeRunnable(counts, 25)).toBe(
      'main thread runnable (0 samples at 25/s while sending): approval n/a; a core free in n/a of them, and then runnable: approval n/a',
    );
  });

  it('reads /proc: the sampling thread reads itself as running in every sample', async () => {
    const sampler = new RunnableSampler({ self: process.pid }, 2, 100);
    sampler.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const line = sampler.stop();
    const match = /\((\d+) samples at 100\/s while sending\): self (\d+) %;/.exec(line);
    expect(match).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThan(5);
    expect(Number(match?.[2])).toBe(100);
  });
});
