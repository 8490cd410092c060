/**
 * SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): what a certificate says about its key, and all that
 * an RFC 7250 raw public key sends (the DER SPKI, 91 bytes for P-256).
 *
 *   SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }
 *
 * P-256 (RFC 5480 §2): algorithm id-ecPublicKey with the namedCurve prime256v1 as parameters; the
 * BIT STRING holds the SEC 1 point, 04 || X || Y (we also accept the compressed form RFC 5480
 * permits and return it uncompressed). RSA (RFC 8017 A.1, RFC 3279 §2.3.1): rsaEncryption with
 * NULL parameters; the BIT STRING holds RSAPublicKey ::= SEQUENCE { modulus, publicExponent }.
 * Anything else is refused with an UnsupportedCertificateError that names what it got.
 */
import { createPublicKey } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { DecodeError } from '../protocol/common/bytes.js';
import {
  decodeDer,
  DER_NULL,
  derBitString,
  derOid,
  derSequence,
  derUnsignedInteger,
  readBitStringBytes,
  readNull,
  readOid,
  readSequence,
  readUnsignedIntegerBytes,
  Tag,
  type DerNode,
} from './der.js';
import { UnsupportedCertificateError } from './errors.js';
import type { PublicKey } from './keys.js';
import { describeOid, OID } from './oids.js';

const RSA_MODULUS_BITS = 2048;

export function encodeSpki(key: PublicKey): Uint8Array {
  if (key.kind === 'p256') {
    return derSequence(derSequence(derOid(OID.idEcPublicKey), derOid(OID.prime256v1)), derBitString(key.point));
  }
  const jwk = key.key.export({ format: 'jwk' });
  const modulus = Buffer.from(jwk.n ?? '', 'base64url');
  const exponent = Buffer.from(jwk.e ?? '', 'base64url');
  const rsaPublicKey = derSequence(derUnsignedInteger(modulus), derUnsignedInteger(exponent));
  return derSequence(derSequence(derOid(OID.rsaEncryption), DER_NULL), derBitString(rsaPublicKey));
}

/** Decodes DER bytes (an RPK) or an already decoded node (inside a certificate). */
export function decodeSpki(input: Uint8Array | DerNode, what = 'SubjectPublicKeyInfo'): PublicKey {
  const node = input instanceof Uint8Array ? decodeDer(input, what) : input;
  const [algorithm, subjectPublicKey, ...extra] = readSequence(node, 'subjectPublicKeyInfo');
  if (!algorithm || !subjectPublicKey || extra.length > 0) return node.fail('subjectPublicKeyInfo', 'expected SEQUENCE { algorithm, subjectPublicKey }');
  const [algorithmOid, parameters, ...more] = readSequence(algorithm, 'subjectPublicKeyInfo.algorithm');
  if (!algorithmOid || more.length > 0) return algorithm.fail('subjectPublicKeyInfo.algorithm', 'expected SEQUENCE { algorithm, parameters }');
  const oid = readOid(algorithmOid, 'subjectPublicKeyInfo.algorithm.algorithm');
  const keyBytes = readBitStringBytes(subjectPublicKey, 'subjectPublicKeyInfo.subjectPublicKey');

  if (oid === OID.idEcPublicKey) return { kind: 'p256', point: p256Point(parameters, keyBytes, subjectPublicKey) };
  if (oid === OID.rsaEncryption) {
    if (!parameters) return algorithm.fail('subjectPublicKeyInfo.algorithm.parameters', 'rsaEncryption needs NULL parameters (RFC 3279 §2.3.1)');
    readNull(parameters, 'subjectPublicKeyInfo.algorithm.parameters');
    return rsaKey(keyBytes, subjectPublicKey);
  }
  throw new UnsupportedCertificateError(
    `${node.what}: public key algorithm ${describeOid(oid)} is not supported: expected id-ecPublicKey with prime256v1 (RFC 5480) or rsaEncryption (RFC 8017)`,
  );
}

function p256Point(parameters: DerNode | undefined, keyBytes: Uint8Array, at: DerNode): Uint8Array {
  const field = 'subjectPublicKeyInfo.algorithm.parameters';
  if (!parameters) return at.fail(field, 'id-ecPublicKey needs ECParameters (RFC 5480 §2.1.1)');
  if (parameters.tag !== Tag.OID) {
    throw new UnsupportedCertificateError(
      `${at.what}: ${field}: only a named curve is supported (RFC 5480 §2.1.1 forbids implicit and specified curves), got tag 0x${parameters.tag.toString(16)}`,
    );
  }
  const curve = readOid(parameters, field);
  if (curve !== OID.prime256v1) {
    throw new UnsupportedCertificateError(`${at.what}: curve ${describeOid(curve)} is not supported: expected prime256v1 (P-256, ${OID.prime256v1})`);
  }
  try {
    return p256.Point.fromBytes(keyBytes).toBytes(false);
  } catch {
    return at.fail('subjectPublicKeyInfo.subjectPublicKey', `${keyBytes.length} bytes that are not a point on P-256 (SEC 1 §2.3.4)`);
  }
}

function rsaKey(keyBytes: Uint8Array, at: DerNode): PublicKey {
  const inner = decodeDer(keyBytes, at.what, at.offset + (at.raw.length - keyBytes.length));
  const [modulusNode, exponentNode, ...extra] = readSequence(inner, 'RSAPublicKey');
  if (!modulusNode || !exponentNode || extra.length > 0) return inner.fail('RSAPublicKey', 'expected SEQUENCE { modulus, publicExponent }');
  const modulus = readUnsignedIntegerBytes(modulusNode, 'RSAPublicKey.modulus');
  const exponent = readUnsignedIntegerBytes(exponentNode, 'RSAPublicKey.publicExponent');
  const modulusBits = modulus.length * 8 - Math.clz32(modulus[0]!) + 24;
  if (modulusBits !== RSA_MODULUS_BITS) {
    throw new UnsupportedCertificateError(`${at.what}: RSA-${modulusBits} key is not supported: expected RSA-${RSA_MODULUS_BITS}`);
  }
  if ((exponent[exponent.length - 1]! & 1) === 0 || (exponent.length === 1 && exponent[0]! < 3)) {
    return exponentNode.fail('RSAPublicKey.publicExponent', 'expected an odd exponent of at least 3');
  }
  try {
    const key = createPublicKey({
      key: { kty: 'RSA', n: Buffer.from(modulus).toString('base64url'), e: Buffer.from(exponent).toString('base64url') },
      format: 'jwk',
    });
    return { kind: 'rsa2048', key, modulus_bits: modulusBits };
  } catch (e) {
    throw new DecodeError(`${at.what}: RSAPublicKey refused by node:crypto: ${(e as Error).message}`);
  }
}
