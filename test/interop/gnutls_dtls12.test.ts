import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/cli.js';
import { networkNamespaceUnavailable, privateNetworkNamespace, type NetworkNamespace } from '../helpers/network_namespace.js';
import { hasOpenssl, opensslOk } from '../helpers/openssl_cli.js';
import { cleanUpPeersAfterEach } from '../helpers/peer_process.js';

/**
 * `handshake-sim interop` (the built CLI) against GnuTLS 3.7 (gnutls-serv / gnutls-cli from
 * gnutls-bin), in both roles: raw public keys (RFC 7250) mutual, X.509 ECDHE-ECDSA mutual with
 * 256-byte datagrams on both sides, PSK and ECDHE-PSK. GnuTLS sends each handshake message in a
 * record and datagram of its own, a flight shape unlike OpenSSL's, so our reassembly meets a
 * second real stack. gnutls-serv cannot bind loopback only, so every case runs in a private
 * network namespace with nothing but `lo`. Priority strings: /work/shared/reference/interop.md §2
 * (GnuTLS 3.7.9 priority-string syntax: gnutls_priority_init(3)).
 */
const PORT = '5684';
const PSK_HEX = '000102030405060708090a0b0c0d0e0f';
const IDENTITY = 'Client_identity';
const DTLS12_ONLY = 'NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL';
const PRIORITY = {
  rpk: `${DTLS12_ONLY}:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CCM-8:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK:-CTYPE-SRV-X509:-CTYPE-CLI-X509`,
  x509: `${DTLS12_ONLY}:+ECDHE-ECDSA:-CIPHER-ALL:+AES-128-CCM-8`,
  psk: `${DTLS12_ONLY}:+PSK:-CIPHER-ALL:+AES-128-CCM-8`,
  // TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256: CBC with HMAC-SHA256 (RFC 5489 §3).
  ecdhePsk: `${DTLS12_ONLY}:+ECDHE-PSK:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA256`,
};

function unavailable(): string | undefined {
  for (const tool of ['gnutls-serv', 'gnutls-cli']) {
    if (spawnSync(tool, ['--version']).status !== 0) return `${tool} is not installed (apt-get install gnutls-bin)`;
  }
  if (!hasOpenssl) return 'openssl (which makes the test keys) is not installed';
  return networkNamespaceUnavailable();
}
const skipReason = unavailable();

interface Datagram {
  direction: 'sent' | 'received';
  bytes: number;
  messages: string[];
}
interface Report {
  cipher_suite: string;
  group: string | null;
  mutual: boolean;
  encrypt_then_mac: boolean;
  handshake_completed: boolean;
  message_round_tripped: boolean;
  failure: { alert: string; raised_by: string; reason: string } | null;
  datagrams: Datagram[];
}

/** The messages one direction carried, fragments named as such ("Certificate (fragment 0+231/439)"). */
const messagesOf = (r: Report, direction: Datagram['direction']) => r.datagrams.filter((d) => d.direction === direction).flatMap((d) => d.messages);

