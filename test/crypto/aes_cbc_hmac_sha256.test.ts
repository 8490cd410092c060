import { describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';

/** The two primitives of TLS_PSK_WITH_AES_128_CBC_SHA256, checked against their published vectors. */

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const repeat = (byte: number, n: number): Uint8Array => new Uint8Array(n).fill(byte);

function metered(): { crypto: MeteredCrypto; meter: OpMeter } {
  const meter = new OpMeter();
  return { crypto: new MeteredCrypto('client', meter, seededRandom(1, 'kat')), meter };
}

describe('AES-128-CBC through the metered interface', () => {
  // NIST SP 800-38A (2001), Appendix F.2.1 CBC-AES128.Encrypt and F.2.2 CBC-AES128.Decrypt.
  const key = hex('2b7e151628aed2a6abf7158809cf4f3c');
  const iv = hex('000102030405060708090a0b0c0d0e0f');
  const plaintext = hex(`
    6bc1bee22e409f96e93d7e117393172a
    ae2d8a571e03ac9c9eb76fac45af8e51
    30c81c46a35ce411e5fbc1191a0a52ef
    f69f2445df4f9b17ad2b417be66c3710`);
  const ciphertext = `
    7649abac8119b246cee98e9b12e9197d
    5086cb9b507219ee95db113a917678b2
    73bed6b8e3c1743b7116e69e22229516
    3ff1caa1681fac09120eca307586e1a7`.replace(/\s+/g, '');

  it('reproduces SP 800-38A F.2.1 (encrypt) and F.2.2 (decrypt), four blocks, no padding added', () => {
    const { crypto, meter } = metered();
    const ct = crypto.aes128CbcEncrypt(key, iv, plaintext);
    expect(toHex(ct)).toBe(ciphertext);
    expect(crypto.aes128CbcDecrypt(key, iv, ct)).toEqual(plaintext);
    // Each call is one record-layer op over the whole blocks.
    expect(meter.ops.map((o) => [o.op, o.bytes, o.record_layer])).toEqual([
      ['aes128_cbc.encrypt', 64, 'seal'],
      ['aes128_cbc.decrypt', 64, 'open'],
    ]);
  });

  it('chains: the first block alone gives F.2.1 block 1, and block 2 under IV = ciphertext block 1 gives block 2', () => {
    const { crypto } = metered();
    const c1 = crypto.aes128CbcEncrypt(key, iv, plaintext.subarray(0, 16));
    expect(toHex(c1)).toBe(ciphertext.slice(0, 32));
    expect(toHex(crypto.aes128CbcEncrypt(key, c1, plaintext.subarray(16, 32)))).toBe(ciphertext.slice(32, 64));
  });
});

describe('HMAC-SHA-256 through the metered interface (RFC 4231 §4)', () => {
  const CASES = [
    { name: 'Test Case 1', key: repeat(0x0b, 20), data: ascii('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
    { name: 'Test Case 2', key: ascii('Jefe'), data: ascii('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
    { name: 'Test Case 3', key: repeat(0xaa, 20), data: repeat(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
    {
      name: 'Test Case 4',
      key: Uint8Array.from({ length: 25 }, (_, i) => i + 1),
      data: repeat(0xcd, 50),
      mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
    },
    // The RFC gives only the first 128 bits for this case (truncation test).
    { name: 'Test Case 5 (truncated to 128 bits)', key: repeat(0x0c, 20), data: ascii('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
    {
      name: 'Test Case 6 (131-byte key, hashed first)',
      key: repeat(0xaa, 131),
      data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    },
    {
      name: 'Test Case 7 (131-byte key and long data)',
      key: repeat(0xaa, 131),
      data: ascii(
        'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
      ),
      mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
    },
  ];

  it.each(CASES)('$name', ({ key, data, mac }) => {
    const { crypto, meter } = metered();
    expect(toHex(crypto.hmacSha256(key, data)).slice(0, mac.length)).toBe(mac);
    expect(meter.ops).toEqual([{ endpoint: 'client', op: 'hmac_sha256', step: 0, record_layer: false, bytes: data.length }]);
  });

  it('records a record MAC as record-layer work on the side that computed it', () => {
    const { crypto, meter } = metered();
    const c = CASES[0]!;
    expect(toHex(crypto.hmacSha256(c.key, c.data, 'seal'))).toBe(c.mac);
    expect(toHex(crypto.hmacSha256(c.key, c.data, 'open'))).toBe(c.mac);
    expect(meter.ops.map((o) => o.record_layer)).toEqual(['seal', 'open']);
  });
});
