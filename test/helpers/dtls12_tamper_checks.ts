import { expect, it } from 'vitest';
import type { EndpointRole } from '../../src/crypto/ops.js';
import { CHAIN_FAILURE_ALERTS, type ChainFailureReason } from '../../src/x509/verify_chain.js';
import { describeCase, type Case, type Field, type TamperRun } from './dtls12_tamper.js';

/**
 * What DTLS 1.2 must do with a flipped byte, checked over every case of a TamperRun. DTLS 1.2
 * protects most bytes (the transcript hash behind Finished, the signatures, the AEAD tag or the
 * CBC suite's record MAC), but not all; the checks name the exceptions and check they are
 * exactly these:
 *
 *  - sequence numbers of epoch-0 records (nothing authenticates them in DTLS 1.2);
 *  - the cookie exchange: the first ClientHello and the HelloVerifyRequest are outside the
 *    transcript (RFC 6347 §4.2.1), and a ClientHello altered after the cookie no longer matches
 *    its cookie, so the server answers with a fresh HelloVerifyRequest. The handshake then
 *    completes with both sides' keys agreeing (application data round-trips), a round trip late;
 *  - a handshake `length` raised to a plausible size turns the message into a fragment of a
 *    larger one: the receiver waits for fragments (RFC 6347 §4.2.3) until a timer ends it.
 *
 * Every other flip must end the handshake with a fatal alert appropriate to the field.
 */

/** Alerts a receiver may raise for a flipped byte in each field of a record. */
export const ALLOWED: Record<Field, string[]> = {
  'record.type': ['unexpected_message', 'bad_record_mac'],
  'record.version': ['protocol_version'],
  'record.epoch': ['unexpected_message'],
  'record.seq': ['bad_record_mac'], // epoch > 0: the sequence number is in the AAD
  'record.length': ['decode_error', 'bad_record_mac'],
  'hs.msg_type': ['unexpected_message', 'decode_error'],
  // A length raised above the fragment makes the message wait for fragments; the peer's next
  // record (its ChangeCipherSpec) then arrives out of order.
  'hs.length': ['decode_error', 'unexpected_message'],
  'hs.message_seq': ['unexpected_message', 'decode_error'],
  'hs.fragment_offset': ['decode_error'],
  'hs.fragment_length': ['decode_error'],
  // A changed body is caught by its own checks or, failing those, by Finished: the peers' keys
  // or transcripts differ, so the next encrypted record or the Finished check fails. Message
  // fields with alerts of their own are in BODY_ALLOWED.
  'hs.body': [
    'decode_error',
    'illegal_parameter',
    'handshake_failure',
    'protocol_version',
    'unsupported_extension',
    'unknown_psk_identity',
    'bad_record_mac',
    'decrypt_error',
  ],
  'ccs.body': ['decode_error'],
  encrypted: ['bad_record_mac'],
};

/** A length prefix that no longer adds up (RFC 5246 §7.2.2 decode_error). */
const LENGTH = ['decode_error'];

/** The alerts the chain verifier sends for these failures (src/x509/verify_chain.ts). */
const chainAlerts = (...reasons: ChainFailureReason[]): string[] => [...new Set(reasons.map((r) => CHAIN_FAILURE_ALERTS[r]))];

/**
 * Alerts for a flipped handshake body byte, by message and field (test/helpers/
 * dtls12_message_layout.ts names them); a field not listed takes ALLOWED['hs.body'].
 */