describe.skipIf(skipReason !== undefined)(`GnuTLS 3.7 DTLS 1.2 interop in a private network namespace${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  cleanUpPeersAfterEach();
  let dir = '';
  const file = (name: string) => join(dir, name);
  let ns: NetworkNamespace;

  beforeAll(() => {
    // A P-256 CA and one leaf per side (SAN localhost and 127.0.0.1, which gnutls-cli checks);
    // PKCS#8 keys for GnuTLS's --rawpkkeyfile and SPKI PEM for --rawpkfile and our --peer-rpk.
    dir = mkdtempSync(join(tmpdir(), 'handshake-sim-gnutls-'));
    opensslOk(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ca.key'], dir);
    opensslOk(['req', '-new', '-x509', '-key', 'ca.key', '-out', 'ca.crt', '-days', '30', '-subj', '/CN=interop test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], dir);
    writeFileSync(file('leaf.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nkeyUsage=critical,digitalSignature\nbasicConstraints=critical,CA:FALSE\n');
    for (const side of ['srv', 'cli']) {
      opensslOk(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', `${side}.key`], dir);
      opensslOk(['req', '-new', '-key', `${side}.key`, '-subj', `/CN=localhost`, '-out', `${side}.csr`], dir);
      opensslOk(['x509', '-req', '-in', `${side}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', side === 'srv' ? '1' : '2',
        '-days', '30', '-extfile', 'leaf.cnf', '-out', `${side}.crt`], dir);
      opensslOk(['pkcs8', '-topk8', '-nocrypt', '-in', `${side}.key`, '-out', `${side}.p8`], dir);
      opensslOk(['pkey', '-in', `${side}.key`, '-pubout', '-out', `${side}.pub`], dir);
    }
    writeFileSync(file('psk.passwd'), `${IDENTITY}:${PSK_HEX}\n`);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** gnutls-serv echoing application data, ready once both its sockets are bound. */
  async function gnutlsServer(args: string[]) {
    ns = await privateNetworkNamespace();
    const server = ns.start('gnutls-serv', ['--udp', '--port', PORT, '--echo', ...args]);
    await server.waitFor(/listening on IPv4 0\.0\.0\.0 port \d+\.\.\.done/, 10_000);
    return server;
  }

  /** Our client, JSON report, against the namespace's 127.0.0.1. */
  async function ourClient(flags: string[]): Promise<{ status: number | null; report: Report }> {
    const client = ns.start(process.execPath, [CLI, 'interop', '--role', 'client', '--connect', `127.0.0.1:${PORT}`, '--format', 'json', '--timeout-ms', '8000', ...flags]);
    const status = await client.exited;
    return { status, report: JSON.parse(client.stdout()) as Report };
  }

  /** Our server in the namespace, then gnutls-cli sends `line` and must print our echo of it. */
  async function gnutlsClientAgainstOurServer(serverFlags: string[], cliArgs: string[], line: string) {
    ns = await privateNetworkNamespace();
    const ours = ns.start(process.execPath, [CLI, 'interop', '--role', 'server', '--listen', `127.0.0.1:${PORT}`, '--format', 'json', '--timeout-ms', '10000', ...serverFlags]);
    await ours.waitFor(/listening on 127\.0\.0\.1:/, 10_000);
    const peer = ns.start('gnutls-cli', ['--udp', '--port', PORT, ...cliArgs, '127.0.0.1']);
    peer.proc.stdin.write(`${line}\n`);
    // gnutls-cli prints what it receives after "Simple Client Mode:": our echo.
    await peer.waitFor(new RegExp(`Simple Client Mode:[\\s\\S]*^${line}$`, 'm'), 15_000);
    peer.proc.stdin.end();
    const [ourStatus, peerStatus] = await Promise.all([ours.exited, peer.exited]);
    return { ourStatus, peerStatus, report: JSON.parse(ours.stdout()) as Report, peerOutput: peer.output() };
  }

  /** Both sides exited 0, and gnutls-cli printed each of `lines` (its description of the session). */
  function expectBothSucceeded(run: Awaited<ReturnType<typeof gnutlsClientAgainstOurServer>>, lines: string[]): void {
    expect([run.ourStatus, run.peerStatus]).toEqual([0, 0]);
    for (const line of lines) expect(run.peerOutput).toContain(line);
  }

  describe('raw public keys (RFC 7250), mutual', () => {
    it('our client against gnutls-serv, which requires the client key: both keys go over, data round-trips', async () => {
      const server = await gnutlsServer(['--rawpkkeyfile', file('srv.p8'), '--rawpkfile', file('srv.pub'), '--require-client-cert', '--priority', PRIORITY.rpk]);
      const { status, report } = await ourClient(['--auth', 'rpk', '--rpk-key', file('cli.key'), '--peer-rpk', file('srv.pub'), '--message', 'rpk-to-gnutls']);
      expect(status).toBe(0);
      expect(report).toMatchObject({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', group: 'secp256r1', mutual: true, message_round_tripped: true, failure: null });
      // GnuTLS's Certificate alone in its datagram: record header 13 + handshake header 12 +
      // 3-byte length + the 91-byte P-256 SubjectPublicKeyInfo (RFC 7250 §3).
      expect(report.datagrams.find((d) => d.direction === 'received' && d.messages.join() === 'Certificate')?.bytes).toBe(13 + 12 + 3 + 91);
      expect(messagesOf(report, 'sent')).toEqual(expect.arrayContaining(['Certificate', 'CertificateVerify']));
      expect(server.output()).toContain('rpk-to-gnutls');
    });

    it('gnutls-cli against our server, which pins the client key: both keys go over, data round-trips', async () => {
      const run = await gnutlsClientAgainstOurServer(
        ['--auth', 'rpk', '--rpk-key', file('srv.key'), '--peer-rpk', file('cli.pub')],
        // A raw key has no PKI to verify it with, so gnutls-cli needs --insecure (interop.md §2);
        // it still checks our ServerKeyExchange signature with the key we sent.
        ['--rawpkkeyfile', file('cli.p8'), '--rawpkfile', file('cli.pub'), '--priority', PRIORITY.rpk, '--insecure'],
        'rpk-from-gnutls',
      );
      expectBothSucceeded(run, [
        '- Certificate type: Raw Public Key',
        '- Successfully sent 1 certificate(s) to server.',
        '- Description: (DTLS1.2-Raw Public Key)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-128-CCM-8)',
      ]);
      expect(run.report).toMatchObject({ mutual: true, message_round_tripped: true });
      expect(messagesOf(run.report, 'received')).toEqual(expect.arrayContaining(['Certificate', 'CertificateVerify']));
    });

    it('our client refuses a server key other than the pinned one: bad_certificate, exit 1', async () => {
      await gnutlsServer(['--rawpkkeyfile', file('srv.p8'), '--rawpkfile', file('srv.pub'), '--priority', PRIORITY.rpk]);
      const { status, report } = await ourClient(['--auth', 'rpk', '--rpk-key', file('cli.key'), '--peer-rpk', file('cli.pub')]);
      expect(status).toBe(1);
      expect(report.failure).toMatchObject({ alert: 'bad_certificate', raised_by: 'local' });
      expect(report.handshake_completed).toBe(false);
    });
  });

  it('X.509 ECDHE-ECDSA, mutual, 256-byte datagrams on both sides: certificates fragmented both ways and reassembled', async () => {
    const server = await gnutlsServer([
      '--x509certfile', file('srv.crt'), '--x509keyfile', file('srv.key'), '--x509cafile', file('ca.crt'), '--require-client-cert',
      '--priority', PRIORITY.x509, '--mtu', '256',
    ]);
    const { status, report } = await ourClient(['--auth', 'cert', '--ca', file('ca.crt'), '--cert', file('cli.crt'), '--key', file('cli.key'), '--mtu', '256', '--message', 'x509-to-gnutls']);
    expect(status).toBe(0);
    expect(report).toMatchObject({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', mutual: true, message_round_tripped: true });
    expect(Math.max(...report.datagrams.filter((d) => d.direction === 'sent').map((d) => d.bytes))).toBeLessThanOrEqual(256);
    expect(Math.max(...report.datagrams.filter((d) => d.direction === 'received').map((d) => d.bytes))).toBeLessThanOrEqual(256);
    expect(messagesOf(report, 'received').filter((m) => m.startsWith('Certificate (fragment')).length).toBeGreaterThan(1);
    expect(messagesOf(report, 'sent').filter((m) => m.startsWith('Certificate (fragment')).length).toBeGreaterThan(1);
    expect(server.output()).toContain('x509-to-gnutls');
  });

  it('X.509: gnutls-cli verifies our chain against the CA (and 127.0.0.1 against its SAN), 256-byte datagrams both ways', async () => {
    // Leaf then CA: the root goes along, as many servers send it (RFC 5246 §7.4.2 allows it).
    writeFileSync(file('srv-chain.crt'), readFileSync(file('srv.crt'), 'utf8') + readFileSync(file('ca.crt'), 'utf8'));
    const run = await gnutlsClientAgainstOurServer(
      ['--auth', 'cert', '--cert', file('srv-chain.crt'), '--key', file('srv.key'), '--mtu', '256'],
      ['--x509cafile', file('ca.crt'), '--priority', PRIORITY.x509, '--mtu', '256'],
      'x509-from-gnutls',
    );
    expectBothSucceeded(run, [
      '- Got a certificate list of 2 certificates.',
      '- Status: The certificate is trusted.',
      '- Description: (DTLS1.2-X.509)-(ECDHE-SECP256R1)-(ECDSA-SHA256)-(AES-128-CCM-8)',
    ]);
    expect(Math.max(...run.report.datagrams.filter((d) => d.direction === 'sent').map((d) => d.bytes))).toBeLessThanOrEqual(256);
  });

  it('PSK: gnutls-cli against our server, TLS_PSK_WITH_AES_128_CCM_8', async () => {
    const run = await gnutlsClientAgainstOurServer(
      ['--auth', 'psk', '--psk-identity', IDENTITY, '--psk', PSK_HEX],
      ['--pskusername', IDENTITY, '--pskkey', PSK_HEX, '--priority', PRIORITY.psk],
      'psk-from-gnutls',
    );
    expectBothSucceeded(run, ['- Description: (DTLS1.2-X.509)-(PSK)-(AES-128-CCM-8)', `- PSK authentication. Connected as '${IDENTITY}'`]);
    expect(run.report).toMatchObject({ cipher_suite: 'TLS_PSK_WITH_AES_128_CCM_8', group: null, message_round_tripped: true });
  });

  it('ECDHE-PSK over x25519: our client against gnutls-serv, CBC with encrypt-then-MAC', async () => {
    const server = await gnutlsServer(['--pskpasswd', file('psk.passwd'), '--priority', PRIORITY.ecdhePsk]);
    const { status, report } = await ourClient(['--auth', 'ecdhe-psk', '--psk-identity', IDENTITY, '--psk', PSK_HEX, '--group', 'x25519', '--message', 'ecdhe-psk-to-gnutls']);
    expect(status).toBe(0);
    expect(report).toMatchObject({ cipher_suite: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', group: 'x25519', encrypt_then_mac: true, message_round_tripped: true });
    expect(server.output()).toContain('ecdhe-psk-to-gnutls');
  });
});
