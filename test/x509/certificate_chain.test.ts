import { describe, expect, it } from 'vitest';
import { MeteredCrypto } from '../../src/crypto/metered_crypto.js';
import { OpMeter } from '../../src/crypto/meter.js';
import { seededRandom } from '../../src/crypto/random_source.js';
import { InputError } from '../../src/scenario/errors.js';
import { buildCertificateChain, type ChainOptions } from '../../src/x509/chain.js';
import { publicKeyOf, type KeyKind } from '../../src/x509/keys.js';
import { parseCertificate } from '../../src/x509/parse.js';
import { certificatesToPem } from '../../src/x509/pem.js';
import { meteredVerifier, nodeCryptoVerifier } from '../../src/x509/signatures.js';
import { encodeSpki } from '../../src/x509/spki.js';
import { TYPICAL_P256_DEVICE_CERTIFICATE_BYTES } from '../../src/x509/typical_certificates.js';
import { DEFAULT_EVALUATION_TIME, trustAnchorFromCertificate, verifyChain } from '../../src/x509/verify_chain.js';
import { hasOpenssl, openssl, opensslOk, withTempDir, writeFile } from '../helpers/openssl_cli.js';

const EVALUATION_EPOCH_S = String(DEFAULT_EVALUATION_TIME.getTime() / 1000);

const MATRIX = [1, 2, 3].flatMap((depth) =>
  (['p256', 'rsa2048'] as const).flatMap((leaf_key) => (['p256', 'rsa2048'] as const).map((ca_key) => ({ depth, leaf_key, ca_key }))),
);

/** `openssl verify` of a chain as TLS sends it, at our evaluation time; its stdout + stderr. */
function opensslVerify(chain: { certificates: Uint8Array[]; root: Uint8Array }): { status: number | null; output: string } {
  return withTempDir((dir) => {
    writeFile(dir, 'root.pem', certificatesToPem([chain.root]));
    writeFile(dir, 'leaf.pem', certificatesToPem(chain.certificates.slice(0, 1)));
    const untrusted = chain.certificates.slice(1);
    if (untrusted.length > 0) writeFile(dir, 'inter.pem', certificatesToPem(untrusted));
    const r = openssl(
      ['verify', '-x509_strict', '-attime', EVALUATION_EPOCH_S, '-CAfile', 'root.pem', ...(untrusted.length > 0 ? ['-untrusted', 'inter.pem'] : []), 'leaf.pem'],
      dir,
    );
    return { status: r.status, output: r.stdout + r.stderr };
  });
}

function opensslText(der: Uint8Array): string {
  return withTempDir((dir) => {
    writeFile(dir, 'cert.der', der);
    return opensslOk(['x509', '-inform', 'DER', '-in', 'cert.der', '-noout', '-text'], dir);
  });
}

const algorithmName = (kind: KeyKind) => (kind === 'p256' ? 'ecdsa-with-SHA256' : 'sha256WithRSAEncryption');

