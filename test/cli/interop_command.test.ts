import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free_port.js';
import { CLI, runCli } from '../helpers/cli.js';

/**
 * `handshake-sim interop` against OpenSSL 3 on 127.0.0.1, both roles, as a user would run it.
 * Exit 0 only when the handshake completed and the message came back.
 */
const PSK = '000102030405060708090a0b0c0d0e0f';
const ID = 'Client_identity';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const procs: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) p.kill('SIGKILL');
});


/** Spawns a process and collects stdout+stderr; `waitFor` resolves when a pattern shows up. */
function start(cmd: string, args: string[]) {
  const proc = spawn(cmd, args, { stdio: 'pipe' });
  procs.push(proc);
  let out = '';
  let listeners: (() => void)[] = [];
  const on = (b: Buffer) => {
    out += b.toString();
    const ls = listeners;
    listeners = [];
    ls.forEach((l) => l());
  };
  proc.stdout.on('data', on);
  proc.stderr.on('data', on);
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const waitFor = (re: RegExp, ms = 10_000) =>
    new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${cmd} did not print ${re}; output:\n${out}`)), ms);
      const check = () => (re.test(out) ? (clearTimeout(t), resolve()) : listeners.push(check));
      check();
    });
  return { proc, output: () => out, waitFor, exited };
}

describe.skipIf(!hasOpenssl)('handshake-sim interop against OpenSSL', () => {
  it('--role client: handshakes with s_server, sends the message and gets it back (exit 0)', async () => {
    const port = await freePort();
    const server = start('openssl', ['s_server', '-dtls1_2', '-nocert', '-psk', PSK, '-psk_identity', ID, '-cipher', 'PSK-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1']);
    await server.waitFor(/ACCEPT/);
    const client = start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', `127.0.0.1:${port}`, '--psk-identity', ID, '--psk', PSK, '--message', 'ping-42\n', '--format', 'json']);
    // s_server has no echo: when our message arrives, type it back into its stdin.
    await server.waitFor(/ping-42/);
    server.proc.stdin.write('ping-42\n');
    expect(await client.exited).toBe(0);
    const r = JSON.parse(client.output());
    expect(r).toMatchObject({ role: 'client', handshake_completed: true, message_round_tripped: true, failure: null });
    expect(r.datagrams.map((d: { direction: string; messages: string[] }) => `${d.direction}:${d.messages.join('+')}`)).toEqual([
      'sent:ClientHello',
      'received:HelloVerifyRequest',
      'sent:ClientHello',
      'received:ServerHello+ServerHelloDone',
      'sent:ClientKeyExchange+ChangeCipherSpec+Finished',
      'received:ChangeCipherSpec+Finished',
      'sent:ApplicationData',
      'received:ApplicationData',
    ]);
    expect(r.datagrams[0].hex).toMatch(/^16fefd/);
  });

  it('--role server: s_client completes a handshake and gets its line echoed (exit 0)', async () => {
    const port = await freePort();
    const ours = start(process.execPath, [CLI, 'interop', '--role', 'server', '--listen', `127.0.0.1:${port}`, '--psk-identity', ID, '--psk', PSK, '--psk-hint', 'gw']);
    await ours.waitFor(/listening on 127\.0\.0\.1:/);
    const peer = start('openssl', ['s_client', '-dtls1_2', '-psk', PSK, '-psk_identity', ID, '-cipher', 'PSK-AES128-CCM8', '-connect', `127.0.0.1:${port}`]);
    peer.proc.stdin.write('echo-me\n');
    await peer.waitFor(/^echo-me$/m); // s_client prints what it receives: our echo
    expect(await ours.exited).toBe(0);
    expect(ours.output()).toContain('ServerHello, ServerKeyExchange, ServerHelloDone');
    expect(ours.output()).toContain('handshake completed (dtls1.2 psk TLS_PSK_WITH_AES_128_CCM_8) and the message round-tripped');
  });

  it.each([
    { flags: [] as string[], etm: true },
    { flags: ['--no-encrypt-then-mac'], etm: false },
  ])('--role client --cipher-suite TLS_PSK_WITH_AES_128_CBC_SHA256 $flags: encrypt-then-MAC $etm', async ({ flags, etm }) => {
    const port = await freePort();
    const server = start('openssl', [
      's_server', '-dtls1_2', '-nocert', '-psk', PSK, '-psk_identity', ID, '-cipher', 'PSK-AES128-CBC-SHA256', '-tlsextdebug',
      '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/);
    const client = start(process.execPath, [
      CLI, 'interop', '--role', 'client', '--connect', `127.0.0.1:${port}`, '--psk-identity', ID, '--psk', PSK,
      '--cipher-suite', 'TLS_PSK_WITH_AES_128_CBC_SHA256', ...flags, '--message', 'cbc-7\n', '--format', 'json',
    ]);
    await server.waitFor(/cbc-7/);
    server.proc.stdin.write('cbc-7\n');
    expect(await client.exited).toBe(0);
    expect(JSON.parse(client.output())).toMatchObject({ cipher_suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256', message_round_tripped: true, encrypt_then_mac: etm });
    // s_server -tlsextdebug lists what our ClientHello carried.
    expect(server.output().includes('TLS client extension "encrypt-then-mac" (id=22)')).toBe(etm);
    expect(server.output()).toContain('TLS client extension "extended master secret" (id=23)');
  });

  it('exits 1 when the peer holds another key', async () => {
    const port = await freePort();
    const server = start('openssl', ['s_server', '-dtls1_2', '-nocert', '-psk', 'ff' + PSK.slice(2), '-psk_identity', ID, '-cipher', 'PSK-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1']);
    await server.waitFor(/ACCEPT/);
    const client = start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', String(port), '--psk-identity', ID, '--psk', PSK, '--timeout-ms', '3000']);
    expect(await client.exited).toBe(1);
    // OpenSSL drops the Finished it cannot authenticate without an alert (RFC 6347 §4.1.2.7
    // allows that), so our client retransmits its flight until the timeout.
    expect(client.output()).toMatch(/no handshake before the timeout/);
    expect(client.output()).toMatch(/sent +109 B {2}ClientKeyExchange, ChangeCipherSpec, Finished[\s\S]*sent +109 B {2}ClientKeyExchange, ChangeCipherSpec, Finished/);
  });
});

describe('handshake-sim interop: bad input exits 2', () => {
  it.each([
    [['interop', '--role', 'client', '--psk-identity', ID, '--psk', PSK], /--connect: missing/],
    [['interop', '--role', 'client', '--connect', 'example.org:5684', '--psk-identity', ID, '--psk', PSK], /--connect: got host "example.org", expected an IP address/],
    [['interop', '--role', 'client', '--connect', '127.0.0.1:70000', '--psk-identity', ID, '--psk', PSK], /--connect: got "127.0.0.1:70000", expected HOST:PORT/],
    [['interop', '--role', 'client', '--connect', '5684', '--psk-identity', ID], /--psk: missing/],
    [['interop', '--role', 'client', '--connect', '5684', '--psk-identity', ID, '--psk', 'xyz'], /--psk: got "xyz", expected 1 to 64 bytes of hex/],
    [['interop', '--role', 'server', '--listen', '5684', '--psk-identity', ID, '--psk', PSK, '--mtu', '10'], /--mtu: got 10, expected a whole number from 64/],
    [
      ['interop', '--role', 'server', '--listen', '5684', '--psk-identity', ID, '--psk', PSK, '--cipher-suite', 'TLS_PSK_WITH_AES_128_CBC_SHA256', '--mtu', '80'],
      /--mtu: got 80, expected a whole number from 90/,
    ],
    [['interop', '--role', 'server', '--listen', '5684', '--psk-identity', ID, '--psk', PSK, '--auth', 'cert'], /Invalid values/],
    [['interop', '--role', 'sideways'], /Invalid values/],
  ])('%j', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('handshake-sim interop: our client against our server', () => {
  it('over IPv6 loopback ([::1]), GCM, no cookie', async () => {
    const port = await freePort();
    const common = ['--psk-identity', 'node-7', '--psk', '00112233445566778899aabbccddeeff', '--cipher-suite', 'TLS_PSK_WITH_AES_128_GCM_SHA256', '--timeout-ms', '8000'];
    const server = start(process.execPath, [CLI, 'interop', '--role', 'server', '--listen', `[::1]:${port}`, '--no-cookie', ...common]);
    await server.waitFor(/listening on ::1:/);
    const client = start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', `[::1]:${port}`, '--format', 'json', ...common]);
    expect(await client.exited).toBe(0);
    expect(await server.exited).toBe(0);
    const r = JSON.parse(client.output());
    expect(r).toMatchObject({ peer: `::1:${port}`, cipher_suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256', message_round_tripped: true });
    expect(r.datagrams[1].messages).toEqual(['ServerHello', 'ServerHelloDone']);
  });
});
