/**
 * The interop command's authentication flags, checked and turned into the options our DTLS
 * client or server takes: the suite (named, or the mode's default), the ECDHE group, the PSK,
 * and the user's PEM credentials with the checks their peer gets. Every mistake is an InputError
 * that names the flag (exit 2), before any socket is opened.
 */
import { chainAuthenticator, pinnedKeyAuthenticator } from '../auth/peer_authenticators.js';
import type { MeteredCrypto } from '../crypto/metered_crypto.js';
import { bytesEqual } from '../protocol/common/bytes.js';
import { CIPHER_SUITES, type CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import type { Dtls12ClientOptions } from '../protocol/dtls12/client.js';
import type { Credential, PeerAuthenticator } from '../protocol/dtls12/credentials.js';
import type { GroupName } from '../protocol/dtls12/groups_and_signatures.js';
import type { Dtls12ServerOptions } from '../protocol/dtls12/server.js';
import { defaultSuiteForMode, MODE_KEY_EXCHANGES, suitesForMode } from '../scenario/auth_modes.js';
import { InputError } from '../scenario/errors.js';
import type { AuthMode } from '../scenario/scenario_schema.js';
import { keyKindName, publicKeyOf, type KeyKind, type PrivateKey } from '../x509/keys.js';
import { readCertificatesPemFile, readPrivateKeyPemFile, readPublicKeyPemFile } from '../x509/pem.js';
import { parseCertificate } from '../x509/parse.js';
import { decodeSpki, encodeSpki } from '../x509/spki.js';
import { trustAnchorFromCertificate } from '../x509/verify_chain.js';

export interface AuthFlags {
  role: 'client' | 'server';
  auth: AuthMode;
  cipherSuite?: CipherSuiteName;
  group?: GroupName;
  pskIdentity?: string;
  psk?: string;
  pskHint?: string;
  cert?: string;
  key?: string;
  ca?: string;
  rpkKey?: string;
  peerRpk?: string;
}

/** What the resolved flags ran with, for the report. */
export interface AuthSummary {
  cipher_suite: CipherSuiteName;
  /** null for plain PSK, which has no ECDHE. */
  group: GroupName | null;
  /** Server: it asks for the client's certificate or raw public key. Client: it has one to send when asked. */
  mutual: boolean;
}

export type ClientAuthOptions = Pick<Dtls12ClientOptions, 'cipher_suites' | 'psk' | 'groups' | 'authenticate_server' | 'server_certificate_types' | 'credential'>;
export type ServerAuthOptions = Pick<Dtls12ServerOptions, 'cipher_suites' | 'psk_for_identity' | 'psk_identity_hint' | 'groups' | 'credentials' | 'request_client_certificate'>;

type FlagName = 'psk-identity' | 'psk' | 'psk-hint' | 'group' | 'cert' | 'key' | 'ca' | 'rpk-key' | 'peer-rpk';

const FLAG_FIELDS: Record<FlagName, keyof AuthFlags> = {
  'psk-identity': 'pskIdentity',
  psk: 'psk',
  'psk-hint': 'pskHint',
  group: 'group',
  cert: 'cert',
  key: 'key',
  ca: 'ca',
  'rpk-key': 'rpkKey',
  'peer-rpk': 'peerRpk',
};

/** The flags each mode reads; any other authentication flag given is a mistake worth saying. */
const MODE_FLAGS: Record<AuthMode, readonly FlagName[]> = {
  psk: ['psk-identity', 'psk', 'psk-hint'],
  'ecdhe-psk': ['psk-identity', 'psk', 'psk-hint', 'group'],
  cert: ['cert', 'key', 'ca', 'group'],
  rpk: ['rpk-key', 'peer-rpk', 'group'],
};

/** The checks that need no file: flags of another mode, a suite of another mode. */
function checkFlags(flags: AuthFlags): void {
  checkSuiteFitsMode(flags);
  for (const [flag, field] of Object.entries(FLAG_FIELDS) as [FlagName, keyof AuthFlags][]) {
    if (flags[field] === undefined || MODE_FLAGS[flags.auth].includes(flag)) continue;
    const modes = (Object.keys(MODE_FLAGS) as AuthMode[]).filter((m) => MODE_FLAGS[m].includes(flag));
    throw new InputError(`--${flag}: not used with --auth ${flags.auth}; it is for --auth ${modes.join(' or ')}`);
  }
  if (flags.pskHint !== undefined && flags.role === 'client') throw new InputError('--psk-hint: only for --role server (the server sends the hint)');
}

function required<T>(value: T | undefined, flag: FlagName, expected: string): T {
  if (value === undefined) throw new InputError(`--${flag}: missing; expected ${expected}`);
  return value;
}

/** A PEM reader's InputError names the file; the user also needs to know which flag named it. */
function fromFlag<T>(flag: FlagName, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`--${flag}: ${e.message}`);
    throw e;
  }
}

