import type { Dtls12Setup } from '../../src/transcript/build_dtls12.js';
import type { MemoryModel } from '../../src/scenario/profile_schemas.js';

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
