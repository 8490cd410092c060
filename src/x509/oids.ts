/** The object identifiers this module writes or recognises, with where each is defined. */
export const OID = {
  // Algorithms
  idEcPublicKey: '1.2.840.10045.2.1', // RFC 5480 §2.1.1
  prime256v1: '1.2.840.10045.3.1.7', // RFC 5480 §2.1.1.1 (secp256r1)
  rsaEncryption: '1.2.840.113549.1.1.1', // RFC 8017 Appendix A.1
  ecdsaWithSha256: '1.2.840.10045.4.3.2', // RFC 5758 §3.2
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11', // RFC 8017 Appendix A.2.4

  // Name attributes (RFC 5280 Appendix A.1, X.520)
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  countryName: '2.5.4.6',
  localityName: '2.5.4.7',
  stateOrProvinceName: '2.5.4.8',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',

  // Certificate extensions (RFC 5280 §4.2.1)
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  certificatePolicies: '2.5.29.32',
  authorityKeyIdentifier: '2.5.29.35',

  // Policy qualifier: certification practice statement URI (RFC 5280 §4.2.1.4)
  idQtCps: '1.3.6.1.5.5.7.2.1',
} as const;

/** Names of a few well-known OIDs we do not support, so a rejection can say what it got. */
const UNSUPPORTED_OID_NAMES: Readonly<Record<string, string>> = {
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.132.0.34': 'secp384r1',
  '1.3.132.0.35': 'secp521r1',
  '1.3.132.0.10': 'secp256k1',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.10040.4.1': 'DSA',
};

/** "Ed25519 (1.3.101.112)" or just the OID. */
export function describeOid(oid: string): string {
  const name = UNSUPPORTED_OID_NAMES[oid];
  return name ? `${name} (${oid})` : oid;
}
