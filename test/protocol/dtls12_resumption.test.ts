import { describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { Dtls12Client } from '../../src/protocol/dtls12/client.js';
import type { Dtls12Endpoint } from '../../src/protocol/dtls12/endpoint.js';
import { Dtls12Server } from '../../src/protocol/dtls12/server.js';
import { SessionCache, type Session } from '../../src/protocol/dtls12/session.js';
import { buildDtls12Resumptions } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

const shape = (t: { flights: { from: string; messages: string[]; phase: string }[] }) =>
  t.flights.filter((f) => f.phase === 'handshake').map((f) => `${f.from}: ${f.messages.join(', ')}`);

describe('session resumption (RFC 5246 §7.3, RFC 5077)', () => {
  it.each(['session_id', 'ticket'] as const)('resumes by %s: the abbreviated handshake has no key exchange and the server finishes first', (resumption) => {
    const { full, resumptions } = buildDtls12Resumptions(pskSetup({ resumption }), 2);
    expect(full.resumed).toBe(false);
    expect(resumptions).toHaveLength(2);
    const ticket = resumption === 'ticket' ? ['NewSessionTicket'] : [];
    expect(shape(full).slice(3)).toEqual([
      'server: ServerHello, ServerHelloDone',
      'client: ClientKeyExchange, ChangeCipherSpec, Finished',
      `server: ${[...ticket, 'ChangeCipherSpec', 'Finished'].join(', ')}`,
    ]);
    for (const r of resumptions) {
      expect(r.outcome.completed).toBe(true);
      expect(r.resumed).toBe(true);
      expect(shape(r)).toEqual([
        'client: ClientHello',
        'server: HelloVerifyRequest',
        'client: ClientHello',
        'server: ServerHello, ChangeCipherSpec, Finished',
        'client: ChangeCipherSpec, Finished',
      ]);
      // No ClientKeyExchange, so no key-exchange work: only the key block and the two Finished.
      const prf = r.ops.filter((o) => o.op === 'tls12_prf' && o.step <= r.flights.length && o.endpoint === 'client');
      expect(prf).toHaveLength(3);
    }
    // A resumption draws fresh randoms: its flights differ from the previous one's.
    expect(Buffer.from(resumptions[0]!.flights[0]!.datagrams[0]!).equals(Buffer.from(resumptions[1]!.flights[0]!.datagrams[0]!))).toBe(false);
  });

  function pair(options: { cache?: SessionCache; resume?: Session; clientEms?: boolean; seed: number }) {
    const meter = new OpMeter();
    const common = { encrypt_then_mac: true, mtu_bytes: 1200, initial_timeout_ms: 1000, max_timeout_ms: 60000, max_handshake_message_bytes: 16384, cipher_suites: ['TLS_PSK_WITH_AES_128_CCM_8' as const] };
    const key = Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'));
    const client = new Dtls12Client(new MeteredCrypto('client', meter, seededRandom(options.seed, 'c')), {
      ...common,
      extended_master_secret: options.clientEms ?? true,
      psk: { identity: new TextEncoder().encode('id'), key },
      ...(options.resume ? { resume: options.resume } : {}),
    });
    const server = new Dtls12Server(new MeteredCrypto('server', meter, seededRandom(options.seed, 's')), {
      ...common,
      extended_master_secret: true,
      psk_for_identity: () => key,
      cookie: false,
      cookie_secret: new Uint8Array(32),
      cookie_bytes: 32,
      session_id_bytes: 32,
      peer_id: new Uint8Array(0),
      ...(options.cache ? { session_cache: options.cache } : {}),
    });
    return { client, server };
  }

  /** Delivers whole flights until both sides stop; `drop` loses the n-th flight (1-based). */
  function exchange(client: Dtls12Endpoint & { start(now: number): void }, server: Dtls12Endpoint, drop?: number) {
    let now = 0;
    client.start(now);
    let flight = 0;
    for (let round = 0; round < 20; round++) {
      let moved = false;
      for (const [from, to] of [[client, server], [server, client]] as const) {
        const out = from.pollOutput();
        if (out.length === 0) continue;
        moved = true;
        if (++flight === drop) continue;
        for (const d of out) to.handleDatagram(d, now);
      }
      if (!moved) {
        // Nothing in flight: let the earliest timer fire.
        const t = [client.nextTimeout(), server.nextTimeout()].filter((x): x is number => x !== null);
        if (t.length === 0) break;
        now = Math.min(...t);
        client.handleTimeout(now);
        server.handleTimeout(now);
      }
    }
  }

  it('falls back to a full handshake for a session the server does not know', () => {
    const first = pair({ cache: new SessionCache(4), seed: 1 });
    exchange(first.client, first.server);
    const saved = first.client.session!;
    const second = pair({ cache: new SessionCache(4), resume: saved, seed: 2 });
    exchange(second.client, second.server);
    expect(second.client.state).toBe('connected');
    expect(second.client.resumed).toBe(false);
    expect(second.server.resumed).toBe(false);
  });

  it('refuses to resume an extended-master-secret session without the extension (RFC 7627 §5.3)', () => {
    const cache = new SessionCache(4);
    const first = pair({ cache, seed: 1 });
    exchange(first.client, first.server);
    expect(first.client.session!.extended_master_secret).toBe(true);
    const second = pair({ cache, resume: first.client.session!, clientEms: false, seed: 2 });
    exchange(second.client, second.server);
    expect(second.server.failure).toMatchObject({ alert: 'handshake_failure', raised_by: 'local' });
  });

  it("recovers when the client's final flight of an abbreviated handshake is lost: the server's timer resends, the client answers", () => {
    const cache = new SessionCache(4);
    const first = pair({ cache, seed: 1 });
    exchange(first.client, first.server);
    const second = pair({ cache, resume: first.client.session!, seed: 2 });
    // Flights: 1 ClientHello, 2 ServerHello+CCS+Finished, 3 the client's CCS+Finished (lost).
    exchange(second.client, second.server, 3);
    expect(second.server.resumed).toBe(true);
    expect(second.server.state).toBe('connected');
    expect(second.client.state).toBe('connected');
    expect(second.server.retransmissions).toBe(1);
    expect(second.client.retransmissions).toBe(1);
  });
});
