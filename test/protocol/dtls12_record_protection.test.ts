import { describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { CIPHER_SUITES } from '../../src/protocol/dtls12/cipher_suites.js';
import { RecordProtection } from '../../src/protocol/dtls12/record_protection.js';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));

describe('AES-128-GCM through the metered interface', () => {
  it('reproduces GCM Test Case 4 (McGrew & Viega, "The Galois/Counter Mode of Operation", Appendix B)', () => {
    const crypto = new MeteredCrypto('client', new OpMeter(), seededRandom(1, 't'));
    const k = hex('feffe9928665731c6d6a8f9467308308');
    const iv = hex('cafebabefacedbaddecaf888');
    const a = hex('feedfacedeadbeeffeedfacedeadbeefabaddad2');
    const p = hex('d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39');
    const ct = crypto.aes128GcmEncrypt(k, iv, a, p);
    expect(Buffer.from(ct).toString('hex')).toBe(
      '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091' +
        '5bc94fbc3221a5db94fae95ae7121a47',
    );
    expect(crypto.aes128GcmDecrypt(k, iv, a, ct)).toEqual(p);
    const bad = ct.slice();
    bad[bad.length - 1]! ^= 1;
    expect(crypto.aes128GcmDecrypt(k, iv, a, bad)).toBeNull();
    expect(crypto.aes128GcmDecrypt(k, iv, a, ct.subarray(0, 15))).toBeNull();
  });
});

describe('DTLS 1.2 AEAD record layout (RFC 6655 §3, RFC 5288 §3)', () => {
  it.each(Object.values(CIPHER_SUITES))('$name: explicit nonce = epoch||seq, record expansion 8 + tag, round trip', (suite) => {
    const meter = new OpMeter();
    const crypto = new MeteredCrypto('client', meter, seededRandom(1, 't'));
    const rp = new RecordProtection(crypto, suite, hex('000102030405060708090a0b0c0d0e0f'), hex('a0a1a2a3'));
    const pt = new TextEncoder().encode('fourteen bytes');
    const frag = rp.seal(1, 5, 23, 0xfefd, pt);
    expect(frag.length).toBe(pt.length + 8 + suite.tag_bytes);
    expect(Buffer.from(frag.subarray(0, 8)).toString('hex')).toBe('0001000000000005');
    expect(rp.open(1, 5, 23, 0xfefd, frag)).toEqual(pt);
    // The AAD binds sequence number, type and version.
    expect(rp.open(1, 6, 23, 0xfefd, frag)).toBeNull();
    expect(rp.open(1, 5, 22, 0xfefd, frag)).toBeNull();
    expect(meter.ops.map((o) => o.op)).toEqual([`${suite.cipher}.encrypt`, `${suite.cipher}.decrypt`, `${suite.cipher}.decrypt`, `${suite.cipher}.decrypt`]);
  });

  it('the three PSK suites differ on the wire only by the tag: the Finished records grow by 8 bytes with a 16-byte tag', () => {
    const size = (cipher_suite: Parameters<typeof pskSetup>[0] extends infer O ? O extends { cipher_suite?: infer C } ? C : never : never) =>
      buildDtls12Transcript(pskSetup({ cipher_suite })).flights.filter((f) => f.phase === 'handshake').map((f) => f.bytes);
    const ccm8 = size('TLS_PSK_WITH_AES_128_CCM_8');
    const ccm = size('TLS_PSK_WITH_AES_128_CCM');
    const gcm = size('TLS_PSK_WITH_AES_128_GCM_SHA256');
    expect(ccm).toEqual(gcm);
    // Flights 5 and 6 carry one encrypted Finished each.
    expect(ccm.map((b, i) => b - ccm8[i]!)).toEqual([0, 0, 0, 0, 8, 8]);
  });
});
