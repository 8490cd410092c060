import type { CertificateTypeName } from '../protocol/dtls12/constants.js';
import type { MemoryModel } from '../scenario/profile_schemas.js';
import { parseCertificate } from '../x509/parse.js';
import { decodeDer, readSequence, readSetOf } from '../x509/der.js';
import { decodeSpki } from '../x509/spki.js';

type KeyKind = 'p256' | 'rsa2048';

/** What a parsed certificate or raw public key holds, and what the model had no figure for. */
export interface ParsedSize {
  bytes: number;
  missing: string[];
}

/** Attributes in a DER Name (RDNSequence of SETs of AttributeTypeAndValue), 0 when unreadable. */
function nameAttributes(nameDer: Uint8Array): number {
  try {
    return readSequence(decodeDer(nameDer, 'Name'), 'Name').reduce((n, rdn) => n + readSetOf(rdn, 'RelativeDistinguishedName').length, 0);
  } catch {
    return 0;
  }
}

function publicKeyBytes(model: MemoryModel, kind: KeyKind | undefined, missing: string[]): number {
  if (kind === undefined) return 0;
  const figure = model.public_key_bytes?.[kind];
  if (figure === undefined) missing.push(`${kind} public key context`);
  return figure?.value ?? 0;
}

/**
 * One certificate as a stack holds it once parsed: the certificate structure, a copy of its DER
 * (Mbed TLS copies it: x509_crt_parse_der_internal with make_copy), one list entry per name
 * attribute after the first in the issuer and subject, and the parsed public key. A raw public
 * key (RFC 7250) is the key alone. Malformed DER (a tampered message) counts its bytes only.
 */
export function parsedCertificateSize(model: MemoryModel, type: CertificateTypeName, der: Uint8Array): ParsedSize {
  const missing: string[] = [];
  if (type === 'raw_public_key') {
    let kind: KeyKind | undefined;
    try {
      kind = decodeSpki(der).kind;
    } catch {
      kind = undefined;
    }
    return { bytes: publicKeyBytes(model, kind, missing), missing };
  }
  if (model.x509_crt_bytes === undefined) missing.push('X.509 certificate structure');
  let bytes = (model.x509_crt_bytes?.value ?? 0) + der.length;
  try {
    const cert = parseCertificate(der);
    const extraNames = Math.max(0, nameAttributes(cert.issuer_der) - 1) + Math.max(0, nameAttributes(cert.subject_der) - 1);
    if (extraNames > 0 && model.x509_name_entry_bytes === undefined) missing.push('X.509 name entries');
    bytes += extraNames * (model.x509_name_entry_bytes?.value ?? 0) + publicKeyBytes(model, cert.spki.kind, missing);
  } catch {
    // Not a certificate we can read: the stack would reject it after copying its bytes.
  }
  return { bytes, missing };
}

/** A private key as a stack holds it once parsed (context and numbers). */
export function privateKeySize(model: MemoryModel, kind: KeyKind): ParsedSize {
  const figure = model.private_key_bytes?.[kind];
  return { bytes: figure?.value ?? 0, missing: figure === undefined ? [`${kind} private key context`] : [] };
}
