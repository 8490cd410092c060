/**
 * Builds the certificate chain a TLS/DTLS server (or a client, for mutual authentication) sends,
 * deterministically from a seed: keys, serial numbers and signatures all come from
 * seededRandom(seed, ...) or are deterministic functions of it, and validity dates are fixed.
 *
 * depth = the number of certificates sent in the Certificate message:
 *   1: the leaf, issued directly by the root;
 *   2: the leaf and one intermediate CA;
 *   3: the leaf and two intermediate CAs.
 * The root is never sent (RFC 5246 §7.4.2 lets the sender omit it; the peer has it
 * pre-provisioned as its trust anchor) and is returned apart.
 *
 * The default leaf is a typical IoT device certificate (see typical_certificates.ts): P-256,
 * ecdsa-with-SHA256, subject O and CN, one DNS subjectAltName, basicConstraints CA:FALSE,
 * keyUsage digitalSignature, subject and authority key identifiers.
 */
import { seededRandom } from '../crypto/random_source.js';
import { InputError, showValue } from '../scenario/errors.js';
import { buildCertificate, keyIdentifier } from './certificate.js';
import type { CertificatePolicies, ExtensionsContent } from './extensions.js';
import { KEY_KINDS, keyKindName, publicKeyOf, seededPrivateKey, type KeyKind, type PrivateKey } from './keys.js';
import type { DistinguishedName } from './names.js';
import { keySigner, signatureAlgorithmFor } from './signatures.js';

/** What the leaf certificate says about its subject; every field has a default. */
export interface LeafSubjectOptions {
  common_name?: string;
  organization?: string;
  organizational_unit?: string;
  country?: string;
  /** subjectAltName dNSName entries; [] for none. */
  dns_names?: string[];
  certificate_policies?: CertificatePolicies;
  crl_distribution_point?: string;
}

export interface ChainOptions {
  seed: number;
  /** Certificates sent: 1 (leaf issued by the root), 2 (+ one intermediate) or 3 (+ two). */
  depth: number;
  leaf_key: KeyKind;
  /** The key type of the root and the intermediates. */
  ca_key: KeyKind;
  subject?: LeafSubjectOptions;
  /** Tells two chains built from one seed apart (e.g. "client" for a mutual handshake's client); default none. */
  label?: string;
  /** Validity of every certificate in the chain; default 2024-01-01 to 2044-01-01 UTC. */
  validity?: { not_before: Date; not_after: Date };
}

export interface CertificateChain {
  /** DER, leaf first, as the Certificate message carries them; the root is not included. */
  certificates: Uint8Array[];
  /** DER of the self-signed root: the trust anchor the peer has pre-provisioned. */
  root: Uint8Array;
  leaf_private_key: PrivateKey;
}

const DEFAULT_LEAF_SUBJECT: Required<Pick<LeafSubjectOptions, 'common_name' | 'organization' | 'dns_names'>> = {
  common_name: 'device-0001',
  organization: 'Example IoT Devices',
  dns_names: ['device-0001.devices.example.com'],
};

const DEFAULT_VALIDITY = {
  not_before: new Date('2024-01-01T00:00:00Z'),
  not_after: new Date('2044-01-01T00:00:00Z'),
};

const CA_ORGANIZATION = 'Example IoT Devices';
const SERIAL_BYTES = 16; // RFC 5280 §4.1.2.2 allows up to 20 octets

/** A certificate authority (or the subject of a certificate): its name, key and key identifier. */
export interface Authority {
  name: DistinguishedName;
  key: PrivateKey;
  key_id: Uint8Array;
}

export function authority(name: DistinguishedName, key: PrivateKey): Authority {
  return { name, key, key_id: keyIdentifier(publicKeyOf(key)) };
}

/** What a certificate says besides names and keys; the key identifiers come from the two parties. */
export interface IssueSpec {
  serial: bigint;
  validity: { not_before: Date; not_after: Date };
  extensions: Omit<ExtensionsContent, 'subject_key_identifier' | 'authority_key_identifier'>;
}

