import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import { describe, expect, it } from 'vitest';
import { AlertDescription } from '../../src/protocol/dtls12/alerts.js';
import { assembleCertificate } from '../../src/x509/certificate.js';
import { authority, buildCertificateChain, issueCertificate, type Authority, type IssueSpec } from '../../src/x509/chain.js';
import { decodeDer, derBoolean, derExplicit, derOctetString, derOid, derSequence, readSequence } from '../../src/x509/der.js';
import { publicKeyOf, seededP256Key } from '../../src/x509/keys.js';
import { encodeName } from '../../src/x509/names.js';
import { certificatesToPem, readCertificatesPemFile, readPrivateKeyPemFile } from '../../src/x509/pem.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { encodeSpki } from '../../src/x509/spki.js';
import { keySigner, nodeCryptoVerifier } from '../../src/x509/signatures.js';
import {
  CERTIFICATE_ALERT_CODES,
  CHAIN_FAILURE_ALERTS,
  DEFAULT_EVALUATION_TIME,
  trustAnchorFromCertificate,
  verifyChain,
  type CertificateAlert,
  type ChainVerification,
  type TrustAnchor,
} from '../../src/x509/verify_chain.js';
import { RFC7925_EXAMPLE_HEX, RFC7925_EXAMPLE_ISSUER_KEY_HEX } from './fixtures/published_certificates.js';
import { hasOpenssl, openssl, opensslOk, withTempDir, writeFile } from '../helpers/openssl_cli.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const VALIDITY = { not_before: new Date('2024-01-01T00:00:00Z'), not_after: new Date('2044-01-01T00:00:00Z') };
const CA: IssueSpec['extensions'] = { basic_constraints: { ca: true }, key_usage: ['keyCertSign', 'cRLSign'] };
const END_ENTITY: IssueSpec['extensions'] = { basic_constraints: { ca: false }, key_usage: ['digitalSignature'] };
const party = (name: string) => authority({ organization: 'Test PKI', common_name: name }, seededP256Key(30, `verify-chain-test/${name}`));
const spec = (serial: bigint, extensions: IssueSpec['extensions'], validity = VALIDITY): IssueSpec => ({ serial, validity, extensions });

// root -> intermediate -> leaf, all P-256, built by hand so each test can change one thing.
const rootCa = party('Test Root');
const interCa = party('Test Intermediate');
const device = party('device');
const root = issueCertificate(rootCa, rootCa, spec(1n, CA));
const inter = issueCertificate(rootCa, interCa, spec(2n, { ...CA, basic_constraints: { ca: true, path_len: 0 } }));
const leaf = issueCertificate(interCa, device, spec(3n, END_ENTITY));
const anchors: TrustAnchor[] = [trustAnchorFromCertificate(root)];

const verify = (certificates: Uint8Array[], now?: Date, trust: TrustAnchor[] = anchors): ChainVerification =>
  verifyChain(certificates, trust, nodeCryptoVerifier, now);

/** The failure, without the message (which the test checks apart where it matters). */
function failure(result: ChainVerification): { index: number; reason: string; alert: string } | 'ok' {
  return result.ok ? 'ok' : { index: result.index, reason: result.reason, alert: result.alert };
}

const flip = (der: Uint8Array, at: number): Uint8Array => {
  const out = Uint8Array.from(der);
  out[at]! ^= 0x01;
  return out;
};

/** openssl verify -x509_strict of [leaf, ...intermediates] against `rootDer` at our evaluation time. */
function opensslAccepts(certificates: Uint8Array[], rootDer: Uint8Array, now = DEFAULT_EVALUATION_TIME): { ok: boolean; output: string } {
  return withTempDir((dir) => {
    writeFile(dir, 'root.pem', certificatesToPem([rootDer]));
    writeFile(dir, 'leaf.pem', certificatesToPem(certificates.slice(0, 1)));
    writeFile(dir, 'inter.pem', certificatesToPem(certificates.slice(1)));
    const untrusted = certificates.length > 1 ? ['-untrusted', 'inter.pem'] : [];
    const r = openssl(['verify', '-x509_strict', '-attime', String(now.getTime() / 1000), '-CAfile', 'root.pem', ...untrusted, 'leaf.pem'], dir);
    return { ok: r.status === 0, output: r.stdout + r.stderr };
  });
}

