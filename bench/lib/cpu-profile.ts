/**
 * Preloaded into a service (`NODE_OPTIONS=--require …/cpu-profile.js`, where `--cpu-prof` is not
 * allowed): samples its CPU from start and writes a .cpuprofile (Chrome DevTools, speedscope) into
 * CPU_PROFILE_DIR on SIGUSR2 and at exit, then samples on. A bench sends SIGUSR2 at the end of the phase
 * it wants (Nest re-raises SIGTERM after its shutdown, which ends the process without an exit event).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.CPU_PROFILE_DIR ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: 1000 });
session.post('Profiler.start');

function write(): void {
  // The in-process session answers synchronously, so this works in an exit handler too.
  session.post('Profiler.stop', (error, result) => {
    if (!error) writeFileSync(join(dir, `${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
    session.post('Profiler.start');
  });
}

process.on('SIGUSR2', write);
process.on('exit', write);
