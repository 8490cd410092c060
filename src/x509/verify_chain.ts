/**
 * Certification path validation, the essentials of RFC 5280 §6.1 for a TLS Certificate message:
 * certificates[0] is the peer's own certificate and each following one certifies the one before
 * it (RFC 5246 §7.4.2); the last is signed by a trust anchor the verifier holds (name + key,
 * RFC 5280 §6.1.1 d). A peer may also send the self-signed root itself: it is then checked like
 * an intermediate, signed by the anchor of the same name.
 *
 * Processing goes from the anchor down to the leaf, as §6.1.3 does, and stops at the first
 * failure. For each certificate: its issuer name equals the subject of the certificate above it
 * (byte-exact), its signature verifies with that certificate's key (through the caller's
 * VerifyCallback, so the engine can meter it), and it is valid at the evaluation time. Every
 * certificate that issues another must have basicConstraints cA TRUE (§6.1.4 k), respect the
 * pathLenConstraints above it (§6.1.4 l, m) and, when it has keyUsage, keyCertSign (§6.1.4 n). The
 * leaf's keyUsage, when present, must include digitalSignature: ECDHE_ECDSA and ECDHE_RSA sign
 * with it (RFC 5246 §7.4.2, RFC 4492 §5.3). A critical extension we do not read fails the
 * certificate (RFC 5280 §4.2). Revocation and policies are not checked.
 *
 * The evaluation time is a parameter, fixed by default, so results never depend on the clock.
 */
import { bytesEqual, DecodeError } from '../protocol/common/bytes.js';
import { derEncodedLength } from './der.js';
import { UnsupportedCertificateError } from './errors.js';
import { keyKindName, type PublicKey } from './keys.js';
import { parseCertificate, type ParsedCertificate } from './parse.js';
import { keyKindFor, type VerifyCallback } from './signatures.js';

/** A trust anchor (RFC 5280 §6.1.1 d): the name and key of a CA the verifier trusts. */
export interface TrustAnchor {
  subject_der: Uint8Array;
  public_key: PublicKey;
}

/** The anchor a pre-provisioned root certificate stands for. Throws if the root is malformed. */
export function trustAnchorFromCertificate(der: Uint8Array): TrustAnchor {
  const root = parseCertificate(der, 'trust anchor');
  return { subject_der: root.subject_der, public_key: root.spki };
}

/** When verifyChain is given no time: inside the default validity of the chains we build. */
export const DEFAULT_EVALUATION_TIME = new Date('2025-01-01T00:00:00Z');

/** The TLS alerts a certificate failure ends in, with their codes (RFC 5246 §7.2). */
export const CERTIFICATE_ALERT_CODES = {
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_expired: 45,
  unknown_ca: 48,
  decode_error: 50,
} as const;
export type CertificateAlert = keyof typeof CERTIFICATE_ALERT_CODES;

export type ChainFailureReason =
  | 'empty_chain'
  | 'length_mismatch'
  | 'malformed'
  | 'unsupported'
  | 'unknown_issuer'
  | 'issuer_mismatch'
  | 'bad_signature'
  | 'not_yet_valid'
  | 'expired'
  | 'not_a_ca'
  | 'path_length_exceeded'
  | 'key_usage'
  | 'unknown_critical_extension';

/**
 * The alert for each failure. RFC 5246 §7.2 defines the alerts; where it leaves room we follow
 * mbedTLS 2.28 (the stack the simulator prices, ssl_tls.c mbedtls_ssl_parse_certificate) or
 * OpenSSL 3.0, and say where they differ.
 */
export const CHAIN_FAILURE_ALERTS: Readonly<Record<ChainFailureReason, CertificateAlert>> = {
  // OpenSSL 3.0 (tls_process_client_certificate) when a certificate is required and none came.
  empty_chain: 'handshake_failure',
  // A certificate whose own DER length ends before its certificate_list entry does:
  // OpenSSL 3.0 SSL_R_CERT_LENGTH_MISMATCH.
  length_mismatch: 'decode_error',
  // "A certificate was corrupt" (RFC 5246); mbedTLS and OpenSSL both send bad_certificate when
  // x509_crt_parse_der / d2i_X509 fail.
  malformed: 'bad_certificate',
  // "of an unsupported type" (RFC 5246); mbedTLS: BADCERT_BAD_PK, BAD_KEY, unknown version.
  unsupported: 'unsupported_certificate',
  // "the CA certificate could not be located" (RFC 5246); mbedTLS BADCERT_NOT_TRUSTED.
  unknown_issuer: 'unknown_ca',
  // The sent chain does not chain: a later certificate is not the issuer of the one before it.
  issuer_mismatch: 'bad_certificate',
  // "contained signatures that did not verify correctly" (RFC 5246). mbedTLS sends unknown_ca
  // (BADCERT_NOT_TRUSTED), OpenSSL decrypt_error.
  bad_signature: 'bad_certificate',
  // "expired or is not currently valid" (RFC 5246). mbedTLS: certificate_unknown for a future one.
  not_yet_valid: 'certificate_expired',
  expired: 'certificate_expired',
  // An issuer that is not a CA or exceeds a path length: the chain is corrupt (RFC 5246
  // bad_certificate). mbedTLS sends unknown_ca (it never finds a valid parent).
  not_a_ca: 'bad_certificate',
  path_length_exceeded: 'bad_certificate',
  // mbedTLS: BADCERT_KEY_USAGE -> unsupported_certificate.
  key_usage: 'unsupported_certificate',
  // RFC 5280 §4.2: a critical extension the verifier does not recognise; a type we do not support.
  unknown_critical_extension: 'unsupported_certificate',
};

