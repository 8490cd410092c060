import { createHmac } from 'node:crypto';
import { describe, it, expect, vi, beforeEach } from 'vitest';
import { tls12Prf, tls12PrfHmacCalls } from '../../src/crypto/tls12_prf.js';

// Wrap noble's hmac so every HMAC call tls12Prf makes is logged with its message length.
// vi.mock is hoisted above the imports, so the log must come from vi.hoisted.
const hmacLog = vi.hoisted(() => ({ messageLengths: [] as number[] }));
vi.mock('@noble/hashes/hmac.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('@noble/hashes/hmac.js')>();
  const counting = (hash: Parameters<typeof original.hmac>[0], key: Uint8Array, message: Uint8Array) => {
    hmacLog.messageLengths.push(message.length);
    return original.hmac(hash, key, message);
  };
  return { ...original, hmac: Object.assign(counting, { create: original.hmac.create }) };
});

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

beforeEach(() => {
  hmacLog.messageLengths.length = 0;
});

describe('tls12Prf (P_SHA256)', () => {
  // The widely used TLS 1.2 PRF test vector for P_SHA256, posted to the IETF TLS WG list
  // (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html); RFC 5246 itself has none.
  it('matches the published P_SHA256 vector (100 bytes)', () => {
    const out = tls12Prf(
      hex('9bbe436ba940f017b17652849a71db35'),
      'test label',
      hex('a0ba9f936cda311827a6f796ffd5198c'),
      100,
    );
    expect(toHex(out)).toBe(
      'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a' +
        '6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab' +
        '4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701' +
        '87347b66',
    );
  });

  it('shorter outputs are prefixes of longer ones', () => {
    const secret = hex('9bbe436ba940f017b17652849a71db35');
    const seed = hex('a0ba9f936cda311827a6f796ffd5198c');
    const full = toHex(tls12Prf(secret, 'test label', seed, 100));
    for (const n of [0, 1, 12, 31, 32, 33, 48, 64, 99]) {
      expect(toHex(tls12Prf(secret, 'test label', seed, n))).toBe(full.slice(0, 2 * n));
    }
  });

  it('agrees with a straight RFC 5246 §5 implementation on node:crypto HMAC', () => {
    const nodePrf = (secret: Uint8Array, label: string, seed: Uint8Array, n: number): string => {
      const s = Buffer.concat([Buffer.from(label, 'ascii'), seed]);
      let a: Buffer = s;
      let out = Buffer.alloc(0);
      while (out.length < n) {
        a = createHmac('sha256', secret).update(a).digest();
        out = Buffer.concat([out, createHmac('sha256', secret).update(Buffer.concat([a, s])).digest()]);
      }
      return out.subarray(0, n).toString('hex');
    };
    const secret = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677');
    for (const [label, seedLength, n] of [
      ['master secret', 64, 48],
      ['key expansion', 64, 40],
      ['client finished', 32, 12],
      ['', 0, 1],
      ['x', 200, 129],
    ] as const) {
      const seed = Uint8Array.from({ length: seedLength }, (_, i) => (i * 7 + 3) & 0xff);
      expect(toHex(tls12Prf(secret, label, seed, n)), `${label}/${n}`).toBe(nodePrf(secret, label, seed, n));
    }
  });

  it('rejects a non-ASCII label and a bad output length', () => {
    const k = new Uint8Array(16);
    expect(() => tls12Prf(k, 'lab\u00e9l', k, 12)).toThrow(RangeError);
    expect(() => tls12Prf(k, 'label', k, -1)).toThrow(RangeError);
    expect(() => tls12Prf(k, 'label', k, 1.5)).toThrow(RangeError);
    expect(() => tls12PrfHmacCalls(-1, 12)).toThrow(RangeError);
  });
});

describe('tls12PrfHmacCalls matches the HMAC calls tls12Prf really makes', () => {
  it('the counting wrapper is in place (sanity check for the checks below)', () => {
    tls12Prf(new Uint8Array(48), 'master secret', new Uint8Array(64), 48);
    expect(hmacLog.messageLengths.length).toBeGreaterThan(0);
  });

  it('published vector: 26 bytes of label+seed, 100 bytes out -> 4 blocks, 8 calls', () => {
    tls12Prf(hex('9bbe436ba940f017b17652849a71db35'), 'test label', hex('a0ba9f936cda311827a6f796ffd5198c'), 100);
    const predicted = tls12PrfHmacCalls(26, 100);
    expect(predicted).toEqual({ hmacCalls: 8, hmacInputBytes: [26, 58, 32, 58, 32, 58, 32, 58] });
    expect(hmacLog.messageLengths).toEqual(predicted.hmacInputBytes);
  });

  it('traced runs agree with the prediction over many label, seed and output lengths', () => {
    const labels = ['', 'key expansion', 'master secret', 'extended master secret', 'client finished'];
    const seedLengths = [0, 1, 32, 64, 100];
    const outputLengths = [0, 1, 12, 31, 32, 33, 48, 63, 64, 65, 104, 128, 200];
    for (const label of labels) {
      for (const seedLength of seedLengths) {
        for (const n of outputLengths) {
          hmacLog.messageLengths.length = 0;
          tls12Prf(new Uint8Array(48), label, new Uint8Array(seedLength), n);
          const predicted = tls12PrfHmacCalls(label.length + seedLength, n);
          const where = `label ${JSON.stringify(label)}, seed ${seedLength}, out ${n}`;
          expect(hmacLog.messageLengths, where).toEqual(predicted.hmacInputBytes);
          expect(predicted.hmacCalls, where).toBe(hmacLog.messageLengths.length);
        }
      }
    }
  });
});
