import { concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { maxRecordExpansionBytes, type CipherSuiteInfo } from './cipher_suites.js';
import { cidAdditionalData, epochAndSeq, recordPseudoHeader } from './record.js';
import type { RecordProtection } from './record_protection.js';

/**
 * AEAD record protection for DTLS 1.2 with AES-CCM (RFC 6655 §3) or AES-GCM (RFC 5288 §3),
 * both laid out as RFC 5246 §6.2.3.3 with the DTLS sequence number of RFC 6347 §4.1.2.1:
 *   nonce = write_IV (4) || explicit nonce (8), where the explicit nonce is epoch || seq
 *   AAD   = epoch || seq (8) || type (1) || version (2) || plaintext length (2)
 *           (or RFC 9146 §5.1's for a tls12_cid record)
 *   fragment = explicit nonce || ciphertext || tag
 */
export class AeadRecordProtection implements RecordProtection {
  readonly maxExpansionBytes: number;
  readonly supportsCid = true;

  constructor(
    private readonly crypto: MeteredCrypto,
    private readonly suite: CipherSuiteInfo,
    private readonly key: Uint8Array,
    private readonly fixedIv: Uint8Array,
  ) {
    this.maxExpansionBytes = maxRecordExpansionBytes(suite);
  }

  expansionBytes(_plaintextBytes: number): number {
    return this.maxExpansionBytes;
  }

  seal(epoch: number, seq: number, type: number, version: number, plaintext: Uint8Array, cid?: Uint8Array): Uint8Array {
    const explicit = epochAndSeq(epoch, seq);
    const nonce = concatBytes(this.fixedIv, explicit);
    const aad = cid ? cidAdditionalData(version, epoch, seq, cid, plaintext.length) : recordPseudoHeader(epoch, seq, type, version, plaintext.length);
    const ct =
      this.suite.cipher === 'aes128_gcm'
        ? this.crypto.aes128GcmEncrypt(this.key, nonce, aad, plaintext)
        : this.crypto.aes128CcmEncrypt(this.key, nonce, aad, plaintext, this.suite.tag_bytes);
    return concatBytes(explicit, ct);
  }

  open(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array, cid?: Uint8Array): Uint8Array | null {
    if (fragment.length < this.maxExpansionBytes) return null;
    const explicit = fragment.subarray(0, this.suite.record_iv_bytes);
    const ct = fragment.subarray(this.suite.record_iv_bytes);
    const nonce = concatBytes(this.fixedIv, explicit);
    const length = fragment.length - this.maxExpansionBytes;
    const aad = cid ? cidAdditionalData(version, epoch, seq, cid, length) : recordPseudoHeader(epoch, seq, type, version, length);
    return this.suite.cipher === 'aes128_gcm'
      ? this.crypto.aes128GcmDecrypt(this.key, nonce, aad, ct)
      : this.crypto.aes128CcmDecrypt(this.key, nonce, aad, ct, this.suite.tag_bytes);
  }
}
