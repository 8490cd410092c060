/**
 * Certificate extensions (RFC 5280 §4.2): the ones we write and the ones the chain verifier reads.
 *
 *   Extension ::= SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 *
 * Written, in this order: basicConstraints (critical, §4.2.1.9), keyUsage (critical, §4.2.1.3),
 * subjectKeyIdentifier (§4.2.1.2), authorityKeyIdentifier (§4.2.1.1), subjectAltName with DNS
 * names (§4.2.1.6), certificatePolicies (§4.2.1.4) and cRLDistributionPoints (§4.2.1.13). The
 * last two carry nothing the simulator checks; they are there because real device certificates
 * have them, and they cost bytes on the air.
 *
 * Read: basicConstraints, keyUsage, subjectAltName DNS names and both key identifiers; every other
 * extension is listed with its criticality so the verifier can refuse a critical one it does not
 * understand (RFC 5280 §4.2).
 */
import { InputError, showValue } from '../scenario/errors.js';
import {
  readAscii,
  decodeOctetStringContents,
  derBoolean,
  derExplicit,
  derIa5String,
  derImplicit,
  derInteger,
  derNamedBits,
  derOctetString,
  derOid,
  derSequence,
  readBoolean,
  readNamedBits,
  readOctetString,
  readOid,
  readSequence,
  readSmallInteger,
  Tag,
  type DerNode,
} from './der.js';
import { OID } from './oids.js';

/** KeyUsage bit numbers (RFC 5280 §4.2.1.3). */
export const KEY_USAGE_BITS = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
  encipherOnly: 7,
  decipherOnly: 8,
} as const;
export type KeyUsage = keyof typeof KEY_USAGE_BITS;

export interface BasicConstraints {
  ca: boolean;
  /** Most intermediate CA certificates that may follow this one in a path (CA only). */
  path_len?: number;
}

export interface CertificatePolicies {
  policy_oids: string[];
  /** A certification practice statement URI qualifying the first policy. */
  cps_uri?: string;
}

export interface ExtensionsContent {
  basic_constraints?: BasicConstraints;
  key_usage?: KeyUsage[];
  subject_key_identifier?: Uint8Array;
  authority_key_identifier?: Uint8Array;
  subject_alt_dns?: string[];
  certificate_policies?: CertificatePolicies;
  crl_distribution_point?: string;
}

/** The extensions field, [3] EXPLICIT SEQUENCE OF Extension; empty bytes when there are none. */
export function encodeExtensions(content: ExtensionsContent): Uint8Array {
  const list: Uint8Array[] = [];
  const { basic_constraints: bc, key_usage, subject_alt_dns, certificate_policies, crl_distribution_point } = content;
  if (bc) {
    if (bc.path_len !== undefined && (!bc.ca || !Number.isInteger(bc.path_len) || bc.path_len < 0)) {
      throw new InputError(`basic_constraints.path_len: ${showValue(bc.path_len)}; expected a non-negative integer, and only on a CA (RFC 5280 §4.2.1.9)`);
    }
    // cA DEFAULT FALSE: DER leaves a default value out (X.690 §11.5).
    const value = derSequence(...(bc.ca ? [derBoolean(true)] : []), ...(bc.path_len !== undefined ? [derInteger(bc.path_len)] : []));
    list.push(extension(OID.basicConstraints, true, value));
  }
  if (key_usage) {
    if (key_usage.length === 0) throw new InputError('key_usage: empty; RFC 5280 §4.2.1.3 needs at least one bit when the extension is present');
    list.push(extension(OID.keyUsage, true, derNamedBits(key_usage.map((u) => KEY_USAGE_BITS[u]))));
  }
  if (content.subject_key_identifier) list.push(extension(OID.subjectKeyIdentifier, false, derOctetString(content.subject_key_identifier)));
  if (content.authority_key_identifier) {
    list.push(extension(OID.authorityKeyIdentifier, false, derSequence(derImplicit(0, derOctetString(content.authority_key_identifier)))));
  }
  if (subject_alt_dns && subject_alt_dns.length > 0) {
    const names = subject_alt_dns.map((name, i) => derImplicit(2, derIa5String(checkDnsName(name, `subject_alt_dns[${i}]`))));
    list.push(extension(OID.subjectAltName, false, derSequence(...names)));
  }
  if (certificate_policies) list.push(extension(OID.certificatePolicies, false, encodePolicies(certificate_policies)));
  if (crl_distribution_point !== undefined) {
    // DistributionPoint { distributionPoint [0] { fullName [0] GeneralNames { [6] URI } } }: the
    // outer [0] tags a CHOICE, hence explicit (X.680 §31.2.7).
    const uri = derImplicit(6, derIa5String(checkUri(crl_distribution_point, 'crl_distribution_point')));
    list.push(extension(OID.crlDistributionPoints, false, derSequence(derSequence(derExplicit(0, derImplicit(0, derSequence(uri)))))));
  }
  return list.length === 0 ? new Uint8Array(0) : derExplicit(3, derSequence(...list));
}

