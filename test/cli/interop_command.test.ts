import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientAuth, serverAuth, type AuthFlags } from '../../src/cli/interop_credentials.js';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { systemRandom } from '../../src/crypto/random_source.js';
import { InputError } from '../../src/scenario/errors.js';
import { buildCertificateChain } from '../../src/x509/chain.js';
import { publicKeyOf, seededP256Key } from '../../src/x509/keys.js';
import { certificatesToPem, privateKeyToPem, publicKeyToPem } from '../../src/x509/pem.js';
import { encodeSpki } from '../../src/x509/spki.js';
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
    [['interop', '--role', 'server', '--listen', '5684', '--psk-identity', ID, '--psk', PSK, '--auth', 'kerberos'], /Invalid values/],
    [['interop', '--role', 'client', '--connect', '5684', '--auth', 'rpk', '--group', 'secp384r1'], /Invalid values/],
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

/**
 * Credentials for the certificate and raw-public-key modes, written as the PEM files a user
 * brings: seeded chains (leaf first, the root in its own file as the peer's CA) and keys.
 */
const dir = mkdtempSync(join(tmpdir(), 'handshake-sim-interop-'));
const file = (name: string) => join(dir, name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  const chains = {
    srv: buildCertificateChain({ seed: 11, depth: 2, leaf_key: 'p256', ca_key: 'p256' }),
    cli: buildCertificateChain({ seed: 11, depth: 1, leaf_key: 'p256', ca_key: 'p256', label: 'client' }),
    rsa: buildCertificateChain({ seed: 11, depth: 1, leaf_key: 'rsa2048', ca_key: 'p256', label: 'rsa' }),
    // Valid at the simulator's fixed evaluation time (2025-01-01), expired by the real clock.
    old: buildCertificateChain({ seed: 11, depth: 1, leaf_key: 'p256', ca_key: 'p256', label: 'old', validity: { not_before: new Date('2024-01-01T00:00:00Z'), not_after: new Date('2025-06-01T00:00:00Z') } }),
  };
  for (const [name, chain] of Object.entries(chains)) {
    writeFileSync(file(`${name}.pem`), certificatesToPem(chain.certificates));
    writeFileSync(file(`${name}.key`), privateKeyToPem(chain.leaf_private_key));
    writeFileSync(file(`${name}-ca.pem`), certificatesToPem([chain.root]));
    writeFileSync(file(`${name}-intermediates.pem`), certificatesToPem(chain.certificates.slice(1)));
  }
  for (const name of ['srv-rpk', 'cli-rpk', 'other-rpk']) {
    const key = seededP256Key(11, name);
    writeFileSync(file(`${name}.key`), privateKeyToPem(key));
    writeFileSync(file(`${name}.pub`), publicKeyToPem(encodeSpki(publicKeyOf(key))));
  }
});

interface Flights {
  datagrams: { direction: string; messages: string[] }[];
}
const sentMessages = (r: Flights) => r.datagrams.filter((d) => d.direction === 'sent').flatMap((d) => d.messages);

/** Our server and our client on 127.0.0.1, each a CLI process; both JSON reports and exit codes. */
async function ourPair(serverFlags: string[], clientFlags: string[]) {
  const port = await freePort();
  const server = start(process.execPath, [CLI, 'interop', '--role', 'server', '--listen', String(port), '--format', 'json', '--timeout-ms', '8000', ...serverFlags]);
  await server.waitFor(/listening on 127\.0\.0\.1:/);
  const client = start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', String(port), '--format', 'json', '--timeout-ms', '8000', ...clientFlags]);
  const [clientStatus, serverStatus] = await Promise.all([client.exited, server.exited]);
  // The server's stderr line ("listening on ...") comes before its JSON.
  const json = (out: string) => JSON.parse(out.slice(out.indexOf('{')));
  return { clientStatus, serverStatus, client: json(client.output()), server: json(server.output()) };
}

