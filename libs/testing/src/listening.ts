import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * Whether process `pid` holds a listening TCP socket on `port` (Linux: its descriptors' socket inodes
 * against /proc/net/tcp and tcp6), or undefined where /proc cannot tell. A readiness check uses it so
 * that an answer on a service's port counts only when it is that service's: a port given twice had let
 * another service answer for one that could not listen (see free-port.ts).
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  if (!existsSync('/proc/net/tcp')) return undefined;
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (socket) inodes.add(socket[1]);
      } catch {
        // closed meanwhile
      }
    }
  } catch {
    return false; // the process is gone
  }
  const wanted = port.toString(16).toUpperCase().padStart(4, '0');
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const localPort = fields[1].slice(fields[1].lastIndexOf(':') + 1);
      if (localPort === wanted && fields[3] === '0A' && inodes.has(fields[9])) return true; // 0A: LISTEN
    }
  }
  return false;
}
