/**
 * How big a real IoT device certificate is, so the chains we build cost realistic bytes on the
 * air. Both ends are published P-256 / ecdsa-with-SHA256 device certificates whose DER is printed
 * in full (the byte counts follow from their outer SEQUENCE length, 30 82 01 38 and 30 82 02 3D):
 *
 *   316 B  the RFC 7925 profiled certificate of draft-ietf-cose-cbor-encoded-cert, Appendix A.1
 *          (text unchanged since October 2023): issuer CN only, subject CN = EUI-64, keyUsage
 *          digitalSignature as the only extension. The smallest a conforming certificate gets.
 *   577 B  the IEEE 802.1AR DevID example of RFC 9148 Appendix C.2, reprinted in Appendix A.2 of
 *          the same draft: issuer C, ST, O, OU, CN; subject C, ST, L, O, OU, serialNumber;
 *          basicConstraints, subject and authority key identifiers, keyUsage and a
 *          subjectAltName hardwareModuleName.
 *
 * Our default leaf (chain.ts) sits between the two: subject O and CN, one DNS name, basicConstraints
 * CA:FALSE, keyUsage digitalSignature, both key identifiers, a 16-byte serial: 511 to 523 bytes
 * over seeds 1–60, depending on the issuer's name and the ECDSA signature's length.
 */
export const TYPICAL_P256_DEVICE_CERTIFICATE_BYTES = {
  min: {
    value: 316,
    source: 'draft-ietf-cose-cbor-encoded-cert Appendix A.1, RFC 7925 profiled X.509 certificate, DER 316 bytes',
  },
  max: {
    value: 577,
    source: 'RFC 9148 Appendix C.2 IEEE 802.1AR DevID certificate, as reprinted in draft-ietf-cose-cbor-encoded-cert Appendix A.2, DER 577 bytes',
  },
} as const;
