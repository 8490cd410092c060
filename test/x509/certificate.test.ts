import { describe, expect, it } from 'vitest';
import { p256 } from '@noble/curves/nist.js';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { OpMeter } from '../../src/crypto/meter.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { DecodeError } from '../../src/protocol/common/bytes.js';
import { InputError } from '../../src/scenario/errors.js';
import { assembleCertificate, buildCertificate, buildTbsCertificate, keyIdentifier, type CertificateContent } from '../../src/x509/certificate.js';
import { derBoolean, derExplicit, derInteger, derOctetString, derOid, derSequence, derTime, decodeDer, readSequence } from '../../src/x509/der.js';
import { UnsupportedCertificateError } from '../../src/x509/errors.js';
import { publicKeyOf, seededP256Key } from '../../src/x509/keys.js';
import { encodeName } from '../../src/x509/names.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { seededRsa2048Key } from '../../src/x509/rsa_keygen.js';
import { encodeSignatureAlgorithm, keySigner, meteredVerifier, nodeCryptoVerifier } from '../../src/x509/signatures.js';
import { encodeSpki } from '../../src/x509/spki.js';
import { IEEE_8021AR_EXAMPLE_HEX, RFC7925_EXAMPLE_HEX } from './fixtures/published_certificates.js';
import { hasOpenssl, opensslOk, withTempDir, writeFile } from '../helpers/openssl_cli.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const colonHex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase().match(/../g)!.join(':');

const issuerKey = seededP256Key(21, 'certificate-test/issuer');
const subjectKey = seededP256Key(21, 'certificate-test/subject');

function content(overrides: Partial<CertificateContent> = {}): CertificateContent {
  return {
    serial: 0x0123456789abcdefn,
    issuer: { country: 'SE', organization: 'Example IoT Devices', common_name: 'Example Device CA' },
    subject: { country: 'SE', organization: 'Example IoT Devices', organizational_unit: 'Sensors', common_name: 'sensor-17' },
    not_before: new Date('2024-03-01T12:00:00Z'),
    not_after: new Date('2054-03-01T12:00:00Z'), // GeneralizedTime from 2050 on
    public_key: publicKeyOf(subjectKey),
    extensions: {
      basic_constraints: { ca: false },
      key_usage: ['digitalSignature', 'keyAgreement'],
      subject_key_identifier: keyIdentifier(publicKeyOf(subjectKey)),
      authority_key_identifier: keyIdentifier(publicKeyOf(issuerKey)),
      subject_alt_dns: ['sensor-17.example.com', 'sensor-17.local'],
      certificate_policies: { policy_oids: ['1.3.6.1.4.1.55555.1.2'], cps_uri: 'http://pki.example.com/cps' },
      crl_distribution_point: 'http://crl.example.com/device-ca.crl',
    },
    ...overrides,
  };
}

