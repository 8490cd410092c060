import { createCipheriv } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';
import { describe, it, expect } from 'vitest';
import { aesCcmDecrypt, aesCcmEncrypt } from '../../src/crypto/aes_ccm.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
/** Bytes first, first+1, ... (mod 256): the counting patterns the published vectors use. */
const range = (first: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (first + i) & 0xff);

/** Deterministic pseudo-random bytes: sha256(`${label}/${counter}`) blocks, concatenated. */
function detBytes(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0, off = 0; off < length; i++, off += 32) {
    const block = sha256(new TextEncoder().encode(`${label}/${i}`));
    out.set(block.subarray(0, Math.min(32, length - off)), off);
  }
  return out;
}

interface Vector {
  name: string;
  key: Uint8Array;
  nonce: Uint8Array;
  aad: Uint8Array;
  plaintext: Uint8Array;
  tagLength: number;
  expected: string; // ciphertext || tag
}

const RFC3610_KEY = range(0xc0, 16); // C0 C1 ... CF

const VECTORS: Vector[] = [
  // RFC 3610 §8 "Test Vectors", Packet Vectors #1-#3 (M = 8, L = 2). The RFC prints the packet
  // as 8 cleartext header octets (the AAD) followed by the payload; these are header 00..07,
  // payload 08.. and the output after the header.
  {
    name: 'RFC 3610 §8 packet vector #1',
    key: RFC3610_KEY,
    nonce: hex('00000003020100a0a1a2a3a4a5'),
    aad: range(0x00, 8),
    plaintext: range(0x08, 23),
    tagLength: 8,
    expected: '588c979a61c663d2f066d0c2c0f989806d5f6b61dac384' + '17e8d12cfdf926e0',
  },
  {
    name: 'RFC 3610 §8 packet vector #2',
    key: RFC3610_KEY,
    nonce: hex('00000004030201a0a1a2a3a4a5'),
    aad: range(0x00, 8),
    plaintext: range(0x08, 24),
    tagLength: 8,
    expected: '72c91a36e135f8cf291ca894085c87e3cc15c439c9e43a3b' + 'a091d56e10400916',
  },
  {
    name: 'RFC 3610 §8 packet vector #3',
    key: RFC3610_KEY,
    nonce: hex('00000005040302a0a1a2a3a4a5'),
    aad: range(0x00, 8),
    plaintext: range(0x08, 25),
    tagLength: 8,
    expected: '51b1e5f44a197d1da46b0f8e2d282ae871e838bb64da859657' + '4adaa76fbd9fb0c5',
  },
  // NIST SP 800-38C Appendix C "Example Vectors", C.1-C.3 (K = 40 41 ... 4F).
  {
    name: 'SP 800-38C C.1 Example 1 (Tlen 32, Nlen 56, Alen 64, Plen 32)',
    key: range(0x40, 16),
    nonce: range(0x10, 7),
    aad: range(0x00, 8),
    plaintext: range(0x20, 4),
    tagLength: 4,
    expected: '7162015b' + '4dac255d',
  },
  {
    name: 'SP 800-38C C.2 Example 2 (Tlen 48, Nlen 64, Alen 128, Plen 128)',
    key: range(0x40, 16),
    nonce: range(0x10, 8),
    aad: range(0x00, 16),
    plaintext: range(0x20, 16),
    tagLength: 6,
    expected: 'd2a1f0e051ea5f62081a7792073d593d' + '1fc64fbfaccd',
  },
  {
    name: 'SP 800-38C C.3 Example 3 (Tlen 64, Nlen 96, Alen 160, Plen 192)',
    key: range(0x40, 16),
    nonce: range(0x10, 12),
    aad: range(0x00, 20),
    plaintext: range(0x20, 24),
    tagLength: 8,
    expected: 'e3b201a9f5b71a7a9b1ceaeccd97e70b6176aad9a4428aa5' + '484392fbc1b09951',
  },
];

describe('AES-CCM known-answer vectors', () => {
  for (const v of VECTORS) {
    it(v.name, () => {
      const sealed = aesCcmEncrypt(v.key, v.nonce, v.aad, v.plaintext, v.tagLength);
      expect(toHex(sealed)).toBe(v.expected);
      const opened = aesCcmDecrypt(v.key, v.nonce, v.aad, hex(v.expected), v.tagLength);
      expect(opened).not.toBeNull();
      expect(toHex(opened!)).toBe(toHex(v.plaintext));
    });
  }
});

