import type { CertificateTypeName } from './constants.js';
import type { PrivateKey, PublicKey } from './groups_and_signatures.js';

/**
 * What an endpoint authenticates with: an X.509 chain (its own certificate first, the root
 * left out) or a raw public key (one DER SubjectPublicKeyInfo, RFC 7250), and the matching key.
 */
export interface Credential {
  type: CertificateTypeName;
  /** X.509: DER certificates, own first; raw_public_key: [SubjectPublicKeyInfo DER]. */
  entries: Uint8Array[];
  key: PrivateKey;
}

/**
 * Checks what the peer sent in its Certificate message and returns the key to verify its
 * signatures with. Throws a ProtocolAlert (bad_certificate, unknown_ca, ...) when it is not
 * acceptable. The caller meters the signature checks it does (chain verification).
 */
export type PeerAuthenticator = (type: CertificateTypeName, entries: Uint8Array[]) => PublicKey;