function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return derSequence(derOid(oid), ...(critical ? [derBoolean(true)] : []), derOctetString(value));
}

function encodePolicies(policies: CertificatePolicies): Uint8Array {
  if (policies.policy_oids.length === 0) throw new InputError('certificate_policies.policy_oids: empty; expected at least one policy OID');
  const infos = policies.policy_oids.map((oid, i) => {
    if (!/^[0-2](\.(0|[1-9][0-9]*))+$/.test(oid)) {
      throw new InputError(`certificate_policies.policy_oids[${i}]: ${showValue(oid)} is not a dotted OID such as "2.23.140.1.2.1"`);
    }
    const qualifiers =
      i === 0 && policies.cps_uri !== undefined
        ? [derSequence(derSequence(derOid(OID.idQtCps), derIa5String(checkUri(policies.cps_uri, 'certificate_policies.cps_uri'))))]
        : [];
    return derSequence(derOid(oid), ...qualifiers);
  });
  return derSequence(...infos);
}

/** A DNS name in the preferred name syntax (RFC 5280 §4.2.1.6, RFC 1034 §3.5), optionally "*.". */
function checkDnsName(name: string, field: string): string {
  const label = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
  if (name.length > 253 || !new RegExp(`^(\\*\\.)?${label}(\\.${label})*$`).test(name)) {
    throw new InputError(`${field}: ${showValue(name)} is not a DNS name (letters, digits and hyphens in dot-separated labels of 1 to 63 characters)`);
  }
  return name;
}

function checkUri(uri: string, field: string): string {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[\x21-\x7e]+$/.test(uri)) {
    throw new InputError(`${field}: ${showValue(uri)} is not an absolute URI in ASCII, such as "http://crl.example.com/ca.crl"`);
  }
  return uri;
}

// ---- reading -------------------------------------------------------------------------------

/** What the chain verifier reads from a certificate's extensions. */
export interface ExtensionConstraints {
  /** null: no basicConstraints extension, which makes the certificate an end entity. */
  basic_constraints: BasicConstraints | null;
  /** null: no keyUsage extension, which restricts nothing (RFC 5280 §4.2.1.3). */
  key_usage: KeyUsage[] | null;
  subject_alt_dns: string[];
  subject_key_identifier: Uint8Array | null;
  authority_key_identifier: Uint8Array | null;
}

export interface ParsedExtensions extends ExtensionConstraints {
  /** Every extension in order. `understood`: we read and enforce it. */
  list: { oid: string; critical: boolean; understood: boolean }[];
}