export const BODY_ALLOWED: Record<string, string[]> = {
  'ClientHello.session_id_length': LENGTH,
  'ClientHello.cookie_length': LENGTH,
  // unsupported_certificate: a changed server_certificate_type list names no type this server
  // has a credential for (RFC 7250 §4.2).
  'ClientHello.extensions': [...ALLOWED['hs.body'], 'unsupported_certificate'],
  'HelloVerifyRequest.cookie_length': LENGTH,
  'ServerHello.session_id_length': LENGTH,
  // unexpected_message: in an abbreviated handshake, a session ID that no longer echoes the
  // client's tells it a full handshake follows (RFC 5246 §7.3), so the server's
  // ChangeCipherSpec comes where the client waits for its Certificate or ServerHelloDone.
  'ServerHello.session_id': [...ALLOWED['hs.body'], 'unexpected_message'],
  'NewSessionTicket.ticket_length': LENGTH,
  // The client keeps the ticket opaque (RFC 5077 §3.3); only the server's Finished covers it.
  'NewSessionTicket.lifetime': ['decrypt_error'],
  'NewSessionTicket.ticket': ['decrypt_error'],

  'Certificate.list_length': LENGTH,
  'Certificate.entry_length': LENGTH,
  // The certificate's own DER length disagrees with its entry, or it no longer parses.
  'Certificate.der_header': chainAlerts('length_mismatch', 'malformed'),
  // A changed tbsCertificate no longer parses, names a key or algorithm we do not support,
  // names another issuer (unknown_ca when no trust anchor has that name) or fails its signature.
  'Certificate.tbs': chainAlerts('malformed', 'unsupported', 'unknown_issuer', 'issuer_mismatch', 'bad_signature'),
  // The outer algorithm must equal the TBS's (RFC 5280 §4.1.1.2); the signature must verify.
  'Certificate.signature_algorithm': chainAlerts('malformed', 'bad_signature'),
  'Certificate.signature_header': chainAlerts('malformed', 'bad_signature'),
  'Certificate.signature': chainAlerts('bad_signature'),
  'Certificate.length': LENGTH,
  // bad_certificate: not the raw public key pinned for the peer (RFC 7250 §6).
  'Certificate.spki': ['bad_certificate'],

  'ServerKeyExchange.hint_length': LENGTH,
  // Only the transcript covers the hint (RFC 5489 §2): the Finished check fails.
  'ServerKeyExchange.hint': ['bad_record_mac', 'decrypt_error'],
  'ServerKeyExchange.curve_type': LENGTH, // named_curve (3) is the only value allowed (RFC 8422 §5.4)
  'ServerKeyExchange.group': ['illegal_parameter'], // a group the client did not offer
  'ServerKeyExchange.point_length': LENGTH,
  // Signed (RFC 8422 §5.4): the signature covers the point (decrypt_error). ECDHE_PSK: a
  // secp256r1 point off the curve (illegal_parameter, RFC 8422 §5.11) or an x25519 value that
  // gives another shared secret, so the client's Finished fails at the server (bad_record_mac).
  'ServerKeyExchange.point': ['decrypt_error', 'illegal_parameter', 'bad_record_mac'],
  'ServerKeyExchange.scheme': ['illegal_parameter'], // not the scheme of the server's key
  'ServerKeyExchange.signature_length': LENGTH,
  'ServerKeyExchange.signature': ['decrypt_error'], // RFC 5246 §7.2.2: a signature that does not verify

  'ClientKeyExchange.identity_length': LENGTH,
  'ClientKeyExchange.identity': ['unknown_psk_identity'], // RFC 4279 §2
  'ClientKeyExchange.point_length': LENGTH,
  // Off the curve (illegal_parameter); an x25519 value gives other keys, so the client's
  // CertificateVerify (decrypt_error) or Finished (bad_record_mac) fails at the server.
  'ClientKeyExchange.point': ['illegal_parameter', 'decrypt_error', 'bad_record_mac'],

  'CertificateVerify.scheme': ['illegal_parameter'],
  'CertificateVerify.signature_length': LENGTH,
  'CertificateVerify.signature': ['decrypt_error'],
};

/** The alerts a flipped byte may end in; a field such as tbs.issuer takes its own entry, else tbs's. */
export function allowedAlerts(c: Case): string[] {
  if (c.field !== 'hs.body' || !c.part) return ALLOWED[c.field];
  const key = `${c.part.message}.${c.part.field}`;
  return BODY_ALLOWED[key] ?? BODY_ALLOWED[key.replace(/\.[^.]+$/, '')] ?? ALLOWED['hs.body'];
}

/**
 * The checks every tampered handshake must pass, as `it` blocks in the caller's describe.
 * `cookie`: the handshake ran the cookie exchange (flights 1-3 are outside the transcript).
 */
