import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { systemRandom } from '../../src/crypto/random_source.js';
import { UdpSession } from '../../src/interop/udp_session.js';
import { chainAuthenticator } from '../../src/auth/peer_authenticators.js';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import { Dtls12Client, type Dtls12ClientOptions } from '../../src/protocol/dtls12/client.js';
import type { GroupName } from '../../src/protocol/dtls12/groups_and_signatures.js';
import { Dtls12Server, type Dtls12ServerOptions } from '../../src/protocol/dtls12/server.js';
import { buildCertificateChain, type CertificateChain } from '../../src/x509/chain.js';
import { certificatesToPem, privateKeyToPem } from '../../src/x509/pem.js';
import { trustAnchorFromCertificate } from '../../src/x509/verify_chain.js';
import { freePort } from '../helpers/free_port.js';
import { cleanUpPeersAfterEach, startPeer, trackSession } from '../helpers/peer_process.js';

/**
 * The ECDHE modes against OpenSSL 3 on 127.0.0.1: certificates (ECDSA P-256 chains of depth 1
 * and 2, an RSA-2048 server), mutual authentication, x25519, fragmentation at an MTU of 256
 * bytes, and ECDHE-PSK. Our chains are written as PEM for OpenSSL, and OpenSSL's are checked
 * by our verifier, so both sides' certificates are proven against a real peer.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'hs-cert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cleanUpPeersAfterEach();
const enc = new TextEncoder();
const base = { initial_timeout_ms: 1000, max_timeout_ms: 60000, max_handshake_message_bytes: 16384, extended_master_secret: true, encrypt_then_mac: true };

/** Writes a chain as OpenSSL reads it: leaf, the intermediates, the key and the root. */
function pemFiles(name: string, chain: CertificateChain) {
  const files = { leaf: join(dir, `${name}-leaf.pem`), chain: join(dir, `${name}-chain.pem`), key: join(dir, `${name}-key.pem`), root: join(dir, `${name}-root.pem`) };
  writeFileSync(files.leaf, certificatesToPem(chain.certificates.slice(0, 1)));
  writeFileSync(files.chain, certificatesToPem(chain.certificates.slice(1)));
  writeFileSync(files.key, privateKeyToPem(chain.leaf_private_key));
  writeFileSync(files.root, certificatesToPem([chain.root]));
  return files;
}

const serverChain = (depth: number, key: 'p256' | 'rsa2048' = 'p256') => buildCertificateChain({ seed: 21, depth, leaf_key: key, ca_key: key });
const clientChain = () => buildCertificateChain({ seed: 21, depth: 1, leaf_key: 'p256', ca_key: 'p256', label: 'client' });

async function ourClient(port: number, suite: CipherSuiteName, options: Partial<Dtls12ClientOptions> & { mtu?: number }) {
  const crypto = new MeteredCrypto('client', new OpMeter(), systemRandom);
  const { mtu, ...rest } = options;
  const client = new Dtls12Client(crypto, { ...base, mtu_bytes: mtu ?? 1200, cipher_suites: [suite], groups: ['secp256r1'], ...rest });
  const session = trackSession(new UdpSession(client));
  await session.bind('127.0.0.1', 0);
  session.connect({ host: '127.0.0.1', port });
  client.start(Date.now());
  session.flush();
  expect(await session.until(() => client.state !== 'handshaking', 15_000)).toBe(true);
  expect(client.failure).toBeUndefined();
  expect(client.state).toBe('connected');
  return { client, session };
}

async function ourServer(suite: CipherSuiteName, options: Partial<Dtls12ServerOptions> & { mtu?: number }) {
  let server: Dtls12Server | undefined;
  const { mtu, ...rest } = options;
  const session = trackSession(
    new UdpSession((peer) => {
      server = new Dtls12Server(new MeteredCrypto('server', new OpMeter(), systemRandom), {
        ...base,
        mtu_bytes: mtu ?? 1200,
        cipher_suites: [suite],
        groups: ['secp256r1', 'x25519'],
        cookie: true,
        cookie_secret: systemRandom(32),
        cookie_bytes: 32,
        session_id_bytes: 32,
        peer_id: enc.encode(`${peer.host}:${peer.port}`),
        ...rest,
      });
      return server;
    }),
  );
  return { port: await session.bind('127.0.0.1', 0), session, server: () => server };
}

