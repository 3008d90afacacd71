import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { StopSignal, STOPPED } from './stop-signal';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const nextTask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * One consumed chunk as the inbox handles it: work whose scope holds the chunk (a large object here),
 * raced against the stop. Answers a weak reference to what the scope held.
 */
async function chunkRacedWith(signal: StopSignal): Promise<WeakRef<object>> {
  const chunk = { messages: Buffer.alloc(1024 * 1024) };
  const work = (async () => chunk.messages.length)();
  expect(await signal.race(work)).toBe(1024 * 1024);
  return new WeakRef(chunk);
}

/** The same with `Promise.race` against a promise that settles at the stop (what the inbox did before). */
async function chunkRacedAgainst(whenStopped: Promise<void>): Promise<WeakRef<object>> {
  const chunk = { messages: Buffer.alloc(1024 * 1024) };
  const work = (async () => chunk.messages.length)();
  expect(await Promise.race([work, whenStopped.then(() => STOPPED)])).toBe(1024 * 1024);
  return new WeakRef(chunk);
}

describe('StopSignal', () => {
  it("answers the work's result while not stopped, and keeps no waiter once the work settled", async () => {
    const signal = new StopSignal();
    await expect(signal.race(Promise.resolve('applied'))).resolves.toBe('applied');
    await expect(signal.race(Promise.reject(new Error('handler failed')))).rejects.toThrow('handler failed');
    expect(signal.waiting).toBe(0);
  });

  it('ends a race in flight with STOPPED when stopped, and every later race at once until reset', async () => {
    const signal = new StopSignal();
    let finish!: (value: string) => void;
    const racing = signal.race(new Promise<string>((resolve) => (finish = resolve)));
    expect(signal.waiting).toBe(1);
    signal.stop();
    await expect(racing).resolves.toBe(STOPPED);
    expect(signal.waiting).toBe(0);
    finish('too late');

    const failing = Promise.reject(new Error('rolled back'));
    await expect(signal.race(failing)).resolves.toBe(STOPPED); // and the abandoned failure is not unhandled
    signal.reset();
    await expect(signal.race(Promise.resolve('applied'))).resolves.toBe('applied');
  });

  it("lets the work's scope be collected after each race while the stop never comes (the inbox's consumed batches)", async () => {
    const signal = new StopSignal();
    const refs: Array<WeakRef<object>> = [];
    for (let i = 0; i < 5; i++) refs.push(await chunkRacedWith(signal));
    await nextTask();
    gc();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(0);
    expect(signal.waiting).toBe(0);
  });

  it('is needed: racing against one pending promise keeps every call’s scope until it settles', async () => {
    let stop!: () => void;
    const whenStopped = new Promise<void>((resolve) => (stop = resolve));
    const refs: Array<WeakRef<object>> = [];
    for (let i = 0; i < 5; i++) refs.push(await chunkRacedAgainst(whenStopped));
    await nextTask();
    gc();
    expect(refs.filter((ref) => ref.deref() !== undefined)).toHaveLength(5);
    stop();
  });
});
