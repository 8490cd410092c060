/**
 * The two key types certificates and raw public keys use here: P-256 (secp256r1) and RSA-2048.
 * Private keys come in the form MeteredCrypto signs with (a 32-byte scalar for P-256, a
 * node:crypto KeyObject for RSA, as noble has no RSA), so the engine can sign CertificateVerify
 * and ServerKeyExchange with the key a chain was built for.
 */
import type { KeyObject } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { seededRandom } from '../crypto/random_source.js';
import { seededRsa2048Key } from './rsa_keygen.js';

export const KEY_KINDS = ['p256', 'rsa2048'] as const;
export type KeyKind = (typeof KEY_KINDS)[number];

/** A subject public key as a certificate or an RFC 7250 raw public key carries it. */
export type PublicKey =
  | { kind: 'p256'; /** 65-byte uncompressed point 04 || X || Y (SEC 1 §2.3.3) */ point: Uint8Array }
  | { kind: 'rsa2048'; key: KeyObject; modulus_bits: number };

export type P256PrivateKey = { kind: 'p256'; secret_key: Uint8Array; /** 65-byte uncompressed point */ public_key: Uint8Array };
export type Rsa2048PrivateKey = { kind: 'rsa2048'; private_key: KeyObject; public_key: KeyObject };
export type PrivateKey = P256PrivateKey | Rsa2048PrivateKey;

export function publicKeyOf(key: PrivateKey): PublicKey {
  return key.kind === 'p256'
    ? { kind: 'p256', point: key.public_key }
    : { kind: 'rsa2048', key: key.public_key, modulus_bits: key.public_key.asymmetricKeyDetails?.modulusLength ?? 0 };
}

/** "P-256" or "RSA-2048", for messages. */
export function keyKindName(kind: KeyKind): string {
  return kind === 'p256' ? 'P-256' : 'RSA-2048';
}

/**
 * A P-256 key from the seeded stream: 48 bytes reduced mod n (FIPS 186-5 A.2.1, which noble's
 * randomSecretKey implements), as MeteredCrypto.p256Keygen does for ephemeral keys.
 */
export function seededP256Key(seed: number, label: string): P256PrivateKey {
  const secret_key = p256.utils.randomSecretKey(seededRandom(seed, label)(48));
  return { kind: 'p256', secret_key, public_key: p256.getPublicKey(secret_key, false) };
}

/** The same seed and label always give the same key. */
export function seededPrivateKey(kind: KeyKind, seed: number, label: string): PrivateKey {
  return kind === 'p256' ? seededP256Key(seed, label) : seededRsa2048Key(seed, label);
}
