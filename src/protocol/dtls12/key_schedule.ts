import { ByteWriter, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import type { CipherSuiteInfo } from './cipher_suites.js';
import { VERIFY_DATA_BYTES } from './constants.js';

export const MASTER_SECRET_BYTES = 48;

/** Plain PSK premaster secret (RFC 4279 §2): uint16 N, N zero bytes, uint16 N, psk. */
export function pskPremasterSecret(psk: Uint8Array): Uint8Array {
  return new ByteWriter().vector(2, new Uint8Array(psk.length)).vector(2, psk).finish();
}

/** ECDHE_PSK premaster secret (RFC 5489 §2): other_secret = the ECDHE shared secret Z. */
export function ecdhePskPremasterSecret(z: Uint8Array, psk: Uint8Array): Uint8Array {
  return new ByteWriter().vector(2, z).vector(2, psk).finish();
}

/** RFC 5246 §8.1. */
export function masterSecret(
  crypto: MeteredCrypto,
  premaster: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): Uint8Array {
  return crypto.tls12Prf(premaster, 'master secret', concatBytes(clientRandom, serverRandom), MASTER_SECRET_BYTES);
}

/**
 * RFC 7627 §4: the master secret bound to the whole handshake, with session_hash = the
 * transcript hash up to and including the ClientKeyExchange.
 */
export function extendedMasterSecret(crypto: MeteredCrypto, premaster: Uint8Array, sessionHash: Uint8Array): Uint8Array {
  return crypto.tls12Prf(premaster, 'extended master secret', sessionHash, MASTER_SECRET_BYTES);
}

export interface TrafficKeys {
  client_write_mac_key: Uint8Array;
  server_write_mac_key: Uint8Array;
  client_write_key: Uint8Array;
  server_write_key: Uint8Array;
  client_write_iv: Uint8Array;
  server_write_iv: Uint8Array;
}

/**
 * RFC 5246 §6.3: key_block = PRF(master, "key expansion", server_random + client_random), cut
 * in order into client_write_MAC_key, server_write_MAC_key, client_write_key,
 * server_write_key, client_write_IV, server_write_IV. AEAD suites have no MAC keys (length 0);
 * CBC suites in TLS 1.2 take no IV from the block (each record carries its own).
 */
export function trafficKeys(
  crypto: MeteredCrypto,
  suite: CipherSuiteInfo,
  master: Uint8Array,
  clientRandom: Uint8Array,
  serverRandom: Uint8Array,
): TrafficKeys {
  const lengths = [suite.mac_key_bytes, suite.mac_key_bytes, suite.key_bytes, suite.key_bytes, suite.fixed_iv_bytes, suite.fixed_iv_bytes];
  const block = crypto.tls12Prf(master, 'key expansion', concatBytes(serverRandom, clientRandom), lengths.reduce((a, b) => a + b, 0));
  let offset = 0;
  const [cMac, sMac, cKey, sKey, cIv, sIv] = lengths.map((n) => block.slice(offset, (offset += n)));
  return {
    client_write_mac_key: cMac!,
    server_write_mac_key: sMac!,
    client_write_key: cKey!,
    server_write_key: sKey!,
    client_write_iv: cIv!,
    server_write_iv: sIv!,
  };
}

/** RFC 5246 §7.4.9: PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]. */
export function verifyData(
  crypto: MeteredCrypto,
  master: Uint8Array,
  sender: 'client' | 'server',
  transcriptHash: Uint8Array,
): Uint8Array {
  return crypto.tls12Prf(master, `${sender} finished`, transcriptHash, VERIFY_DATA_BYTES);
}
