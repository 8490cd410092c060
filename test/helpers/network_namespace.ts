import { spawnSync } from 'node:child_process';
import { startPeer, type PeerProcess } from './peer_process.js';

/**
 * A private network namespace holding only `lo` (127.0.0.1, ::1), for peers that cannot be told
 * to bind loopback only: gnutls-serv listens on 0.0.0.0 and ::. Inside, nothing but this
 * machine's own processes can reach it, and no port clashes with another test.
 *
 * `unshare -n sh -c 'ip link set lo up; ...'` creates it and keeps it alive (a `sleep`); every
 * process of a test then joins it with `nsenter -n`, so each is a child the test can wait for,
 * read and kill like any other. Killing the holder (cleanUpPeersAfterEach) ends the namespace.
 * Needs root (CAP_SYS_ADMIN), as CI has.
 */
export interface NetworkNamespace {
  /** Starts `command args` inside the namespace. */
  start(command: string, args: string[]): PeerProcess;
}

/** Why private namespaces cannot be made here, or undefined when they can. */
export function networkNamespaceUnavailable(): string | undefined {
  for (const tool of ['unshare', 'nsenter', 'ip']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error) return `${tool} is not installed (util-linux, iproute2)`;
  }
  const probe = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up'], { encoding: 'utf8' });
  if (probe.status !== 0) return `unshare -n failed (it needs root): ${(probe.stderr || probe.error?.message || '').trim()}`;
  return undefined;
}

export async function privateNetworkNamespace(): Promise<NetworkNamespace> {
  // The holder's pid is the namespace's: unshare without --fork execs sh, which execs sleep.
  const holder = startPeer('unshare', ['-n', 'sh', '-c', 'ip link set lo up && echo lo-up && exec sleep 600']);
  await holder.waitFor(/lo-up/, 5000);
  const pid = String(holder.proc.pid);
  return { start: (command, args) => startPeer('nsenter', ['-t', pid, '-n', '--', command, ...args]) };
}
