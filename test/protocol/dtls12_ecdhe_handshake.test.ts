import { describe, expect, it } from 'vitest';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { decodeHandshakeFragments } from '../../src/protocol/dtls12/handshake_header.js';
import { pinnedKeyAuthenticator } from '../../src/auth/peer_authenticators.js';
import { credentialsFor } from '../../src/pipeline/credentials.js';
import type { CipherSuiteName } from '../../src/protocol/dtls12/cipher_suites.js';
import type { GroupName } from '../../src/protocol/dtls12/groups_and_signatures.js';
import { buildDtls12Transcript } from '../../src/transcript/build_dtls12.js';
import type { Transcript } from '../../src/transcript/types.js';
import { encodeSpki } from '../../src/x509/spki.js';
import { publicKeyOf, seededP256Key } from '../../src/x509/keys.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

type Mode = { auth: 'cert' | 'rpk' | 'ecdhe-psk'; mutual?: boolean; chain_depth?: 1 | 2 | 3; server_key?: 'p256' | 'rsa2048' };

function run(mode: Mode, suite: CipherSuiteName, group: GroupName = 'secp256r1'): Transcript {
  const creds = credentialsFor(
    { auth: mode.auth, mutual: mode.mutual ?? false, certificates: { chain_depth: mode.chain_depth ?? 1, server_key: mode.server_key ?? 'p256' } },
    5,
  );
  return buildDtls12Transcript(pskSetup({ cipher_suite: suite, groups: [group], ...creds }));
}

/** Each flight's messages, with the fragments of one message (a long chain at MTU 1232) counted once. */
const shape = (t: Transcript) =>
  t.flights
    .filter((f) => f.phase === 'handshake')
    .map((f) => `${f.from}: ${[...new Set(f.messages.map((m) => m.replace(/ \(fragment .*\)$/, '')))].join(', ')}`);
const count = (t: Transcript, endpoint: 'client' | 'server', op: string) => t.ops.filter((o) => o.endpoint === endpoint && o.op === op && o.step <= t.flights.length).length;

