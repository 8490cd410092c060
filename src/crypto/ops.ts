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
  'rng', // bytes drawn from the DRBG
] as const;

export type OpId = (typeof OP_IDS)[number];

export type EndpointRole = 'client' | 'server';

/** One crypto operation actually performed by an endpoint, at a step of the handshake. */
export interface OpRecord {
  endpoint: EndpointRole;
  op: OpId;
  /** Index of the flight whose receipt triggered the op (0: before any flight was received). */
  step: number;
  /** True for record-layer work (decrypting a record) that a retransmitted copy costs again. */
  record_layer: boolean;
  bytes: number;
  aad_bytes?: number;
  out_bytes?: number;
}
