import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { systemRandom } from '../../src/crypto/random_source.js';
import { UdpSession } from '../../src/interop/udp_session.js';
import { Dtls12Client, type Dtls12ClientOptions } from '../../src/protocol/dtls12/client.js';
import { Dtls12Server, type Dtls12ServerOptions } from '../../src/protocol/dtls12/server.js';
import { SessionCache } from '../../src/protocol/dtls12/session.js';
import { freePort } from '../helpers/free_port.js';
import { cleanUpPeersAfterEach, startPeer, trackSession } from '../helpers/peer_process.js';

/**
 * Session resumption against OpenSSL 3 on 127.0.0.1: the abbreviated handshake of RFC 5246
 * §7.3 by session ID and by RFC 5077 ticket, our client against s_server and s_client against
 * our server, with application data after each resumed handshake.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const PSK_HEX = '000102030405060708090a0b0c0d0e0f';
const IDENTITY = 'Client_identity';
const enc = new TextEncoder();
const psk = { identity: enc.encode(IDENTITY), key: Uint8Array.from(Buffer.from(PSK_HEX, 'hex')) };
const common = {
  mtu_bytes: 1200,
  initial_timeout_ms: 1000,
  max_timeout_ms: 60000,
  max_handshake_message_bytes: 16384,
  extended_master_secret: true,
  encrypt_then_mac: true,
  cipher_suites: ['TLS_PSK_WITH_AES_128_CCM_8' as const],
};
const dir = mkdtempSync(join(tmpdir(), 'hs-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cleanUpPeersAfterEach();

async function connectOurClient(port: number, extra: Partial<Dtls12ClientOptions>): Promise<{ client: Dtls12Client; session: UdpSession }> {
  const client = new Dtls12Client(new MeteredCrypto('client', new OpMeter(), systemRandom), { ...common, psk, ...extra });
  const session = trackSession(new UdpSession(client));
  await session.bind('127.0.0.1', 0);
  session.connect({ host: '127.0.0.1', port });
  client.start(Date.now());
  session.flush();
  expect(await session.until(() => client.state !== 'handshaking', 10_000)).toBe(true);
  expect(client.failure).toBeUndefined();
  return { client, session };
}

async function listenOurServer(extra: Partial<Dtls12ServerOptions>): Promise<{ port: number; server: () => Dtls12Server | undefined; session: UdpSession }> {
  let server: Dtls12Server | undefined;
  const session = trackSession(
    new UdpSession((peer) => {
      server = new Dtls12Server(new MeteredCrypto('server', new OpMeter(), systemRandom), {
        ...common,
        psk_for_identity: (id) => (new TextDecoder().decode(id) === IDENTITY ? psk.key : undefined),
        cookie: true,
        cookie_secret: systemRandom(32),
        cookie_bytes: 32,
        session_id_bytes: 32,
        peer_id: enc.encode(`${peer.host}:${peer.port}`),
        ...extra,
      });
      return server;
    }),
  );
  return { port: await session.bind('127.0.0.1', 0), server: () => server, session };
}

describe.skipIf(!hasOpenssl)('session resumption with OpenSSL 3 (DTLS 1.2)', () => {
  it.each([
    { mode: 'session_id' as const, serverFlags: ['-no_ticket'] },
    { mode: 'ticket' as const, serverFlags: [] },
  ])('our client resumes an s_server session by $mode', async ({ mode, serverFlags }) => {
    const port = await freePort();
    const server = startPeer('openssl', [
      's_server', '-dtls1_2', '-nocert', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CCM8',
      '-accept', `127.0.0.1:${port}`, '-naccept', '2', ...serverFlags,
    ]);
    await server.waitFor(/ACCEPT/, 10_000);
    const tickets = mode === 'ticket' ? { session_tickets: true } : {};
    const first = await connectOurClient(port, tickets);
    expect(first.client.resumed).toBe(false);
    const saved = first.client.session!;
    if (mode === 'ticket') expect(saved.ticket!.length).toBeGreaterThan(0);
    else expect(saved.id.length).toBe(32);
    first.client.sendApplicationData(enc.encode('first connection\n'));
    first.session.flush();
    await server.waitFor(/first connection/, 10_000);
    // s_server serves connections one after the other; close_notify lets it move on.
    first.client.close();
    first.session.flush();

    const second = await connectOurClient(port, { ...tickets, resume: saved });
    expect(second.client.state).toBe('connected');
    expect(second.client.resumed).toBe(true);
    second.client.sendApplicationData(enc.encode('resumed connection\n'));
    second.session.flush();
    await server.waitFor(/resumed connection/, 10_000);
    server.proc.stdin.write('reply\n');
    expect(await second.session.until(() => second.session.received.length > 0, 10_000)).toBe(true);
    expect(new TextDecoder().decode(second.session.received[0])).toBe('reply\n');
    // The abbreviated handshake: the server's flight is ServerHello, [NewSessionTicket], CCS, Finished; no ServerHelloDone.
    expect(second.session.wire.filter((w) => w.direction === 'received').length).toBeLessThan(first.session.wire.filter((w) => w.direction === 'received').length);
  });

  it.each([
    { mode: 'session_id' as const, clientFlags: ['-no_ticket'] },
    { mode: 'ticket' as const, clientFlags: [] },
  ])('openssl s_client resumes a session with our server by $mode', async ({ mode, clientFlags }) => {
    const cache = new SessionCache(10);
    const tickets = mode === 'ticket' ? { session_tickets: { key: { name: systemRandom(4), key: systemRandom(16) }, lifetime_s: 3600 } } : {};
    const sessFile = join(dir, `${mode}.pem`);
    const run = async (extraArgs: string[]) => {
      const ours = await listenOurServer({ session_cache: cache, ...tickets });
      const client = startPeer('openssl', [
        's_client', '-dtls1_2', '-psk', PSK_HEX, '-psk_identity', IDENTITY, '-cipher', 'PSK-AES128-CCM8',
        '-connect', `127.0.0.1:${ours.port}`, ...clientFlags, ...extraArgs,
      ]);
      client.proc.stdin.write('hello\n');
      expect(await ours.session.until(() => ours.session.received.length > 0, 10_000)).toBe(true);
      ours.server()!.sendApplicationData(ours.session.received[0]!);
      ours.session.flush();
      await client.waitFor(/^hello$/m, 10_000);
      return { ours, client };
    };
    const first = await run(['-sess_out', sessFile]);
    expect(first.ours.server()!.resumed).toBe(false);
    await first.client.waitFor(/^New, /m, 10_000);
    first.client.proc.kill();
    const second = await run(['-sess_in', sessFile]);
    expect(second.ours.server()!.resumed).toBe(true);
    await second.client.waitFor(/^Reused, /m, 10_000);
  });
});
