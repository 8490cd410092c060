import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { AeadRecordProtection } from './aead_record_protection.js';
import { CbcRecordProtection } from './cbc_record_protection.js';
import type { CipherSuiteInfo } from './cipher_suites.js';

/**
 * How one direction of an epoch protects its records. The record layer (endpoint.ts) sees
 * only this; the suite decides whether it is an AEAD (CCM, GCM) or CBC with HMAC.
 */
export interface RecordProtection {
  /**
   * The DTLSCiphertext fragment for a plaintext record of this epoch, sequence number, type and
   * version. With `cid`, a tls12_cid record (RFC 9146): the plaintext is the DTLSInnerPlaintext
   * and the additional data is RFC 9146's.
   */
  seal(epoch: number, seq: number, type: number, version: number, plaintext: Uint8Array, cid?: Uint8Array): Uint8Array;
  /**
   * The plaintext, or null when the fragment is malformed or does not authenticate. Every
   * failure gives the same null (the caller answers bad_record_mac), so a receiver reveals no
   * more than "this record was not genuine" (RFC 5246 §6.2.3.2).
   */
  open(epoch: number, seq: number, type: number, version: number, fragment: Uint8Array, cid?: Uint8Array): Uint8Array | null;
  /** Whether tls12_cid records can be protected (the AEAD suites; RFC 9146's CBC forms are not built). */
  readonly supportsCid: boolean;
  /** Bytes a record of `plaintextBytes` grows by when sealed. */
  expansionBytes(plaintextBytes: number): number;
  /** The most any record grows by: what fragmenting to an MTU must leave room for. */
  readonly maxExpansionBytes: number;
}

/** One direction's keys from the key block (RFC 5246 §6.3); mac_key is empty for AEAD suites. */
export interface DirectionKeys {
  mac_key: Uint8Array;
  key: Uint8Array;
  iv: Uint8Array;
}

/** `encryptThenMac`: RFC 7366 was negotiated; it changes only the CBC suites. */
export function recordProtectionFor(crypto: MeteredCrypto, suite: CipherSuiteInfo, keys: DirectionKeys, encryptThenMac: boolean): RecordProtection {
  return suite.cipher === 'aes128_cbc'
    ? new CbcRecordProtection(crypto, suite, keys.mac_key, keys.key, encryptThenMac)
    : new AeadRecordProtection(crypto, suite, keys.key, keys.iv);
}