describe('verifyChain accepts', () => {
  it('a leaf and its intermediate, signed up to the trust anchor', () => {
    const result = verify([leaf, inter]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.leaf.subject).toBe('O=Test PKI, CN=device');
    expect(result.certificates).toHaveLength(2);
    expect(result.trust_anchor).toBe(anchors[0]);
  });

  it('the same chain with the self-signed root sent along (RFC 5246 §7.4.2 lets the sender include it)', () => {
    expect(failure(verify([leaf, inter, root]))).toBe('ok');
  });

  it('the published RFC 7925 example certificate with its published issuer key, within its validity only', () => {
    const der = hex(RFC7925_EXAMPLE_HEX);
    const anchor: TrustAnchor = {
      subject_der: encodeName({ common_name: 'RFC test CA' }, 'issuer'),
      public_key: { kind: 'p256', point: p256.Point.fromBytes(hex(RFC7925_EXAMPLE_ISSUER_KEY_HEX)).toBytes(false) },
    };
    expect(failure(verify([der], new Date('2024-06-01T00:00:00Z'), [anchor]))).toBe('ok');
    expect(failure(verify([der], new Date('2026-06-01T00:00:00Z'), [anchor]))).toEqual({ index: 0, reason: 'expired', alert: 'certificate_expired' });
    const otherKey: TrustAnchor = { ...anchor, public_key: { kind: 'p256', point: seededP256Key(30, 'verify-chain-test/other').public_key } };
    expect(failure(verify([der], new Date('2024-06-01T00:00:00Z'), [otherKey]))).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });
  });
});

