/**
 * Certificate signature algorithms and the callbacks that do the maths.
 *
 * The certificate code only decides which bytes are signed (the DER tbsCertificate) and with
 * which algorithm; a SignCallback or VerifyCallback does the work. That lets the DTLS engine
 * meter the operations through MeteredCrypto during a handshake (meteredVerifier), while
 * scenario setup, where nothing is priced, builds chains with the unmetered ones.
 *
 *   ecdsa-with-SHA256 (RFC 5758 §3.2): AlgorithmIdentifier without parameters; the signature is
 *     the DER Ecdsa-Sig-Value SEQUENCE { r, s } (RFC 5480 §2.2.3 via RFC 5758 §3.2).
 *   sha256WithRSAEncryption (RFC 8017 A.2.4): parameters NULL (RFC 4055 §5, which also asks
 *     verifiers to accept them absent); RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
 */
import { constants as rsaConstants, createPublicKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { MeteredCrypto } from '../crypto/metered_crypto.js';
import { DER_NULL, derOid, derSequence, readNull, readOid, readSequence, type DerNode } from './der.js';
import { UnsupportedCertificateError } from './errors.js';
import type { KeyKind, PrivateKey, PublicKey } from './keys.js';
import { describeOid, OID } from './oids.js';
import { encodeSpki } from './spki.js';

const SIGNATURE_ALGORITHMS = ['ecdsa-with-SHA256', 'sha256WithRSAEncryption'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

/** Signs a DER tbsCertificate; returns the signature value the certificate carries. */
export type SignCallback = (tbsDer: Uint8Array) => Uint8Array;

/** True when `signature` over `tbsDer` verifies with the issuer's key under `algorithm`. */
export type VerifyCallback = (algorithm: SignatureAlgorithm, tbsDer: Uint8Array, signature: Uint8Array, issuerPublicKey: PublicKey) => boolean;

/** The algorithm a key of this kind signs certificates with. */
export function signatureAlgorithmFor(kind: KeyKind): SignatureAlgorithm {
  return kind === 'p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption';
}

/** The key kind that can verify a signature made with this algorithm. */
export function keyKindFor(algorithm: SignatureAlgorithm): KeyKind {
  return algorithm === 'ecdsa-with-SHA256' ? 'p256' : 'rsa2048';
}

export function encodeSignatureAlgorithm(algorithm: SignatureAlgorithm): Uint8Array {
  return algorithm === 'ecdsa-with-SHA256'
    ? derSequence(derOid(OID.ecdsaWithSha256))
    : derSequence(derOid(OID.sha256WithRsaEncryption), DER_NULL);
}

export function readSignatureAlgorithm(node: DerNode, field: string): SignatureAlgorithm {
  const [oidNode, parameters, ...extra] = readSequence(node, field);
  if (!oidNode || extra.length > 0) return node.fail(field, 'expected SEQUENCE { algorithm, parameters }');
  const oid = readOid(oidNode, `${field}.algorithm`);
  if (oid === OID.ecdsaWithSha256) {
    if (parameters) parameters.fail(`${field}.parameters`, 'ecdsa-with-SHA256 takes no parameters (RFC 5758 §3.2)');
    return 'ecdsa-with-SHA256';
  }
  if (oid === OID.sha256WithRsaEncryption) {
    if (parameters) readNull(parameters, `${field}.parameters`);
    return 'sha256WithRSAEncryption';
  }
  throw new UnsupportedCertificateError(
    `${node.what}: ${field} ${describeOid(oid)} is not supported: expected ecdsa-with-SHA256 (${OID.ecdsaWithSha256}) or sha256WithRSAEncryption (${OID.sha256WithRsaEncryption})`,
  );
}

/**
 * Signs with the key directly, unmetered: for building chains at scenario setup. ECDSA is
 * deterministic (RFC 6979, noble) and PKCS#1 v1.5 is too, so the same key gives the same bytes.
 */
export function keySigner(key: PrivateKey): SignCallback {
  if (key.kind === 'p256') {
    return (tbs) => p256.sign(sha256(tbs), key.secret_key, { prehash: false, format: 'der', lowS: false });
  }
  return (tbs) => new Uint8Array(nodeSign('sha256', tbs, { key: key.private_key, padding: rsaConstants.RSA_PKCS1_PADDING }));
}

/**
 * Verifies with node:crypto (OpenSSL), unmetered: an implementation independent of the noble
 * code that signs, which is what the tests want. False for any mismatch or malformed input.
 */
export const nodeCryptoVerifier: VerifyCallback = (algorithm, tbs, signature, issuerKey) => {
  if (issuerKey.kind !== keyKindFor(algorithm)) return false;
  try {
    if (issuerKey.kind === 'p256') {
      const key = createPublicKey({ key: Buffer.from(encodeSpki(issuerKey)), format: 'der', type: 'spki' });
      return nodeVerify('sha256', tbs, { key, dsaEncoding: 'der' }, signature);
    }
    return nodeVerify('sha256', tbs, { key: issuerKey.key, padding: rsaConstants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
};

/** Verification as the engine does it: SHA-256 and the public-key op, each metered. */
export function meteredVerifier(crypto: Pick<MeteredCrypto, 'sha256' | 'p256Verify' | 'rsa2048Verify'>): VerifyCallback {
  return (algorithm, tbs, signature, issuerKey) => {
    if (issuerKey.kind !== keyKindFor(algorithm)) return false;
    const digest = crypto.sha256(tbs);
    return issuerKey.kind === 'p256' ? crypto.p256Verify(signature, digest, issuerKey.point) : crypto.rsa2048Verify(signature, digest, issuerKey.key);
  };
}