describe('building a certificate', () => {
  const der = buildCertificate(content(), 'ecdsa-with-SHA256', keySigner(issuerKey));

  it.skipIf(!hasOpenssl)('openssl x509 parses every field we wrote', () => {
    const text = withTempDir((dir) => {
      writeFile(dir, 'cert.der', der);
      return opensslOk(['x509', '-inform', 'DER', '-in', 'cert.der', '-noout', '-text'], dir);
    });
    for (const expected of [
      'Version: 3 (0x2)',
      'Serial Number: 81985529216486895 (0x123456789abcdef)',
      'Signature Algorithm: ecdsa-with-SHA256',
      'Issuer: C = SE, O = Example IoT Devices, CN = Example Device CA',
      'Not Before: Mar  1 12:00:00 2024 GMT',
      'Not After : Mar  1 12:00:00 2054 GMT',
      'Subject: C = SE, O = Example IoT Devices, OU = Sensors, CN = sensor-17',
      'ASN1 OID: prime256v1',
      'X509v3 Basic Constraints: critical\n                CA:FALSE',
      'X509v3 Key Usage: critical\n                Digital Signature, Key Agreement',
      `X509v3 Subject Key Identifier: \n                ${colonHex(keyIdentifier(publicKeyOf(subjectKey)))}`,
      `X509v3 Authority Key Identifier: \n                ${colonHex(keyIdentifier(publicKeyOf(issuerKey)))}`,
      'DNS:sensor-17.example.com, DNS:sensor-17.local',
      'Policy: 1.3.6.1.4.1.55555.1.2\n                  CPS: http://pki.example.com/cps',
      'URI:http://crl.example.com/device-ca.crl',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('parses back to what was written, and its signature verifies (node:crypto) with the issuer key', () => {
    const c = parseCertificate(der);
    expect(c.serial).toBe(0x0123456789abcdefn);
    expect(c.issuer).toBe('C=SE, O=Example IoT Devices, CN=Example Device CA');
    expect(c.subject).toBe('C=SE, O=Example IoT Devices, OU=Sensors, CN=sensor-17');
    expect(c.not_before.toISOString()).toBe('2024-03-01T12:00:00.000Z');
    expect(c.not_after.toISOString()).toBe('2054-03-01T12:00:00.000Z');
    expect(c.spki).toEqual(publicKeyOf(subjectKey));
    expect(c.spki_der).toEqual(encodeSpki(publicKeyOf(subjectKey)));
    expect(c.basic_constraints).toEqual({ ca: false });
    expect(c.key_usage).toEqual(['digitalSignature', 'keyAgreement']);
    expect(c.subject_alt_dns).toEqual(['sensor-17.example.com', 'sensor-17.local']);
    expect(c.subject_key_identifier).toEqual(keyIdentifier(publicKeyOf(subjectKey)));
    expect(c.authority_key_identifier).toEqual(keyIdentifier(publicKeyOf(issuerKey)));
    expect(c.extensions.map((e) => [e.oid, e.critical, e.understood])).toEqual([
      ['2.5.29.19', true, true],
      ['2.5.29.15', true, true],
      ['2.5.29.14', false, true],
      ['2.5.29.35', false, true],
      ['2.5.29.17', false, true],
      ['2.5.29.32', false, false],
      ['2.5.29.31', false, false],
    ]);
    expect(c.tbs_der).toEqual(buildTbsCertificate(content(), 'ecdsa-with-SHA256'));
    expect(nodeCryptoVerifier(c.signature_algorithm, c.tbs_der, c.signature, publicKeyOf(issuerKey))).toBe(true);
    expect(nodeCryptoVerifier(c.signature_algorithm, c.tbs_der, c.signature, publicKeyOf(subjectKey))).toBe(false);
  });

  it('is deterministic: the same content and key give the same bytes', () => {
    expect(buildCertificate(content(), 'ecdsa-with-SHA256', keySigner(issuerKey))).toEqual(der);
  });

  it('signs with sha256WithRSAEncryption for an RSA issuer, which node:crypto verifies', () => {
    const rsaIssuer = seededRsa2048Key(21, 'certificate-test/rsa-issuer');
    const c = parseCertificate(buildCertificate(content(), 'sha256WithRSAEncryption', keySigner(rsaIssuer)));
    expect(c.signature_algorithm).toBe('sha256WithRSAEncryption');
    expect(c.signature.length).toBe(256);
    expect(nodeCryptoVerifier('sha256WithRSAEncryption', c.tbs_der, c.signature, publicKeyOf(rsaIssuer))).toBe(true);
  });

  it('meteredVerifier verifies through MeteredCrypto and records the SHA-256 and the ECDSA verification', () => {
    const meter = new OpMeter();
    const crypto = new MeteredCrypto('client', meter, seededRandom(1, 'unused'));
    const c = parseCertificate(der);
    expect(meteredVerifier(crypto)(c.signature_algorithm, c.tbs_der, c.signature, publicKeyOf(issuerKey))).toBe(true);
    expect(meter.ops.map((o) => [o.op, o.bytes])).toEqual([
      ['sha256.hash', c.tbs_der.length],
      ['p256.ecdsa_verify', 32],
    ]);
  });

  it.each([
    ['a country that is not two capitals', { subject: { common_name: 'x', country: 'Sweden' } }, 'subject.country: "Sweden" is not a two-letter ISO 3166 code'],
    ['a common name over 64 characters', { subject: { common_name: 'x'.repeat(65) } }, 'subject.common_name: "xxxxxxxx'],
    ['serial 0', { serial: 0n }, 'serial: 0; expected a positive integer of at most 20 octets'],
    ['notBefore after notAfter', { not_before: new Date('2030-01-01T00:00:00Z'), not_after: new Date('2029-01-01T00:00:00Z') }, 'validity: not_before'],
    ['a time with milliseconds', { not_before: new Date('2024-01-01T00:00:00.250Z') }, 'validity.not_before: "2024-01-01T00:00:00.250Z"; expected a date in whole seconds'],
    ['a DNS name with a space', { extensions: { subject_alt_dns: ['bad name'] } }, 'subject_alt_dns[0]: "bad name" is not a DNS name'],
    ['a path length on an end entity', { extensions: { basic_constraints: { ca: false, path_len: 0 } } }, 'basic_constraints.path_len: 0'],
    ['a policy that is not an OID', { extensions: { certificate_policies: { policy_oids: ['anyPolicy'] } } }, 'certificate_policies.policy_oids[0]: "anyPolicy" is not a dotted OID'],
    ['a CRL URL without a scheme', { extensions: { crl_distribution_point: 'crl.example.com' } }, 'crl_distribution_point: "crl.example.com" is not an absolute URI'],
  ])('refuses %s with an InputError naming the field', (_name, overrides, message) => {
    expect(() => buildTbsCertificate(content(overrides as Partial<CertificateContent>), 'ecdsa-with-SHA256')).toThrow(InputError);
    expect(() => buildTbsCertificate(content(overrides as Partial<CertificateContent>), 'ecdsa-with-SHA256')).toThrow(message);
  });
});

describe('parsing published certificates', () => {
  it('the RFC 7925 profiled example of draft-ietf-cose-cbor-encoded-cert A.1', () => {
    const c = parseCertificate(hex(RFC7925_EXAMPLE_HEX));
    expect(c.der.length).toBe(316);
    expect(c.serial).toBe(128269n);
    expect(c.issuer).toBe('CN=RFC test CA');
    expect(c.subject).toBe('CN=01-23-45-FF-FE-67-89-AB');
    expect([c.not_before.toISOString(), c.not_after.toISOString()]).toEqual(['2023-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
    expect(c.key_usage).toEqual(['digitalSignature']);
    expect(c.basic_constraints).toBeNull();
    expect(c.spki.kind === 'p256' && Buffer.from(c.spki.point).toString('hex')).toBe(
      '04b1216ab96e5b3b3340f5bdf02e693f16213a04525ed44450b1019c2dfd3838abac4e14d86c0983ed5e9eef2448c6861cc406547177e6026030d051f7792ac206',
    );
    // The tbsCertificate is the certificate minus its 4-byte header and the 10 + 75 bytes of algorithm and signature.
    expect(c.tbs_der.length).toBe(316 - 4 - 12 - 75);
    expect(c.issuer_der).toEqual(encodeName({ common_name: 'RFC test CA' }, 'issuer'));
  });

  it('the IEEE 802.1AR DevID example of RFC 9148 C.2: six-attribute names, GeneralizedTime 9999, a critical keyUsage', () => {
    const c = parseCertificate(hex(IEEE_8021AR_EXAMPLE_HEX));
    expect(c.der.length).toBe(577);
    expect(c.serial).toBe(9112578475118446130n);
    expect(c.issuer).toBe('C=US, ST=CA, O=Example Inc, OU=certification, CN=802.1AR CA');
    expect(c.subject).toBe('C=US, ST=CA, L=LA, O=example Inc, OU=IoT, serialNumber=Wt1234');
    expect(c.not_after.toISOString()).toBe('9999-12-31T23:59:59.000Z');
    expect(c.key_usage).toEqual(['digitalSignature', 'keyEncipherment']);
    expect(c.basic_constraints).toEqual({ ca: false });
    expect(c.subject_alt_dns).toEqual([]); // its subjectAltName is a hardwareModuleName otherName
    expect(Buffer.from(c.subject_key_identifier!).toString('hex')).toBe('96600d8716bf7fd0e752d0ac760777ad665d02a0');
    expect(Buffer.from(c.authority_key_identifier!).toString('hex')).toBe('68d16551f951bfc82a431d0d9f08bc2d205b1160');
  });
});

describe('parsing is strict', () => {
  const tbs = buildTbsCertificate(content(), 'ecdsa-with-SHA256');
  const signature = keySigner(issuerKey)(tbs);
  const good = assembleCertificate(tbs, 'ecdsa-with-SHA256', signature);
  /** Rebuilds the TBSCertificate with one element replaced (by index) or removed (null). */
  const tbsWith = (index: number, replacement: Uint8Array | null) => {
    const items = readSequence(decodeDer(tbs, 'tbs'), 'tbs').map((n) => n.raw);
    if (replacement) items[index] = replacement;
    else items.splice(index, 1);
    return derSequence(...items);
  };

  it('rejects a signatureAlgorithm that differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)', () => {
    const mismatched = derSequence(tbs, encodeSignatureAlgorithm('sha256WithRSAEncryption'), readSequence(decodeDer(good, 'c'), 'c')[2]!.raw);
    expect(() => parseCertificate(mismatched)).toThrow(DecodeError);
    expect(() => parseCertificate(mismatched)).toThrow(/signatureAlgorithm at byte \d+: differs from tbsCertificate.signature/);
  });

  it('refuses v1 certificates, and an explicitly encoded v1, and other signature algorithms', () => {
    const v1 = assembleCertificate(tbsWith(0, null), 'ecdsa-with-SHA256', signature);
    expect(() => parseCertificate(v1)).toThrow(UnsupportedCertificateError);
    expect(() => parseCertificate(v1)).toThrow('X.509 v1 certificates are not supported: expected v3');
    const explicitV1 = assembleCertificate(tbsWith(0, derExplicit(0, derInteger(0))), 'ecdsa-with-SHA256', signature);
    expect(() => parseCertificate(explicitV1)).toThrow(/v1 is the default, which DER leaves out/);
    const sha384 = derSequence(derOid('1.2.840.10045.4.3.3'));
    const other = derSequence(tbsWith(2, sha384), sha384, readSequence(decodeDer(good, 'c'), 'c')[2]!.raw);
    expect(() => parseCertificate(other)).toThrow(UnsupportedCertificateError);
    expect(() => parseCertificate(other)).toThrow(/ecdsa-with-SHA384 \(1\.2\.840\.10045\.4\.3\.3\) is not supported/);
  });

  it('rejects trailing bytes, a repeated extension, and a critical flag encoded as FALSE', () => {
    expect(() => parseCertificate(Uint8Array.of(...good, 0))).toThrow(/unexpected bytes after the DER value/);
    const ku = derSequence(derOid('2.5.29.15'), derBoolean(true), derOctetString(hex('03020780')));
    const twice = tbsWith(7, derExplicit(3, derSequence(ku, ku)));
    expect(() => parseCertificate(assembleCertificate(twice, 'ecdsa-with-SHA256', signature))).toThrow(/extension 2.5.29.15 appears twice/);
    const falseFlag = tbsWith(7, derExplicit(3, derSequence(derSequence(derOid('2.5.29.15'), derBoolean(false), derOctetString(hex('03020780'))))));
    expect(() => parseCertificate(assembleCertificate(falseFlag, 'ecdsa-with-SHA256', signature))).toThrow(/FALSE is the default/);
  });

  it('rejects a time that is not one, naming the field', () => {
    const badTime = tbsWith(4, derSequence(derTime(new Date('2024-01-01T00:00:00Z')), Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('241301000000Z'))));
    expect(() => parseCertificate(assembleCertificate(badTime, 'ecdsa-with-SHA256', signature))).toThrow(/tbsCertificate.validity.notAfter at byte \d+: "241301000000Z" is not a calendar time/);
  });

  it('keyIdentifier is SHA-1 of the subjectPublicKey bits (RFC 5280 §4.2.1.2 method 1)', async () => {
    const { sha1 } = await import('@noble/hashes/legacy.js');
    expect(keyIdentifier(publicKeyOf(subjectKey))).toEqual(sha1(p256.Point.fromBytes(subjectKey.public_key).toBytes(false)));
  });
});
