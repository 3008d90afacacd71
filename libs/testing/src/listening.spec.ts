import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { listensOn } from './listening';

describe('listensOn', () => {
  it('tells the process that listens on a port from one that does not', async () => {
    const child = spawn(
      process.execPath,
      ['-e', "const s = require('node:net').createServer().listen(0, '0.0.0.0', () => console.log(s.address().port))"],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
      const port = Number(String(chunk).trim());
      const pid = child.pid as number;
      expect(listensOn(pid, port)).toBe(true);
      expect(listensOn(process.pid, port)).toBe(false);
      expect(listensOn(pid, port === 65535 ? port - 1 : port + 1)).toBe(false);
    } finally {
      child.kill();
    }
  });

  it('is false for a process that is gone', () => {
    expect(listensOn(2 ** 22 + 12345, 80)).toBe(false);
  });
});
