import { ByteReader, ByteWriter } from '../../common/bytes.js';
import type { CertificateTypeName } from '../constants.js';

/**
 * Certificate (RFC 5246 §7.4.2; RFC 7250 §3 for raw public keys):
 *   X.509:        ASN.1Cert certificate_list<0..2^24-1>, each opaque<1..2^24-1>, sender's first
 *   RawPublicKey: opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>
 * An empty X.509 list is a client's way of saying it has no certificate.
 */
export function encodeCertificate(type: CertificateTypeName, entries: readonly Uint8Array[]): Uint8Array {
  if (type === 'raw_public_key') {
    if (entries.length !== 1) throw new Error('a raw public key Certificate carries exactly one SubjectPublicKeyInfo');
    return new ByteWriter().vector(3, entries[0]!).finish();
  }
  const list = new ByteWriter();
  for (const der of entries) list.vector(3, der);
  return new ByteWriter().vector(3, list.finish()).finish();
}

export function decodeCertificate(type: CertificateTypeName, body: Uint8Array): Uint8Array[] {
  const rd = new ByteReader(body, 'Certificate');
  if (type === 'raw_public_key') {
    const spki = rd.vector(3, 'ASN.1_subjectPublicKeyInfo', 1);
    rd.end();
    return [spki];
  }
  const list = new ByteReader(rd.vector(3, 'certificate_list'), 'certificate_list');
  rd.end();
  const out: Uint8Array[] = [];
  while (list.remaining > 0) out.push(list.vector(3, 'ASN.1Cert', 1));
  return out;
}
