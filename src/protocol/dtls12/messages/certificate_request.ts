import { ByteReader, ByteWriter } from '../../common/bytes.js';
import { decodeU16List, encodeU16List } from './extensions.js';

/**
 * CertificateRequest (RFC 5246 §7.4.4):
 *   ClientCertificateType certificate_types<1..2^8-1>
 *   SignatureAndHashAlgorithm supported_signature_algorithms<2..2^16-2>
 *   DistinguishedName certificate_authorities<0..2^16-1>
 */
export interface CertificateRequest {
  certificate_types: number[];
  signature_schemes: number[];
  /** DER names of acceptable CAs; empty means any (our server sends none, as mbedTLS may). */
  certificate_authorities: Uint8Array[];
}

export function encodeCertificateRequest(m: CertificateRequest): Uint8Array {
  const cas = new ByteWriter();
  for (const dn of m.certificate_authorities) cas.vector(2, dn);
  return new ByteWriter().vector(1, Uint8Array.from(m.certificate_types)).vector(2, encodeU16List(m.signature_schemes)).vector(2, cas.finish()).finish();
}

export function decodeCertificateRequest(body: Uint8Array): CertificateRequest {
  const rd = new ByteReader(body, 'CertificateRequest');
  const certificate_types = Array.from(rd.vector(1, 'certificate_types', 1));
  const signature_schemes = decodeU16List(rd.vector(2, 'supported_signature_algorithms', 2), 'CertificateRequest supported_signature_algorithms');
  const cas = new ByteReader(rd.vector(2, 'certificate_authorities'), 'certificate_authorities');
  rd.end();
  const certificate_authorities: Uint8Array[] = [];
  while (cas.remaining > 0) certificate_authorities.push(cas.vector(2, 'DistinguishedName', 1));
  return { certificate_types, signature_schemes, certificate_authorities };
}