describe('handshake-sim interop: certificates and raw public keys, our client against our server', () => {
  it('--auth cert, mutual: a two-certificate chain each way is verified against --ca, the message round-trips', async () => {
    const r = await ourPair(
      ['--auth', 'cert', '--cert', file('srv.pem'), '--key', file('srv.key'), '--ca', file('cli-ca.pem')],
      ['--auth', 'cert', '--cert', file('cli.pem'), '--key', file('cli.key'), '--ca', file('srv-ca.pem')],
    );
    expect([r.clientStatus, r.serverStatus]).toEqual([0, 0]);
    expect(r.client).toMatchObject({ auth: 'cert', cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', group: 'secp256r1', mutual: true, message_round_tripped: true });
    expect(r.server).toMatchObject({ mutual: true, message_round_tripped: true });
    expect(sentMessages(r.client)).toEqual(expect.arrayContaining(['Certificate', 'CertificateVerify']));
    expect(sentMessages(r.server)).toEqual(expect.arrayContaining(['Certificate', 'CertificateRequest']));
  });

  it('--auth cert with an RSA-2048 server key: the server defaults to TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', async () => {
    const r = await ourPair(
      ['--auth', 'cert', '--cert', file('rsa.pem'), '--key', file('rsa.key')],
      ['--auth', 'cert', '--ca', file('rsa-ca.pem'), '--cipher-suite', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    );
    expect([r.clientStatus, r.serverStatus]).toEqual([0, 0]);
    expect(r.server).toMatchObject({ cipher_suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', mutual: false, message_round_tripped: true });
  });

  it('--auth rpk, mutual over x25519: each side pins the other\'s key', async () => {
    const r = await ourPair(
      ['--auth', 'rpk', '--rpk-key', file('srv-rpk.key'), '--peer-rpk', file('cli-rpk.pub'), '--group', 'x25519'],
      ['--auth', 'rpk', '--rpk-key', file('cli-rpk.key'), '--peer-rpk', file('srv-rpk.pub'), '--group', 'x25519'],
    );
    expect([r.clientStatus, r.serverStatus]).toEqual([0, 0]);
    expect(r.client).toMatchObject({ auth: 'rpk', group: 'x25519', mutual: true, message_round_tripped: true });
    expect(sentMessages(r.client)).toEqual(expect.arrayContaining(['Certificate', 'CertificateVerify']));
  });

  it('a chain that expired by the real clock is refused (certificate_expired), though valid at the simulator\'s fixed time', async () => {
    const r = await ourPair(['--auth', 'cert', '--cert', file('old.pem'), '--key', file('old.key')], ['--auth', 'cert', '--ca', file('old-ca.pem')]);
    expect([r.clientStatus, r.serverStatus]).toEqual([1, 1]);
    expect(r.client.failure).toMatchObject({ alert: 'certificate_expired', raised_by: 'local' });
    expect(r.server.failure).toMatchObject({ alert: 'certificate_expired', raised_by: 'peer' });
  });

  it('a server pinning another client key refuses the one sent (bad_certificate); one asking for a certificate refuses none', async () => {
    const [wrongKey, noCertificate] = await Promise.all([
      ourPair(
        ['--auth', 'rpk', '--rpk-key', file('srv-rpk.key'), '--peer-rpk', file('other-rpk.pub')],
        ['--auth', 'rpk', '--rpk-key', file('cli-rpk.key'), '--peer-rpk', file('srv-rpk.pub')],
      ),
      ourPair(['--auth', 'cert', '--cert', file('srv.pem'), '--key', file('srv.key'), '--ca', file('cli-ca.pem')], ['--auth', 'cert', '--ca', file('srv-ca.pem')]),
    ]);
    expect([wrongKey.clientStatus, wrongKey.serverStatus]).toEqual([1, 1]);
    expect(wrongKey.server.failure).toMatchObject({ alert: 'bad_certificate', raised_by: 'local' });
    expect([noCertificate.clientStatus, noCertificate.serverStatus]).toEqual([1, 1]);
    expect(noCertificate.server.failure).toMatchObject({ alert: 'handshake_failure', raised_by: 'local' });
  });
});

describe.skipIf(!hasOpenssl)('handshake-sim interop --auth cert against OpenSSL 3 on 127.0.0.1', () => {
  it('--role client: verifies s_server\'s chain against --ca and round-trips the message', async () => {
    const port = await freePort();
    const server = start('openssl', [
      // -cert sends only the file's first certificate; the intermediate goes in with -cert_chain.
      's_server', '-dtls1_2', '-cert', file('srv.pem'), '-cert_chain', file('srv-intermediates.pem'), '-key', file('srv.key'), '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/);
    const client = start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', String(port), '--auth', 'cert', '--ca', file('srv-ca.pem'), '--message', 'cert-9\n', '--format', 'json']);
    await server.waitFor(/cert-9/);
    server.proc.stdin.write('cert-9\n');
    expect(await client.exited).toBe(0);
    expect(JSON.parse(client.output())).toMatchObject({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', message_round_tripped: true });
    expect(server.output()).toContain('CIPHER is ECDHE-ECDSA-AES128-CCM8');
  });

  it('--role server with --ca: s_client verifies our chain, sends its certificate, gets its line echoed', async () => {
    const port = await freePort();
    const ours = start(process.execPath, [
      CLI, 'interop', '--role', 'server', '--listen', String(port), '--auth', 'cert', '--cert', file('srv.pem'), '--key', file('srv.key'), '--ca', file('cli-ca.pem'),
    ]);
    await ours.waitFor(/listening on 127\.0\.0\.1:/);
    const peer = start('openssl', [
      's_client', '-dtls1_2', '-CAfile', file('srv-ca.pem'), '-verify_return_error', '-cert', file('cli.pem'), '-key', file('cli.key'),
      '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-groups', 'P-256', '-connect', `127.0.0.1:${port}`,
    ]);
    peer.proc.stdin.write('cert-echo\n');
    await peer.waitFor(/^cert-echo$/m);
    expect(await ours.exited).toBe(0);
    expect(peer.output()).toContain('Verify return code: 0 (ok)');
    expect(ours.output()).toContain('handshake completed (dtls1.2 cert TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 secp256r1 mutual) and the message round-tripped');
    expect(ours.output()).toMatch(/Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished/);
  });
});

describe('handshake-sim interop: authentication flags, bad input exits 2 naming the flag', () => {
  const client = (...flags: string[]) => ['interop', '--role', 'client', '--connect', '5684', ...flags];
  const server = (...flags: string[]) => ['interop', '--role', 'server', '--listen', '5684', ...flags];
  // Through the built CLI: the exit code, the "handshake-sim:" line and no stack trace.
  const rows: [string[], RegExp][] = [
    [client('--auth', 'cert'), /^handshake-sim: --ca: missing; expected a PEM file with the CA certificate\(s\)/],
    [server('--auth', 'cert', '--cert', file('nothing.pem'), '--key', file('srv.key')), /^handshake-sim: --cert: .*nothing\.pem: cannot read the file: ENOENT/],
    [server('--auth', 'rpk', '--rpk-key', file('rsa.key')), /^handshake-sim: --rpk-key: .*rsa\.key holds an RSA-2048 key, expected a P-256 key/],
    [
      client('--auth', 'cert', '--ca', file('srv-ca.pem'), '--cipher-suite', 'TLS_PSK_WITH_AES_128_CCM_8'),
      /^handshake-sim: --cipher-suite: got TLS_PSK_WITH_AES_128_CCM_8, whose key exchange does not fit --auth cert; expected one of TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, /,
    ],
    [server('--psk-identity', ID, '--psk', PSK, '--max-fragment-length', '512'), /^handshake-sim: --max-fragment-length: only for --role client/],
    [client('--auth', 'cert', '--ca', file('srv-ca.pem'), '--ca', file('cli-ca.pem')), /^handshake-sim: --ca: given 2 times \(.*srv-ca\.pem, .*cli-ca\.pem\), expected once/],
  ];
  // Named by their flags, with the temporary folder as $DIR so the names stay the same run to run.
  it.each(rows.map(([args, message]) => ({ flags: args.slice(1).join(' ').replaceAll(dir, '$DIR'), args, message })))('$flags', ({ args, message }) => {
    const r = runCli(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  // The other checks of the authentication flags, in process (a CLI start costs half a second).
  const crypto = (role: 'client' | 'server') => new MeteredCrypto(role, new OpMeter(), systemRandom);
  const cases: [AuthFlags, RegExp][] = [
    [{ role: 'server', auth: 'cert' }, /^--cert: missing; expected a PEM file with our certificate/],
    [{ role: 'server', auth: 'cert', cert: file('srv.pem') }, /^--key: missing; expected the PEM private key of --cert /],
    [{ role: 'client', auth: 'cert', ca: file('srv-ca.pem'), key: file('cli.key') }, /^--cert: missing/],
    [{ role: 'server', auth: 'cert', cert: file('srv.key'), key: file('srv.key') }, /^--cert: .*srv\.key: expected one or more "CERTIFICATE" PEM blocks, got "PRIVATE KEY"/],
    [{ role: 'server', auth: 'cert', cert: file('srv.pem'), key: file('cli.key') }, /^--key: .*cli\.key is not the private key of the first certificate in --cert .*srv\.pem/],
    [{ role: 'client', auth: 'cert', ca: file('srv.key') }, /^--ca: .*srv\.key: expected one or more "CERTIFICATE" PEM blocks/],
    [
      { role: 'server', auth: 'cert', cert: file('rsa.pem'), key: file('rsa.key'), cipherSuite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' },
      /^--key: holds an RSA-2048 key, but --cipher-suite TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 needs a P-256 key/,
    ],
    [{ role: 'server', auth: 'rpk', cipherSuite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' }, /^--cipher-suite: got TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, whose key exchange does not fit --auth rpk/],
    [{ role: 'client', auth: 'rpk' }, /^--peer-rpk: missing; expected the server's public key as PEM/],
    [{ role: 'server', auth: 'rpk' }, /^--rpk-key: missing/],
    [{ role: 'client', auth: 'rpk', peerRpk: file('srv-rpk.key') }, /^--peer-rpk: .*srv-rpk\.key: expected one "PUBLIC KEY" PEM block, got "PRIVATE KEY" \(a private key/],
    [{ role: 'server', auth: 'rpk', rpkKey: file('srv-rpk.key'), peerRpk: file('cli.pem') }, /^--peer-rpk: .*cli\.pem: expected one "PUBLIC KEY" PEM block, got "CERTIFICATE"/],
    [{ role: 'client', auth: 'rpk', peerRpk: file('srv-rpk.pub'), psk: PSK }, /^--psk: not used with --auth rpk; it is for --auth psk or ecdhe-psk/],
    [{ role: 'client', auth: 'psk', pskIdentity: ID, psk: PSK, group: 'x25519' }, /^--group: not used with --auth psk; it is for --auth ecdhe-psk or cert or rpk/],
    [{ role: 'client', auth: 'psk', pskIdentity: ID, psk: PSK, cert: file('cli.pem') }, /^--cert: not used with --auth psk; it is for --auth cert/],
    [{ role: 'server', auth: 'cert', cert: file('srv.pem'), key: file('srv.key'), peerRpk: file('cli-rpk.pub') }, /^--peer-rpk: not used with --auth cert; it is for --auth rpk/],
    [{ role: 'client', auth: 'psk', pskIdentity: ID, psk: PSK, pskHint: 'gw' }, /^--psk-hint: only for --role server/],
    [{ role: 'client', auth: 'ecdhe-psk', pskIdentity: ID }, /^--psk: missing; expected the pre-shared key in hex \(--auth ecdhe-psk\)/],
    [{ role: 'server', auth: 'ecdhe-psk', psk: PSK }, /^--psk-identity: missing; expected the PSK identity \(--auth ecdhe-psk\)/],
  ];
  it.each(cases.map(([flags, message]) => ({ name: JSON.stringify(flags).replaceAll(dir, '$DIR'), flags, message })))('$name', ({ flags, message }) => {
    const build = () => (flags.role === 'client' ? clientAuth(flags, crypto('client')) : serverAuth(flags, crypto('server')));
    expect(build).toThrow(InputError);
    expect(build).toThrow(message);
  });

  it('defaults: the suite follows the mode and the server key, the group is secp256r1 but for plain PSK', () => {
    expect(serverAuth({ role: 'server', auth: 'psk', pskIdentity: ID, psk: PSK }, crypto('server')).summary).toEqual({ cipher_suite: 'TLS_PSK_WITH_AES_128_CCM_8', group: null, mutual: false });
    expect(clientAuth({ role: 'client', auth: 'ecdhe-psk', pskIdentity: ID, psk: PSK }, crypto('client')).summary).toEqual({
      cipher_suite: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256',
      group: 'secp256r1',
      mutual: false,
    });
    expect(serverAuth({ role: 'server', auth: 'cert', cert: file('rsa.pem'), key: file('rsa.key') }, crypto('server')).summary.cipher_suite).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(serverAuth({ role: 'server', auth: 'rpk', rpkKey: file('srv-rpk.key'), peerRpk: file('cli-rpk.pub') }, crypto('server')).summary).toEqual({
      cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
      group: 'secp256r1',
      mutual: true,
    });
  });
});
