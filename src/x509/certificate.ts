/**
 * Builds X.509 v3 certificates (RFC 5280 §4.1):
 *
 *   Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 *   TBSCertificate ::= SEQUENCE { version [0] EXPLICIT v3(2), serialNumber, signature, issuer,
 *       validity { notBefore, notAfter }, subject, subjectPublicKeyInfo, extensions [3] EXPLICIT }
 *
 * Everything in the content is given by the caller (fixed dates, seeded serials and keys), so
 * the same content and key give the same bytes.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { InputError, showValue } from '../scenario/errors.js';
import { derBitString, derExplicit, derInteger, derSequence, derTime, decodeDer, readBitStringBytes, readSequence } from './der.js';
import { encodeExtensions, type ExtensionsContent } from './extensions.js';
import type { PublicKey } from './keys.js';
import { encodeName, type DistinguishedName } from './names.js';
import { encodeSignatureAlgorithm, type SignatureAlgorithm, type SignCallback } from './signatures.js';
import { encodeSpki } from './spki.js';

export interface CertificateContent {
  /** Positive, at most 20 octets (RFC 5280 §4.1.2.2). */
  serial: bigint;
  issuer: DistinguishedName;
  subject: DistinguishedName;
  not_before: Date;
  not_after: Date;
  public_key: PublicKey;
  extensions: ExtensionsContent;
}

const V3 = 2; // version is v3 (RFC 5280 §4.1.2.1)
const MAX_SERIAL = (1n << 159n) - 1n; // 20 octets, positive

export function buildTbsCertificate(content: CertificateContent, algorithm: SignatureAlgorithm): Uint8Array {
  if (content.serial < 1n || content.serial > MAX_SERIAL) {
    throw new InputError(`serial: ${content.serial}; expected a positive integer of at most 20 octets (RFC 5280 §4.1.2.2)`);
  }
  for (const field of ['not_before', 'not_after'] as const) {
    const t = content[field].getTime();
    if (Number.isNaN(t) || t % 1000 !== 0) throw new InputError(`validity.${field}: ${showValue(content[field])}; expected a date in whole seconds`);
  }
  if (!(content.not_before.getTime() <= content.not_after.getTime())) {
    throw new InputError(`validity: not_before ${showValue(content.not_before)} is after not_after ${showValue(content.not_after)}`);
  }
  return derSequence(
    derExplicit(0, derInteger(V3)),
    derInteger(content.serial),
    encodeSignatureAlgorithm(algorithm),
    encodeName(content.issuer, 'issuer'),
    derSequence(derTime(content.not_before), derTime(content.not_after)),
    encodeName(content.subject, 'subject'),
    encodeSpki(content.public_key),
    encodeExtensions(content.extensions),
  );
}

/** The Certificate around a tbsCertificate and its signature. */
export function assembleCertificate(tbsDer: Uint8Array, algorithm: SignatureAlgorithm, signature: Uint8Array): Uint8Array {
  return derSequence(tbsDer, encodeSignatureAlgorithm(algorithm), derBitString(signature));
}

export function buildCertificate(content: CertificateContent, algorithm: SignatureAlgorithm, sign: SignCallback): Uint8Array {
  const tbs = buildTbsCertificate(content, algorithm);
  return assembleCertificate(tbs, algorithm, sign(tbs));
}

/**
 * The key identifier of RFC 5280 §4.2.1.2 method (1): SHA-1 of the subjectPublicKey BIT STRING
 * value, 20 bytes, as OpenSSL computes it, so our SKI/AKI match what `openssl x509` prints.
 */
export function keyIdentifier(publicKey: PublicKey): Uint8Array {
  const [, subjectPublicKey] = readSequence(decodeDer(encodeSpki(publicKey), 'SubjectPublicKeyInfo'), 'subjectPublicKeyInfo');
  return sha1(readBitStringBytes(subjectPublicKey!, 'subjectPublicKey'));
}
