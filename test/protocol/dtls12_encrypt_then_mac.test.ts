import { describe, expect, it } from 'vitest';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import { EXT_ENCRYPT_THEN_MAC, HandshakeType } from '../../src/protocol/dtls12/constants.js';
import { decodeHandshakeFragments, encodeHandshake } from '../../src/protocol/dtls12/handshake_header.js';
import { decodeClientHello, encodeClientHello } from '../../src/protocol/dtls12/messages/client_hello.js';
import type { Extension } from '../../src/protocol/dtls12/messages/extensions.js';
import { decodeServerHello, encodeServerHello } from '../../src/protocol/dtls12/messages/server_hello.js';
import { decodeDatagram, encodeRecord } from '../../src/protocol/dtls12/record.js';
import { dtls12Pair, lockStepHandshake } from '../helpers/dtls12_pair.js';

/** The encrypt_then_mac extension (RFC 7366) between our client and server, by hand. */

const CBC: CipherSuiteName = 'TLS_PSK_WITH_AES_128_CBC_SHA256';
const CCM_8: CipherSuiteName = 'TLS_PSK_WITH_AES_128_CCM_8';

/** The extensions of the first hello of `msgType` in a flight. */
function helloExtensions(flight: Uint8Array[], msgType: number): Extension[] {
  for (const d of flight)
    for (const r of decodeDatagram(d)) {
      if (r.type !== 22 || r.epoch !== 0) continue;
      const hello = decodeHandshakeFragments(r.fragment).find((f) => f.msg_type === msgType);
      if (hello) return (msgType === HandshakeType.client_hello ? decodeClientHello(hello.body) : decodeServerHello(hello.body)).extensions;
    }
  throw new Error(`no handshake message ${msgType} in the flight`);
}

const hasEtm = (exts: Extension[]) => exts.some((e) => e.type === EXT_ENCRYPT_THEN_MAC);

/** Rewrites the extensions of a ClientHello or ServerHello carried whole in an epoch-0 datagram. */
function rewriteHelloExtensions(datagram: Uint8Array, msgType: number, change: (exts: Extension[]) => Extension[]): Uint8Array {
  const records = decodeDatagram(datagram).map((r) => {
    if (r.type !== 22 || r.epoch !== 0) return encodeRecord(r);
    const parts = decodeHandshakeFragments(r.fragment).map((f) => {
      if (f.msg_type !== msgType) return encodeHandshake(f.msg_type, f.message_seq, f.body);
      if (msgType === HandshakeType.client_hello) {
        const ch = decodeClientHello(f.body);
        return encodeHandshake(f.msg_type, f.message_seq, encodeClientHello({ ...ch, extensions: change(ch.extensions) }));
      }
      const sh = decodeServerHello(f.body);
      return encodeHandshake(f.msg_type, f.message_seq, encodeServerHello({ ...sh, extensions: change(sh.extensions) }));
    });
    return encodeRecord({ ...r, fragment: Uint8Array.from(parts.flatMap((p) => [...p])) });
  });
  return Uint8Array.from(records.flatMap((r) => [...r]));
}

