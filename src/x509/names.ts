/**
 * Distinguished names (RFC 5280 §4.1.2.4): Name ::= SEQUENCE OF RelativeDistinguishedName, each a
 * SET OF AttributeTypeAndValue. We write one attribute per RDN, from the most general to the most
 * specific (C, O, OU, CN) as CAs and `openssl req` do, country as PrintableString (RFC 5280
 * Appendix A.1, X520countryName) and the rest as UTF8String (RFC 5280 §4.1.2.6).
 *
 * Issuer/subject chaining compares the DER bytes exactly (RFC 5280 §7.1 allows binary comparison
 * when the issuer copies its subject verbatim, which every CA we build does).
 */
import { InputError, showValue } from '../scenario/errors.js';
import {
  derOid,
  derPrintableString,
  derSequence,
  derSetOf,
  derUtf8String,
  readOid,
  readSequence,
  readSetOf,
  readString,
  Tag,
  type DerNode,
} from './der.js';
import { OID } from './oids.js';

export interface DistinguishedName {
  common_name: string;
  organization?: string;
  organizational_unit?: string;
  /** ISO 3166 alpha-2, e.g. "SE" */
  country?: string;
}

/** Upper bounds from RFC 5280 Appendix A.1 (ub-common-name, ub-organization-name, ...). */
const UPPER_BOUNDS = { common_name: 64, organization: 64, organizational_unit: 64 } as const;

/** The short names OpenSSL prints, for the attributes device certificates use. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  [OID.countryName]: 'C',
  [OID.stateOrProvinceName]: 'ST',
  [OID.localityName]: 'L',
  [OID.serialNumber]: 'serialNumber',
  [OID.organizationName]: 'O',
  [OID.organizationalUnitName]: 'OU',
  [OID.commonName]: 'CN',
};

/** DER Name; `field` names the option in errors ("subject", "issuer"). */
export function encodeName(name: DistinguishedName, field: string): Uint8Array {
  const rdns: Uint8Array[] = [];
  if (name.country !== undefined) {
    if (!/^[A-Z]{2}$/.test(name.country)) {
      throw new InputError(`${field}.country: ${showValue(name.country)} is not a two-letter ISO 3166 code in capitals, e.g. "SE"`);
    }
    rdns.push(attribute(OID.countryName, derPrintableString(name.country)));
  }
  for (const key of ['organization', 'organizational_unit', 'common_name'] as const) {
    const value = name[key];
    if (value === undefined) continue;
    const length = [...value].length;
    if (length < 1 || length > UPPER_BOUNDS[key]) {
      throw new InputError(`${field}.${key}: ${showValue(value)} has ${length} characters; expected 1 to ${UPPER_BOUNDS[key]} (RFC 5280 Appendix A.1)`);
    }
    const oid = key === 'organization' ? OID.organizationName : key === 'organizational_unit' ? OID.organizationalUnitName : OID.commonName;
    rdns.push(attribute(oid, derUtf8String(value)));
  }
  return derSequence(...rdns);
}

function attribute(oid: string, value: Uint8Array): Uint8Array {
  return derSetOf(derSequence(derOid(oid), value));
}

/**
 * Checks a Name's structure (SEQUENCE OF SET OF SEQUENCE { type OID, value }) and returns it as
 * text, "C=SE, O=Example, CN=device-1", for messages. Attribute values that are not strings
 * appear as their OID and tag.
 */
export function readName(node: DerNode, field: string): string {
  const parts: string[] = [];
  for (const rdn of readSequence(node, field)) {
    const attributes = readSetOf(rdn, `${field} RDN`);
    if (attributes.length === 0) rdn.fail(field, 'empty RelativeDistinguishedName');
    for (const attr of attributes) {
      const [type, value, ...extra] = readSequence(attr, `${field} attribute`);
      if (!type || !value || extra.length > 0) return attr.fail(field, 'expected SEQUENCE { type, value }');
      const oid = readOid(type, `${field} attribute type`);
      const isString = value.tag === Tag.UTF8_STRING || value.tag === Tag.PRINTABLE_STRING || value.tag === Tag.IA5_STRING;
      const text = isString ? readString(value, `${field} ${SHORT_NAMES[oid] ?? oid}`) : `<tag 0x${value.tag.toString(16)}>`;
      parts.push(`${SHORT_NAMES[oid] ?? oid}=${text}`);
    }
  }
  return parts.join(', ');
}
