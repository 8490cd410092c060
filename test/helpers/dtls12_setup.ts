import { credentialsFor } from '../../src/pipeline/credentials.js';
import type { GroupName } from '../../src/protocol/dtls12/groups_and_signatures.js';
import type { Dtls12Setup } from '../../src/transcript/build_dtls12.js';
import type { MemoryModel } from '../../src/scenario/profile_schemas.js';
import type { ResolvedConfig } from '../../src/scenario/load_scenario.js';

const fig = (value: number) => ({ value, derived: 'test fixture' });

/** A memory model with round numbers, for tests that do not exercise memory. */
export const testMemoryModel: MemoryModel = {
  ssl_context_bytes: fig(300),
  ssl_config_bytes: fig(500),
  handshake_params_bytes: fig(3000),
  drbg_context_bytes: fig(700),
  session_bytes: fig(300),
  in_content_len: fig(16384),
  out_content_len: fig(16384),
  buffer_overhead_bytes: fig(100),
};

export function pskSetup(overrides: Partial<Dtls12Setup> = {}): Dtls12Setup {
  const buffers = { in_content_len: 4096, out_content_len: 4096 };
  return {
    seed: 1,
    cipher_suite: 'TLS_PSK_WITH_AES_128_CCM_8',
    psk_identity: new TextEncoder().encode('Client_identity'),
    psk: Uint8Array.from(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex')),
    cookie: true,
    mtu_bytes: 1232,
    initial_timeout_ms: 1000,
    max_timeout_ms: 60000,
    application_data_bytes: 16,
    client: { memory: testMemoryModel, buffers, variable_buffer_length: false, extended_master_secret: true, encrypt_then_mac: true },
    server: { memory: testMemoryModel, buffers, variable_buffer_length: false, cookie_bytes: 32, session_id_bytes: 32, extended_master_secret: true, encrypt_then_mac: true },
    ...overrides,
  };
}

/** An ECDHE-PSK handshake (RFC 5489): the PSK setup with an ECDHE group and the ECDHE_PSK suite. */
export function ecdhePskSetup(overrides: Partial<Dtls12Setup> = {}): Dtls12Setup {
  return pskSetup({ cipher_suite: 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256', groups: ['secp256r1'], ...overrides });
}

/** What a certificate or raw-public-key handshake needs besides the common setup. */
export interface AuthOptions {
  /** The client authenticates too (CertificateRequest, Certificate, CertificateVerify). */
  mutual?: boolean;
  group?: GroupName;
}

/**
 * An ECDHE handshake authenticated with X.509 chains, built as a scenario variant with
 * `auth: cert` builds it (src/pipeline/credentials.ts): seeded chains of `chain_depth`
 * certificates, each side's root pre-provisioned at its peer. The suite must fit the server key
 * (ECDHE_ECDSA for p256, ECDHE_RSA for rsa2048).
 */
export function certSetup(
  certificates: ResolvedConfig['certificates'],
  o: AuthOptions & Pick<Dtls12Setup, 'cipher_suite'> & Partial<Dtls12Setup>,
): Dtls12Setup {
  return authSetup({ auth: 'cert', certificates, mutual: o.mutual ?? false }, o);
}

/** An ECDHE_ECDSA handshake with raw public keys (RFC 7250), each side's key pinned at its peer. */
export function rpkSetup(o: AuthOptions & Partial<Dtls12Setup> = {}): Dtls12Setup {
  return authSetup({ auth: 'rpk', certificates: { chain_depth: 1, server_key: 'p256' }, mutual: o.mutual ?? false }, o);
}

function authSetup(config: Pick<ResolvedConfig, 'auth' | 'certificates' | 'mutual'>, o: AuthOptions & Partial<Dtls12Setup>): Dtls12Setup {
  const { mutual: _mutual, group, ...overrides } = o;
  // No PSK: these modes authenticate with signatures alone.
  const { psk: _psk, psk_identity: _identity, ...common } = pskSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8' });
  const seed = overrides.seed ?? common.seed;
  return { ...common, groups: [group ?? 'secp256r1'], ...credentialsFor(config, seed), ...overrides, seed };
}

/**
 * The mutual certificate configuration the tamper tests split over two files: depth 1, GCM,
 * cookie on; its flight CLIENT_AUTHENTICATION_FLIGHT carries the client's Certificate,
 * ClientKeyExchange, CertificateVerify and Finished.
 */
export const CLIENT_AUTHENTICATION_FLIGHT = 5;
export function certMutualSetup(): Dtls12Setup {
  return certSetup({ chain_depth: 1, server_key: 'p256' }, { cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', mutual: true });
}
