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
 *     that left them, then destroyed, so jest can exit.
 * It does not fail the run: a leak is a hygiene fault of a test or of a shutdown path, reported here with
 * its origin so it can be fixed, not a wrong answer.
 */
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

  async onRunComplete() {
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
      process.stderr.write(
        `  ${socket.localAddress}:${socket.localPort} → ${socket.remoteAddress}:${socket.remotePort}, left open by ${this.origin.get(socket) ?? 'an unknown test file'}\n`,
      );
      socket.destroy();
    }
  }
}

module.exports = OpenSocketsReporter;
