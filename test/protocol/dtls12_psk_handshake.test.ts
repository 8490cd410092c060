import { describe, expect, it } from 'vitest';
import { buildDtls12PskTranscript } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

describe('DTLS 1.2 PSK handshake (lock step, lossless)', () => {
  it('runs the six flights of RFC 6347 Fig. 1 with a cookie exchange', () => {
    const t = buildDtls12PskTranscript(pskSetup());
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
    const t = buildDtls12PskTranscript(pskSetup({ cookie: false, psk_identity_hint: new TextEncoder().encode('hint') }));
    expect(t.outcome).toEqual({ completed: true });
    expect(t.flights.filter((f) => f.phase === 'handshake').map((f) => f.messages)).toEqual([
      ['ClientHello'],
      ['ServerHello', 'ServerKeyExchange', 'ServerHelloDone'],
      ['ClientKeyExchange', 'ChangeCipherSpec', 'Finished'],
      ['ChangeCipherSpec', 'Finished'],
    ]);
  });

  it('gives the same bytes for the same seed and different bytes for another', () => {
    const a = buildDtls12PskTranscript(pskSetup());
    const b = buildDtls12PskTranscript(pskSetup());
    const c = buildDtls12PskTranscript(pskSetup({ seed: 2 }));
    const hex = (t: typeof a) => t.flights.map((f) => f.datagrams.map((d) => Buffer.from(d).toString('hex')).join()).join('|');
    expect(hex(a)).toBe(hex(b));
    expect(hex(a)).not.toBe(hex(c));
  });
});
