/**
 * Strict parsing of one DER X.509 v3 certificate (RFC 5280 §4.1) into what the chain verifier and
 * the handshake need: the exact bytes that were signed, the signature, the names as DER (for
 * byte-exact chaining) and as text (for messages), the validity, the subject key and the
 * extensions that constrain its use.
 *
 * Throws DecodeError for anything that is not a well-formed DER certificate (including
 * signatureAlgorithm differing from tbsCertificate.signature, RFC 5280 §4.1.1.2) and
 * UnsupportedCertificateError for a well-formed one we do not support (not v3, another
 * signature algorithm, another key type or size).
 */
import { bytesEqual } from '../protocol/common/bytes.js';
import { decodeDer, readBitStringBytes, readInteger, readSequence, readSmallInteger, readTime, sequenceCursor, type DerNode } from './der.js';
import { UnsupportedCertificateError } from './errors.js';
import { readExtensions, type ExtensionConstraints, type ParsedExtensions } from './extensions.js';
import type { PublicKey } from './keys.js';
import { readName } from './names.js';
import { readSignatureAlgorithm, type SignatureAlgorithm } from './signatures.js';
import { decodeSpki } from './spki.js';

export interface ParsedCertificate extends ExtensionConstraints {
  der: Uint8Array;
  /** The DER tbsCertificate: exactly the bytes the issuer signed. */
  tbs_der: Uint8Array;
  serial: bigint;
  signature_algorithm: SignatureAlgorithm;
  /** The signatureValue BIT STRING contents (DER Ecdsa-Sig-Value, or the RSA signature). */
  signature: Uint8Array;
  issuer_der: Uint8Array;
  subject_der: Uint8Array;
  /** "C=SE, O=..., CN=..." */
  issuer: string;
  subject: string;
  not_before: Date;
  not_after: Date;
  /** The DER SubjectPublicKeyInfo, as an RFC 7250 raw public key would send it. */
  spki_der: Uint8Array;
  spki: PublicKey;
  extensions: ParsedExtensions['list'];
}

const VERSION_TAG = 0xa0; // [0] EXPLICIT Version
const ISSUER_UNIQUE_ID_TAG = 0x81; // [1] IMPLICIT UniqueIdentifier
const SUBJECT_UNIQUE_ID_TAG = 0x82; // [2] IMPLICIT UniqueIdentifier
const EXTENSIONS_TAG = 0xa3; // [3] EXPLICIT Extensions

/** `what` names the certificate in messages, e.g. "certificate 1" (its place in a chain). */
export function parseCertificate(der: Uint8Array, what = 'certificate'): ParsedCertificate {
  const top = decodeDer(der, what);
  const certificate = sequenceCursor(top, 'Certificate');
  const tbsNode = certificate.next('tbsCertificate');
  const outerAlgorithm = certificate.next('signatureAlgorithm');
  const signatureNode = certificate.next('signatureValue');
  certificate.end();

  const tbs = sequenceCursor(tbsNode, 'tbsCertificate');
  const versionNode = tbs.optional(VERSION_TAG);
  const version = versionNode ? readVersion(versionNode) : 0;
  if (version !== 2) {
    throw new UnsupportedCertificateError(`${what}: X.509 v${version + 1} certificates are not supported: expected v3 (RFC 5280 §4.1.2.1)`);
  }
  const serial = readInteger(tbs.next('serialNumber'), 'tbsCertificate.serialNumber');
  const innerAlgorithm = tbs.next('signature');
  if (!bytesEqual(innerAlgorithm.raw, outerAlgorithm.raw)) {
    outerAlgorithm.fail('signatureAlgorithm', 'differs from tbsCertificate.signature (RFC 5280 §4.1.1.2 requires the same algorithm)');
  }
  const signature_algorithm = readSignatureAlgorithm(innerAlgorithm, 'tbsCertificate.signature');
  const issuerNode = tbs.next('issuer');
  const issuer = readName(issuerNode, 'tbsCertificate.issuer');
  const validityNode = tbs.next('validity');
  const [notBeforeNode, notAfterNode, ...extraTimes] = readSequence(validityNode, 'tbsCertificate.validity');
  if (!notBeforeNode || !notAfterNode || extraTimes.length > 0) return validityNode.fail('tbsCertificate.validity', 'expected SEQUENCE { notBefore, notAfter }');
  const not_before = readTime(notBeforeNode, 'tbsCertificate.validity.notBefore');
  const not_after = readTime(notAfterNode, 'tbsCertificate.validity.notAfter');
  const subjectNode = tbs.next('subject');
  const subject = readName(subjectNode, 'tbsCertificate.subject');
  const spkiNode = tbs.next('subjectPublicKeyInfo');
  const spki = decodeSpki(spkiNode);
  tbs.optional(ISSUER_UNIQUE_ID_TAG);
  tbs.optional(SUBJECT_UNIQUE_ID_TAG);
  const { list: extensions, ...constraints } = readExtensions(tbs.optional(EXTENSIONS_TAG), 'tbsCertificate.extensions');
  tbs.end();

  return {
    der,
    tbs_der: tbsNode.raw,
    serial,
    signature_algorithm,
    signature: readBitStringBytes(signatureNode, 'signatureValue'),
    issuer_der: issuerNode.raw,
    subject_der: subjectNode.raw,
    issuer,
    subject,
    not_before,
    not_after,
    spki_der: spkiNode.raw,
    spki,
    ...constraints,
    extensions,
  };
}

function readVersion(versionNode: DerNode): number {
  const [node, ...extra] = versionNode.children('tbsCertificate.version');
  if (!node || extra.length > 0) return versionNode.fail('tbsCertificate.version', 'expected [0] { INTEGER }');
  const version = readSmallInteger(node, 'tbsCertificate.version', 2);
  // Version DEFAULT v1: DER leaves v1 out (X.690 §11.5), so an explicit v1 is malformed.
  if (version === 0) node.fail('tbsCertificate.version', 'v1 is the default, which DER leaves out (X.690 §11.5)');
  return version;
}