export function itChecksEveryFlip(run: TamperRun, o: { cookie: boolean }): void {
  const { base, flights, cases } = run;
  // Flights outside the transcript, and the ClientHello that a cookie protects.
  const cookieFlights = o.cookie ? new Set([1, 2, 3]) : new Set<number>();

  const which = flights.length === base.flights.length ? 'every flight' : `flight${flights.length > 1 ? 's' : ''} ${flights.map((f) => f.index).join(', ')}`;
  it(`covers every byte of ${which}, and names the field of every handshake body byte`, () => {
    const total = flights.reduce((n, f) => n + f.bytes, 0);
    expect(cases.length).toBe(total);
    expect(base.flights.some((f) => f.phase === 'application')).toBe(true);
    expect(cases.filter((c) => c.field === 'hs.body' && !c.part).map(describeCase)).toEqual([]);
  });

  it('completes only for unauthenticated epoch-0 sequence numbers and the cookie exchange', () => {
    const completed = cases.filter((c) => c.outcome.completed);
    const unexplained = completed.filter((c) => !(c.field === 'record.seq' && c.epoch === 0) && !cookieFlights.has(c.flight));
    expect(unexplained.map(describeCase)).toEqual([]);
    // Every epoch-0 sequence number byte is such a case (the test's premise holds).
    const seq0 = cases.filter((c) => c.field === 'record.seq' && c.epoch === 0);
    expect(seq0.length).toBeGreaterThan(0);
    expect(seq0.every((c) => c.outcome.completed)).toBe(true);
  });

  it('stalls only when a handshake length turns a message into a fragment of a larger one', () => {
    const stalled = cases.filter((c) => !c.outcome.completed && c.outcome.alert === 'none');
    expect(stalled.filter((c) => c.field !== 'hs.length').map(describeCase)).toEqual([]);
    for (const c of stalled) expect(c.outcome.completed === false && c.outcome.reason).toMatch(/waits for fragments/);
  });

  it('ends every other flip with a fatal alert appropriate to the field', () => {
    const failed = cases.filter((c) => !c.outcome.completed && c.outcome.alert !== 'none');
    expect(failed.length).toBeGreaterThan(0);
    const wrong = failed.filter((c) => !c.outcome.completed && !allowedAlerts(c).includes(c.outcome.alert));
    expect(wrong.map(describeCase)).toEqual([]);
  });

  it('rejects a tampered Finished or application record with bad_record_mac at its receiver', () => {
    const encrypted = cases.filter((c) => c.field === 'encrypted');
    // Finished and application data are always encrypted.
    expect(encrypted.length > 0).toBe(flights.some((f) => f.phase === 'application' || f.messages.includes('Finished')));
    for (const c of encrypted) expect(c.outcome).toMatchObject({ completed: false, alert: 'bad_record_mac', failed_endpoint: peerOf(c.from) });
  });
}

export const peerOf = (role: EndpointRole): EndpointRole => (role === 'client' ? 'server' : 'client');

/**
 * The cases of one field of one message as `from` sent it (`tbs` takes in `tbs.issuer` and the
 * rest; entry: which certificate of a list). There is at least one, so a check over them never
 * passes on nothing.
 */
export function casesOf(run: TamperRun, where: { from: EndpointRole; message: string; field: string; entry?: number; flight?: number }): Case[] {
  const found = run.cases.filter(
    (c) =>
      c.from === where.from &&
      c.part?.message === where.message &&
      (c.part.field === where.field || c.part.field.startsWith(`${where.field}.`)) &&
      (where.entry === undefined || c.part.entry === where.entry) &&
      (where.flight === undefined || c.flight === where.flight),
  );
  expect(found.length, `no byte of ${JSON.stringify(where)}`).toBeGreaterThan(0);
  return found;
}

/** Every case ended with `alert`, raised by `endpoint`. */
export function expectEachFails(cases: Case[], alert: string, endpoint: EndpointRole): void {
  const other = cases.filter((c) => c.outcome.completed || c.outcome.alert !== alert || c.outcome.failed_endpoint !== endpoint);
  expect(other.map(describeCase)).toEqual([]);
}
