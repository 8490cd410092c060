/**
 * The cipher suites the DTLS 1.2 engine speaks. Each entry gives what the record layer and
 * key schedule need (RFC 5246 §6.3 key_block layout, RFC 6655 CCM nonce layout).
 */
export interface CipherSuiteInfo {
  name: string;
  code: number;
  key_exchange: 'psk';
  cipher: 'aes128_ccm';
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
} as const satisfies Record<string, CipherSuiteInfo>;

export type CipherSuiteName = keyof typeof CIPHER_SUITES;
export const CIPHER_SUITE_NAMES = Object.keys(CIPHER_SUITES) as CipherSuiteName[];

export function cipherSuiteByCode(code: number): CipherSuiteInfo | undefined {
  return Object.values(CIPHER_SUITES).find((s) => s.code === code);
}
