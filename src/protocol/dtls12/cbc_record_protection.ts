import { bytesEqual, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { maxRecordExpansionBytes, type CipherSuiteInfo } from './cipher_suites.js';
import { recordPseudoHeader } from './record.js';
import type { RecordProtection } from './record_protection.js';

/**
 * CBC block-cipher record protection with HMAC (RFC 5246 §6.2.3.2), the DTLS sequence number
 * of RFC 6347 §4.1.2.1 in the MAC, in either order:
 *
 * MAC-then-encrypt (TLS 1.2 default):
 *   MAC      = HMAC(mac_key, epoch||seq || type || version || plaintext length || plaintext)
 *   fragment = IV || CBC(key, IV, plaintext || MAC || padding || padding_length)
 * encrypt-then-MAC (RFC 7366 §3, when negotiated):
 *   fragment = IV || C || MAC, C = CBC(key, IV, plaintext || padding || padding_length),
 *   MAC      = HMAC(mac_key, epoch||seq || type || version || length of IV||C || IV || C)
 *
 * The IV is fresh and random per record (TLS 1.1+ explicit IV). Padding is the minimum:
 * padding_length + 1 bytes, each of value padding_length, to a whole number of blocks.
 */
export class CbcRecordProtection implements RecordProtection {
  readonly maxExpansionBytes: number;
  /** RFC 9146 §5.2/§5.3 define CID MACs for CBC; not built here, so CID is never negotiated with CBC. */
  readonly supportsCid = false;
  private readonly ivBytes: number;
  private readonly macBytes: number;
  private readonly blockBytes: number;

  constructor(
    private readonly crypto: MeteredCrypto,
    suite: CipherSuiteInfo,
    private readonly macKey: Uint8Array,
    private readonly key: Uint8Array,
    private readonly encryptThenMac: boolean,
  ) {
    if (suite.cipher !== 'aes128_cbc') throw new Error(`${suite.name} is not a CBC suite`);
    this.ivBytes = suite.record_iv_bytes;
    this.macBytes = suite.mac_bytes;
    this.blockBytes = suite.block_bytes;
    // IV + MAC + at most a whole block of padding (padding_length byte included), either order.
    this.maxExpansionBytes = maxRecordExpansionBytes(suite);
  }

  /** padding_length for `bytes` of data before it: the fewest bytes that reach a block boundary. */
  private paddingLength(bytes: number): number {
    return (this.blockBytes - ((bytes + 1) % this.blockBytes)) % this.blockBytes;
  }

  private padding(bytes: number): Uint8Array {
    const n = this.paddingLength(bytes);
    return new Uint8Array(n + 1).fill(n);
  }

  expansionBytes(plaintextBytes: number): number {
    const encrypted = this.encryptThenMac ? plaintextBytes : plaintextBytes + this.macBytes;
    return this.ivBytes + this.macBytes + this.paddingLength(encrypted) + 1;
  }

  seal(epoch: number, seq: number, type: number, version: number, plaintext: Uint8Array): Uint8Array {
    const iv = this.crypto.random(this.ivBytes, 'seal');
    if (this.encryptThenMac) {
      const ct = this.crypto.aes128CbcEncrypt(this.key, iv, concatBytes(plaintext, this.padding(plaintext.length)));
      const ivAndCt = concatBytes(iv, ct);
      return concatBytes(ivAndCt, this.mac(epoch, seq, type, version, ivAndCt, 'seal'));
    }
    const mac = this.mac(epoch, seq, type, version, plaintext, 'seal');
    const inner = concatBytes(plaintext, mac, this.padding(plaintext.length + mac.length));
    return concatBytes(iv, this.crypto.aes128CbcEncrypt(this.key, iv, inner));
  }

  open(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array): Uint8Array | null {
    return this.encryptThenMac ? this.openEncryptThenMac(epoch, seq, type, version, fragment) : this.openMacThenEncrypt(epoch, seq, type, version, fragment);
  }

  /** HMAC over the pseudo-header (with `covered`'s length) and `covered`. */
  private mac(epoch: number, seq: number, type: number, version: number, covered: Uint8Array, side: 'seal' | 'open'): Uint8Array {
    return this.crypto.hmacSha256(this.macKey, concatBytes(recordPseudoHeader(epoch, seq, type, version, covered.length), covered), side);
  }

  /**
   * RFC 7366 §3: the MAC is checked before anything is decrypted, so nothing about the
   * padding is ever computed for a forged record.
   */
  private openEncryptThenMac(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array): Uint8Array | null {
    const ctBytes = fragment.length - this.ivBytes - this.macBytes;
    if (ctBytes < this.blockBytes || ctBytes % this.blockBytes !== 0) return null;
    const ivAndCt = fragment.subarray(0, fragment.length - this.macBytes);
    const mac = this.mac(epoch, seq, type, version, ivAndCt, 'open');
    if (!bytesEqual(mac, fragment.subarray(fragment.length - this.macBytes))) return null;
    const inner = this.crypto.aes128CbcDecrypt(this.key, ivAndCt.subarray(0, this.ivBytes), ivAndCt.subarray(this.ivBytes));
    const padding = checkPadding(inner, 0);
    return padding.ok ? inner.slice(0, inner.length - padding.bytes) : null;
  }

  /**
   * RFC 5246 §6.2.3.2: bad padding and a bad MAC must look the same to a sender of forged
   * records, so on bad padding the MAC is still computed (over the data as if the padding
   * were empty) and the result is the same null either way. The length checks before
   * decryption depend only on the record's public length.
   */
  private openMacThenEncrypt(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array): Uint8Array | null {
    const ctBytes = fragment.length - this.ivBytes;
    const minCtBytes = Math.ceil((this.macBytes + 1) / this.blockBytes) * this.blockBytes;
    if (ctBytes < minCtBytes || ctBytes % this.blockBytes !== 0) return null;
    const inner = this.crypto.aes128CbcDecrypt(this.key, fragment.subarray(0, this.ivBytes), fragment.subarray(this.ivBytes));
    const padding = checkPadding(inner, this.macBytes);
    const contentBytes = inner.length - this.macBytes - (padding.ok ? padding.bytes : 1);
    const content = inner.subarray(0, contentBytes);
    const mac = this.mac(epoch, seq, type, version, content, 'open');
    const macOk = bytesEqual(mac, inner.subarray(contentBytes, contentBytes + this.macBytes));
    return padding.ok && macOk ? content.slice() : null;
  }
}

/**
 * Checks TLS padding at the end of `inner` (padding_length + 1 bytes of value padding_length),
 * leaving room for `reserved` bytes before it. Every byte the padding could cover is compared,
 * without stopping at the first mismatch.
 */
function checkPadding(inner: Uint8Array, reserved: number): { ok: boolean; bytes: number } {
  const padLength = inner[inner.length - 1]!;
  const bytes = padLength + 1;
  let bad = bytes + reserved > inner.length ? 1 : 0;
  for (let i = 1; i <= Math.min(256, inner.length); i++) {
    // Only bytes inside the claimed padding must equal padLength.
    const inPadding = i <= bytes ? 1 : 0;
    bad |= inPadding & (inner[inner.length - i]! !== padLength ? 1 : 0);
  }
  return { ok: bad === 0, bytes };
}
