import type { OpId } from '../crypto/ops.js';

/**
 * A cost group is the unit an engine is chosen for and priced by: one primitive with a cost
 * per call and a cost per byte. Several ops share a group because they are built from the
 * same primitive: HMAC, the TLS 1.2 PRF and HKDF are SHA-256 work (RFC 2104, RFC 5246 §5,
 * RFC 5869), so routing `sha256` to a hash accelerator moves all of them.
 */
export const COST_GROUPS = [
  'sha256',
  'aes128_ccm',
  'aes128_gcm',
  'aes128_cbc',
  'aes128_block',
  'chacha20_poly1305',
  'rng',
  'p256.keygen',
  'p256.ecdh',
  'p256.ecdsa_sign',
  'p256.ecdsa_verify',
  'x25519.keygen',
  'x25519.ecdh',
  'ed25519.sign',
  'ed25519.verify',
  'rsa2048.private',
  'rsa2048.public',
  'x509.parse',
  'der.ecdsa_sig',
] as const;
export type CostGroup = (typeof COST_GROUPS)[number];

export const GROUP_OF: Record<OpId, CostGroup> = {
  'sha256.update': 'sha256',
  'sha256.finish': 'sha256',
  'sha256.hash': 'sha256',
  hmac_sha256: 'sha256',
  tls12_prf: 'sha256',
  'hkdf_sha256.extract': 'sha256',
  'hkdf_sha256.expand': 'sha256',
  'aes128_ccm.encrypt': 'aes128_ccm',
  'aes128_ccm.decrypt': 'aes128_ccm',
  'aes128_gcm.encrypt': 'aes128_gcm',
  'aes128_gcm.decrypt': 'aes128_gcm',
  'aes128_cbc.encrypt': 'aes128_cbc',
  'aes128_cbc.decrypt': 'aes128_cbc',
  'aes128.block': 'aes128_block',
  'chacha20_poly1305.encrypt': 'chacha20_poly1305',
  'chacha20_poly1305.decrypt': 'chacha20_poly1305',
  rng: 'rng',
  'p256.keygen': 'p256.keygen',
  'p256.ecdh': 'p256.ecdh',
  'p256.ecdsa_sign': 'p256.ecdsa_sign',
  'p256.ecdsa_verify': 'p256.ecdsa_verify',
  'x25519.keygen': 'x25519.keygen',
  'x25519.ecdh': 'x25519.ecdh',
  'ed25519.sign': 'ed25519.sign',
  'ed25519.verify': 'ed25519.verify',
  'rsa2048.sign': 'rsa2048.private',
  'rsa2048.decrypt': 'rsa2048.private',
  'rsa2048.verify': 'rsa2048.public',
  'rsa2048.encrypt': 'rsa2048.public',
  'x509.parse': 'x509.parse',
  'der.ecdsa_sig_encode': 'der.ecdsa_sig',
  'der.ecdsa_sig_decode': 'der.ecdsa_sig',
};

/** The two parts of a group's cost; an engine lists the parts it has figures for. */
export type CostPart = 'per_call' | 'per_byte';
