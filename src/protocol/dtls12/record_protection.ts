import { ByteWriter, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import type { CipherSuiteInfo } from './cipher_suites.js';
import { epochAndSeq } from './record.js';

/**
 * AEAD record protection for DTLS 1.2 with AES-CCM (RFC 6655 §3) or AES-GCM (RFC 5288 §3),
 * both laid out as RFC 5246 §6.2.3.3 with the DTLS sequence number of RFC 6347 §4.1.2.1:
 *   nonce = write_IV (4) || explicit nonce (8), where the explicit nonce is epoch || seq
 *   AAD   = epoch || seq (8) || type (1) || version (2) || plaintext length (2)
 *   fragment = explicit nonce || ciphertext || tag
 */
export class RecordProtection {
  constructor(
    private readonly crypto: MeteredCrypto,
    private readonly suite: CipherSuiteInfo,
    private readonly key: Uint8Array,
    private readonly fixedIv: Uint8Array,
  ) {}

  private aad(epoch: number, seq: number, type: number, version: number, length: number): Uint8Array {
    return new ByteWriter().bytes(epochAndSeq(epoch, seq)).u8(type).u16(version).u16(length).finish();
  }

  seal(epoch: number, seq: number, type: number, version: number, plaintext: Uint8Array): Uint8Array {
    const explicit = epochAndSeq(epoch, seq);
    const nonce = concatBytes(this.fixedIv, explicit);
    const aad = this.aad(epoch, seq, type, version, plaintext.length);
    const ct =
      this.suite.cipher === 'aes128_gcm'
        ? this.crypto.aes128GcmEncrypt(this.key, nonce, aad, plaintext)
        : this.crypto.aes128CcmEncrypt(this.key, nonce, aad, plaintext, this.suite.tag_bytes);
    return concatBytes(explicit, ct);
  }

  /** null when the fragment is too short or does not authenticate. */
  open(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array): Uint8Array | null {
    const overhead = this.suite.record_iv_bytes + this.suite.tag_bytes;
    if (fragment.length < overhead) return null;
    const explicit = fragment.subarray(0, this.suite.record_iv_bytes);
    const ct = fragment.subarray(this.suite.record_iv_bytes);
    const nonce = concatBytes(this.fixedIv, explicit);
    const aad = this.aad(epoch, seq, type, version, fragment.length - overhead);
    return this.suite.cipher === 'aes128_gcm'
      ? this.crypto.aes128GcmDecrypt(this.key, nonce, aad, ct)
      : this.crypto.aes128CcmDecrypt(this.key, nonce, aad, ct, this.suite.tag_bytes);
  }
}
