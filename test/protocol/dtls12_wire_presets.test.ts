import { describe, expect, it } from 'vitest';
import { decodeHandshakeFragments } from '../../src/protocol/dtls12/handshake_header.js';
import { decodeClientHello } from '../../src/protocol/dtls12/messages/client_hello.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { WIRE_PRESETS } from '../../src/protocol/dtls12/wire_presets.js';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

const withWire = (name: keyof typeof WIRE_PRESETS, overrides: Parameters<typeof pskSetup>[0] = {}) => {
  const base = pskSetup(overrides);
  const wire = WIRE_PRESETS[name];
  return buildDtls12Transcript({ ...base, client: { ...base.client, wire }, server: { ...base.server, wire } });
};
const helloExtensions = (t: ReturnType<typeof withWire>) =>
  decodeClientHello(decodeDatagram(t.flights[0]!.datagrams[0]!).flatMap((r) => decodeHandshakeFragments(r.fragment))[0]!.body).extensions.map((e) => e.type);

describe('wire-shape presets', () => {
  it('minimal (RFC 7925): a PSK ClientHello carries only what was asked for', () => {
    expect(helloExtensions(withWire('minimal'))).toEqual([0x0017]); // extended_master_secret
  });

  it('mbedtls: signature_algorithms, encrypt_then_mac and an empty SessionTicket in every ClientHello, as Mbed TLS 2.28 writes them', () => {
    expect(new Set(helloExtensions(withWire('mbedtls')))).toEqual(new Set([0x000d, 0x0017, 0x0023, 0x0016]));
    // 8 signature schemes: 2 type + 2 length + 2 list length + 16 = 22 bytes, + 4 + 4 for the two empty extensions.
    expect(withWire('mbedtls').flights[0]!.bytes - withWire('minimal').flights[0]!.bytes).toBe(22 + 4 + 4);
  });

  it('mbedtls with an ECDHE suite: the 13 curves of the default config in supported_groups, uncompressed points only', () => {
    const t = withWire('mbedtls', { cipher_suite: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', groups: ['secp256r1'] });
    expect(t.outcome.completed).toBe(true);
    const hex = Buffer.from(t.flights[0]!.datagrams[0]!).toString('hex');
    expect(hex).toContain('000a001c001a0017'); // 13 groups = 26 bytes, the configured secp256r1 first
    expect(hex).toContain('000b00020100');
  });

  it('every preset completes a handshake with our server, for PSK and certificates alike', () => {
    for (const name of ['minimal', 'mbedtls', 'openssl'] as const) expect(withWire(name).outcome.completed, name).toBe(true);
  });

  it('one record per datagram when the stack does not pack (pack_records: false)', () => {
    const base = pskSetup({ cookie: false });
    const wire = { ...WIRE_PRESETS.minimal, pack_records: false };
    const t = buildDtls12Transcript({ ...base, client: { ...base.client, wire }, server: { ...base.server, wire } });
    expect(t.outcome.completed).toBe(true);
    for (const f of t.flights) for (const d of f.datagrams) expect(decodeDatagram(d)).toHaveLength(1);
    expect(t.flights[1]!.datagrams).toHaveLength(2); // ServerHello, ServerHelloDone
  });
});
