import { describe, expect, it } from 'vitest';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { buildDtls12Transcript, type Dtls12Setup } from '../../src/transcript/build_dtls12.js';
import type { Transcript } from '../../src/transcript/types.js';
import { pskSetup } from '../helpers/dtls12_setup.js';

/**
 * Flip every byte of every flight (handshake and application data), one at a time, and check
 * what the receivers do. DTLS 1.2 protects most bytes (the transcript hash behind Finished,
 * the AEAD tag or the CBC suite's record MAC), but not all; the test names the exceptions and
 * checks they are exactly these:
 *
 *  - sequence numbers of epoch-0 records (nothing authenticates them in DTLS 1.2);
 *  - the cookie exchange: the first ClientHello and the HelloVerifyRequest are outside the
 *    transcript (RFC 6347 §4.2.1), and a ClientHello altered after the cookie no longer matches
 *    its cookie, so the server answers with a fresh HelloVerifyRequest. The handshake then
 *    completes with both sides' keys agreeing (application data round-trips), one round trip late;
 *  - a handshake `length` raised to a plausible size turns the message into a fragment of a
 *    larger one: the receiver waits for fragments (RFC 6347 §4.2.3) until a timer ends it.
 *
 * Every other flip must end the handshake with a fatal alert appropriate to the field.
 */

type Field =
  | 'record.type'
  | 'record.version'
  | 'record.epoch'
  | 'record.seq'
  | 'record.length'
  | 'hs.msg_type'
  | 'hs.length'
  | 'hs.message_seq'
  | 'hs.fragment_offset'
  | 'hs.fragment_length'
  | 'hs.body'
  | 'ccs.body'
  | 'encrypted';

/** The field each byte of an (untampered) datagram belongs to. */
function fieldsOf(datagram: Uint8Array): { field: Field; epoch: number }[] {
  const out: { field: Field; epoch: number }[] = [];
  for (const r of decodeDatagram(datagram)) {
    const header: Field[] = ['record.type', 'record.version', 'record.version', 'record.epoch', 'record.epoch'];
    header.push(...(Array(6).fill('record.seq') as Field[]), 'record.length', 'record.length');
    for (const f of header) out.push({ field: f, epoch: r.epoch });
    if (r.epoch > 0) {
      for (let i = 0; i < r.fragment.length; i++) out.push({ field: 'encrypted', epoch: r.epoch });
    } else if (r.type === 20) {
      out.push({ field: 'ccs.body', epoch: 0 });
    } else {
      const hs: Field[] = ['hs.msg_type', 'hs.length', 'hs.length', 'hs.length', 'hs.message_seq', 'hs.message_seq'];
      hs.push('hs.fragment_offset', 'hs.fragment_offset', 'hs.fragment_offset', 'hs.fragment_length', 'hs.fragment_length', 'hs.fragment_length');
      for (const f of hs) out.push({ field: f, epoch: 0 });
      for (let i = 12; i < r.fragment.length; i++) out.push({ field: 'hs.body', epoch: 0 });
    }
  }
  expect(out.length).toBe(datagram.length);
  return out;
}

