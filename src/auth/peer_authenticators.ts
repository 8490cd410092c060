/**
 * How an endpoint decides that the peer's Certificate message is acceptable, for the simulated
 * handshakes (seeded chains and keys) and the interop command (the user's PEM files) alike.
 * Each returns a factory: the verifying endpoint's MeteredCrypto is only known when it is built,
 * and chain signatures are metered on it.
 */
import type { MeteredCrypto } from '../crypto/metered_crypto.js';
import { bytesEqual } from '../protocol/common/bytes.js';
import { ProtocolAlert } from '../protocol/dtls12/alerts.js';
import type { PeerAuthenticator } from '../protocol/dtls12/credentials.js';
import { meteredVerifier } from '../x509/signatures.js';
import { decodeSpki } from '../x509/spki.js';
import { DEFAULT_EVALUATION_TIME, verifyChain, type TrustAnchor } from '../x509/verify_chain.js';

/**
 * X.509: each certificate's signature by its issuer (the last by one of the trust anchors),
 * RFC 5280 §6 path rules, validity at `now`. Simulations keep the fixed default time so a seed
 * gives the same result every year; a real peer's certificates are checked at the real time.
 */
export function chainAuthenticator(anchors: readonly TrustAnchor[], now: Date = DEFAULT_EVALUATION_TIME): (crypto: MeteredCrypto) => PeerAuthenticator {
  return (crypto) => (type, entries) => {
    if (type !== 'x509') throw new ProtocolAlert('unsupported_certificate', `expected an X.509 chain, got a ${type}`);
    const result = verifyChain(entries, anchors, meteredVerifier(crypto), now);
    if (!result.ok) throw new ProtocolAlert(result.alert, `certificate ${result.index}: ${result.message}`);
    return result.leaf.spki;
  };
}

/**
 * Raw public keys (RFC 7250) carry no chain: the peer's SubjectPublicKeyInfo must be one the
 * verifier holds (pinned at provisioning, RFC 7250 §6), compared byte for byte.
 */
export function pinnedKeyAuthenticator(pinned: Uint8Array): (crypto: MeteredCrypto) => PeerAuthenticator {
  return () => (type, entries) => {
    if (type !== 'raw_public_key') throw new ProtocolAlert('unsupported_certificate', `expected a raw public key, got a ${type} certificate`);
    if (!bytesEqual(entries[0]!, pinned)) throw new ProtocolAlert('bad_certificate', 'the raw public key is not the pinned one');
    return decodeSpki(entries[0]!);
  };
}
