import { describe, expect, it } from 'vitest';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

describe('DTLS 1.2 PSK handshake (lock step, lossless)', () => {
  it('runs the six flights of RFC 6347 Fig. 1 with a cookie exchange', () => {
    const t = buildDtls12Transcript(pskSetup());
    expect(t.outcome).toEqual({ completed: true });
    const hs = t.flights.filter((f) => f.phase === 'handshake');
    expect(hs.map((f) => [f.from, f.messages])).toEqual([
      ['client', ['ClientHello']],
      ['server', ['HelloVerifyRequest']],
      ['client', ['ClientHello']],
      ['server', ['ServerHello', 'ServerHelloDone']],
      ['client', ['ClientKeyExchange', 'ChangeCipherSpec', 'Finished']],
      ['server', ['ChangeCipherSpec', 'Finished']],
    ]);
    expect(hs.map((f) => f.arms_timer)).toEqual([true, false, true, true, true, false]);
    expect(hs.map((f) => f.stateless)).toEqual([false, true, false, false, false, false]);
    const app = t.flights.filter((f) => f.phase === 'application');
    expect(app.map((f) => f.from)).toEqual(['client', 'server']);
  });

  it('runs four flights without the cookie, and a ServerKeyExchange when a hint is set', () => {
    const t = buildDtls12Transcript(pskSetup({ cookie: false, psk_identity_hint: new TextEncoder().encode('hint') }));
    expect(t.outcome).toEqual({ completed: true });
    expect(t.flights.filter((f) => f.phase === 'handshake').map((f) => f.messages)).toEqual([
      ['ClientHello'],
      ['ServerHello', 'ServerKeyExchange', 'ServerHelloDone'],
      ['ClientKeyExchange', 'ChangeCipherSpec', 'Finished'],
      ['ChangeCipherSpec', 'Finished'],
    ]);
  });

  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = buildDtls12Transcript(pskSetup());
    const b = buildDtls12Transcript(pskSetup());
    const c = buildDtls12Transcript(pskSetup({ seed: 2 }));
    const hex = (t: typeof a) => t.flights.map((f) => f.datagrams.map((d) => Buffer.from(d).toString('hex')).join()).join('|');
    expect(hex(a)).toBe(hex(b));
    expect(hex(a)).not.toBe(hex(c));
  });
});

describe('the transcript records every crypto op and memory event where it happens', () => {
  const t = buildDtls12Transcript(pskSetup({ cookie: true }));
  const at = (endpoint: 'client' | 'server', step: number) => t.ops.filter((o) => o.endpoint === endpoint && o.step === step).map((o) => o.op);

  it('puts each op at the step (flight received) that triggered it, per endpoint, with its sizes', () => {
    // Step 0: the client draws its 32-byte random and hashes its first ClientHello.
    expect(t.ops.filter((o) => o.step === 0)).toEqual([
      { endpoint: 'client', op: 'rng', step: 0, record_layer: false, bytes: 32 },
      { endpoint: 'client', op: 'sha256.update', step: 0, record_layer: false, bytes: t.flights[0]!.bytes - 13 },
    ]);
    // Step 1: the stateless server computes the cookie (one HMAC) and nothing else.
    expect(at('server', 1)).toEqual(['hmac_sha256']);
    // Step 3: the server checks the cookie, draws its random and session id, hashes its flight.
    expect(at('server', 3).filter((o) => o === 'hmac_sha256' || o === 'rng')).toEqual(['hmac_sha256', 'rng', 'rng']);
    // Step 4: the client derives keys (PRF for master secret, key block, Finished) and encrypts its Finished.
    expect(at('client', 4).filter((o) => o.startsWith('tls12_prf') || o.startsWith('aes'))).toEqual(['tls12_prf', 'tls12_prf', 'tls12_prf', 'aes128_ccm.encrypt']);
    // Steps 5 and 6: each side decrypts the peer's Finished (a record-layer op) and checks it.
    for (const [who, step] of [['server', 5], ['client', 6]] as const) {
      const dec = t.ops.find((o) => o.endpoint === who && o.step === step && o.op === 'aes128_ccm.decrypt')!;
      expect(dec).toMatchObject({ record_layer: 'open', bytes: 12 + 12, aad_bytes: 13 });
    }
    // The first PRF is the master secret: with RFC 7627 its seed is the 32-byte session hash.
    const prf = t.ops.find((o) => o.op === 'tls12_prf')!;
    expect(prf).toMatchObject({ bytes: 'extended master secret'.length + 32, out_bytes: 48 });
    const classic = buildDtls12Transcript(pskSetup({ client: { ...pskSetup().client, extended_master_secret: false } }));
    expect(classic.outcome).toEqual({ completed: true });
    expect(classic.ops.find((o) => o.op === 'tls12_prf')).toMatchObject({ bytes: 'master secret'.length + 64, out_bytes: 48 });
    // Without the extension the ClientHello is 6 bytes shorter: the extensions block length (2) and one empty extension (4).
    expect(t.flights[0]!.bytes - classic.flights[0]!.bytes).toBe(2 + 4);
  });

  it('records the stack memory model: setup, handshake parameters freed at the end, session keys kept', () => {
    const client = t.memory.filter((m) => m.endpoint === 'client');
    // The test model has only the required figures: what it cannot size is marked, at 0 bytes.
    expect(client.map((m) => [m.label, Math.sign(m.bytes)])).toEqual([
      ['ssl_context', 1],
      ['ssl_config', 1],
      ['drbg_context', 1],
      ['in_record_buffer', 1],
      ['out_record_buffer', 1],
      ['psk', 1],
      ['handshake_params', 1],
      ['transcript hash contexts', 0],
      ['retransmission (flight) buffer', 0],
      ['session_keys', 1],
      ['handshake_params', -1],
    ]);
    expect(client.filter((m) => m.bytes === 0).every((m) => m.not_modelled)).toBe(true);
    expect(client.find((m) => m.label === 'session_keys')!.step).toBe(4);
    expect(client.at(-1)!.step).toBe(6);
  });
});