/** Alerts a receiver may raise for a flipped byte in each field. */
const ALLOWED: Record<Field, string[]> = {
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
  // or transcripts differ, so the next encrypted record or the Finished check fails.
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

interface Case {
  flight: number;
  datagram: number;
  byte: number;
  field: Field;
  epoch: number;
  outcome: Transcript['outcome'];
}

function flipEach(setup: Dtls12Setup): { base: Transcript; cases: Case[] } {
  const base = buildDtls12Transcript(setup);
  expect(base.outcome.completed).toBe(true);
  const cases: Case[] = [];
  for (const f of base.flights) {
    f.datagrams.forEach((d, di) => {
      const fields = fieldsOf(d);
      for (let b = 0; b < d.length; b++) {
        const t = buildDtls12Transcript({
          ...setup,
          tamper: (fi, dj, bytes) => {
            if (fi !== f.index || dj !== di) return bytes;
            const copy = bytes.slice();
            copy[b]! ^= 0xff;
            return copy;
          },
        });
        cases.push({ flight: f.index, datagram: di, byte: b, ...fields[b]!, outcome: t.outcome });
      }
    });
  }
  return { base, cases };
}

const describeCase = (c: Case) => `flight ${c.flight} datagram ${c.datagram} byte ${c.byte} (${c.field}, epoch ${c.epoch}) -> ${JSON.stringify(c.outcome)}`;

describe.each([
  { label: 'CCM_8, cookie on', suite: 'TLS_PSK_WITH_AES_128_CCM_8' as const, cookie: true, hint: false, etm: true },
  { label: 'CCM_8, cookie off, identity hint', suite: 'TLS_PSK_WITH_AES_128_CCM_8' as const, cookie: false, hint: true, etm: true },
  { label: 'CCM, cookie on', suite: 'TLS_PSK_WITH_AES_128_CCM' as const, cookie: true, hint: false, etm: true },
  { label: 'GCM, cookie on', suite: 'TLS_PSK_WITH_AES_128_GCM_SHA256' as const, cookie: true, hint: false, etm: true },
  { label: 'CBC, encrypt-then-MAC, cookie on', suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256' as const, cookie: true, hint: false, etm: true },
  { label: 'CBC, MAC-then-encrypt, cookie off, identity hint', suite: 'TLS_PSK_WITH_AES_128_CBC_SHA256' as const, cookie: false, hint: true, etm: false },
])('tampering with every byte of every flight ($label)', ({ suite, cookie, hint, etm }) => {
  const defaults = pskSetup();
  const setup = pskSetup({
    cipher_suite: suite,
    cookie,
    ...(hint ? { psk_identity_hint: new TextEncoder().encode('gateway-7') } : {}),
    client: { ...defaults.client, encrypt_then_mac: etm },
    server: { ...defaults.server, encrypt_then_mac: etm },
  });
  const { base, cases } = flipEach(setup);
  // Flights outside the transcript, and the ClientHello that a cookie protects.
  const cookieFlights = cookie ? new Set([1, 2, 3]) : new Set<number>();

  it('covers every byte of every flight', () => {
    const total = base.flights.reduce((n, f) => n + f.bytes, 0);
    expect(cases.length).toBe(total);
    expect(base.flights.some((f) => f.phase === 'application')).toBe(true);
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
    const wrong = failed.filter((c) => {
      if (c.outcome.completed) return false;
      if (cookieFlights.has(c.flight) && ['decode_error', 'protocol_version', 'handshake_failure', 'unexpected_message', 'illegal_parameter'].includes(c.outcome.alert))
        return false; // a malformed hello is rejected whether or not the cookie covers it
      return !ALLOWED[c.field].includes(c.outcome.alert);
    });
    expect(wrong.map(describeCase)).toEqual([]);
  });

  it('rejects a tampered Finished or application record with bad_record_mac at its receiver', () => {
    const encrypted = cases.filter((c) => c.field === 'encrypted');
    expect(encrypted.length).toBeGreaterThan(0);
    for (const c of encrypted) {
      expect(c.outcome).toMatchObject({ completed: false, alert: 'bad_record_mac' });
      const sender = base.flights[c.flight - 1]!.from;
      expect(c.outcome.completed === false && c.outcome.failed_endpoint).toBe(sender === 'client' ? 'server' : 'client');
    }
  });

  it('runs the record order the configuration asks for', () => {
    // The ServerHello echoes encrypt_then_mac (0x0016, empty) only for a CBC suite with it on.
    const serverHello = base.flights.find((f) => f.messages.includes('ServerHello'))!;
    const echoed = serverHello.datagrams.some((d) => Buffer.from(d).includes(Buffer.from('00160000', 'hex')));
    expect(echoed).toBe(etm && suite === 'TLS_PSK_WITH_AES_128_CBC_SHA256');
  });

  it('answers a flipped PSK identity with unknown_psk_identity', () => {
    const cke = base.flights.find((f) => f.messages.includes('ClientKeyExchange'))!;
    // Record header 13 + handshake header 12 + identity length 2: the identity's first byte.
    const identityByte = cases.find((c) => c.flight === cke.index && c.datagram === 0 && c.byte === 13 + 12 + 2)!;
    expect(identityByte.outcome).toMatchObject({ completed: false, alert: 'unknown_psk_identity', failed_endpoint: 'server' });
  });
});