/** node:crypto (OpenSSL) as an independent oracle: returns ciphertext || tag. */
function nodeCcm(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, tagLength: number): Uint8Array {
  const algorithm = key.length === 32 ? 'aes-256-ccm' : 'aes-128-ccm';
  const cipher = createCipheriv(algorithm, key, nonce, { authTagLength: tagLength });
  cipher.setAAD(aad, { plaintextLength: plaintext.length });
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return new Uint8Array(Buffer.concat([ct, cipher.getAuthTag()]));
}

describe('AES-CCM agrees with node:crypto', () => {
  it('aes-128-ccm, 12-byte nonce, tags 8 and 16, plaintext 0..300, AAD 0/13/40', () => {
    let cases = 0;
    for (const tagLength of [8, 16]) {
      for (const aadLength of [0, 13, 40]) {
        for (let ptLength = 0; ptLength <= 300; ptLength++) {
          const id = `t${tagLength}/a${aadLength}/p${ptLength}`;
          const key = detBytes(`key/${id}`, 16);
          const nonce = detBytes(`nonce/${id}`, 12);
          const aad = detBytes(`aad/${id}`, aadLength);
          const plaintext = detBytes(`pt/${id}`, ptLength);

          const ours = aesCcmEncrypt(key, nonce, aad, plaintext, tagLength);
          const theirs = nodeCcm(key, nonce, aad, plaintext, tagLength);
          if (toHex(ours) !== toHex(theirs)) expect.fail(`mismatch at ${id}: ${toHex(ours)} != ${toHex(theirs)}`);
          const back = aesCcmDecrypt(key, nonce, aad, theirs, tagLength);
          if (back === null || toHex(back) !== toHex(plaintext)) expect.fail(`decrypt failed at ${id}`);
          cases++;
        }
      }
    }
    expect(cases).toBe(2 * 3 * 301);
  });

  it('every nonce length 7..13 and tag length, AES-128 and AES-256', () => {
    for (const keyLength of [16, 32]) {
      for (let nonceLength = 7; nonceLength <= 13; nonceLength++) {
        for (const tagLength of [4, 6, 8, 10, 12, 14, 16]) {
          for (const ptLength of [0, 1, 15, 16, 17, 100]) {
            const id = `k${keyLength}/n${nonceLength}/t${tagLength}/p${ptLength}`;
            const key = detBytes(`key/${id}`, keyLength);
            const nonce = detBytes(`nonce/${id}`, nonceLength);
            const aad = detBytes(`aad/${id}`, 29);
            const plaintext = detBytes(`pt/${id}`, ptLength);
            const ours = aesCcmEncrypt(key, nonce, aad, plaintext, tagLength);
            expect(toHex(ours), id).toBe(toHex(nodeCcm(key, nonce, aad, plaintext, tagLength)));
            expect(toHex(aesCcmDecrypt(key, nonce, aad, ours, tagLength)!), id).toBe(toHex(plaintext));
          }
        }
      }
    }
  });

  it('largest AAD the 2-byte encoding allows (65279 bytes)', () => {
    const key = detBytes('key/maxaad', 16);
    const nonce = detBytes('nonce/maxaad', 13);
    const aad = detBytes('aad/maxaad', 65279);
    const plaintext = detBytes('pt/maxaad', 50);
    expect(toHex(aesCcmEncrypt(key, nonce, aad, plaintext, 16))).toBe(toHex(nodeCcm(key, nonce, aad, plaintext, 16)));
  });
});

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const copy = bytes.slice();
  copy[bit >> 3]! ^= 1 << (bit & 7);
  return copy;
}

