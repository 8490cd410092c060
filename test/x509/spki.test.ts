import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../src/protocol/common/bytes.js';
import { derBitString, derOid, derSequence } from '../../src/x509/der.js';
import { UnsupportedCertificateError } from '../../src/x509/errors.js';
import { publicKeyOf, seededP256Key } from '../../src/x509/keys.js';
import { OID } from '../../src/x509/oids.js';
import { seededRsa2048Key } from '../../src/x509/rsa_keygen.js';
import { decodeSpki, encodeSpki } from '../../src/x509/spki.js';

const nodeSpki = (key: Parameters<typeof createPublicKey>[0]) => Uint8Array.from(createPublicKey(key).export({ type: 'spki', format: 'der' }));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('SubjectPublicKeyInfo', () => {
  it('P-256: the 91 bytes node:crypto (OpenSSL) writes for the same key, and back', () => {
    const key = seededP256Key(5, 'spki');
    const ours = encodeSpki(publicKeyOf(key));
    const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');
    const theirs = nodeSpki({ key: { kty: 'EC', crv: 'P-256', x: b64(key.public_key.subarray(1, 33)), y: b64(key.public_key.subarray(33)) }, format: 'jwk' });
    expect(ours.length).toBe(91); // the size GnuTLS sends as a raw public key (RFC 7250)
    expect(toHex(ours)).toBe(toHex(theirs));
    expect(decodeSpki(ours)).toEqual({ kind: 'p256', point: key.public_key });
  });

  it('RSA-2048: the bytes node:crypto writes, and back to a key with the same modulus', () => {
    const key = seededRsa2048Key(5, 'spki');
    const ours = encodeSpki(publicKeyOf(key));
    expect(toHex(ours)).toBe(toHex(Uint8Array.from(key.public_key.export({ type: 'spki', format: 'der' }))));
    const decoded = decodeSpki(ours);
    expect(decoded.kind).toBe('rsa2048');
    if (decoded.kind !== 'rsa2048') return;
    expect(decoded.modulus_bits).toBe(2048);
    expect(decoded.key.export({ format: 'jwk' }).n).toBe(key.public_key.export({ format: 'jwk' }).n);
  });

  it('decodes a P-256 key OpenSSL generated to its point', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey;
    const jwk = ec.export({ format: 'jwk' });
    const point = Uint8Array.of(4, ...Buffer.from(jwk.x ?? '', 'base64url'), ...Buffer.from(jwk.y ?? '', 'base64url'));
    expect(decodeSpki(Uint8Array.from(ec.export({ type: 'spki', format: 'der' })))).toEqual({ kind: 'p256', point });
  });

  it('accepts a compressed point (RFC 5480 §2.2) and returns it uncompressed', () => {
    const key = seededP256Key(6, 'spki');
    const compressed = p256.Point.fromBytes(key.public_key).toBytes(true);
    const spki = derSequence(derSequence(derOid(OID.idEcPublicKey), derOid(OID.prime256v1)), derBitString(compressed));
    expect(decodeSpki(spki)).toEqual({ kind: 'p256', point: key.public_key });
  });

  it.each([
    ['Ed25519', () => generateKeyPairSync('ed25519').publicKey, /Ed25519 \(1\.3\.101\.112\) is not supported: expected id-ecPublicKey with prime256v1 \(RFC 5480\) or rsaEncryption/],
    ['secp384r1', () => generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey, /curve secp384r1 \(1\.3\.132\.0\.34\) is not supported: expected prime256v1/],
    ['RSA-1024', () => generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, /RSA-1024 key is not supported: expected RSA-2048/],
  ])('refuses %s with a message naming it', (_name, make, message) => {
    const der = Uint8Array.from(make().export({ type: 'spki', format: 'der' }));
    expect(() => decodeSpki(der)).toThrow(UnsupportedCertificateError);
    expect(() => decodeSpki(der)).toThrow(message);
  });

  it('refuses explicit curve parameters as unsupported, and malformed keys as decode errors', () => {
    const point = seededP256Key(7, 'spki').public_key;
    const explicitParams = derSequence(derSequence(derOid(OID.idEcPublicKey), derSequence(derOid('1.2.840.10045.1.1'))), derBitString(point));
    expect(() => decodeSpki(explicitParams)).toThrow(UnsupportedCertificateError);

    const offCurve = Uint8Array.from(point);
    offCurve[64]! ^= 1;
    const bad = derSequence(derSequence(derOid(OID.idEcPublicKey), derOid(OID.prime256v1)), derBitString(offCurve));
    expect(() => decodeSpki(bad)).toThrow(DecodeError);
    expect(() => decodeSpki(bad)).toThrow(/not a point on P-256/);

    const rsa = encodeSpki(publicKeyOf(seededRsa2048Key(5, 'spki')));
    const noNull = derSequence(derSequence(derOid(OID.rsaEncryption)), derBitString(new Uint8Array(4)));
    expect(() => decodeSpki(noNull)).toThrow(/needs NULL parameters/);
    expect(() => decodeSpki(Uint8Array.of(...rsa, 0))).toThrow(/unexpected bytes after the DER value/);
  });
});

describe('seeded P-256 keys', () => {
  it('are deterministic per seed and label, and valid', () => {
    expect(seededP256Key(1, 'a')).toEqual(seededP256Key(1, 'a'));
    expect(toHex(seededP256Key(1, 'a').secret_key)).not.toBe(toHex(seededP256Key(2, 'a').secret_key));
    expect(toHex(seededP256Key(1, 'a').secret_key)).not.toBe(toHex(seededP256Key(1, 'b').secret_key));
    const key = seededP256Key(1, 'a');
    expect(toHex(p256.getPublicKey(key.secret_key, false))).toBe(toHex(key.public_key));
  });
});