describe('ECDHE handshakes between our client and server', () => {
  it.each([1, 2, 3] as const)('certificates, chain depth %i: the server sends its chain and signs its ECDHE share; the client checks each link', (depth) => {
    const t = run({ auth: 'cert', chain_depth: depth }, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8');
    expect(t.outcome.completed).toBe(true);
    expect(shape(t).slice(3)).toEqual([
      'server: ServerHello, Certificate, ServerKeyExchange, ServerHelloDone',
      'client: ClientKeyExchange, ChangeCipherSpec, Finished',
      'server: ChangeCipherSpec, Finished',
    ]);
    // One verification per certificate sent (the last by the root), plus the ServerKeyExchange signature.
    expect(count(t, 'client', 'p256.ecdsa_verify')).toBe(depth + 1);
    expect(count(t, 'server', 'p256.ecdsa_sign')).toBe(1);
    expect(count(t, 'client', 'p256.keygen')).toBe(1);
    expect(count(t, 'server', 'p256.ecdh')).toBe(1);
  });

  it('an RSA-2048 server: RSA verifications at the client, one RSA signature at the server', () => {
    const t = run({ auth: 'cert', server_key: 'rsa2048' }, 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(t.outcome.completed).toBe(true);
    expect(count(t, 'client', 'rsa2048.verify')).toBe(2);
    expect(count(t, 'server', 'rsa2048.sign')).toBe(1);
    expect(count(t, 'client', 'p256.ecdsa_verify')).toBe(0);
  });

  it('mutual certificates: the client answers the CertificateRequest with its chain and a CertificateVerify', () => {
    const t = run({ auth: 'cert', mutual: true }, 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256');
    expect(t.outcome.completed).toBe(true);
    expect(shape(t).slice(3, 5)).toEqual([
      'server: ServerHello, Certificate, ServerKeyExchange, CertificateRequest, ServerHelloDone',
      'client: Certificate, ClientKeyExchange, CertificateVerify, ChangeCipherSpec, Finished',
    ]);
    expect(count(t, 'client', 'p256.ecdsa_sign')).toBe(1);
    expect(count(t, 'server', 'p256.ecdsa_verify')).toBe(2); // the client's certificate, then its CertificateVerify
  });

  it('raw public keys: the Certificate carries one 91-byte SubjectPublicKeyInfo and no chain is checked', () => {
    const t = run({ auth: 'rpk', mutual: true }, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8');
    expect(t.outcome.completed).toBe(true);
    const serverFlight = t.flights.find((f) => f.messages.includes('ServerKeyExchange'))!;
    const certificate = serverFlight.datagrams
      .flatMap((d) => decodeDatagram(d))
      .filter((r) => r.type === 22)
      .flatMap((r) => decodeHandshakeFragments(r.fragment))
      .find((f) => f.msg_type === 11)!;
    expect(certificate.length).toBe(3 + 91); // opaque ASN.1_subjectPublicKeyInfo<1..2^24-1> (RFC 7250 §3)
    expect(count(t, 'client', 'p256.ecdsa_verify')).toBe(1); // the ServerKeyExchange only
    expect(count(t, 'server', 'p256.ecdsa_verify')).toBe(1); // the CertificateVerify only
  });

  it('ECDHE-PSK: an identity hint and an ECDHE share in the ServerKeyExchange, no signature', () => {
    const t = run({ auth: 'ecdhe-psk' }, 'TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256');
    expect(t.outcome.completed).toBe(true);
    expect(shape(t)[3]).toBe('server: ServerHello, ServerKeyExchange, ServerHelloDone');
    expect(t.ops.some((o) => o.op.includes('ecdsa'))).toBe(false);
    expect(count(t, 'client', 'p256.ecdh')).toBe(1);
  });

  it('x25519 for the key exchange; the client still lists secp256r1 for the ECDSA certificate (RFC 8422 §5.3)', () => {
    const t = run({ auth: 'cert' }, 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', 'x25519');
    expect(t.outcome.completed).toBe(true);
    expect(count(t, 'client', 'x25519.keygen')).toBe(1);
    expect(count(t, 'server', 'x25519.ecdh')).toBe(1);
    const hello = Buffer.from(t.flights[0]!.datagrams[0]!).toString('hex');
    // supported_groups: type 000a, length 0006, list length 0004, x25519 (001d) then secp256r1 (0017).
    expect(hello).toContain('000a00060004001d0017');
  });

  it('a raw public key that is not the pinned one ends the handshake with bad_certificate at the client', () => {
    const creds = credentialsFor({ auth: 'rpk', mutual: false, certificates: { chain_depth: 1, server_key: 'p256' } }, 5);
    const stranger = encodeSpki(publicKeyOf(seededP256Key(5, 'someone-else')));
    const t = buildDtls12Transcript(
      pskSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', groups: ['secp256r1'], ...creds, authenticate_server: pinnedKeyAuthenticator(stranger) }),
    );
    expect(t.outcome).toMatchObject({ completed: false, failed_endpoint: 'client', alert: 'bad_certificate' });
  });

  it('a chain from another root ends the handshake with a certificate alert at the client', () => {
    const ours = credentialsFor({ auth: 'cert', mutual: false, certificates: { chain_depth: 2, server_key: 'p256' } }, 5);
    const other = credentialsFor({ auth: 'cert', mutual: false, certificates: { chain_depth: 2, server_key: 'p256' } }, 6);
    const t = buildDtls12Transcript(
      pskSetup({ cipher_suite: 'TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8', groups: ['secp256r1'], ...ours, authenticate_server: other.authenticate_server! }),
    );
    expect(t.outcome.completed).toBe(false);
    expect(['unknown_ca', 'bad_certificate']).toContain(!t.outcome.completed && t.outcome.alert);
  });
});