describe('verifyChain rejects, naming the certificate and the TLS alert', () => {
  it('a flipped byte in a signature', () => {
    expect(failure(verify([flip(leaf, leaf.length - 1), inter]))).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });
    expect(failure(verify([leaf, flip(inter, inter.length - 1)]))).toEqual({ index: 1, reason: 'bad_signature', alert: 'bad_certificate' });
    const rsa = buildCertificateChain({ seed: 31, depth: 1, leaf_key: 'rsa2048', ca_key: 'rsa2048' });
    const rsaAnchors = [trustAnchorFromCertificate(rsa.root)];
    expect(failure(verify(rsa.certificates, undefined, rsaAnchors))).toBe('ok');
    const tampered = flip(rsa.certificates[0]!, rsa.certificates[0]!.length - 1);
    expect(failure(verify([tampered], undefined, rsaAnchors))).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });
  });

  it('a flipped byte in the signed part (the subject name)', () => {
    const at = Buffer.from(leaf).indexOf('device');
    const result = verify([flip(leaf, at), inter]);
    expect(failure(result)).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });
    expect(!result.ok && result.message).toBe('certificate 0 ("O=Test PKI, CN=eevice"): signature does not verify with the key of certificate 1');
  });

  it('a wrong issuer: another key under the same name, another name, a missing intermediate, an unknown root', () => {
    const impostor: Authority = { ...party('impostor'), name: interCa.name };
    const byImpostor = issueCertificate(impostor, device, spec(4n, END_ENTITY));
    expect(failure(verify([byImpostor, inter]))).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });

    const byOther = issueCertificate(party('Other CA'), device, spec(5n, END_ENTITY));
    const mismatch = verify([byOther, inter]);
    expect(failure(mismatch)).toEqual({ index: 0, reason: 'issuer_mismatch', alert: 'bad_certificate' });
    expect(!mismatch.ok && mismatch.message).toBe('certificate 0 ("O=Test PKI, CN=device"): issuer "O=Test PKI, CN=Other CA" is not the subject of certificate 1 ("O=Test PKI, CN=Test Intermediate")');

    expect(failure(verify([leaf]))).toEqual({ index: 0, reason: 'unknown_issuer', alert: 'unknown_ca' });
    const elsewhere = [trustAnchorFromCertificate(buildCertificateChain({ seed: 32, depth: 1, leaf_key: 'p256', ca_key: 'p256' }).root)];
    expect(failure(verify([leaf, inter], undefined, elsewhere))).toEqual({ index: 1, reason: 'unknown_issuer', alert: 'unknown_ca' });
  });

  it.skipIf(!hasOpenssl)('an issuer that is not a CA (cA FALSE, or no basicConstraints), as openssl does', () => {
    const notCaExtensions: [bigint, IssueSpec['extensions']][] = [
      [6n, { basic_constraints: { ca: false }, key_usage: ['keyCertSign'] }],
      [7n, { key_usage: ['keyCertSign'] }],
    ];
    for (const [serial, extensions] of notCaExtensions) {
      const notCa = issueCertificate(rootCa, interCa, spec(serial, extensions));
      expect(failure(verify([leaf, notCa]))).toEqual({ index: 1, reason: 'not_a_ca', alert: 'bad_certificate' });
      expect(opensslAccepts([leaf, notCa], root).ok).toBe(false);
    }
  });

  it.skipIf(!hasOpenssl)('a CA below a pathLenConstraint of 0, as openssl does', () => {
    const lowerCa = party('Test Lower Intermediate');
    const lower = issueCertificate(interCa, lowerCa, spec(8n, CA)); // inter has path_len 0: no CA may follow it
    const deepLeaf = issueCertificate(lowerCa, device, spec(9n, END_ENTITY));
    expect(failure(verify([deepLeaf, lower, inter]))).toEqual({ index: 1, reason: 'path_length_exceeded', alert: 'bad_certificate' });
    expect(opensslAccepts([deepLeaf, lower, inter], root).output).toContain('path length constraint exceeded');
    // Without the constraint the same path is fine.
    const openInter = issueCertificate(rootCa, interCa, spec(10n, CA));
    expect(failure(verify([deepLeaf, lower, openInter]))).toBe('ok');
  });

  it('key usage: an issuer without keyCertSign, a leaf without digitalSignature', () => {
    const noCertSign = issueCertificate(rootCa, interCa, spec(11n, { basic_constraints: { ca: true }, key_usage: ['cRLSign'] }));
    expect(failure(verify([leaf, noCertSign]))).toEqual({ index: 1, reason: 'key_usage', alert: 'unsupported_certificate' });
    const keyAgreementOnly = issueCertificate(interCa, device, spec(12n, { basic_constraints: { ca: false }, key_usage: ['keyAgreement'] }));
    expect(failure(verify([keyAgreementOnly, inter]))).toEqual({ index: 0, reason: 'key_usage', alert: 'unsupported_certificate' });
  });

  it.skipIf(!hasOpenssl)('a leaf expired, or not yet valid, at the evaluation time; openssl agrees', () => {
    const expired = issueCertificate(interCa, device, spec(13n, END_ENTITY, { not_before: new Date('2020-01-01T00:00:00Z'), not_after: new Date('2021-01-01T00:00:00Z') }));
    const result = verify([expired, inter]);
    expect(failure(result)).toEqual({ index: 0, reason: 'expired', alert: 'certificate_expired' });
    expect(!result.ok && result.message).toBe('certificate 0 ("O=Test PKI, CN=device"): expired at 2021-01-01T00:00:00.000Z (evaluated at 2025-01-01T00:00:00.000Z)');
    expect(opensslAccepts([expired, inter], root).output).toContain('certificate has expired');

    const future = issueCertificate(interCa, device, spec(14n, END_ENTITY, { not_before: new Date('2030-01-01T00:00:00Z'), not_after: new Date('2031-01-01T00:00:00Z') }));
    expect(failure(verify([future, inter]))).toEqual({ index: 0, reason: 'not_yet_valid', alert: 'certificate_expired' });
    expect(opensslAccepts([future, inter], root).output).toContain('certificate is not yet valid');

    // The evaluation time is a parameter: the good chain too is expired in 2045, its top certificate first.
    expect(failure(verify([leaf, inter], new Date('2045-01-01T00:00:00Z')))).toEqual({ index: 1, reason: 'expired', alert: 'certificate_expired' });
  });

  it('a critical extension it does not understand (RFC 5280 §4.2)', () => {
    const tbs = readSequence(decodeDer(leaf, 'leaf'), 'leaf')[0]!;
    const fields = readSequence(tbs, 'tbs').map((n) => n.raw);
    const extensions = readSequence(decodeDer(fields[7]!, 'ext').children('[3]')[0]!, 'ext').map((n) => n.raw);
    const unknown = derSequence(derOid('1.3.6.1.4.1.55555.9'), derBoolean(true), derOctetString(Uint8Array.of(0x05, 0x00)));
    fields[7] = derExplicit(3, derSequence(...extensions, unknown));
    const newTbs = derSequence(...fields);
    const withUnknown = assembleCertificate(newTbs, 'ecdsa-with-SHA256', keySigner(interCa.key)(newTbs));
    expect(failure(verify([withUnknown, inter]))).toEqual({ index: 0, reason: 'unknown_critical_extension', alert: 'unsupported_certificate' });
  });

  it('a key type it does not support, malformed DER, bytes after the certificate, and no certificate at all', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ type: 'spki', format: 'der' });
    const fields = readSequence(readSequence(decodeDer(leaf, 'leaf'), 'leaf')[0]!, 'tbs').map((n) => n.raw);
    fields[6] = Uint8Array.from(p384);
    const tbs = derSequence(...fields);
    const p384Leaf = assembleCertificate(tbs, 'ecdsa-with-SHA256', keySigner(interCa.key)(tbs));
    expect(failure(verify([p384Leaf, inter]))).toEqual({ index: 0, reason: 'unsupported', alert: 'unsupported_certificate' });

    expect(failure(verify([leaf.subarray(0, leaf.length - 1), inter]))).toEqual({ index: 0, reason: 'malformed', alert: 'bad_certificate' });
    expect(failure(verify([leaf, Uint8Array.of(...inter, 0)]))).toEqual({ index: 1, reason: 'length_mismatch', alert: 'decode_error' });
    expect(failure(verify([]))).toEqual({ index: 0, reason: 'empty_chain', alert: 'handshake_failure' });
  });

  it('every single-bit flip in the leaf or the intermediate fails, and points at the certificate that was changed', () => {
    const alertsSeen = new Set<string>();
    for (const [index, target] of [leaf, inter].entries()) {
      for (let at = 0; at < target.length; at++) {
        const chain = index === 0 ? [flip(leaf, at), inter] : [leaf, flip(inter, at)];
        const result = verify(chain);
        expect(result.ok, `byte ${at} of certificate ${index}`).toBe(false);
        if (result.ok) continue;
        expect(result.index, `byte ${at} of certificate ${index}: ${result.message}`).toBe(index);
        alertsSeen.add(result.alert);
      }
    }
    expect([...alertsSeen].sort()).toEqual(['bad_certificate', 'decode_error', 'unknown_ca', 'unsupported_certificate']);
  });
});

