/**
 * The cipher suites the DTLS 1.2 engine speaks. Each entry gives what the record layer and
 * key schedule need (RFC 5246 §6.3 key_block layout and Appendix C, RFC 6655 CCM nonce layout).
 */
/**
 * psk: RFC 4279 plain PSK; ecdhe_psk: RFC 5489; ecdhe_ecdsa: RFC 8422 with an ECDSA
 * certificate or raw public key; ecdhe_rsa: RFC 8422 with an RSA certificate.
 */
export type KeyExchange = 'psk' | 'ecdhe_psk' | 'ecdhe_ecdsa' | 'ecdhe_rsa';

export interface CipherSuiteInfo {
  name: string;
  code: number;
  key_exchange: KeyExchange;
  /**
   * Record protection: AES-128 in CCM (RFC 6655) or GCM (RFC 5288) mode, both AEAD, or
   * AES-128-CBC with an HMAC (RFC 5246 §6.2.3.2, optionally encrypt-then-MAC, RFC 7366).
   */
  cipher: 'aes128_ccm' | 'aes128_gcm' | 'aes128_cbc';
  key_bytes: number;
  /** MAC_write_key length from the key block; 0 for AEAD suites, which have no MAC keys. */
  mac_key_bytes: number;
  /** HMAC output per record (RFC 5246 mac_length); 0 for AEAD suites. */
  mac_bytes: number;
  /** Block size the CBC padding rounds to; 0 for AEAD suites, which do not pad. */
  block_bytes: number;
  /** Implicit part of the nonce from the key block ("salt", client_write_IV); 0 for CBC in TLS 1.2. */
  fixed_iv_bytes: number;
  /** Explicit nonce (AEAD) or IV (CBC, TLS 1.1+) carried in each record. */
  record_iv_bytes: number;
  /** AEAD tag; 0 for CBC suites (their authenticator is the MAC). */
  tag_bytes: number;
}

export const CIPHER_SUITES = {
  // RFC 6655 §4, RFC 7925 §4.2: the mandatory suite of the IoT PSK profile.
  TLS_PSK_WITH_AES_128_CCM_8: {
    name: 'TLS_PSK_WITH_AES_128_CCM_8',
    code: 0xc0a8,
    key_exchange: 'psk',
    cipher: 'aes128_ccm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 8,
  },
  // RFC 6655 §4: the same with a 16-byte tag.
  TLS_PSK_WITH_AES_128_CCM: {
    name: 'TLS_PSK_WITH_AES_128_CCM',
    code: 0xc0a4,
    key_exchange: 'psk',
    cipher: 'aes128_ccm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 5487 §3.1, with the GCM record layout of RFC 5288 §3 (4-byte salt, 8-byte explicit nonce).
  TLS_PSK_WITH_AES_128_GCM_SHA256: {
    name: 'TLS_PSK_WITH_AES_128_GCM_SHA256',
    code: 0x00a8,
    key_exchange: 'psk',
    cipher: 'aes128_gcm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 5487 §3.2, with the TLS 1.2 block-cipher record of RFC 5246 §6.2.3.2: HMAC-SHA256
  // (mac_length = mac_key_length = 32, RFC 5246 Appendix C), AES-128-CBC, a 16-byte explicit
  // IV per record and no IV from the key block.
  TLS_PSK_WITH_AES_128_CBC_SHA256: {
    name: 'TLS_PSK_WITH_AES_128_CBC_SHA256',
    code: 0x00ae,
    key_exchange: 'psk',
    cipher: 'aes128_cbc',
    key_bytes: 16,
    mac_key_bytes: 32,
    mac_bytes: 32,
    block_bytes: 16,
    fixed_iv_bytes: 0,
    record_iv_bytes: 16,
    tag_bytes: 0,
  },
  // RFC 5489 §3: ECDHE-PSK, with the same CBC-HMAC-SHA256 record.
  TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256: {
    name: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256',
    code: 0xc037,
    key_exchange: 'ecdhe_psk',
    cipher: 'aes128_cbc',
    key_bytes: 16,
    mac_key_bytes: 32,
    mac_bytes: 32,
    block_bytes: 16,
    fixed_iv_bytes: 0,
    record_iv_bytes: 16,
    tag_bytes: 0,
  },
  // RFC 7251 §2: the CCM suites of the IoT certificate profile (RFC 7925 §4.4.1: CCM_8).
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
    code: 0xc0ae,
    key_exchange: 'ecdhe_ecdsa',
    cipher: 'aes128_ccm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 8,
  },
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM: {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM',
    code: 0xc0ac,
    key_exchange: 'ecdhe_ecdsa',
    cipher: 'aes128_ccm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 5289 §3.2.
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
    code: 0xc02b,
    key_exchange: 'ecdhe_ecdsa',
    cipher: 'aes128_gcm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 5289 §3.1: ECDHE-ECDSA with the CBC-HMAC-SHA256 record.
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256',
    code: 0xc023,
    key_exchange: 'ecdhe_ecdsa',
    cipher: 'aes128_cbc',
    key_bytes: 16,
    mac_key_bytes: 32,
    mac_bytes: 32,
    block_bytes: 16,
    fixed_iv_bytes: 0,
    record_iv_bytes: 16,
    tag_bytes: 0,
  },
  // RFC 5289 §3.2: the same with an RSA certificate, for the ECDSA-versus-RSA comparison.
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: {
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    code: 0xc02f,
    key_exchange: 'ecdhe_rsa',
    cipher: 'aes128_gcm',
    key_bytes: 16,
    mac_key_bytes: 0,
    mac_bytes: 0,
    block_bytes: 0,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
} as const satisfies Record<string, CipherSuiteInfo>;

export type CipherSuiteName = keyof typeof CIPHER_SUITES;
export const CIPHER_SUITE_NAMES = Object.keys(CIPHER_SUITES) as CipherSuiteName[];

/** CBC suites are the ones encrypt-then-MAC applies to (RFC 7366 §3). */
export function isCbcSuite(suite: CipherSuiteInfo): boolean {
  return suite.cipher === 'aes128_cbc';
}

/**
 * The most a record of the suite grows when protected: explicit nonce and tag (AEAD), or IV,
 * MAC and up to a whole block of padding (CBC; the fields an AEAD suite lacks are 0).
 */
export function maxRecordExpansionBytes(suite: CipherSuiteInfo): number {
  return suite.record_iv_bytes + suite.tag_bytes + suite.mac_bytes + suite.block_bytes;
}

export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return Object.values(CIPHER_SUITES).find((s) => s.code === code);
}

/** Suites whose server authenticates with a certificate or raw public key and signs its ECDHE share. */
export function usesServerSignature(kx: KeyExchange): kx is 'ecdhe_ecdsa' | 'ecdhe_rsa' {
  return kx === 'ecdhe_ecdsa' || kx === 'ecdhe_rsa';
}

export function usesPsk(kx: KeyExchange): kx is 'psk' | 'ecdhe_psk' {
  return kx === 'psk' || kx === 'ecdhe_psk';
}

export function usesEcdhe(kx: KeyExchange): kx is 'ecdhe_psk' | 'ecdhe_ecdsa' | 'ecdhe_rsa' {
  return kx !== 'psk';
}