/** Reads the [3] extensions field (its inner SEQUENCE OF Extension). */
export function readExtensions(node: DerNode | undefined, field: string): ParsedExtensions {
  const out: ParsedExtensions = {
    basic_constraints: null,
    key_usage: null,
    subject_alt_dns: [],
    subject_key_identifier: null,
    authority_key_identifier: null,
    list: [],
  };
  if (!node) return out;
  const [sequence, ...extra] = node.children(field);
  if (!sequence || extra.length > 0) return node.fail(field, 'expected one SEQUENCE OF Extension');
  const items = readSequence(sequence, field);
  if (items.length === 0) sequence.fail(field, 'empty extensions (RFC 5280 §4.1: SEQUENCE SIZE (1..MAX))');
  for (const item of items) {
    const [idNode, second, third, ...more] = readSequence(item, `${field} Extension`);
    if (!idNode || !second || more.length > 0) return item.fail(field, 'expected SEQUENCE { extnID, critical, extnValue }');
    const oid = readOid(idNode, `${field} extnID`);
    let critical = false;
    let valueNode = second;
    if (second.tag === Tag.BOOLEAN) {
      critical = readBoolean(second, `${field} ${oid} critical`);
      if (!critical) second.fail(`${field} ${oid} critical`, 'FALSE is the default, which DER leaves out (X.690 §11.5)');
      if (!third) return item.fail(field, `${oid} has no extnValue`);
      valueNode = third;
    } else if (third) {
      return third.fail(field, `${oid}: unexpected element after extnValue`);
    }
    if (out.list.some((e) => e.oid === oid)) item.fail(field, `extension ${oid} appears twice (RFC 5280 §4.2)`);
    const understood = readKnownExtension(oid, valueNode, out, `${field} ${oid}`);
    out.list.push({ oid, critical, understood });
  }
  return out;
}

/** Fills `out` from the extensions the verifier enforces; false for any other. */
function readKnownExtension(oid: string, valueNode: DerNode, out: ParsedExtensions, field: string): boolean {
  if (oid === OID.basicConstraints) {
    const inner = decodeOctetStringContents(valueNode, field);
    const [first, second, ...extra] = readSequence(inner, 'basicConstraints');
    if (extra.length > 0) inner.fail('basicConstraints', 'too many elements');
    let ca = false;
    let pathNode = first;
    if (first?.tag === Tag.BOOLEAN) {
      ca = readBoolean(first, 'basicConstraints.cA');
      if (!ca) first.fail('basicConstraints.cA', 'FALSE is the default, which DER leaves out (X.690 §11.5)');
      pathNode = second;
    } else if (second) {
      second.fail('basicConstraints', 'unexpected element');
    }
    const path_len = pathNode ? readSmallInteger(pathNode, 'basicConstraints.pathLenConstraint', 255) : undefined;
    out.basic_constraints = path_len === undefined ? { ca } : { ca, path_len };
    return true;
  }
  if (oid === OID.keyUsage) {
    const inner = decodeOctetStringContents(valueNode, field);
    const bits = readNamedBits(inner, 'keyUsage');
    if (bits.length === 0) inner.fail('keyUsage', 'no bit set (RFC 5280 §4.2.1.3 needs at least one)');
    const names = Object.keys(KEY_USAGE_BITS) as KeyUsage[];
    out.key_usage = bits.filter((b) => b < names.length).map((b) => names[b]!);
    return true;
  }
  if (oid === OID.subjectAltName) {
    const inner = decodeOctetStringContents(valueNode, field);
    const names = readSequence(inner, 'subjectAltName');
    if (names.length === 0) inner.fail('subjectAltName', 'empty GeneralNames (RFC 5280: SIZE (1..MAX))');
    const DNS_NAME_TAG = 0x82; // [2] IMPLICIT IA5String
    for (const name of names) {
      if (name.tag !== DNS_NAME_TAG) continue;
      out.subject_alt_dns.push(readAscii(name, 'subjectAltName dNSName'));
    }
    return true;
  }
  if (oid === OID.subjectKeyIdentifier) {
    out.subject_key_identifier = readOctetString(decodeOctetStringContents(valueNode, field), 'subjectKeyIdentifier');
    return true;
  }
  if (oid === OID.authorityKeyIdentifier) {
    const inner = decodeOctetStringContents(valueNode, field);
    const KEY_IDENTIFIER_TAG = 0x80; // [0] IMPLICIT OCTET STRING
    const keyId = readSequence(inner, 'authorityKeyIdentifier').find((n) => n.tag === KEY_IDENTIFIER_TAG);
    out.authority_key_identifier = keyId ? keyId.content : null;
    return true;
  }
  readOctetString(valueNode, field);
  return false;
}
