import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import { Dtls12Client, type Dtls12ClientOptions } from '../../src/protocol/dtls12/client.js';
import { Dtls12Server, type Dtls12ServerOptions } from '../../src/protocol/dtls12/server.js';

export const TEST_PSK = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
export const TEST_IDENTITY = new TextEncoder().encode('Client_identity');

export interface PairOptions {
  mtu?: number;
  cookie?: boolean;
  suites?: CipherSuiteName[];
  client?: Partial<Dtls12ClientOptions>;
  server?: Partial<Dtls12ServerOptions>;
}

/** Our client and server, seeded, for driving the sans-IO engine by hand (no transcript builder). */
export function dtls12Pair(o: PairOptions = {}): { client: Dtls12Client; server: Dtls12Server } {
  const meter = new OpMeter();
  const common = {
    mtu_bytes: o.mtu ?? 1200,
    initial_timeout_ms: 1000,
    max_timeout_ms: 60000,
    max_handshake_message_bytes: 16384,
    cipher_suites: o.suites ?? ['TLS_PSK_WITH_AES_128_CCM_8'],
    extended_master_secret: true,
    encrypt_then_mac: true,
  };
  const client = new Dtls12Client(new MeteredCrypto('client', meter, seededRandom(1, 'c')), {
    ...common,
    psk: { identity: TEST_IDENTITY, key: TEST_PSK },
    ...o.client,
  });
  const server = new Dtls12Server(new MeteredCrypto('server', meter, seededRandom(1, 's')), {
    ...common,
    psk_for_identity: () => TEST_PSK,
    cookie: o.cookie ?? true,
    cookie_secret: new Uint8Array(32),
    cookie_bytes: 32,
    session_id_bytes: 32,
    peer_id: new Uint8Array([1]),
    ...o.server,
  });
  return { client, server };
}

/**
 * Runs the handshake in lock step; returns every flight's datagrams in order (as sent, before
 * `rewrite`). `reorder` delivers each flight's datagrams last first; `rewrite` may change a
 * datagram on its way (flight index from 0).
 */
export function lockStepHandshake(
  { client, server }: ReturnType<typeof dtls12Pair>,
  o: { reorder?: boolean; rewrite?: (flight: number, datagram: Uint8Array) => Uint8Array } = {},
) {
  const flights: Uint8Array[][] = [];
  client.start(0);
  let from: 'client' | 'server' = 'client';
  let out = client.pollOutput();
  while (out.length > 0 && flights.length < 10) {
    flights.push(out);
    const to = from === 'client' ? server : client;
    const delivered = out.map((d) => (o.rewrite ? o.rewrite(flights.length - 1, d) : d));
    for (const d of o.reorder ? [...delivered].reverse() : delivered) to.handleDatagram(d, 0);
    from = from === 'client' ? 'server' : 'client';
    out = to.pollOutput();
  }
  return { client, server, flights };
}