function pskKey(flags: AuthFlags): { identity: Uint8Array; key: Uint8Array } {
  const identity = required(flags.pskIdentity, 'psk-identity', `the PSK identity (--auth ${flags.auth})`);
  const hex = required(flags.psk, 'psk', `the pre-shared key in hex (--auth ${flags.auth})`);
  if (!/^([0-9a-fA-F]{2}){1,64}$/.test(hex)) throw new InputError(`--psk: got ${JSON.stringify(hex)}, expected 1 to 64 bytes of hex`);
  return { identity: new TextEncoder().encode(identity), key: Uint8Array.from(Buffer.from(hex, 'hex')) };
}

/** "a P-256 key", "an RSA-2048 key". */
function aKey(kind: KeyKind): string {
  return `${kind === 'p256' ? 'a' : 'an'} ${keyKindName(kind)} key`;
}

/** Raw public keys go with the ECDHE_ECDSA suites only, so they are P-256 here. */
function p256Only(flag: FlagName, path: string, kind: KeyKind): void {
  if (kind !== 'p256') throw new InputError(`--${flag}: ${path} holds ${aKey(kind)}, expected a P-256 key (raw public keys sign with ECDSA here)`);
}

/** Our certificate chain (leaf first) and its private key, which must be the leaf's. */
function certificateCredential(flags: AuthFlags, missing: string): Credential {
  const certPath = required(flags.cert, 'cert', `a PEM file with our certificate (and chain) ${missing}`);
  const keyPath = required(flags.key, 'key', `the PEM private key of --cert ${certPath}`);
  const entries = fromFlag('cert', () => readCertificatesPemFile(certPath));
  const key = fromFlag('key', () => readPrivateKeyPemFile(keyPath));
  const leaf = parseCertificate(entries[0]!, 'certificate 1');
  if (!bytesEqual(leaf.spki_der, encodeSpki(publicKeyOf(key))))
    throw new InputError(`--key: ${keyPath} is not the private key of the first certificate in --cert ${certPath} ("${leaf.subject}")`);
  return { type: 'x509', entries, key };
}

function rpkCredential(flags: AuthFlags, missing: string): Credential {
  const path = required(flags.rpkKey, 'rpk-key', `a PEM private key whose public key we send ${missing}`);
  const key = fromFlag('rpk-key', () => readPrivateKeyPemFile(path));
  p256Only('rpk-key', path, key.kind);
  return { type: 'raw_public_key', entries: [encodeSpki(publicKeyOf(key))], key };
}

function pinnedPeerKey(path: string): Uint8Array {
  const spki = fromFlag('peer-rpk', () => readPublicKeyPemFile(path));
  p256Only('peer-rpk', path, decodeSpki(spki).kind);
  return spki;
}

function trustAnchors(path: string) {
  const certificates = fromFlag('ca', () => readCertificatesPemFile(path));
  return certificates.map((der) => trustAnchorFromCertificate(der));
}

/** A named suite must fit the mode; checked before any file is read. */
function checkSuiteFitsMode(flags: AuthFlags): void {
  const suite = flags.cipherSuite;
  if (suite !== undefined && !MODE_KEY_EXCHANGES[flags.auth].includes(CIPHER_SUITES[suite].key_exchange))
    throw new InputError(`--cipher-suite: got ${suite}, whose key exchange does not fit --auth ${flags.auth}; expected one of ${suitesForMode(flags.auth).join(', ')}`);
}

/** The suite named, or the mode's default for our server key; a server's key must suit it. */
function resolveSuite(flags: AuthFlags, ourServerKey: PrivateKey | undefined): CipherSuiteName {
  const suite = flags.cipherSuite ?? defaultSuiteForMode(flags.auth, ourServerKey?.kind ?? 'p256');
  if (ourServerKey) {
    const needs = CIPHER_SUITES[suite].key_exchange === 'ecdhe_rsa' ? 'rsa2048' : 'p256';
    if (ourServerKey.kind !== needs) throw new InputError(`--key: holds ${aKey(ourServerKey.kind)}, but --cipher-suite ${suite} needs ${aKey(needs)}`);
  }
  return suite;
}

