/**
 * The cipher suites the DTLS 1.2 engine speaks. Each entry gives what the record layer and
 * key schedule need (RFC 5246 §6.3 key_block layout, RFC 6655 CCM nonce layout).
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
  /** Record protection: AES-128 in CCM (RFC 6655) or GCM (RFC 5288) mode. */
  cipher: 'aes128_ccm' | 'aes128_gcm';
  key_bytes: number;
  /** Implicit part of the nonce from the key block ("salt", client_write_IV). */
  fixed_iv_bytes: number;
  /** Explicit nonce carried in each record. */
  record_iv_bytes: number;
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
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 7251 §2: the CCM suites of the IoT certificate profile (RFC 7925 §4.4.1: CCM_8).
  TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8: {
    name: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8',
    code: 0xc0ae,
    key_exchange: 'ecdhe_ecdsa',
    cipher: 'aes128_ccm',
    key_bytes: 16,
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
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
  // RFC 5289 §3.2: the same with an RSA certificate, for the ECDSA-versus-RSA comparison.
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: {
    name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    code: 0xc02f,
    key_exchange: 'ecdhe_rsa',
    cipher: 'aes128_gcm',
    key_bytes: 16,
    fixed_iv_bytes: 4,
    record_iv_bytes: 8,
    tag_bytes: 16,
  },
} as const satisfies Record<string, CipherSuiteInfo>;

export type CipherSuiteName = keyof typeof CIPHER_SUITES;
export const CIPHER_SUITE_NAMES = Object.keys(CIPHER_SUITES) as CipherSuiteName[];

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
