/**
 * The one op vocabulary. The handshake engine records these ids, stack profiles price them,
 * reports name them. An op carries the sizes that decide its cost; nothing else.
 *
 * Composite ops (HMAC, PRF) are recorded as themselves so a report can say "PRF" rather than
 * "14 HMAC calls", and priced from their parts by src/device/pricing.ts.
 */
export const OP_IDS = [
  'sha256.update', // bytes: absorbed into a running SHA-256 (transcript hash, hashing a message)
  'sha256.finish', // one padding block + digest (a clone of the running context, as stacks do for Finished)
  'hmac_sha256', // bytes: message length; key <= 64 bytes
  'tls12_prf', // bytes: label + seed length; out_bytes: bytes produced (P_SHA256, RFC 5246 §5)
  'aes128_ccm.encrypt', // bytes: plaintext length; aad_bytes
  'aes128_ccm.decrypt', // bytes: ciphertext length (without tag); aad_bytes
  'aes128_gcm.encrypt', // bytes: plaintext length; aad_bytes
  'aes128_gcm.decrypt', // bytes: ciphertext length (without tag); aad_bytes
  'sha256.hash', // bytes: one-shot digest of a message (the data a signature covers)
  'aes128_cbc.encrypt', // bytes: padded plaintext (a whole number of 16-byte blocks)
  'aes128_cbc.decrypt', // bytes: ciphertext (a whole number of 16-byte blocks)
  'rng', // bytes drawn from the DRBG
  'p256.keygen', // an ephemeral secp256r1 key pair (ECDHE)
  'p256.ecdh', // secp256r1 shared secret from our secret key and the peer's point
  'p256.ecdsa_sign', // ECDSA P-256 over a 32-byte digest
  'p256.ecdsa_verify', // ECDSA P-256 verification of a 32-byte digest
  'x25519.keygen', // an ephemeral X25519 key pair
  'x25519.ecdh', // X25519 shared secret
  'rsa2048.sign', // RSA-2048 private-key operation (PKCS#1 v1.5 signature)
  'rsa2048.verify', // RSA-2048 public-key operation (PKCS#1 v1.5 verification)
] as const;

export type OpId = (typeof OP_IDS)[number];

export type EndpointRole = 'client' | 'server';

/** Which side of the record layer an op belongs to (see OpRecord.record_layer). */
export type RecordLayerWork = 'seal' | 'open';

/** One crypto operation actually performed by an endpoint, at a step of the handshake. */
export interface OpRecord {
  endpoint: EndpointRole;
  op: OpId;
  /** Index of the flight whose receipt triggered the op (0: before any flight was received). */
  step: number;
  /**
   * Record-layer work that is done again for every copy of a record: 'seal' when sending (a
   * resent flight is encrypted, MACed and given fresh IVs again), 'open' when receiving (a
   * repeated copy is decrypted and verified again); false for handshake work done once.
   */
  record_layer: RecordLayerWork | false;
  bytes: number;
  aad_bytes?: number;
  out_bytes?: number;
}