describe('buildCertificateChain', () => {
  it.each(MATRIX)('depth $depth, $leaf_key leaf, $ca_key CAs: the leaf first, depth certificates, the root apart', ({ depth, leaf_key, ca_key }) => {
    const chain = buildCertificateChain({ seed: 1, depth, leaf_key, ca_key });
    expect(chain.certificates).toHaveLength(depth);
    const parsed = chain.certificates.map((der) => parseCertificate(der));
    const root = parseCertificate(chain.root);
    expect(root.issuer_der).toEqual(root.subject_der); // self-signed
    expect(parsed.some((c) => Buffer.from(c.subject_der).equals(root.subject_der))).toBe(false); // not sent
    for (let i = 0; i < depth; i++) {
      const issuer = parsed[i + 1] ?? root;
      expect(parsed[i]!.issuer_der).toEqual(issuer.subject_der);
      expect(parsed[i]!.signature_algorithm).toBe(algorithmName(ca_key)); // every certificate is signed by a CA key
      expect(parsed[i]!.authority_key_identifier).toEqual(issuer.subject_key_identifier);
    }
    expect(parsed[0]!.spki_der).toEqual(encodeSpki(publicKeyOf(chain.leaf_private_key)));
    expect(parsed[0]!.spki.kind).toBe(leaf_key);
    expect(parsed[0]!.basic_constraints).toEqual({ ca: false });
    expect(parsed.slice(1).map((c) => c.basic_constraints)).toEqual(Array.from({ length: depth - 1 }, (_, i) => ({ ca: true, path_len: i })));
    expect(root.basic_constraints).toEqual({ ca: true, path_len: depth - 1 });
  });

  it.skipIf(!hasOpenssl).each(MATRIX)(
    'depth $depth, $leaf_key leaf, $ca_key CAs: openssl parses every certificate and openssl verify -x509_strict accepts the chain; so do we',
    ({ depth, leaf_key, ca_key }) => {
      const chain = buildCertificateChain({ seed: 1, depth, leaf_key, ca_key });
      for (const [i, der] of [...chain.certificates, chain.root].entries()) {
        const text = opensslText(der);
        expect(text).toContain('Version: 3 (0x2)');
        expect(text).toContain(`Signature Algorithm: ${algorithmName(ca_key)}`);
        expect(text).toContain(i === 0 ? 'CA:FALSE' : 'CA:TRUE');
        expect(text).toContain(i === 0 && leaf_key === 'rsa2048' ? 'Public-Key: (2048 bit)' : 'Public-Key: (');
      }
      const result = opensslVerify(chain);
      expect(result.output).toBe('leaf.pem: OK\n');
      expect(result.status).toBe(0);
      const ours = verifyChain(chain.certificates, [trustAnchorFromCertificate(chain.root)], nodeCryptoVerifier);
      expect(ours.ok).toBe(true);
    },
  );

  it('the engine can verify a chain with metered operations: one SHA-256 and one signature check per certificate', () => {
    const chain = buildCertificateChain({ seed: 2, depth: 3, leaf_key: 'p256', ca_key: 'rsa2048' });
    const meter = new OpMeter();
    const crypto = new MeteredCrypto('client', meter, seededRandom(2, 'unused'));
    expect(verifyChain(chain.certificates, [trustAnchorFromCertificate(chain.root)], meteredVerifier(crypto)).ok).toBe(true);
    expect(meter.ops.map((o) => o.op)).toEqual(['sha256.hash', 'rsa2048.verify', 'sha256.hash', 'rsa2048.verify', 'sha256.hash', 'rsa2048.verify']);
  });

  it('is deterministic: the same seed gives byte-identical chains and keys, another seed other ones', () => {
    const options: ChainOptions = { seed: 3, depth: 2, leaf_key: 'p256', ca_key: 'p256' };
    const a = buildCertificateChain(options);
    const b = buildCertificateChain(options);
    expect(b.certificates).toEqual(a.certificates);
    expect(b.root).toEqual(a.root);
    expect(b.leaf_private_key).toEqual(a.leaf_private_key);
    const c = buildCertificateChain({ ...options, seed: 4 });
    expect(Buffer.from(c.certificates[0]!).equals(a.certificates[0]!)).toBe(false);
    expect(Buffer.from(c.root).equals(a.root)).toBe(false);
  });

  it(`the default P-256 leaf lies in the published range of IoT device certificates (${TYPICAL_P256_DEVICE_CERTIFICATE_BYTES.min.value}–${TYPICAL_P256_DEVICE_CERTIFICATE_BYTES.max.value} bytes)`, () => {
    const { min, max } = TYPICAL_P256_DEVICE_CERTIFICATE_BYTES;
    for (let seed = 1; seed <= 5; seed++) {
      for (const depth of [1, 2, 3]) {
        const leaf = buildCertificateChain({ seed, depth, leaf_key: 'p256', ca_key: 'p256' }).certificates[0]!;
        expect(leaf.length).toBeGreaterThanOrEqual(min.value);
        expect(leaf.length).toBeLessThanOrEqual(max.value);
      }
    }
  });

  it.skipIf(!hasOpenssl)('subject options make the leaf larger, as configured, and openssl shows each', () => {
    const base = buildCertificateChain({ seed: 5, depth: 1, leaf_key: 'p256', ca_key: 'p256' }).certificates[0]!;
    const chain = buildCertificateChain({
      seed: 5,
      depth: 1,
      leaf_key: 'p256',
      ca_key: 'p256',
      subject: {
        common_name: 'meter-000042',
        organization: 'Example Utility',
        organizational_unit: 'Smart Meters',
        country: 'NL',
        dns_names: ['meter-000042.example.net', 'meter-000042.local', 'coap.meter-000042.example.net'],
        certificate_policies: { policy_oids: ['1.3.6.1.4.1.55555.1.1'], cps_uri: 'http://pki.example.net/cps' },
        crl_distribution_point: 'http://crl.example.net/devices.crl',
      },
    });
    const leaf = chain.certificates[0]!;
    expect(leaf.length).toBeGreaterThan(base.length + 150);
    const text = opensslText(leaf);
    for (const expected of [
      'Subject: C = NL, O = Example Utility, OU = Smart Meters, CN = meter-000042',
      'DNS:meter-000042.example.net, DNS:meter-000042.local, DNS:coap.meter-000042.example.net',
      'Policy: 1.3.6.1.4.1.55555.1.1',
      'URI:http://crl.example.net/devices.crl',
    ]) {
      expect(text).toContain(expected);
    }
    expect(opensslVerify(chain).output).toBe('leaf.pem: OK\n');
  });

  it.each([
    ['depth 4', { depth: 4 }, 'depth: 4; expected 1, 2 or 3 (the certificates sent: the leaf and 0, 1 or 2 intermediates)'],
    ['depth 0', { depth: 0 }, 'depth: 0; expected 1, 2 or 3'],
    ['an ed25519 leaf', { leaf_key: 'ed25519' }, 'leaf_key: "ed25519"; expected "p256" (P-256) or "rsa2048" (RSA-2048)'],
    ['a negative seed', { seed: -1 }, 'seed: -1; expected an integer 0 … 2^32−1'],
    ['a long country name', { subject: { country: 'Sweden' } }, 'subject.country: "Sweden" is not a two-letter ISO 3166 code'],
  ])('refuses %s with an InputError naming the field, the value and what was expected', (_name, overrides, message) => {
    const options = { seed: 1, depth: 1, leaf_key: 'p256', ca_key: 'p256', ...overrides } as ChainOptions;
    expect(() => buildCertificateChain(options)).toThrow(InputError);
    expect(() => buildCertificateChain(options)).toThrow(message);
  });
});