describe('AES-CCM tamper detection', () => {
  const key = detBytes('tamper/key', 16);
  const nonce = detBytes('tamper/nonce', 12);
  const aad = detBytes('tamper/aad', 13);
  const plaintext = detBytes('tamper/pt', 37);
  const tagLength = 8;
  const sealed = aesCcmEncrypt(key, nonce, aad, plaintext, tagLength);

  it('round trip works and leaves the input untouched', () => {
    const before = toHex(sealed);
    expect(toHex(aesCcmDecrypt(key, nonce, aad, sealed, tagLength)!)).toBe(toHex(plaintext));
    expect(toHex(sealed)).toBe(before);
  });

  it('flipping any bit of ciphertext or tag is rejected', () => {
    for (let bit = 0; bit < sealed.length * 8; bit++) {
      const result = aesCcmDecrypt(key, nonce, aad, flipBit(sealed, bit), tagLength);
      if (result !== null) expect.fail(`ciphertext||tag bit ${bit} flip accepted`);
    }
  });

  it('flipping any bit of the nonce is rejected', () => {
    for (let bit = 0; bit < nonce.length * 8; bit++) {
      if (aesCcmDecrypt(key, flipBit(nonce, bit), aad, sealed, tagLength) !== null) expect.fail(`nonce bit ${bit}`);
    }
  });

  it('flipping any bit of the AAD is rejected', () => {
    for (let bit = 0; bit < aad.length * 8; bit++) {
      if (aesCcmDecrypt(key, nonce, flipBit(aad, bit), sealed, tagLength) !== null) expect.fail(`AAD bit ${bit}`);
    }
  });

  it('truncated, extended, or wrong-key input is rejected with null', () => {
    expect(aesCcmDecrypt(key, nonce, aad, sealed.subarray(0, sealed.length - 1), tagLength)).toBeNull();
    expect(aesCcmDecrypt(key, nonce, aad, new Uint8Array([...sealed, 0]), tagLength)).toBeNull();
    expect(aesCcmDecrypt(key, nonce, new Uint8Array(0), sealed, tagLength)).toBeNull();
    expect(aesCcmDecrypt(flipBit(key, 0), nonce, aad, sealed, tagLength)).toBeNull();
  });

  it('input shorter than the tag returns null, not an exception', () => {
    for (let n = 0; n < tagLength; n++) {
      expect(aesCcmDecrypt(key, nonce, aad, sealed.subarray(0, n), tagLength)).toBeNull();
    }
  });

  it('an empty plaintext still authenticates (tag only)', () => {
    const tagOnly = aesCcmEncrypt(key, nonce, aad, new Uint8Array(0), 16);
    expect(tagOnly.length).toBe(16);
    expect(aesCcmDecrypt(key, nonce, aad, tagOnly, 16)?.length).toBe(0);
    expect(aesCcmDecrypt(key, nonce, aad, flipBit(tagOnly, 127), 16)).toBeNull();
  });
});

describe('AES-CCM parameter errors', () => {
  const key = new Uint8Array(16);
  const nonce = new Uint8Array(12);
  const empty = new Uint8Array(0);
  const both = (k: Uint8Array, n: Uint8Array, a: Uint8Array, p: Uint8Array, t: number): void => {
    expect(() => aesCcmEncrypt(k, n, a, p, t)).toThrow(RangeError);
    expect(() => aesCcmDecrypt(k, n, a, new Uint8Array(p.length + 16), t)).toThrow(RangeError);
  };

  it('key length other than 16 or 32', () => {
    for (const len of [0, 15, 17, 24, 31, 33]) both(new Uint8Array(len), nonce, empty, empty, 8);
  });

  it('nonce length outside 7..13', () => {
    for (const len of [0, 6, 14, 16]) both(key, new Uint8Array(len), empty, empty, 8);
  });

  it('tag length not in {4,6,...,16}', () => {
    for (const t of [0, 2, 3, 5, 7, 9, 15, 17, 18, 32, 8.5, NaN]) both(key, nonce, empty, empty, t);
  });

  it('AAD longer than 65279 bytes', () => {
    both(key, nonce, new Uint8Array(65280), empty, 8);
    expect(() => aesCcmEncrypt(key, nonce, new Uint8Array(65279), empty, 8)).not.toThrow();
  });

  it('plaintext too long for the length field (13-byte nonce: L = 2, max 65535 bytes)', () => {
    const n13 = new Uint8Array(13);
    both(key, n13, empty, new Uint8Array(65536), 8);
    const sealed = aesCcmEncrypt(key, n13, empty, new Uint8Array(65535), 8);
    expect(aesCcmDecrypt(key, n13, empty, sealed, 8)?.length).toBe(65535);
  });

  it('error messages say what is wrong', () => {
    expect(() => aesCcmEncrypt(new Uint8Array(24), nonce, empty, empty, 8)).toThrow(/key must be 16 or 32 bytes, got 24/);
    expect(() => aesCcmEncrypt(key, new Uint8Array(6), empty, empty, 8)).toThrow(/nonce must be 7\.\.13 bytes, got 6/);
    expect(() => aesCcmEncrypt(key, nonce, empty, empty, 5)).toThrow(/tag length must be one of/);
    expect(() => aesCcmEncrypt(key, nonce, new Uint8Array(70000), empty, 8)).toThrow(/AAD of 70000 bytes/);
  });
});
