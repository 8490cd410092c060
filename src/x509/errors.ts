/**
 * A well-formed certificate or key of a kind this module does not support (another curve, another
 * signature algorithm, another RSA size, a v1 certificate). Kept apart from DecodeError because
 * TLS answers the two differently: unsupported_certificate rather than bad_certificate.
 */
export class UnsupportedCertificateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedCertificateError';
  }
}
