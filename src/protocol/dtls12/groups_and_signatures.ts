import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import type { PrivateKey, PublicKey } from '../../x509/keys.js';
import { ProtocolAlert } from './alerts.js';

/** Named groups for ECDHE (RFC 8422 §5.1.1, IANA TLS Supported Groups). */
export const NamedGroup = { secp256r1: 23, x25519: 29 } as const;
export type GroupName = keyof typeof NamedGroup;
export const GROUP_NAMES = Object.keys(NamedGroup) as GroupName[];

export function groupByCode(code: number): GroupName | undefined {
  return GROUP_NAMES.find((g) => NamedGroup[g] === code);
}

/** SignatureAndHashAlgorithm (RFC 5246 §7.4.1.4.1) as the two bytes on the wire: hash, signature. */
export const SignatureScheme = {
  ecdsa_secp256r1_sha256: 0x0403, // sha256(4), ecdsa(3)
  rsa_pkcs1_sha256: 0x0401, // sha256(4), rsa(1)
} as const;
export type SignatureSchemeName = keyof typeof SignatureScheme;

/** A peer's authenticated public key (from its certificate or raw public key) and our own signing key. */
export type { PrivateKey, PublicKey };

export function schemeFor(key: PublicKey | PrivateKey): SignatureSchemeName {
  return key.kind === 'p256' ? 'ecdsa_secp256r1_sha256' : 'rsa_pkcs1_sha256';
}

/** An ephemeral key pair for one handshake. */
export function ephemeralKeyPair(crypto: MeteredCrypto, group: GroupName): { secretKey: Uint8Array; publicKey: Uint8Array } {
  return group === 'secp256r1' ? crypto.p256Keygen() : crypto.x25519Keygen();
}

/**
 * The ECDHE shared secret Z, the premaster secret of RFC 8422 §5.10 (the x-coordinate for
 * secp256r1, the X25519 output for x25519). A point that is malformed or not on the curve, or
 * an all-zero X25519 result, is an illegal_parameter (RFC 8422 §5.11, RFC 7748 §6.1).
 */
export function sharedSecret(crypto: MeteredCrypto, group: GroupName, secretKey: Uint8Array, peerPoint: Uint8Array): Uint8Array {
  if (group === 'secp256r1') {
    // Uncompressed only (RFC 8422 §5.1.2): 0x04 || x || y.
    if (peerPoint.length !== 65 || peerPoint[0] !== 4) throw new ProtocolAlert('illegal_parameter', `secp256r1 point of ${peerPoint.length} bytes is not an uncompressed point`);
    try {
      return crypto.p256Ecdh(secretKey, peerPoint);
    } catch {
      throw new ProtocolAlert('illegal_parameter', 'secp256r1 point is not on the curve');
    }
  }
  if (peerPoint.length !== 32) throw new ProtocolAlert('illegal_parameter', `x25519 public value of ${peerPoint.length} bytes, expected 32`);
  try {
    return crypto.x25519Ecdh(secretKey, peerPoint);
  } catch {
    throw new ProtocolAlert('illegal_parameter', 'x25519 shared secret is all zeros (small-order point)');
  }
}

/** Signs `data` as TLS 1.2 digitally-signed does: hash with SHA-256, then sign the digest. */
export function signData(crypto: MeteredCrypto, key: PrivateKey, data: Uint8Array): { scheme: number; signature: Uint8Array } {
  return signDigest(crypto, key, crypto.sha256(data));
}

export function signDigest(crypto: MeteredCrypto, key: PrivateKey, digest: Uint8Array): { scheme: number; signature: Uint8Array } {
  const scheme = SignatureScheme[schemeFor(key)];
  const signature = key.kind === 'p256' ? crypto.p256Sign(key.secret_key, digest) : crypto.rsa2048Sign(key.private_key, digest);
  return { scheme, signature };
}

/** Throws decrypt_error when the signature does not verify (RFC 5246 §7.4.3, §7.4.8). */
export function verifyDigest(crypto: MeteredCrypto, key: PublicKey, scheme: number, digest: Uint8Array, signature: Uint8Array, what: string): void {
  const want = SignatureScheme[schemeFor(key)];
  if (scheme !== want)
    throw new ProtocolAlert('illegal_parameter', `${what}: signature scheme 0x${scheme.toString(16).padStart(4, '0')} does not match the peer's ${key.kind} key`);
  const ok = key.kind === 'p256' ? crypto.p256Verify(signature, digest, key.point) : crypto.rsa2048Verify(signature, digest, key.key);
  if (!ok) throw new ProtocolAlert('decrypt_error', `${what}: signature does not verify`);
}
