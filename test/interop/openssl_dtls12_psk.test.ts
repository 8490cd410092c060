import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free_port.js';
import { cleanUpPeersAfterEach, startPeer, trackSession } from '../helpers/peer_process.js';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { systemRandom } from '../../src/crypto/random_source.js';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import { Dtls12Client } from '../../src/protocol/dtls12/client.js';
import { Dtls12Server } from '../../src/protocol/dtls12/server.js';
import { UdpSession } from '../../src/interop/udp_session.js';

/**
 * Our DTLS 1.2 PSK client and server against OpenSSL on loopback (127.0.0.1 only), for every
 * PSK suite we speak (the CBC suite with and without encrypt-then-MAC). Application data
 * round-trips after each handshake. .ci/run installs openssl.
 */
const SUITES = [
  { suite: 'TLS_PSK_WITH_AES_128_CCM_8', openssl: 'PSK-AES128-CCM8' },
  { suite: 'TLS_PSK_WITH_AES_128_CCM', openssl: 'PSK-AES128-CCM' },
  { suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256', openssl: 'PSK-AES128-GCM-SHA256' },
] as const;
const PSK_HEX = '000102030405060708090a0b0c0d0e0f';
const IDENTITY = 'Client_identity';
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const enc = new TextEncoder();
const common = {
  mtu_bytes: 1200,
  initial_timeout_ms: 1000,
  max_timeout_ms: 60000,
  max_handshake_message_bytes: 16384,
  extended_master_secret: true,
  encrypt_then_mac: true,
};

cleanUpPeersAfterEach();
const startOpenssl = (args: string[]) => startPeer('openssl', args);

/** Our server behind a UDP session on 127.0.0.1; the endpoint is made when the first datagram names the client. */
async function startOurServer(
  cookie: boolean,
  hint?: string,
  suite: CipherSuiteName = 'TLS_PSK_WITH_AES_128_CCM_8',
  encryptThenMac = true,
): Promise<{ port: number; driver: UdpSession; server: () => Dtls12Server | undefined }> {
  let server: Dtls12Server | undefined;
  const driver = new UdpSession((peer) => {
    server = new Dtls12Server(new MeteredCrypto('server', new OpMeter(), systemRandom), {
      ...common,
      encrypt_then_mac: encryptThenMac,
      cipher_suites: [suite],
      psk_for_identity: (id) => (new TextDecoder().decode(id) === IDENTITY ? Uint8Array.from(Buffer.from(PSK_HEX, 'hex')) : undefined),
      ...(hint !== undefined ? { psk_identity_hint: enc.encode(hint) } : {}),
      cookie,
      cookie_secret: systemRandom(32),
      cookie_bytes: 32,
      session_id_bytes: 32,
      peer_id: enc.encode(`${peer.host}:${peer.port}`),
    });
    return server;
  });
  trackSession(driver);
  return { port: await driver.bind('127.0.0.1', 0), driver, server: () => server };
}

/** Our client behind a UDP session, started towards 127.0.0.1:port. */
async function startOurClient(port: number, options: Partial<ConstructorParameters<typeof Dtls12Client>[1]>): Promise<{ client: Dtls12Client; driver: UdpSession }> {
  const client = new Dtls12Client(new MeteredCrypto('client', new OpMeter(), systemRandom), {
    ...common,
    cipher_suites: ['TLS_PSK_WITH_AES_128_CCM_8'],
    psk: { identity: enc.encode(IDENTITY), key: Uint8Array.from(Buffer.from(PSK_HEX, 'hex')) },
    ...options,
  });
  const driver = new UdpSession(client);
  trackSession(driver);
  await driver.bind('127.0.0.1', 0);
  driver.connect({ host: '127.0.0.1', port });
  client.start(Date.now());
  driver.flush();
  return { client, driver };
}

describe.skipIf(!hasOpenssl)('interop with OpenSSL 3 (DTLS 1.2 PSK)', () => {
  it.each([
    { ...SUITES[0], hint: true, ems: true },
    { ...SUITES[0], hint: false, ems: false },
    { ...SUITES[1], hint: false, ems: true },
    { ...SUITES[2], hint: true, ems: true },
  ])('our client completes a $suite handshake with openssl s_server (hint: $hint, extended master secret: $ems)', async ({ suite, openssl, hint, ems }) => {
    const port = await freePort();
    const server = startOpenssl([
      's_server', '-dtls1_2', '-nocert', '-psk', PSK_HEX, '-psk_identity', IDENTITY, ...(hint ? ['-psk_hint', 'gateway-7'] : []),
      '-cipher', openssl, '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);

    const { client, driver } = await startOurClient(port, { extended_master_secret: ems, cipher_suites: [suite] });
    expect(await driver.until(() => client.state !== 'handshaking', 10_000)).toBe(true);
    expect(client.failure).toBeUndefined();
    expect(client.state).toBe('connected');
    // OpenSSL 3 accepts RFC 7627 whenever it is offered; the keys then depend on it.
    expect(client.extendedMasterSecret).toBe(ems);
    if (hint) expect(new TextDecoder().decode(client.serverIdentityHint)).toBe('gateway-7');
    else expect(client.serverIdentityHint).toBeUndefined();

    client.sendApplicationData(enc.encode('hello from handshake-sim\n'));
    driver.flush();
    await server.waitFor(/hello from handshake-sim/, 10_000);
    expect(server.output()).toContain(`CIPHER is ${openssl}\n`);
    server.proc.stdin.write('reply from openssl\n');
    expect(await driver.until(() => driver.received.length > 0, 10_000)).toBe(true);
    expect(new TextDecoder().decode(driver.received[0])).toBe('reply from openssl\n');
  });

  it.each([
    { ...SUITES[0], cookie: true },
    { ...SUITES[0], cookie: false },
    { ...SUITES[1], cookie: true },
    { ...SUITES[2], cookie: true },
  ])('openssl s_client completes a $suite handshake with our server (cookie: $cookie)', async ({ suite, openssl, cookie }) => {
    const { port, driver, server: ours } = await startOurServer(cookie, 'gateway-7', suite);
    const client = startOpenssl(['s_client', '-dtls1_2', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', openssl, '-connect', `127.0.0.1:${port}`]);
    client.proc.stdin.write('hello from openssl\n');
    await client.waitFor(new RegExp(`Cipher is ${openssl}\n`), 10_000);
    await client.waitFor(/Extended master secret: yes/, 10_000);
    expect(await driver.until(() => driver.received.length > 0, 10_000)).toBe(true);
    expect(ours()!.state).toBe('connected');
    expect(ours()!.extendedMasterSecret).toBe(true);
    expect(new TextDecoder().decode(ours()!.clientIdentity)).toBe(IDENTITY);
    expect(new TextDecoder().decode(driver.received[0])).toBe('hello from openssl\n');
    // Echo it back; s_client prints what it receives.
    ours()!.sendApplicationData(driver.received[0]!);
    driver.flush();
    // s_client prints what it receives, not what it sends: this line is our echo.
    await client.waitFor(/^hello from openssl$/m, 10_000);
    expect(client.output()).toMatch(/Protocol\s*: DTLSv1\.2/);
  });

  it.each([
    { etm: true, opensslFlags: [] as string[] },
    { etm: false, opensslFlags: ['-no_etm'] },
  ])('CBC: our client completes PSK-AES128-CBC-SHA256 with openssl s_server $opensslFlags (encrypt-then-MAC: $etm)', async ({ etm, opensslFlags }) => {
    const port = await freePort();
    const server = startOpenssl([
      's_server', '-dtls1_2', '-nocert', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CBC-SHA256',
      '-tlsextdebug', ...opensslFlags, '-accept', `127.0.0.1:${port}`, '-naccept', '1',
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const { client, driver } = await startOurClient(port, { cipher_suites: ['TLS_PSK_WITH_AES_128_CBC_SHA256'] });
    expect(await driver.until(() => client.state !== 'handshaking', 10_000)).toBe(true);
    expect(client.failure).toBeUndefined();
    expect(client.state).toBe('connected');
    // We offer it either way; s_server -tlsextdebug lists the ClientHello's extensions.
    await server.waitFor(/TLS client extension "encrypt-then-mac" \(id=22\), len=0/, 10_000);
    // OpenSSL echoes it unless -no_etm; the records of both sides then follow RFC 7366.
    expect(client.encryptThenMac).toBe(etm);

    client.sendApplicationData(enc.encode('hello over CBC\n'));
    driver.flush();
    await server.waitFor(/hello over CBC/, 10_000);
    expect(server.output()).toContain('CIPHER is PSK-AES128-CBC-SHA256\n');
    server.proc.stdin.write('reply over CBC\n');
    expect(await driver.until(() => driver.received.length > 0, 10_000)).toBe(true);
    expect(new TextDecoder().decode(driver.received[0])).toBe('reply over CBC\n');
  });

  it.each([
    { etm: true, opensslFlags: [] as string[], ours: true },
    { etm: false, opensslFlags: ['-no_etm'], ours: true },
    { etm: false, opensslFlags: [] as string[], ours: false },
  ])(
    'CBC: openssl s_client $opensslFlags completes PSK-AES128-CBC-SHA256 with our server (our option: $ours, encrypt-then-MAC: $etm)',
    async ({ etm, opensslFlags, ours: ourOption }) => {
      const { port, driver, server: ours } = await startOurServer(true, undefined, 'TLS_PSK_WITH_AES_128_CBC_SHA256', ourOption);
      const client = startOpenssl([
        's_client', '-dtls1_2', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CBC-SHA256',
        '-tlsextdebug', ...opensslFlags, '-connect', `127.0.0.1:${port}`,
      ]);
      client.proc.stdin.write('hello from openssl over CBC\n');
      await client.waitFor(/Cipher is PSK-AES128-CBC-SHA256\n/, 10_000);
      expect(await driver.until(() => driver.received.length > 0, 10_000)).toBe(true);
      expect(ours()!.state).toBe('connected');
      expect(ours()!.encryptThenMac).toBe(etm);
      expect(new TextDecoder().decode(driver.received[0])).toBe('hello from openssl over CBC\n');
      ours()!.sendApplicationData(driver.received[0]!);
      driver.flush();
      await client.waitFor(/^hello from openssl over CBC$/m, 10_000);
      // s_client -tlsextdebug lists the ServerHello's extensions: ours carries 0x0016 only when negotiated.
      expect(/TLS server extension "encrypt-then-mac" \(id=22\), len=0/.test(client.output())).toBe(etm);
      expect(client.output()).toMatch(/TLS server extension "extended master secret" \(id=23\), len=0/);
    },
  );

  it('max_fragment_length 512 both ways: our client asks s_server, s_client asks our server', async () => {
    const port = await freePort();
    const server = startOpenssl(['s_server', '-dtls1_2', '-nocert', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CCM8', '-accept', `127.0.0.1:${port}`, '-naccept', '1']);
    await server.waitFor(/ACCEPT/, 10_000);
    const { client, driver } = await startOurClient(port, { max_fragment_length: 512 });
    expect(await driver.until(() => client.state !== 'handshaking', 10_000)).toBe(true);
    expect(client.state).toBe('connected');
    expect(client.maxPlaintextBytes).toBe(512); // OpenSSL echoed the extension
    client.sendApplicationData(enc.encode('x'.repeat(700) + '\n')); // two records
    driver.flush();
    await server.waitFor(/x{700}/, 10_000);

    const ours = await startOurServer(true);
    const peer = startOpenssl(['s_client', '-dtls1_2', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CCM8', '-maxfraglen', '512', '-connect', `127.0.0.1:${ours.port}`]);
    peer.proc.stdin.write('hello\n');
    expect(await ours.driver.until(() => ours.driver.received.length > 0, 10_000)).toBe(true);
    // Our server echoed 512; OpenSSL would abort on a mismatching echo (RFC 6066 §4) and
    // does not print the value, so the completed handshake and the limit we apply are the check.
    expect(ours.server()!.maxPlaintextBytes).toBe(512);
    await peer.waitFor(/Cipher is PSK-AES128-CCM8/, 10_000);
  });

  it('openssl s_client with the wrong key is rejected by our server with bad_record_mac', async () => {
    const { port, driver, server: ours } = await startOurServer(true);
    const client = startOpenssl(['s_client', '-dtls1_2', '-psk', 'ff' + PSK_HEX.slice(2), '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CCM8', '-connect', `127.0.0.1:${port}`]);
    expect(await driver.until(() => ours()?.state === 'failed', 10_000)).toBe(true);
    expect(ours()!.failure).toMatchObject({ alert: 'bad_record_mac', raised_by: 'local' });
    await client.waitFor(/alert bad record mac|bad record mac/i, 10_000);
  });
});