function resolveGroup(flags: AuthFlags): GroupName | undefined {
  return flags.auth === 'psk' ? undefined : (flags.group ?? 'secp256r1');
}

/**
 * cert and rpk: what we send (a server always has it; a client only when given, for a server
 * that asks) and how the peer's Certificate is checked (a client always checks the server; a
 * server only when told how, which makes it ask the client). Chains are checked at the real time.
 */
function certificateSetup(flags: AuthFlags & { auth: 'cert' | 'rpk' }, crypto: MeteredCrypto): { credential?: Credential; authenticate?: PeerAuthenticator } {
  const server = flags.role === 'server';
  const when = server ? `(--auth ${flags.auth}, --role server)` : 'for a server that asks';
  if (flags.auth === 'cert') {
    const credential = server || flags.cert !== undefined || flags.key !== undefined ? certificateCredential(flags, when) : undefined;
    const ca = server ? flags.ca : required(flags.ca, 'ca', 'a PEM file with the CA certificate(s) the server chain must lead to');
    return { ...(credential ? { credential } : {}), ...(ca !== undefined ? { authenticate: chainAuthenticator(trustAnchors(ca), new Date())(crypto) } : {}) };
  }
  const credential = server || flags.rpkKey !== undefined ? rpkCredential(flags, when) : undefined;
  const peer = server ? flags.peerRpk : required(flags.peerRpk, 'peer-rpk', "the server's public key as PEM (openssl pkey -pubout), pinned");
  return { ...(credential ? { credential } : {}), ...(peer !== undefined ? { authenticate: pinnedKeyAuthenticator(pinnedPeerKey(peer))(crypto) } : {}) };
}

const isCertificateMode = (flags: AuthFlags): flags is AuthFlags & { auth: 'cert' | 'rpk' } => flags.auth === 'cert' || flags.auth === 'rpk';

/**
 * Client: psk and ecdhe-psk need --psk-identity and --psk; cert needs --ca and sends
 * --cert/--key when the server asks; rpk needs --peer-rpk (the server's key, pinned) and sends
 * --rpk-key's public key when asked.
 */
export function clientAuth(flags: AuthFlags, crypto: MeteredCrypto): { options: ClientAuthOptions; summary: AuthSummary } {
  checkFlags(flags);
  const group = resolveGroup(flags);
  let options: Omit<ClientAuthOptions, 'cipher_suites'> = group ? { groups: [group] } : {};
  let mutual = false;
  if (isCertificateMode(flags)) {
    const { credential, authenticate } = certificateSetup(flags, crypto);
    mutual = credential !== undefined;
    options = {
      ...options,
      authenticate_server: authenticate!,
      ...(flags.auth === 'rpk' ? { server_certificate_types: ['raw_public_key'] } : {}),
      ...(credential ? { credential } : {}),
    };
  } else options = { ...options, psk: pskKey(flags) };
  const suite = resolveSuite(flags, undefined);
  return { options: { ...options, cipher_suites: [suite] }, summary: { cipher_suite: suite, group: group ?? null, mutual } };
}

/**
 * Server: psk and ecdhe-psk accept the one --psk-identity with --psk; cert sends --cert/--key
 * and, with --ca, requires a client chain leading to it; rpk sends --rpk-key's public key and,
 * with --peer-rpk, requires exactly that key from the client.
 */
export function serverAuth(flags: AuthFlags, crypto: MeteredCrypto): { options: ServerAuthOptions; summary: AuthSummary } {
  checkFlags(flags);
  const group = resolveGroup(flags);
  let options: Omit<ServerAuthOptions, 'cipher_suites'> = group ? { groups: [group] } : {};
  let ourKey: PrivateKey | undefined;
  if (isCertificateMode(flags)) {
    const { credential, authenticate } = certificateSetup(flags, crypto);
    ourKey = credential!.key;
    options = {
      ...options,
      credentials: [credential!],
      ...(authenticate ? { request_client_certificate: { types: [credential!.type], authenticate } } : {}),
    };
  } else {
    const { identity, key } = pskKey(flags);
    options = {
      ...options,
      psk_for_identity: (id) => (bytesEqual(id, identity) ? key : undefined),
      ...(flags.pskHint !== undefined ? { psk_identity_hint: new TextEncoder().encode(flags.pskHint) } : {}),
    };
  }
  const suite = resolveSuite(flags, ourKey);
  const mutual = options.request_client_certificate !== undefined;
  return { options: { ...options, cipher_suites: [suite] }, summary: { cipher_suite: suite, group: group ?? null, mutual } };
}
