import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach } from 'vitest';
import type { UdpSession } from '../../src/interop/udp_session.js';

/** A peer program (openssl, gnutls-*, our CLI) under test, with its combined output. */
export interface PeerProcess {
  proc: ChildProcessWithoutNullStreams;
  output: () => string;
  /** Standard output alone (our CLI's JSON report, which stderr lines would corrupt). */
  stdout: () => string;
  waitFor: (re: RegExp, ms: number) => Promise<void>;
  /** The exit code, or null when a signal ended it. */
  exited: Promise<number | null>;
}

const children: ChildProcessWithoutNullStreams[] = [];
const sessions: UdpSession[] = [];

/** Kills every peer and closes every session a test started, whatever its outcome. */
export function cleanUpPeersAfterEach(): void {
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const s of sessions.splice(0)) s.close();
  });
}

export function trackSession<T extends UdpSession>(s: T): T {
  sessions.push(s);
  return s;
}

export function startPeer(command: string, args: string[]): PeerProcess {
  const proc = spawn(command, args, { stdio: 'pipe' });
  children.push(proc);
  let out = '';
  let stdout = '';
  const listeners: (() => void)[] = [];
  const onData = (b: Buffer) => {
    out += b.toString();
    for (const l of listeners.splice(0)) l();
  };
  proc.stdout.on('data', (b: Buffer) => {
    stdout += b.toString();
    onData(b);
  });
  proc.stderr.on('data', onData);
  // 'close', not 'exit': by then every byte of output has been read.
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  proc.on('exit', () => {
    for (const l of listeners.splice(0)) l();
  });
  const waitFor = (re: RegExp, ms: number) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${command} did not print ${re} within ${ms} ms; output:\n${out}`)), ms);
      const check = () => (re.test(out) ? (clearTimeout(t), resolve()) : listeners.push(check));
      check();
    });
  return { proc, output: () => out, stdout: () => stdout, waitFor, exited };
}
