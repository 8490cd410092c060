import { chainAuthenticator, pinnedKeyAuthenticator } from '../auth/peer_authenticators.js';
import type { CertificateTypeName } from '../protocol/dtls12/constants.js';
import type { Credential } from '../protocol/dtls12/credentials.js';
import type { ResolvedConfig } from '../scenario/load_scenario.js';
import type { Dtls12Setup } from '../transcript/build_dtls12.js';
import { buildCertificateChain } from '../x509/chain.js';
import { publicKeyOf, seededP256Key } from '../x509/keys.js';
import { encodeSpki } from '../x509/spki.js';
import { trustAnchorFromCertificate } from '../x509/verify_chain.js';

type Role = 'client' | 'server';
type AuthSetup = Pick<
  Dtls12Setup,
  'server_credentials' | 'server_certificate_types' | 'authenticate_server' | 'client_credential' | 'authenticate_client' | 'client_trust' | 'server_trust'
>;

/**
 * Keys, chains and peer checks for a variant's mode, all derived from the scenario seed. Only
 * the mode's fields are read, so tests can build a mode's setup without a whole scenario.
 */
export function credentialsFor(config: Pick<ResolvedConfig, 'auth' | 'certificates' | 'mutual'>, seed: number): AuthSetup {
  if (config.auth === 'cert') {
    const certs = config.certificates;
    const chainFor = (role: Role, leaf: 'p256' | 'rsa2048') =>
      buildCertificateChain({
        seed,
        depth: certs.chain_depth,
        leaf_key: leaf,
        ca_key: certs.ca_key ?? leaf,
        ...(certs.subject ? { subject: withoutUndefined(certs.subject) } : {}),
        ...(role === 'client' ? { label: 'client' } : {}),
      });
    const server = chainFor('server', certs.server_key);
    const credential = (chain: typeof server): Credential => ({ type: 'x509', entries: chain.certificates, key: chain.leaf_private_key });
    const setup: AuthSetup = {
      server_credentials: [credential(server)],
      authenticate_server: chainAuthenticator([trustAnchorFromCertificate(server.root)]),
      client_trust: { type: 'x509', entries: [server.root] },
    };
    if (!config.mutual) return setup;
    // The client's key is P-256: the IoT certificate profile's (RFC 7925 §4.4.1).
    const client = chainFor('client', 'p256');
    return {
      ...setup,
      client_credential: credential(client),
      authenticate_client: chainAuthenticator([trustAnchorFromCertificate(client.root)]),
      server_trust: { type: 'x509', entries: [client.root] },
    };
  }
  if (config.auth === 'rpk') {
    const keyFor = (role: Role) => seededP256Key(seed, `rpk/${role}`);
    const rpk = (role: Role): Credential => {
      const key = keyFor(role);
      return { type: 'raw_public_key', entries: [encodeSpki(publicKeyOf(key))], key };
    };
    const server = rpk('server');
    const types: CertificateTypeName[] = ['raw_public_key'];
    const setup: AuthSetup = {
      server_credentials: [server],
      server_certificate_types: types,
      authenticate_server: pinnedKeyAuthenticator(server.entries[0]!),
      client_trust: { type: 'raw_public_key', entries: server.entries },
    };
    if (!config.mutual) return setup;
    const client = rpk('client');
    return {
      ...setup,
      client_credential: client,
      authenticate_client: pinnedKeyAuthenticator(client.entries[0]!),
      server_trust: { type: 'raw_public_key', entries: client.entries },
    };
  }
  return {};
}

/** The schema's optional fields arrive as present-but-undefined; the chain builder wants them absent. */
function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