/** One certificate for `subject`, signed by `issuer` with the algorithm its key calls for. */
export function issueCertificate(issuer: Authority, subject: Authority, spec: IssueSpec): Uint8Array {
  return buildCertificate(
    {
      serial: spec.serial,
      issuer: issuer.name,
      subject: subject.name,
      not_before: spec.validity.not_before,
      not_after: spec.validity.not_after,
      public_key: publicKeyOf(subject.key),
      extensions: { ...spec.extensions, subject_key_identifier: subject.key_id, authority_key_identifier: issuer.key_id },
    },
    signatureAlgorithmFor(issuer.key.kind),
    keySigner(issuer.key),
  );
}

export function buildCertificateChain(options: ChainOptions): CertificateChain {
  const { seed, depth, leaf_key, ca_key } = checkOptions(options);
  const validity = options.validity ?? DEFAULT_VALIDITY;
  const prefix = options.label ? `${options.label}/` : '';
  const key = (role: string, kind: KeyKind) => seededPrivateKey(kind, seed, `x509/${prefix}${role}/${kind}`);
  const spec = (role: string, extensions: IssueSpec['extensions']): IssueSpec => ({ serial: seededSerial(seed, prefix + role), validity, extensions });
  // A CA may sign certificates and CRLs, and `path_len` more CAs may follow it (RFC 5280 §4.2.1.9).
  const caExtensions = (path_len: number): IssueSpec['extensions'] => ({ basic_constraints: { ca: true, path_len }, key_usage: ['keyCertSign', 'cRLSign'] });

  // The root first, then the intermediates from the root down, then the leaf.
  const intermediates = depth - 1;
  const rootCa = authority({ organization: CA_ORGANIZATION, common_name: 'Example IoT Root CA' }, key('root', ca_key));
  const root = issueCertificate(rootCa, rootCa, spec('root', caExtensions(intermediates)));
  const sent: Uint8Array[] = [];
  let issuer = rootCa;
  for (let level = intermediates; level >= 1; level--) {
    const ca = authority({ organization: CA_ORGANIZATION, common_name: `Example IoT Intermediate CA ${level}` }, key(`intermediate-${level}`, ca_key));
    sent.unshift(issueCertificate(issuer, ca, spec(`intermediate-${level}`, caExtensions(level - 1))));
    issuer = ca;
  }

  const s = options.subject ?? {};
  const leafName: DistinguishedName = {
    common_name: s.common_name ?? DEFAULT_LEAF_SUBJECT.common_name,
    organization: s.organization ?? DEFAULT_LEAF_SUBJECT.organization,
    ...(s.organizational_unit !== undefined ? { organizational_unit: s.organizational_unit } : {}),
    ...(s.country !== undefined ? { country: s.country } : {}),
  };
  const leafKey = key('leaf', leaf_key);
  const leaf = issueCertificate(
    issuer,
    authority(leafName, leafKey),
    spec('leaf', {
      basic_constraints: { ca: false },
      key_usage: ['digitalSignature'],
      subject_alt_dns: s.dns_names ?? DEFAULT_LEAF_SUBJECT.dns_names,
      ...(s.certificate_policies ? { certificate_policies: s.certificate_policies } : {}),
      ...(s.crl_distribution_point !== undefined ? { crl_distribution_point: s.crl_distribution_point } : {}),
    }),
  );
  return { certificates: [leaf, ...sent], root, leaf_private_key: leafKey };
}

/** 16 seeded bytes, positive and with the top byte in 0x40..0x7f so every serial has 16 octets. */
function seededSerial(seed: number, role: string): bigint {
  const bytes = seededRandom(seed, `x509/serial/${role}`)(SERIAL_BYTES);
  bytes[0] = (bytes[0]! & 0x3f) | 0x40;
  return BigInt('0x' + Buffer.from(bytes).toString('hex'));
}

function checkOptions(options: ChainOptions): ChainOptions {
  const { seed, depth, leaf_key, ca_key } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new InputError(`seed: ${showValue(seed)}; expected an integer 0 … 2^32−1`);
  if (depth !== 1 && depth !== 2 && depth !== 3) {
    throw new InputError(`depth: ${showValue(depth)}; expected 1, 2 or 3 (the certificates sent: the leaf and 0, 1 or 2 intermediates)`);
  }
  for (const [field, kind] of [['leaf_key', leaf_key], ['ca_key', ca_key]] as const) {
    if (!KEY_KINDS.includes(kind)) throw new InputError(`${field}: ${showValue(kind)}; expected ${KEY_KINDS.map((k) => `"${k}" (${keyKindName(k)})`).join(' or ')}`);
  }
  return options;
}