describe.skipIf(!hasOpenssl)('certificates made by openssl', () => {
  const DAY_MS = 86_400_000;

  it.each([
    ['P-256', ['ec', '-pkeyopt', 'ec_paramgen_curve:P-256'], 'ecdsa-with-SHA256', 'p256'],
    ['RSA-2048', ['rsa:2048'], 'sha256WithRSAEncryption', 'rsa2048'],
  ] as const)('a self-signed %s certificate from openssl req -x509 parses, and verifies as its own trust anchor', (_name, keyArgs, algorithm, kind) => {
    withTempDir((dir) => {
      opensslOk(['req', '-x509', '-newkey', ...keyArgs, '-nodes', '-keyout', 'key.pem', '-out', 'cert.pem', '-days', '30',
        '-subj', '/C=SE/O=Example/CN=openssl-made', '-addext', 'subjectAltName=DNS:openssl-made.example.com'], dir);
      const [der] = readCertificatesPemFile(join(dir, 'cert.pem'));
      const cert = parseCertificate(der!);
      expect(cert.subject).toBe('C=SE, O=Example, CN=openssl-made');
      expect(cert.issuer).toBe(cert.subject);
      expect(cert.signature_algorithm).toBe(algorithm);
      expect(cert.spki.kind).toBe(kind);
      expect(cert.subject_alt_dns).toEqual(['openssl-made.example.com']);
      expect(cert.spki_der).toEqual(encodeSpki(publicKeyOf(readPrivateKeyPemFile(join(dir, 'key.pem')))));
      // Evaluated a day into its validity: openssl dates it from the wall clock.
      const now = new Date(cert.not_before.getTime() + DAY_MS);
      expect(failure(verify([der!], now, [trustAnchorFromCertificate(der!)]))).toBe('ok');
      expect(failure(verify([flip(der!, der!.length - 1)], now, [trustAnchorFromCertificate(der!)]))).toEqual({ index: 0, reason: 'bad_signature', alert: 'bad_certificate' });
    });
  });

  it('a leaf openssl x509 -req issued from an openssl CA verifies against that CA, and not against ours', () => {
    withTempDir((dir) => {
      opensslOk(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=openssl CA'], dir);
      opensslOk(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=openssl leaf'], dir);
      writeFile(dir, 'leaf.ext', 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nsubjectAltName=DNS:leaf.example.com\n');
      opensslOk(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '7', '-days', '30', '-extfile', 'leaf.ext', '-out', 'leaf.pem'], dir);
      const [caDer] = readCertificatesPemFile(join(dir, 'ca.pem'));
      const [leafDer] = readCertificatesPemFile(join(dir, 'leaf.pem'));
      const now = new Date(parseCertificate(leafDer!).not_before.getTime() + DAY_MS);
      const result = verify([leafDer!], now, [trustAnchorFromCertificate(caDer!)]);
      expect(failure(result)).toBe('ok');
      expect(result.ok && [result.leaf.subject, result.leaf.key_usage, result.leaf.spki.kind]).toEqual(['CN=openssl leaf', ['digitalSignature'], 'rsa2048']);
      expect(failure(verify([leafDer!], now))).toEqual({ index: 0, reason: 'unknown_issuer', alert: 'unknown_ca' });
    });
  });
});

describe('the failure-to-alert mapping', () => {
  it('gives every reason an alert with its RFC 5246 §7.2 code, the same as the engine table where both have it', () => {
    const listed = Object.entries(CERTIFICATE_ALERT_CODES).map(([name, code]) => `${name}(${code})`);
    expect(listed.join(' ')).toBe('handshake_failure(40) bad_certificate(42) unsupported_certificate(43) certificate_expired(45) unknown_ca(48) decode_error(50)');
    for (const [name, code] of Object.entries(AlertDescription)) if (name in CERTIFICATE_ALERT_CODES) expect(CERTIFICATE_ALERT_CODES[name as CertificateAlert]).toBe(code);
    for (const alert of Object.values(CHAIN_FAILURE_ALERTS)) expect(CERTIFICATE_ALERT_CODES[alert]).toBeGreaterThan(0);
  });
});
