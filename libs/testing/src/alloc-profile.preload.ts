/**
 * Preloaded (`node --require`) into a service process started with BENCH_ALLOC_PROF. It starts V8's
 * sampling heap profiler before the service's first line and keeps the samples of objects the garbage
 * collector has freed since, so the profile says what the service allocates (what its collections pay
 * for), not only what it still holds at the end, as `--heap-prof` does. The profile is written when the
 * process exits normally (a graceful stop) as `<service>-<port>-<time>.heapprofile` in BENCH_PROFILE_DIR
 * (default `.stack/profiles`). Open it in Chrome DevTools (Memory) or summarise it with
 * `node dist/bench/lib/alloc-profile.js`. BENCH_ALLOC_PROF_INTERVAL sets the mean bytes between samples
 * (32768). BENCH_ALLOC_PROF_SURVIVORS=1 leaves out what the young generation's collections freed: the
 * profile then says what lived long enough to be promoted to the old generation, what its major
 * collections pay for (ADR 0117).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join, resolve } from 'node:path';

const dir = process.env.BENCH_PROFILE_DIR || resolve(__dirname, '../../../..', '.stack', 'profiles');
// The entry point is dist/services/<service>/src/main.js.
const service = basename(dirname(dirname(process.argv[1] ?? 'unknown/unknown/main.js')));
const session = new Session();
session.connect();
session.post('HeapProfiler.startSampling', {
  samplingInterval: Number(process.env.BENCH_ALLOC_PROF_INTERVAL) || 32768,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: !process.env.BENCH_ALLOC_PROF_SURVIVORS,
} as { samplingInterval: number });
process.on('exit', () => {
  // The inspector answers a session of the same thread synchronously: the file is written before the exit.
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) return;
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${service}-${process.env.PORT ?? 0}-${Date.now()}.heapprofile`), JSON.stringify(result.profile));
  });
});