describe('encrypt_then_mac negotiation (RFC 7366)', () => {
  it.each([
    { client: true, server: true, negotiated: true },
    { client: true, server: false, negotiated: false },
    { client: false, server: true, negotiated: false },
    { client: false, server: false, negotiated: false },
  ])('CBC, client option $client, server option $server: negotiated $negotiated, and the keys agree', ({ client: c, server: s, negotiated }) => {
    const { client, server, flights } = lockStepHandshake(
      dtls12Pair({ cookie: false, suites: [CBC], client: { encrypt_then_mac: c }, server: { encrypt_then_mac: s } }),
    );
    expect([client.state, server.state]).toEqual(['connected', 'connected']);
    expect(hasEtm(helloExtensions(flights[0]!, HandshakeType.client_hello))).toBe(c);
    expect(hasEtm(helloExtensions(flights[1]!, HandshakeType.server_hello))).toBe(negotiated);
    expect([client.encryptThenMac, server.encryptThenMac]).toEqual([negotiated, negotiated]);
    // Application data both ways under the negotiated record format.
    client.sendApplicationData(new TextEncoder().encode('up'));
    for (const d of client.pollOutput()) server.handleDatagram(d, 1);
    server.sendApplicationData(new TextEncoder().encode('down'));
    for (const d of server.pollOutput()) client.handleDatagram(d, 1);
    expect(server.takeApplicationData().map((b) => new TextDecoder().decode(b))).toEqual(['up']);
    expect(client.takeApplicationData().map((b) => new TextDecoder().decode(b))).toEqual(['down']);
  });

  it('is not offered without a CBC suite, and not echoed when the server picks an AEAD suite', () => {
    const aeadOnly = lockStepHandshake(dtls12Pair({ cookie: false, suites: [CCM_8] }));
    expect(hasEtm(helloExtensions(aeadOnly.flights[0]!, HandshakeType.client_hello))).toBe(false);

    // Offered with CCM_8 first: the server takes CCM_8 and must not echo (RFC 7366 §3).
    const mixed = lockStepHandshake(dtls12Pair({ cookie: false, suites: [CCM_8, CBC], server: { cipher_suites: [CCM_8, CBC] } }));
    expect(hasEtm(helloExtensions(mixed.flights[0]!, HandshakeType.client_hello))).toBe(true);
    expect(hasEtm(helloExtensions(mixed.flights[1]!, HandshakeType.server_hello))).toBe(false);
    expect([mixed.client.state, mixed.server.state]).toEqual(['connected', 'connected']);
    expect([mixed.client.encryptThenMac, mixed.server.encryptThenMac]).toEqual([false, false]);
  });

  /** A handshake whose ServerHello (flight index 1, no cookie) has its extensions changed. */
  const withServerHello = (suites: CipherSuiteName[], clientEtm: boolean, change: (exts: Extension[]) => Extension[], ems = true) =>
    lockStepHandshake(
      dtls12Pair({
        cookie: false,
        suites,
        client: { encrypt_then_mac: clientEtm, extended_master_secret: ems },
        server: { cipher_suites: suites, extended_master_secret: ems },
      }),
      {
        rewrite: (flight, d) => (flight === 1 ? rewriteHelloExtensions(d, HandshakeType.server_hello, change) : d),
      },
    );
  const addEtm = (data = new Uint8Array(0)) => (exts: Extension[]) => [...exts, { type: EXT_ENCRYPT_THEN_MAC, data }];

  it('the client rejects an echo with an AEAD suite (illegal_parameter), one it did not ask for (unsupported_extension), and one with data (decode_error)', () => {
    const aead = withServerHello([CCM_8, CBC], true, addEtm());
    expect(aead.client.failure).toMatchObject({ alert: 'illegal_parameter', raised_by: 'local' });
    expect(aead.client.failure!.reason).toMatch(/encrypt_then_mac with TLS_PSK_WITH_AES_128_CCM_8, which is not a CBC suite/);

    const unasked = withServerHello([CBC], false, addEtm());
    expect(unasked.client.failure).toMatchObject({ alert: 'unsupported_extension', raised_by: 'local' });

    const withData = withServerHello([CBC], true, addEtm(Uint8Array.of(0)));
    expect(withData.client.failure).toMatchObject({ alert: 'decode_error', raised_by: 'local' });
  });

  it('the server rejects a ClientHello whose encrypt_then_mac carries data (decode_error)', () => {
    const { server } = lockStepHandshake(dtls12Pair({ cookie: false, suites: [CBC] }), {
      rewrite: (flight, d) =>
        flight === 0 ? rewriteHelloExtensions(d, HandshakeType.client_hello, (exts) => exts.map((e) => (e.type === EXT_ENCRYPT_THEN_MAC ? { ...e, data: Uint8Array.of(1) } : e))) : d,
    });
    expect(server.failure).toMatchObject({ alert: 'decode_error', raised_by: 'local' });
  });

  it('a peer that sealed with the other order is rejected with bad_record_mac, not misread', () => {
    // Strip the echo: the server uses encrypt-then-MAC, the client (never told) MAC-then-encrypt.
    // Without the extended master secret both still derive the same keys (the altered
    // ServerHello only breaks the transcript), so the record format alone makes this fail.
    const { client, server } = withServerHello([CBC], true, (exts) => exts.filter((e) => e.type !== EXT_ENCRYPT_THEN_MAC), false);
    expect([client.encryptThenMac, server.encryptThenMac]).toEqual([false, true]);
    expect(server.failure).toMatchObject({ alert: 'bad_record_mac', raised_by: 'local' });
  });
});
