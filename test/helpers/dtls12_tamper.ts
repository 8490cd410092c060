import { expect } from 'vitest';
import type { EndpointRole } from '../../src/crypto/ops.js';
import { ContentType } from '../../src/protocol/dtls12/constants.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { buildDtls12Resumptions, buildDtls12Transcript, type Dtls12Setup } from '../../src/transcript/build_dtls12.js';
import type { Transcript, TranscriptFlight } from '../../src/transcript/types.js';
import { partsOfFlight, type CertificateType, type Part } from './dtls12_message_layout.js';

/**
 * Flips every byte of every flight, one at a time, rerunning the real handshake for each, and
 * records what happened with the field the byte belongs to. The tamper tests
 * (test/protocol/dtls12_tamper*.test.ts) check the outcomes (test/helpers/dtls12_tamper_checks.ts).
 */

/** Where a byte sits in its record. */
export type Field =
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

export interface Case {
  flight: number;
  /** Who sent the flight the byte was flipped in. */
  from: EndpointRole;
  datagram: number;
  byte: number;
  field: Field;
  epoch: number;
  /** For an `hs.body` byte: the message and field it belongs to. */
  part?: Part;
  outcome: Transcript['outcome'];
  /** The tampered connection ran (or began) an abbreviated handshake. */
  resumed: boolean;
}

export interface TamperRun {
  /** The untampered handshake. */
  base: Transcript;
  /** The flights of `base` tampered with: all, or FlipOptions.flights. */
  flights: TranscriptFlight[];
  /** One per byte of each of `flights`, in order. */
  cases: Case[];
}

/**
 * `flights`: tamper only with these flights (1-based indexes), so that a configuration whose
 * flips take long can be split over test files that vitest can run side by side.
 */
export interface FlipOptions {
  flights?: number[];
}

type Tamper = (flight: number, datagram: number, bytes: Uint8Array) => Uint8Array;

/** Every byte of every flight of a full handshake. */
export function flipEveryByte(setup: Dtls12Setup, o: FlipOptions = {}): TamperRun {
  return flipEach((tamper) => buildDtls12Transcript({ ...setup, ...(tamper ? { tamper } : {}) }), certificateTypeOf(setup), o);
}

/**
 * Every byte of every flight of an abbreviated handshake (RFC 5246 §7.3): the full handshake
 * runs untampered, then the connection that resumes its session is tampered with.
 */
export function flipEveryByteOfResumption(setup: Dtls12Setup): TamperRun {
  return flipEach((tamper) => {
    const resumed = buildDtls12Resumptions({ ...setup, tamper: (f, d, bytes, connection) => (tamper && connection === 1 ? tamper(f, d, bytes) : bytes) }, 1);
    expect(resumed.full.outcome.completed).toBe(true);
    return resumed.resumptions[0]!;
  }, certificateTypeOf(setup), {});
}

function certificateTypeOf(setup: Dtls12Setup): CertificateType {
  return setup.server_certificate_types?.[0] === 'raw_public_key' ? 'raw_public_key' : 'x509';
}

function flipEach(run: (tamper?: Tamper) => Transcript, certificateType: CertificateType, o: FlipOptions): TamperRun {
  const base = run();
  expect(base.outcome.completed).toBe(true);
  const flights = base.flights.filter((f) => !o.flights || o.flights.includes(f.index));
  expect(flights.length).toBeGreaterThan(0);
  const cases: Case[] = [];
  for (const f of flights) {
    const parts = partsOfFlight(f.datagrams, base.key_exchange, certificateType);
    f.datagrams.forEach((d, di) => {
      const fields = fieldsOf(d);
      for (let b = 0; b < d.length; b++) {
        const t = run((fi, dj, bytes) => {
          if (fi !== f.index || dj !== di) return bytes;
          const copy = bytes.slice();
          copy[b]! ^= 0xff;
          return copy;
        });
        const part = parts[di]![b];
        cases.push({ flight: f.index, from: f.from, datagram: di, byte: b, ...fields[b]!, ...(part ? { part } : {}), outcome: t.outcome, resumed: t.resumed });
      }
    });
  }
  return { base, flights, cases };
}

/** The field each byte of an (untampered) datagram belongs to. */
function fieldsOf(datagram: Uint8Array): { field: Field; epoch: number }[] {
  const out: { field: Field; epoch: number }[] = [];
  for (const r of decodeDatagram(datagram)) {
    const header: Field[] = ['record.type', 'record.version', 'record.version', 'record.epoch', 'record.epoch'];
    header.push(...(Array(6).fill('record.seq') as Field[]), 'record.length', 'record.length');
    for (const f of header) out.push({ field: f, epoch: r.epoch });
    if (r.epoch > 0) {
      for (let i = 0; i < r.fragment.length; i++) out.push({ field: 'encrypted', epoch: r.epoch });
    } else if (r.type === ContentType.change_cipher_spec) {
      out.push({ field: 'ccs.body', epoch: 0 });
    } else {
      // One fragment per record: what this engine sends.
      const hs: Field[] = ['hs.msg_type', 'hs.length', 'hs.length', 'hs.length', 'hs.message_seq', 'hs.message_seq'];
      hs.push('hs.fragment_offset', 'hs.fragment_offset', 'hs.fragment_offset', 'hs.fragment_length', 'hs.fragment_length', 'hs.fragment_length');
      for (const f of hs) out.push({ field: f, epoch: 0 });
      for (let i = 12; i < r.fragment.length; i++) out.push({ field: 'hs.body', epoch: 0 });
    }
  }
  expect(out.length).toBe(datagram.length);
  return out;
}

export const describeCase = (c: Case) => {
  const part = c.part ? ` ${c.part.message}.${c.part.field}${c.part.entry !== undefined ? `[${c.part.entry}]` : ''}` : '';
  return `flight ${c.flight} datagram ${c.datagram} byte ${c.byte} (${c.field}${part}, epoch ${c.epoch}) -> ${JSON.stringify(c.outcome)}`;
};
