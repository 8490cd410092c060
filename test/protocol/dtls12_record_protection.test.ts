import { createCipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { OpMeter } from '../../src/crypto/meter.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { CIPHER_SUITES, isCbcSuite } from '../../src/protocol/dtls12/cipher_suites.js';
import { AeadRecordProtection } from '../../src/protocol/dtls12/aead_record_protection.js';
import { CbcRecordProtection } from '../../src/protocol/dtls12/cbc_record_protection.js';
import { trafficKeys } from '../../src/protocol/dtls12/key_schedule.js';
import { tls12Prf } from '../../src/crypto/tls12_prf.js';
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
  const AEAD_SUITES = Object.values(CIPHER_SUITES).filter((s) => !isCbcSuite(s));

  it.each(AEAD_SUITES)('$name: explicit nonce = epoch||seq, record expansion 8 + tag, round trip', (suite) => {
    const meter = new OpMeter();
    const crypto = new MeteredCrypto('client', meter, seededRandom(1, 't'));
    const rp = new AeadRecordProtection(crypto, suite, hex('000102030405060708090a0b0c0d0e0f'), hex('a0a1a2a3'));
    const pt = new TextEncoder().encode('fourteen bytes');
    const frag = rp.seal(1, 5, 23, 0xfefd, pt);
    expect(frag.length).toBe(pt.length + 8 + suite.tag_bytes);
    expect(rp.expansionBytes(pt.length)).toBe(8 + suite.tag_bytes);
    expect(rp.maxExpansionBytes).toBe(8 + suite.tag_bytes);
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

const CBC = CIPHER_SUITES.TLS_PSK_WITH_AES_128_CBC_SHA256;
const MAC_KEY = hex('404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f');
const ENC_KEY = hex('000102030405060708090a0b0c0d0e0f');
const IV = hex('f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff');
const HANDSHAKE = 22;
const APPLICATION_DATA = 23;
const DTLS_1_2 = 0xfefd;

/** A CBC record protection whose "random" IVs are the given ones, in order, and its meter. */
function cbcWithIvs(encryptThenMac: boolean, ...ivs: Uint8Array[]) {
  const meter = new OpMeter();
  const queue = [...ivs];
  const crypto = new MeteredCrypto('client', meter, (n) => {
    const iv = queue.shift() ?? new Uint8Array(n);
    expect(iv.length).toBe(n);
    return iv;
  });
  return { rp: new CbcRecordProtection(crypto, CBC, MAC_KEY, ENC_KEY, encryptThenMac), meter };
}

/**
 * An independent reference with node:crypto (OpenSSL): RFC 5246 §6.2.3.2 and RFC 7366 §3 with
 * the DTLS seq_num of RFC 6347 §4.1.2.1, padding counted up one byte at a time. `padding`
 * overrides the padding bytes (to build records with bad padding).
 */
function referenceRecord(
  mode: 'mac-then-encrypt' | 'encrypt-then-mac',
  r: { epoch: number; seq: number; type: number; plaintext: Uint8Array; iv?: Uint8Array; padding?: Uint8Array; macKey?: Uint8Array },
): Uint8Array {
  const iv = r.iv ?? IV;
  const header = (length: number) => {
    const h = Buffer.alloc(13);
    h.writeUInt16BE(r.epoch, 0);
    h.writeUIntBE(r.seq, 2, 6);
    h.writeUInt8(r.type, 8);
    h.writeUInt16BE(DTLS_1_2, 9);
    h.writeUInt16BE(length, 11);
    return h;
  };
  const hmac = (length: number, ...parts: Uint8Array[]) => {
    const m = createHmac('sha256', r.macKey ?? MAC_KEY).update(header(length));
    for (const p of parts) m.update(p);
    return m.digest();
  };
  const pad = (before: number) => {
    if (r.padding) return r.padding;
    let n = 0;
    while ((before + n + 1) % 16 !== 0) n++;
    return Buffer.alloc(n + 1, n);
  };
  const encrypt = (data: Uint8Array) => {
    const c = createCipheriv('aes-128-cbc', ENC_KEY, iv).setAutoPadding(false);
    return Buffer.concat([c.update(data), c.final()]);
  };
  if (mode === 'mac-then-encrypt') {
    const mac = hmac(r.plaintext.length, r.plaintext);
    return Uint8Array.from(Buffer.concat([iv, encrypt(Buffer.concat([r.plaintext, mac, pad(r.plaintext.length + 32)]))]));
  }
  const ct = encrypt(Buffer.concat([r.plaintext, pad(r.plaintext.length)]));
  return Uint8Array.from(Buffer.concat([iv, ct, hmac(iv.length + ct.length, iv, ct)]));
}

const MODES = [
  { mode: 'mac-then-encrypt' as const, etm: false },
  { mode: 'encrypt-then-mac' as const, etm: true },
];

describe('DTLS 1.2 TLS_PSK_WITH_AES_128_CBC_SHA256 records (RFC 5246 §6.2.3.2, RFC 7366)', () => {
  it('the key block is MAC keys, then write keys, and no IVs (RFC 5246 §6.3)', () => {
    const crypto = new MeteredCrypto('client', new OpMeter(), seededRandom(1, 't'));
    const master = hex('11'.repeat(48));
    const cr = hex('22'.repeat(32));
    const sr = hex('33'.repeat(32));
    const block = tls12Prf(master, 'key expansion', new Uint8Array([...sr, ...cr]), 2 * 32 + 2 * 16);
    expect(trafficKeys(crypto, CBC, master, cr, sr)).toEqual({
      client_write_mac_key: block.slice(0, 32),
      server_write_mac_key: block.slice(32, 64),
      client_write_key: block.slice(64, 80),
      server_write_key: block.slice(80, 96),
      client_write_iv: new Uint8Array(0),
      server_write_iv: new Uint8Array(0),
    });
    // An AEAD suite's block has no MAC keys: it starts with the write keys, then the 4-byte salts.
    const aead = tls12Prf(master, 'key expansion', new Uint8Array([...sr, ...cr]), 2 * 16 + 2 * 4);
    expect(trafficKeys(crypto, CIPHER_SUITES.TLS_PSK_WITH_AES_128_CCM_8, master, cr, sr)).toMatchObject({
      client_write_mac_key: new Uint8Array(0),
      client_write_key: aead.slice(0, 16),
      server_write_key: aead.slice(16, 32),
      client_write_iv: aead.slice(32, 36),
      server_write_iv: aead.slice(36, 40),
    });
  });

  describe.each(MODES)('$mode', ({ mode, etm }) => {
    it('matches a node:crypto reference byte for byte: a Finished-sized record at epoch 1, seq 5', () => {
      const { rp } = cbcWithIvs(etm, IV);
      const plaintext = hex('1400000c000500000000000c' + 'a1a2a3a4a5a6a7a8a9aaabac'); // 12-byte header + verify_data
      const sealed = rp.seal(1, 5, HANDSHAKE, DTLS_1_2, plaintext);
      expect(Buffer.from(sealed).toString('hex')).toBe(Buffer.from(referenceRecord(mode, { epoch: 1, seq: 5, type: HANDSHAKE, plaintext })).toString('hex'));
      // 16 IV + 24 data + 32 MAC + 8 padding (padding_length 7) = 80 bytes.
      expect(sealed.length).toBe(80);
      expect(rp.open(1, 5, HANDSHAKE, DTLS_1_2, sealed)).toEqual(plaintext);
    });

    it('matches the reference and round-trips for every padding length (plaintexts of 0 to 48 bytes)', () => {
      for (let n = 0; n <= 48; n++) {
        const plaintext = Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
        const iv = Uint8Array.from({ length: 16 }, (_, i) => (i + n) & 0xff);
        const { rp } = cbcWithIvs(etm, iv);
        const sealed = rp.seal(2, 2 ** 40 + n, APPLICATION_DATA, DTLS_1_2, plaintext);
        expect(sealed).toEqual(referenceRecord(mode, { epoch: 2, seq: 2 ** 40 + n, type: APPLICATION_DATA, plaintext, iv }));
        expect(sealed.length - n).toBe(rp.expansionBytes(n));
        expect(rp.expansionBytes(n)).toBeLessThanOrEqual(rp.maxExpansionBytes);
        expect(rp.open(2, 2 ** 40 + n, APPLICATION_DATA, DTLS_1_2, sealed)).toEqual(plaintext);
      }
      // The worst case (a whole block of padding) is reached, and it is what fragmenting reserves.
      const { rp } = cbcWithIvs(etm);
      expect(Math.max(...Array.from({ length: 16 }, (_, n) => rp.expansionBytes(n)))).toBe(rp.maxExpansionBytes);
      expect(rp.maxExpansionBytes).toBe(16 + 32 + 16);
    });

    it('draws a fresh 16-byte IV per record from the metered DRBG and records seal-side work', () => {
      const meter = new OpMeter();
      const rp = new CbcRecordProtection(new MeteredCrypto('client', meter, seededRandom(1, 'iv')), CBC, MAC_KEY, ENC_KEY, etm);
      const pt = new TextEncoder().encode('same plaintext');
      const a = rp.seal(1, 0, APPLICATION_DATA, DTLS_1_2, pt);
      const b = rp.seal(1, 0, APPLICATION_DATA, DTLS_1_2, pt);
      expect(a.subarray(0, 16)).not.toEqual(b.subarray(0, 16));
      expect(a).not.toEqual(b);
      const first = meter.ops.slice(0, 3).map((o) => [o.op, o.bytes, o.record_layer]);
      const mac = ['hmac_sha256', etm ? 13 + 16 + 16 : 13 + pt.length, 'seal'];
      // 14 bytes pad to 16 alone (encrypt-then-MAC), or to 48 with the 32-byte MAC inside.
      const enc = ['aes128_cbc.encrypt', etm ? 16 : 48, 'seal'];
      expect(first).toEqual([['rng', 16, 'seal'], ...(etm ? [enc, mac] : [mac, enc])]);
    });

    it('binds epoch, sequence number, type and version; rejects every flipped byte and bad lengths', () => {
      const { rp } = cbcWithIvs(etm, IV);
      const pt = new TextEncoder().encode('application data');
      const sealed = rp.seal(1, 9, APPLICATION_DATA, DTLS_1_2, pt);
      expect(rp.open(2, 9, APPLICATION_DATA, DTLS_1_2, sealed)).toBeNull();
      expect(rp.open(1, 10, APPLICATION_DATA, DTLS_1_2, sealed)).toBeNull();
      expect(rp.open(1, 9, HANDSHAKE, DTLS_1_2, sealed)).toBeNull();
      expect(rp.open(1, 9, APPLICATION_DATA, 0xfeff, sealed)).toBeNull();
      for (let i = 0; i < sealed.length; i++) {
        const bad = sealed.slice();
        bad[i]! ^= 0x01;
        expect(rp.open(1, 9, APPLICATION_DATA, DTLS_1_2, bad), `byte ${i}`).toBeNull();
      }
      for (const len of [0, 15, 16, 31, 47, sealed.length - 16, sealed.length - 1, sealed.length + 1, sealed.length + 16])
        expect(rp.open(1, 9, APPLICATION_DATA, DTLS_1_2, len <= sealed.length ? sealed.slice(0, len) : new Uint8Array([...sealed, ...new Uint8Array(len - sealed.length)])), `length ${len}`).toBeNull();
    });

    it('rejects a record whose MAC is right but whose padding is not, and one whose padding is right but MAC is not, alike', () => {
      const plaintext = new TextEncoder().encode('ten bytes!');
      // Right length (to a block boundary) but one padding byte differs from padding_length.
      const goodPad = referenceRecord(mode, { epoch: 1, seq: 3, type: APPLICATION_DATA, plaintext });
      const padBytes = etm ? 16 - ((plaintext.length + 1) % 16) + 1 : 16 - ((plaintext.length + 33) % 16) + 1;
      const badPadding = Buffer.alloc(padBytes, padBytes - 1);
      badPadding[0] = (padBytes - 1) ^ 0x10;
      const badPad = referenceRecord(mode, { epoch: 1, seq: 3, type: APPLICATION_DATA, plaintext, padding: badPadding });
      const badMac = referenceRecord(mode, { epoch: 1, seq: 3, type: APPLICATION_DATA, plaintext, macKey: new Uint8Array(32) });
      // A padding_length that claims more than the record holds.
      const hugePad = referenceRecord(mode, { epoch: 1, seq: 3, type: APPLICATION_DATA, plaintext, padding: Buffer.alloc(padBytes, 0xff) });

      const opened = (record: Uint8Array) => {
        const { rp, meter } = cbcWithIvs(etm);
        return { result: rp.open(1, 3, APPLICATION_DATA, DTLS_1_2, record), ops: meter.ops.map((o) => o.op) };
      };
      expect(opened(goodPad).result).toEqual(plaintext);
      for (const bad of [badPad, badMac, hugePad]) expect(opened(bad).result).toBeNull();
      if (etm) {
        // RFC 7366: the MAC is checked first; a forged record is never decrypted.
        expect(opened(badMac).ops).toEqual(['hmac_sha256']);
        expect(opened(badPad).ops).toEqual(['hmac_sha256', 'aes128_cbc.decrypt']);
      } else {
        // RFC 5246 §6.2.3.2: the MAC is computed whether or not the padding is right.
        for (const bad of [badPad, badMac, hugePad]) expect(opened(bad).ops).toEqual(['aes128_cbc.decrypt', 'hmac_sha256']);
      }
    });
  });

  it('a CBC handshake carries 16 + 32 + padding bytes per encrypted record, in either order', () => {
    const sizes = (setup: Parameters<typeof pskSetup>[0]) => {
      const t = buildDtls12Transcript(pskSetup(setup));
      expect(t.outcome).toEqual({ completed: true });
      return t.flights.filter((f) => f.phase === 'handshake').map((f) => f.bytes);
    };
    const cbc = (etm: boolean) => {
      const base = pskSetup();
      return sizes({
        cipher_suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
        client: { ...base.client, encrypt_then_mac: etm },
        server: { ...base.server, encrypt_then_mac: etm },
      });
    };
    const ccm8 = sizes({});
    // The Finished record: 24 bytes of message in 16 IV + 64 (24 + 32 MAC + 8 padding) instead of
    // 8 + 24 + 8. Flights 1-4 differ only by the 4-byte encrypt_then_mac extension in each hello.
    expect(cbc(false).map((b, i) => b - ccm8[i]!)).toEqual([0, 0, 0, 0, 80 - 40, 80 - 40]);
    // Encrypt-then-MAC moves the MAC out of the ciphertext; with a 32-byte MAC and 16-byte
    // blocks the padding makes the same total.
    expect(cbc(true).map((b, i) => b - ccm8[i]!)).toEqual([4, 0, 4, 4, 80 - 40, 80 - 40]);
  });
});