export interface ChainFailure {
  ok: false;
  /** The failing certificate's position in the list (0: the leaf). */
  index: number;
  reason: ChainFailureReason;
  alert: CertificateAlert;
  message: string;
}

export interface ChainSuccess {
  ok: true;
  certificates: ParsedCertificate[];
  leaf: ParsedCertificate;
  trust_anchor: TrustAnchor;
}

export type ChainVerification = ChainSuccess | ChainFailure;

export function verifyChain(
  certificates: readonly Uint8Array[],
  trustAnchors: readonly TrustAnchor[],
  verify: VerifyCallback,
  now: Date = DEFAULT_EVALUATION_TIME,
): ChainVerification {
  const fail = (index: number, reason: ChainFailureReason, message: string): ChainFailure => ({
    ok: false,
    index,
    reason,
    alert: CHAIN_FAILURE_ALERTS[reason],
    message,
  });
  if (certificates.length === 0) return fail(0, 'empty_chain', 'the peer sent no certificate');

  const parsed: ParsedCertificate[] = [];
  for (const [i, der] of certificates.entries()) {
    const encodedLength = derEncodedLength(der);
    if (encodedLength !== undefined && encodedLength < der.length) {
      return fail(i, 'length_mismatch', `certificate ${i}: its DER ends at byte ${encodedLength} of ${der.length}`);
    }
    try {
      parsed.push(parseCertificate(der, `certificate ${i}`));
    } catch (e) {
      if (e instanceof DecodeError) return fail(i, 'malformed', e.message);
      if (e instanceof UnsupportedCertificateError) return fail(i, 'unsupported', e.message);
      throw e;
    }
  }

  const last = parsed.length - 1;
  const top = parsed[last]!;
  const anchors = trustAnchors.filter((a) => bytesEqual(a.subject_der, top.issuer_der));
  if (anchors.length === 0) return fail(last, 'unknown_issuer', `certificate ${last}: issuer "${top.issuer}" is not a trust anchor`);
  // Several anchors may share a name (a re-keyed root): the one whose key verifies is the issuer.
  const anchor = anchors.find((a) => a.public_key.kind === keyKindFor(top.signature_algorithm) && verify(top.signature_algorithm, top.tbs_der, top.signature, a.public_key));
  if (!anchor) {
    return fail(last, 'bad_signature', `certificate ${last}: signature does not verify with the key of trust anchor "${top.issuer}"`);
  }

  let maxPathLength = parsed.length; // RFC 5280 §6.1.2 (k)
  for (let k = last; k >= 0; k--) {
    const cert = parsed[k]!;
    const issuer = parsed[k + 1];
    const where = `certificate ${k} ("${cert.subject}")`;
    if (issuer) {
      if (!bytesEqual(cert.issuer_der, issuer.subject_der)) {
        return fail(k, 'issuer_mismatch', `${where}: issuer "${cert.issuer}" is not the subject of certificate ${k + 1} ("${issuer.subject}")`);
      }
      const needed = keyKindFor(cert.signature_algorithm);
      if (issuer.spki.kind !== needed) {
        return fail(k, 'bad_signature', `${where}: signed with ${cert.signature_algorithm}, but the issuer's key is ${keyKindName(issuer.spki.kind)}`);
      }
      if (!verify(cert.signature_algorithm, cert.tbs_der, cert.signature, issuer.spki)) {
        return fail(k, 'bad_signature', `${where}: signature does not verify with the key of certificate ${k + 1}`);
      }
    }
    if (now.getTime() < cert.not_before.getTime()) {
      return fail(k, 'not_yet_valid', `${where}: not valid before ${cert.not_before.toISOString()} (evaluated at ${now.toISOString()})`);
    }
    if (now.getTime() > cert.not_after.getTime()) {
      return fail(k, 'expired', `${where}: expired at ${cert.not_after.toISOString()} (evaluated at ${now.toISOString()})`);
    }
    if (k > 0) {
      if (!cert.basic_constraints?.ca) return fail(k, 'not_a_ca', `${where}: issues certificate ${k - 1} but has no basicConstraints cA TRUE`);
      if (!bytesEqual(cert.issuer_der, cert.subject_der)) {
        // A self-issued certificate (a root sent along) does not count toward path lengths.
        if (maxPathLength <= 0) return fail(k, 'path_length_exceeded', `${where}: one CA certificate more than a pathLenConstraint above it allows`);
        maxPathLength--;
      }
      const pathLen = cert.basic_constraints.path_len;
      if (pathLen !== undefined && pathLen < maxPathLength) maxPathLength = pathLen;
      if (cert.key_usage && !cert.key_usage.includes('keyCertSign')) {
        return fail(k, 'key_usage', `${where}: issues certificate ${k - 1} but its keyUsage (${cert.key_usage.join(', ')}) lacks keyCertSign`);
      }
    } else if (cert.key_usage && !cert.key_usage.includes('digitalSignature')) {
      return fail(k, 'key_usage', `${where}: keyUsage (${cert.key_usage.join(', ')}) lacks digitalSignature, which the handshake signs with`);
    }
    const unknown = cert.extensions.find((e) => e.critical && !e.understood);
    if (unknown) return fail(k, 'unknown_critical_extension', `${where}: critical extension ${unknown.oid} is not supported`);
  }
  return { ok: true, certificates: parsed, leaf: parsed[0]!, trust_anchor: anchor };
}
