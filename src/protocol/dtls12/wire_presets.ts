import { NamedGroup, SignatureScheme } from './groups_and_signatures.js';

/**
 * The shape a stack gives its ClientHello and its datagrams beyond what the negotiated suite
 * needs: which extensions it always sends, how long its lists are, whether several records
 * share a datagram. Chosen by the stack profile (wire.preset); the bytes on air depend on it.
 */
export interface WireShape {
  name: WirePresetName;
  /** RFC 5746 §3.3 signalling cipher suite in the initial ClientHello. */
  renegotiation_scsv: boolean;
  /** An empty SessionTicket extension in every ClientHello (RFC 5077 §3.2). */
  always_session_ticket: boolean;
  /** encrypt_then_mac in every ClientHello, not only with a CBC suite on offer (RFC 7366). */
  always_encrypt_then_mac: boolean;
  /** signature_algorithms in every ClientHello (else only with a certificate suite), and its list. */
  signature_algorithms: { always: boolean; schemes: readonly number[] };
  /** Groups listed after the configured ones in supported_groups (only with an ECC suite on offer). */
  extra_groups: readonly number[];
  /** ec_point_formats list (only with an ECC suite on offer). */
  point_formats: readonly number[];
  /** Several records (one handshake message each) share a datagram up to the MTU. */
  pack_records: boolean;
  source: string;
}

export const WIRE_PRESET_NAMES = ['minimal', 'mbedtls', 'openssl'] as const;
export type WirePresetName = (typeof WIRE_PRESET_NAMES)[number];

const OURS = [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pkcs1_sha256];

export const WIRE_PRESETS: Record<WirePresetName, WireShape> = {
  // RFC 7925 (the IoT profile): only what the suite requires, plus the renegotiation signal
  // every TLS 1.2 client sends (RFC 5746 §3.3).
  minimal: {
    name: 'minimal',
    renegotiation_scsv: true,
    always_session_ticket: false,
    always_encrypt_then_mac: false,
    signature_algorithms: { always: false, schemes: OURS },
    extra_groups: [],
    point_formats: [0],
    pack_records: true,
    source: 'RFC 7925 (TLS/DTLS profiles for the IoT): the extensions the chosen suite needs, and the RFC 5746 SCSV',
  },
  mbedtls: {
    name: 'mbedtls',
    renegotiation_scsv: true,
    always_session_ticket: true,
    always_encrypt_then_mac: true,
    // ssl_preset_default_hashes (SHA-512, SHA-384, SHA-256, SHA-224) x (ECDSA, RSA).
    signature_algorithms: { always: true, schemes: [0x0603, 0x0601, 0x0503, 0x0501, 0x0403, 0x0401, 0x0303, 0x0301] },
    // ecp_supported_curves with every MBEDTLS_ECP_DP_*_ENABLED of the default config.h, largest first.
    extra_groups: [25, 28, 24, 27, 23, 22, 26, 21, 20, 19, 18, 29, 30],
    point_formats: [0],
    pack_records: true,
    source:
      'Mbed TLS 2.28, default config.h: library/ssl_cli.c ssl_write_client_hello writes signature_algorithms ' +
      '(MBEDTLS_KEY_EXCHANGE_WITH_CERT_ENABLED, every hash of ssl_preset_default_hashes in library/ssl_tls.c for ' +
      'ECDSA and RSA), supported_groups and ec_point_formats (uncompressed only) with an ECC suite, ' +
      'encrypt_then_mac and extended_master_secret whenever enabled, and an empty SessionTicket ' +
      '(MBEDTLS_SSL_SESSION_TICKETS, enabled by default); the SCSV on an initial handshake; ' +
      'records of one flight packed into datagrams (datagram packing is on unless mbedtls_ssl_set_datagram_packing turns it off)',
  },
  openssl: {
    name: 'openssl',
    renegotiation_scsv: true,
    always_session_ticket: true,
    always_encrypt_then_mac: true,
    signature_algorithms: {
      always: true,
      schemes: [
        0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301,
        0x0302, 0x0402, 0x0502, 0x0602,
      ],
    },
    extra_groups: [NamedGroup.x25519, NamedGroup.secp256r1, 30, 25, 24],
    point_formats: [0, 1, 2],
    pack_records: true,
    source:
      'Observed from OpenSSL 3.0.22 `s_client -dtls1_2` (default configuration) on loopback: ClientHello ' +
      'extensions ec_point_formats [0,1,2] and supported_groups [x25519, secp256r1, x448, secp521r1, secp384r1] ' +
      'with an ECC suite; session_ticket, encrypt_then_mac, extended_master_secret and 20 signature schemes always; ' +
      'the SCSV; its flights pack one handshake message per record, several records per datagram ' +
      '(test/interop/openssl_wire_shape.test.ts compares the preset with a live ClientHello)',
  },
};
