/**
 * Names the network connections a test file left open, and closes what is still open when the run ends.
 *
 * The integration and end-to-end tiers run in band, in jest's own process. A Kafka or PostgreSQL
 * connection that a spec, or a service it stopped, never closed keeps that process alive after the last
 * test until the server drops it as idle: Kafka's connections.max.idle.ms is 10 minutes, and a CI run once
 * waited exactly that long after the integration tier ("Jest did not exit one second after the test run
 * has completed"). This reporter makes such a leak visible and keeps it from costing the run its time:
 *   - after each test file, a socket not seen before is attributed to that file;
 *   - when the run completes, sockets still open after a short grace period are listed with the file
 *     that left them, then destroyed, so jest can exit;
 *   - if the process is still alive EXIT_GRACE_MS later (a client that reconnects once its socket is
 *     closed, a timer that re-arms itself: a CI run once waited 90 minutes here after the sockets were
 *     closed), what still holds it is listed and the process exits with the run's own result, the code
 *     jest itself would give. The JSON results file is written before that moment: nothing is lost.
 * It does not fail the run: a leak is a hygiene fault of a test or of a shutdown path, reported here with
 * its origin so it can be fixed, not a wrong answer.
 */

/** How long after the run (and the sockets closed) jest may take to exit on its own. */
const EXIT_GRACE_MS = 15_000;

/** A socket's endpoints. */
function describeSocket(socket) {
  return `${socket.localAddress}:${socket.localPort} → ${socket.remoteAddress}:${socket.remotePort}`;
}

class OpenSocketsReporter {
  constructor() {
    /** socket → the test file after which it was first seen open */
    this.origin = new WeakMap();
  }

  /** The process's open TCP sockets to a remote server (client connections), as Node holds them. */
  sockets() {
    return process._getActiveHandles().filter((handle) => handle && typeof handle.remotePort === 'number' && !handle.destroyed);
  }

  onTestFileResult(test) {
    for (const socket of this.sockets()) {
      if (!this.origin.has(socket)) this.origin.set(socket, test.path.replace(`${test.context.config.rootDir}/`, ''));
    }
  }

  async onRunComplete(_contexts, results) {
    this.exitIfStillAlive(results);
    // A client that disconnected a moment ago may still be closing its socket.
    for (let waited = 0; waited < 3000 && this.sockets().length > 0; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const left = this.sockets();
    if (left.length === 0) return;
    process.stderr.write(
      `\nopen-sockets: ${left.length} connection(s) still open 3 s after the last test; closing them so jest can exit:\n`,
    );
    for (const socket of left) {
      process.stderr.write(`  ${describeSocket(socket)}, left open by ${this.origin.get(socket) ?? 'an unknown test file'}\n`);
      socket.destroy();
    }
  }

  /** Exits with the run's result if something keeps the process alive EXIT_GRACE_MS after the run. */
  exitIfStillAlive(results) {
    const timer = setTimeout(() => {
      // Jest sets `success` on these results after the reporters' onRunComplete; it is known by now.
      const code = results && results.success ? 0 : 1;
      const sockets = this.sockets().map(
        (socket) => `  ${describeSocket(socket)}, left open by ${this.origin.get(socket) ?? 'an unknown test file'}\n`,
      );
      const resources = process.getActiveResourcesInfo().filter((type) => type !== 'TTYWrap');
      process.stderr.write(
        `\nopen-sockets: jest is still running ${EXIT_GRACE_MS / 1000} s after its last test, held by ${resources.join(', ') || 'nothing it can name'}; exiting with the run's result (${code}).\n` +
          sockets.join(''),
      );
      process.exit(code);
    }, EXIT_GRACE_MS);
    // The timer itself must not keep the process alive: when nothing else does, jest exits on its own.
    timer.unref();
  }
}

module.exports = OpenSocketsReporter;
