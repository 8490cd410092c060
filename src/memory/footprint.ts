import { CIPHER_SUITES } from '../protocol/dtls12/cipher_suites.js';
import type { ResolvedConfig } from '../scenario/load_scenario.js';
import type { Figure } from '../scenario/figure.js';
import type { StackProfile } from '../scenario/profile_schemas.js';

export interface FootprintReport {
  /** Estimated code size of the stack for the variant's features; null when a part has no published figure. */
  flash_bytes: number | null;
  /** What the estimate adds up, in order. */
  parts: { label: string; bytes: number }[];
  /** Features the stack profile has no figure for. */
  missing: string[];
}

/**
 * Flash for the stack with only what the variant uses: a published build with the variant's key
 * exchange (TLS 1.2, AES-128-GCM, SHA-256), then the record protection's difference to GCM, DTLS,
 * RSA when a certificate carries an RSA key, Curve25519 when it is the group, and no X.509 for
 * raw public keys. Sizes of the same library built for one key exchange, not a linker map.
 */
export function flashFootprint(stack: StackProfile, config: ResolvedConfig): FootprintReport {
  const model = stack.footprint;
  if (!model) return { flash_bytes: null, parts: [], missing: [`a footprint section in stack ${stack.id}`] };
  const parts: FootprintReport['parts'] = [];
  const missing: string[] = [];
  const add = (label: string, figure: Figure | undefined, sign = 1) => {
    if (figure === undefined) missing.push(label);
    else parts.push({ label, bytes: sign * figure.value });
  };
  const suite = CIPHER_SUITES[config.cipher_suite];
  add(`${suite.key_exchange} key exchange`, model.key_exchange_bytes[suite.key_exchange]);
  add(`${suite.cipher} record protection`, model.record_protection_bytes[suite.cipher]);
  add('DTLS', model.dtls_bytes);
  const certs = config.certificates;
  const rsaKey = config.auth === 'cert' && (certs.server_key === 'rsa2048' || certs.ca_key === 'rsa2048');
  // An ECDHE_RSA build already carries RSA.
  if (rsaKey && suite.key_exchange !== 'ecdhe_rsa') add('RSA', model.rsa_bytes);
  if (suite.key_exchange !== 'psk' && config.group === 'x25519') add('Curve25519', model.x25519_bytes);
  if (config.auth === 'rpk') add('no X.509 (raw public keys)', model.x509_bytes, -1);
  return { flash_bytes: missing.length > 0 ? null : parts.reduce((n, p) => n + p.bytes, 0), parts, missing };
}
