import { createServer } from 'node:net';

/** Ports this process has handed out: the OS may give a port it has just seen closed to the next caller. */
const handedOut = new Set<number>();

/**
 * A port nobody listens on now (the OS picks it), so parallel test runs never collide, and never one this
 * process handed out before, so services started together each get their own. The OS had given one port
 * to approval and enforcement of one chaos run: approval's listen failed while enforcement answered the
 * readiness check on that port, and the run's first POST met enforcement's 404.
 */
export async function freePort(pick: () => Promise<number> = portTheOsPicks): Promise<number> {
  for (let attempt = 1; attempt <= 100; attempt++) {
    const port = await pick();
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
  throw new Error('freePort: the OS gave only ports this process had handed out already, 100 times');
}

function portTheOsPicks(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
