/**
 * What each authentication mode (`auth:` in a scenario, `--auth` of the interop command) can
 * run, and the suite it runs unless told otherwise. One table, so a scenario and the interop
 * command accept and default the same suites.
 */
import { CIPHER_SUITE_NAMES, CIPHER_SUITES, type CipherSuiteName, type KeyExchange } from '../protocol/dtls12/cipher_suites.js';
import type { KeyKind } from '../x509/keys.js';
import type { AuthMode } from './scenario_schema.js';

/** Which key exchanges each mode can run. */
export const MODE_KEY_EXCHANGES: Record<AuthMode, readonly KeyExchange[]> = {
  psk: ['psk'],
  'ecdhe-psk': ['ecdhe_psk'],
  cert: ['ecdhe_ecdsa', 'ecdhe_rsa'],
  rpk: ['ecdhe_ecdsa'],
};

/** The suites a mode can run, in table order. */
export function suitesForMode(auth: AuthMode): CipherSuiteName[] {
  return CIPHER_SUITE_NAMES.filter((n) => MODE_KEY_EXCHANGES[auth].includes(CIPHER_SUITES[n].key_exchange));
}

/**
 * The suite each mode uses unless one is named: the IoT profiles' CCM_8 suites (RFC 7925 §4.2,
 * §4.4.1); an RSA server key needs an ECDHE_RSA suite, and the engine's is GCM.
 */
export function defaultSuiteForMode(auth: AuthMode, serverKey: KeyKind): CipherSuiteName {
  switch (auth) {
    case 'psk':
      return 'TLS_PSK_WITH_AES_128_CCM_8';
    case 'ecdhe-psk':
      return 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256';
    case 'cert':
      return serverKey === 'rsa2048' ? 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256' : 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8';
    case 'rpk':
      return 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8';
  }
}
