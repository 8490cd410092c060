/** Wire constants of DTLS 1.2 (RFC 6347, RFC 5246). */

export const ContentType = {
  change_cipher_spec: 20,
  alert: 21,
  handshake: 22,
  application_data: 23,
  /** RFC 9146 §4: the outer type of a record carrying a connection ID; the real type is inside. */
  tls12_cid: 25,
} as const;

export const HandshakeType = {
  hello_request: 0,
  client_hello: 1,
  server_hello: 2,
  hello_verify_request: 3,
  new_session_ticket: 4,
  certificate: 11,
  server_key_exchange: 12,
  certificate_request: 13,
  server_hello_done: 14,
  certificate_verify: 15,
  client_key_exchange: 16,
  finished: 20,
} as const;

export const HANDSHAKE_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(HandshakeType).map(([name, code]) => [code, name]),
);

/** DTLS 1.2 is {254, 253}; DTLS 1.0 {254, 255} (RFC 6347 §4.1). */
export const DTLS_1_2 = 0xfefd;
export const DTLS_1_0 = 0xfeff;

export const RECORD_HEADER_BYTES = 13;
export const HANDSHAKE_HEADER_BYTES = 12;
export const RANDOM_BYTES = 32;
export const VERIFY_DATA_BYTES = 12;
export const MAX_COOKIE_BYTES = 255;

/** RFC 6066 §4: max_fragment_length, one byte: 1..4 for 2^9..2^12 bytes of record plaintext. */
export const EXT_MAX_FRAGMENT_LENGTH = 0x0001;
export const MAX_FRAGMENT_LENGTH_CODES: Record<number, number> = { 1: 512, 2: 1024, 3: 2048, 4: 4096 };
/** The record plaintext limit without the extension (RFC 5246 §6.2.1). */
export const MAX_PLAINTEXT_BYTES = 2 ** 14;

/** RFC 7627: extended_master_secret, an empty extension in both hellos. */
export const EXT_EXTENDED_MASTER_SECRET = 0x0017;

/** RFC 7366 §2: encrypt_then_mac, an empty extension in both hellos; only for CBC suites. */
export const EXT_ENCRYPT_THEN_MAC = 0x0016;

/** RFC 5746: the signalling cipher suite value and the extension for secure renegotiation. */
export const TLS_EMPTY_RENEGOTIATION_INFO_SCSV = 0x00ff;
export const EXT_RENEGOTIATION_INFO = 0xff01;
/** An initial handshake's renegotiation_info: an empty renegotiated_connection (RFC 5746 §3.2). */
export const EMPTY_RENEGOTIATION_INFO = Uint8Array.of(0);

/** RFC 8422 §5.1: supported_groups (formerly elliptic_curves) and ec_point_formats. */
export const EXT_SUPPORTED_GROUPS = 0x000a;
export const EXT_EC_POINT_FORMATS = 0x000b;
/** The only point format RFC 8422 §5.1.2 leaves: uncompressed. */
export const EC_POINT_FORMAT_UNCOMPRESSED = 0;
/** RFC 8422 §5.4: ECParameters.curve_type for a named group. */
export const EC_CURVE_TYPE_NAMED = 3;

/** RFC 5246 §7.4.1.4.1: signature_algorithms, pairs of (hash, signature). */
export const EXT_SIGNATURE_ALGORITHMS = 0x000d;

/** RFC 7250 §3: which certificate types each side may send. */
export const EXT_CLIENT_CERTIFICATE_TYPE = 0x0013;
export const EXT_SERVER_CERTIFICATE_TYPE = 0x0014;
/** TLS Certificate Types registry (RFC 7250 §7): X.509 = 0, RawPublicKey = 2. */
export const CertificateType = { x509: 0, raw_public_key: 2 } as const;
export type CertificateTypeName = keyof typeof CertificateType;

/** RFC 5246 §7.4.4 ClientCertificateType: the kinds of key a CertificateRequest accepts. */
export const ClientCertificateTypeCode = { rsa_sign: 1, ecdsa_sign: 64 } as const;

/** RFC 5077 §3.2: SessionTicket, empty to ask for a ticket, or carrying one to resume. */
export const EXT_SESSION_TICKET = 0x0023;

/** RFC 9146 §3: connection_id, opaque cid<0..2^8-1>: the CID the sender wants to receive. */
export const EXT_CONNECTION_ID = 0x0036;

/**
 * RFC 8449: record_size_limit, uint16: the largest record plaintext (TLS 1.2) the sender will
 * accept in protected records. At least 64; a TLS 1.2 endpoint sends at most 2^14.
 */
export const EXT_RECORD_SIZE_LIMIT = 0x001c;
export const MIN_RECORD_SIZE_LIMIT = 64;
