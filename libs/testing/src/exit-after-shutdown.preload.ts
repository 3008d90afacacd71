/**
 * Preloaded (`node --require`) into a service process started with BENCH_CPU_PROF. Nest's shutdown
 * hook handles SIGTERM, closes the app and then raises SIGTERM again to die by it; a death by signal
 * writes no `--cpu-prof` profile. This listener turns that second SIGTERM into a normal exit, which does.
 */
let terms = 0;
process.on('SIGTERM', () => {
  if (++terms > 1) process.exit(0);
});
