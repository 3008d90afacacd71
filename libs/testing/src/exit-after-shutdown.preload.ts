/**
 * Preloaded (`node --require`) into a service process started with BENCH_CPU_PROF. A service ends its
 * graceful stop with a normal exit (runService's stopService), which writes the `--cpu-prof` profile; a
 * death by signal writes none. Should a second SIGTERM come while the first stop still runs, this
 * listener ends the process normally, so the profile of a stop that hangs is written too.
 */
let terms = 0;
process.on('SIGTERM', () => {
  if (++terms > 1) process.exit(0);
});