const CASES = [
  { label: 'ECDHE-ECDSA-AES128-CCM8, chain of 1', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' as const, openssl: 'ECDHE-ECDSA-AES128-CCM8', depth: 1, key: 'p256' as const },
  { label: 'ECDHE-ECDSA-AES128-GCM-SHA256, chain of 2', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256' as const, openssl: 'ECDHE-ECDSA-AES128-GCM-SHA256', depth: 2, key: 'p256' as const },
  { label: 'ECDHE-ECDSA-AES128-SHA256 (CBC), chain of 1', suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256' as const, openssl: 'ECDHE-ECDSA-AES128-SHA256', depth: 1, key: 'p256' as const },
  { label: 'ECDHE-RSA-AES128-GCM-SHA256, RSA-2048 chain of 1', suite: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' as const, openssl: 'ECDHE-RSA-AES128-GCM-SHA256', depth: 1, key: 'rsa2048' as const },
];

describe.skipIf(!hasOpenssl)('ECDHE modes with OpenSSL 3 (DTLS 1.2)', () => {
  it.each(CASES)('our client completes $label with openssl s_server and verifies its chain', async ({ suite, openssl, depth, key }) => {
    const chain = serverChain(depth, key);
    const f = pemFiles(`srv-${suite}`, chain);
    const port = await freePort();
    const server = startPeer('openssl', [
      's_server', '-dtls1_2', '-cert', f.leaf, '-key', f.key, ...(depth > 1 ? ['-cert_chain', f.chain] : []),
      '-cipher', openssl, '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const { client, session } = await ourClient(port, suite, { authenticate_server: chainAuthenticator([trustAnchorFromCertificate(chain.root)])(new MeteredCrypto('client', new OpMeter(), systemRandom)) });
    client.sendApplicationData(enc.encode('hello over certificates\n'));
    session.flush();
    await server.waitFor(/hello over certificates/, 10_000);
    expect(server.output()).toContain(`CIPHER is ${openssl}\n`);
    server.proc.stdin.write('reply\n');
    expect(await session.until(() => session.received.length > 0, 10_000)).toBe(true);
    expect(new TextDecoder().decode(session.received[0])).toBe('reply\n');
  });

  it.each(CASES)('openssl s_client completes $label with our server and verifies our chain (-verify_return_error)', async ({ suite, openssl, depth, key }) => {
    const chain = serverChain(depth, key);
    const f = pemFiles(`cli-${suite}`, chain);
    const ours = await ourServer(suite, { credentials: [{ type: 'x509', entries: chain.certificates, key: chain.leaf_private_key }] });
    const peer = startPeer('openssl', ['s_client', '-dtls1_2', '-cipher', openssl, '-CAfile', f.root, '-verify_return_error', '-connect', `127.0.0.1:${ours.port}`]);
    peer.proc.stdin.write('hello from openssl\n');
    expect(await ours.session.until(() => ours.session.received.length > 0, 15_000)).toBe(true);
    await peer.waitFor(/Verify return code: 0 \(ok\)/, 10_000);
    expect(peer.output()).toMatch(new RegExp(`Cipher is ${openssl}\\n`));
    ours.server()!.sendApplicationData(ours.session.received[0]!);
    ours.session.flush();
    await peer.waitFor(/^hello from openssl$/m, 10_000);
  });

  it('mutual authentication both ways: our client presents its chain to s_server -Verify; s_client -cert presents its chain to our server', async () => {
    const srv = serverChain(1);
    const cli = clientChain();
    const fs = pemFiles('mutual-srv', srv);
    const fc = pemFiles('mutual-cli', cli);
    const port = await freePort();
    const server = startPeer('openssl', [
      's_server', '-dtls1_2', '-cert', fs.leaf, '-key', fs.key, '-Verify', '1', '-CAfile', fc.root, '-verify_return_error',
      '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const crypto = new MeteredCrypto('client', new OpMeter(), systemRandom);
    const { client, session } = await ourClient(port, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', {
      authenticate_server: chainAuthenticator([trustAnchorFromCertificate(srv.root)])(crypto),
      credential: { type: 'x509', entries: cli.certificates, key: cli.leaf_private_key },
    });
    client.sendApplicationData(enc.encode('mutual\n'));
    session.flush();
    await server.waitFor(/mutual/, 10_000);
    expect(server.output()).toMatch(/subject=.*CN = device-0001/);

    const ours = await ourServer('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', {
      credentials: [{ type: 'x509', entries: srv.certificates, key: srv.leaf_private_key }],
      request_client_certificate: { types: ['x509'], authenticate: chainAuthenticator([trustAnchorFromCertificate(cli.root)])(new MeteredCrypto('server', new OpMeter(), systemRandom)) },
    });
    const peer = startPeer('openssl', [
      's_client', '-dtls1_2', '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-CAfile', fs.root, '-verify_return_error', '-cert', fc.leaf, '-key', fc.key,
      '-connect', `127.0.0.1:${ours.port}`,
    ]);
    peer.proc.stdin.write('mutual back\n');
    expect(await ours.session.until(() => ours.session.received.length > 0, 15_000)).toBe(true);
    expect(ours.server()!.clientKey?.kind).toBe('p256');
  });

  it.each(['secp256r1', 'x25519'] as const)('fragmentation at MTU 256 both ways, group %s: a 2-certificate chain crosses in many fragments', async (group: GroupName) => {
    const chain = serverChain(2);
    const f = pemFiles(`mtu-${group}`, chain);
    const curve = group === 'x25519' ? 'X25519' : 'P-256';
    const port = await freePort();
    const server = startPeer('openssl', [
      's_server', '-dtls1_2', '-cert', f.leaf, '-key', f.key, '-cert_chain', f.chain, '-groups', curve, '-mtu', '256',
      '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const { session } = await ourClient(port, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', {
      mtu: 256,
      groups: [group],
      authenticate_server: chainAuthenticator([trustAnchorFromCertificate(chain.root)])(new MeteredCrypto('client', new OpMeter(), systemRandom)),
    });
    // OpenSSL kept to 256-byte datagrams, so the server's Certificate arrived in pieces we reassembled.
    const received = session.wire.filter((w) => w.direction === 'received');
    expect(received.length).toBeGreaterThan(4);
    expect(Math.max(...session.wire.map((w) => w.datagram.length))).toBeLessThanOrEqual(256);

    const ours = await ourServer('TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', { mtu: 256, credentials: [{ type: 'x509', entries: chain.certificates, key: chain.leaf_private_key }] });
    const peer = startPeer('openssl', [
      // X25519 first for the key exchange; P-256 for the server's ECDSA certificate (RFC 8422 §5.3).
      's_client', '-dtls1_2', '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-groups', group === 'x25519' ? 'X25519:P-256' : 'P-256', '-mtu', '256', '-CAfile', f.root, '-verify_return_error',
      '-connect', `127.0.0.1:${ours.port}`,
    ]);
    peer.proc.stdin.write('fragmented\n');
    expect(await ours.session.until(() => ours.session.received.length > 0, 15_000)).toBe(true);
    expect(Math.max(...ours.session.wire.filter((w) => w.direction === 'sent').map((w) => w.datagram.length))).toBeLessThanOrEqual(256);
    await peer.waitFor(new RegExp(`Server Temp Key: ${group === 'x25519' ? 'X25519' : 'ECDH, prime256v1'}`), 10_000);
  });

  it('ECDHE-PSK-AES128-CBC-SHA256 both ways (RFC 5489)', async () => {
    const PSK_HEX = '000102030405060708090a0b0c0d0e0f';
    const key = Uint8Array.from(Buffer.from(PSK_HEX, 'hex'));
    const port = await freePort();
    const server = startPeer('openssl', [
      's_server', '-dtls1_2', '-nocert', '-psk', PSK_HEX, '-psk_identity', 'Client_identity', '-psk_hint', 'gw',
      '-cipher', 'ECDHE-PSK-AES128-CBC-SHA256', '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const { client, session } = await ourClient(port, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', { psk: { identity: enc.encode('Client_identity'), key } });
    expect(new TextDecoder().decode(client.serverIdentityHint)).toBe('gw');
    client.sendApplicationData(enc.encode('ecdhe-psk\n'));
    session.flush();
    await server.waitFor(/ecdhe-psk/, 10_000);

    const ours = await ourServer('TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', { psk_for_identity: () => key });
    const peer = startPeer('openssl', ['s_client', '-dtls1_2', '-psk', PSK_HEX, '-psk_identity', 'Client_identity', '-cipher', 'ECDHE-PSK-AES128-CBC-SHA256', '-connect', `127.0.0.1:${ours.port}`]);
    peer.proc.stdin.write('back\n');
    expect(await ours.session.until(() => ours.session.received.length > 0, 15_000)).toBe(true);
    await peer.waitFor(/Cipher is ECDHE-PSK-AES128-CBC-SHA256/, 10_000);
  });

  it('our client refuses a server whose chain does not lead to its trust anchor, with unknown_ca or bad_certificate', async () => {
    const chain = serverChain(1);
    const f = pemFiles('untrusted', chain);
    const port = await freePort();
    const server = startPeer('openssl', ['s_server', '-dtls1_2', '-cert', f.leaf, '-key', f.key, '-cipher', 'ECDHE-ECDSA-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1']);
    await server.waitFor(/ACCEPT/, 10_000);
    const other = clientChain(); // a different root
    const crypto = new MeteredCrypto('client', new OpMeter(), systemRandom);
    const client = new Dtls12Client(crypto, {
      ...base,
      mtu_bytes: 1200,
      cipher_suites: ['TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8'],
      groups: ['secp256r1'],
      authenticate_server: chainAuthenticator([trustAnchorFromCertificate(other.root)])(crypto),
    });
    const session = trackSession(new UdpSession(client));
    await session.bind('127.0.0.1', 0);
    session.connect({ host: '127.0.0.1', port });
    client.start(Date.now());
    session.flush();
    expect(await session.until(() => client.state === 'failed', 10_000)).toBe(true);
    expect(['unknown_ca', 'bad_certificate']).toContain(client.failure!.alert);
    await server.waitFor(/alert (unknown CA|bad certificate)/i, 10_000);
  });
});
