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
  // Priced by the device and stack models but not emitted by the DTLS 1.2 engine yet
  // (NOT_EMITTED_YET below): the profiles can price them ahead of the engine.
  'ed25519.sign', // Ed25519 signature (RFC 8032) over a message of `bytes`
  'ed25519.verify', // Ed25519 verification over a message of `bytes`
  'rsa2048.encrypt', // RSA-2048 public-key encryption (RSA key transport: the premaster secret)
  'rsa2048.decrypt', // RSA-2048 private-key decryption
  'chacha20_poly1305.encrypt', // bytes: plaintext length; aad_bytes (RFC 8439)
  'chacha20_poly1305.decrypt', // bytes: ciphertext length (without tag); aad_bytes
  'aes128.block', // bytes: a whole number of 16-byte blocks through the bare AES-128 block cipher
  'hkdf_sha256.extract', // bytes: input keying material (RFC 5869 §2.2: one HMAC)
  'hkdf_sha256.expand', // bytes: info length; out_bytes: bytes produced (RFC 5869 §2.3: one HMAC per 32 bytes)
  'x509.parse', // bytes: DER length of one certificate
  'der.ecdsa_sig_encode', // an ECDSA (r, s) pair into a DER Ecdsa-Sig-Value (RFC 5480)
  'der.ecdsa_sig_decode', // a DER Ecdsa-Sig-Value back into (r, s)
] as const;

/** Ops in the vocabulary that no protocol engine records yet; reports will name them once one does. */
export const NOT_EMITTED_YET: readonly OpId[] = [
  'ed25519.sign',
  'ed25519.verify',
  'rsa2048.encrypt',
  'rsa2048.decrypt',
  'chacha20_poly1305.encrypt',
  'chacha20_poly1305.decrypt',
  'aes128.block',
  'hkdf_sha256.extract',
  'hkdf_sha256.expand',
  'x509.parse',
  'der.ecdsa_sig_encode',
  'der.ecdsa_sig_decode',
];

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
