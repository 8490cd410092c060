import { expect } from 'vitest';
import { usesPsk, usesServerSignature, type KeyExchange } from '../../src/protocol/dtls12/cipher_suites.js';
import { ContentType, HANDSHAKE_HEADER_BYTES, HandshakeType, RECORD_HEADER_BYTES } from '../../src/protocol/dtls12/constants.js';
import { decodeHandshakeFragments } from '../../src/protocol/dtls12/handshake_header.js';
import { decodeDatagram } from '../../src/protocol/dtls12/record.js';
import { handshakeMessageName } from '../../src/transcript/describe_datagram.js';
import { decodeDer } from '../../src/x509/der.js';

/**
 * Names the field of every handshake body byte of a flight, so a tamper test can say what a
 * flipped byte was (a certificate's signature, the ECDHE point, ...) and expect the alert for
 * that field. The layouts follow the RFCs' structures; each one must account for every byte.
 */

/**
 * Where a handshake body byte sits in its (reassembled) message: the message and the field,
 * e.g. Certificate / signature, and in a certificate list which entry (0: the sender's own).
 */
export interface Part {
  message: string;
  field: string;
  entry?: number;
}

/** How a Certificate message is laid out: an X.509 list or one raw public key (RFC 7250). */
export type CertificateType = 'x509' | 'raw_public_key';

/**
 * For each datagram of an untampered flight, the Part of each byte that is a handshake body
 * byte (undefined for every other byte). Messages are reassembled across records first, since
 * a field's offsets are the message's.
 */
export function partsOfFlight(datagrams: Uint8Array[], keyExchange: KeyExchange, certificateType: CertificateType): (Part | undefined)[][] {
  const bodies = new Map<number, { msg_type: number; body: Uint8Array }>();
  const placed: { datagram: number; at: number; message_seq: number; offset: number; length: number }[] = [];
  datagrams.forEach((d, di) => {
    let at = 0;
    for (const r of decodeDatagram(d)) {
      if (r.epoch === 0 && r.type === ContentType.handshake) {
        // A record may hold several fragments, each behind its own handshake header.
        let fragmentAt = at + RECORD_HEADER_BYTES;
        for (const f of decodeHandshakeFragments(r.fragment)) {
          const m = bodies.get(f.message_seq) ?? { msg_type: f.msg_type, body: new Uint8Array(f.length) };
          m.body.set(f.body, f.fragment_offset);
          bodies.set(f.message_seq, m);
          placed.push({ datagram: di, at: fragmentAt + HANDSHAKE_HEADER_BYTES, message_seq: f.message_seq, offset: f.fragment_offset, length: f.body.length });
          fragmentAt += HANDSHAKE_HEADER_BYTES + f.body.length;
        }
      }
      at += RECORD_HEADER_BYTES + r.fragment.length;
    }
  });
  const out: (Part | undefined)[][] = datagrams.map((d) => new Array<Part | undefined>(d.length).fill(undefined));
  const layouts = new Map([...bodies].map(([seq, m]) => [seq, messageLayout(m.msg_type, m.body, keyExchange, certificateType)]));
  for (const p of placed) {
    const layout = layouts.get(p.message_seq)!;
    for (let i = 0; i < p.length; i++) out[p.datagram]![p.at + i] = layout[p.offset + i];
  }
  return out;
}

/** Field by field, the layout of a handshake message body; bytes of messages not split up are `body`. */
function messageLayout(msgType: number, body: Uint8Array, keyExchange: KeyExchange, certificateType: CertificateType): Part[] {
  const message = handshakeMessageName(msgType);
  const parts: Part[] = [];
  const add = (field: string, bytes: number, entry?: number) => {
    for (let i = 0; i < bytes; i++) parts.push({ message, field, ...(entry !== undefined ? { entry } : {}) });
  };
  const signed = usesServerSignature(keyExchange);
  const u16 = (at: number) => (body[at]! << 8) | body[at + 1]!;
  /** A hint or identity<0..2^16-1> at the start of the body; returns where it ends. */
  const pskVector = (field: string) => {
    add(`${field}_length`, 2);
    add(field, u16(0));
    return 2 + u16(0);
  };
  switch (msgType) {
    case HandshakeType.client_hello: {
      // RFC 6347 §4.2.1: the DTLS ClientHello has a cookie after the session ID.
      add('client_version', 2);
      add('random', 32);
      let at = 34;
      for (const [field, lengthBytes] of [['session_id', 1], ['cookie', 1]] as const) {
        add(`${field}_length`, lengthBytes);
        add(field, body[at]!);
        at += lengthBytes + body[at]!;
      }
      add('cipher_suites', 2 + u16(at));
      at += 2 + u16(at);
      add('compression_methods', 1 + body[at]!);
      at += 1 + body[at]!;
      add('extensions', body.length - at);
      break;
    }
    case HandshakeType.server_hello:
      add('server_version', 2);
      add('random', 32);
      add('session_id_length', 1);
      add('session_id', body[34]!);
      add('cipher_suite', 2);
      add('compression_method', 1);
      add('extensions', body.length - 38 - body[34]!);
      break;
    case HandshakeType.hello_verify_request:
      add('server_version', 2);
      add('cookie_length', 1);
      add('cookie', body.length - 3);
      break;
    case HandshakeType.new_session_ticket:
      // RFC 5077 §3.3: ticket_lifetime_hint (4), then opaque ticket<0..2^16-1>.
      add('lifetime', 4);
      add('ticket_length', 2);
      add('ticket', body.length - 6);
      break;
    case HandshakeType.certificate_request: {
      // RFC 5246 §7.4.4: each field with its length prefix.
      const types = 1 + body[0]!;
      const schemes = 2 + u16(types);
      add('certificate_types', types);
      add('signature_algorithms', schemes);
      add('certificate_authorities', body.length - types - schemes);
      break;
    }
    case HandshakeType.certificate:
      if (certificateType === 'raw_public_key') {
        add('length', 3);
        add('spki', body.length - 3);
      } else {
        add('list_length', 3);
        let at = 3;
        for (let entry = 0; at < body.length; entry++) {
          const length = (body[at]! << 16) | (body[at + 1]! << 8) | body[at + 2]!;
          add('entry_length', 3, entry);
          certificateLayout(body.subarray(at + 3, at + 3 + length), (field, bytes) => add(field, bytes, entry));
          at += 3 + length;
        }
      }
      break;
    case HandshakeType.server_key_exchange: {
      // RFC 4279 §2 / RFC 5489 §2: the PSK suites' hint comes first; then ServerECDHParams and,
      // for a signed suite, the signature over them (RFC 8422 §5.4).
      let at = usesPsk(keyExchange) ? pskVector('hint') : 0;
      if (keyExchange === 'psk') break;
      const point = body[at + 3]!;
      add('curve_type', 1);
      add('group', 2);
      add('point_length', 1);
      add('point', point);
      at += 4 + point;
      if (signed) digitallySignedLayout(body.length - at, add);
      break;
    }
    case HandshakeType.client_key_exchange: {
      // The PSK identity first (RFC 4279 §2, RFC 5489 §2), then the ECDHE point (RFC 8422 §5.7).
      const at = usesPsk(keyExchange) ? pskVector('identity') : 0;
      if (keyExchange === 'psk') break;
      add('point_length', 1);
      add('point', body.length - at - 1);
      break;
    }
    case HandshakeType.certificate_verify:
      digitallySignedLayout(body.length, add);
      break;
    default:
      add('body', body.length);
  }
  expect(parts.length).toBe(body.length);
  return parts;
}

/** digitally-signed (RFC 5246 §4.7): SignatureAndHashAlgorithm, then signature<0..2^16-1>. */
function digitallySignedLayout(bytes: number, add: (field: string, bytes: number) => void): void {
  add('scheme', 2);
  add('signature_length', 2);
  add('signature', bytes - 4);
}

/** The fields of an X.509 v3 tbsCertificate, in order (RFC 5280 §4.1). */
const TBS_FIELDS = ['version', 'serial', 'signature', 'issuer', 'validity', 'subject', 'spki', 'extensions'];

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }
 * (RFC 5280 §4.1). The tbsCertificate's fields are `tbs.issuer` etc. (`tbs.header`: its own tag
 * and length); `signature` is the signature itself, after the BIT STRING's header and
 * unused-bits byte (`signature_header`).
 */
function certificateLayout(der: Uint8Array, add: (field: string, bytes: number) => void): void {
  const top = decodeDer(der, 'certificate');
  const [tbs, algorithm, signature] = top.children('Certificate');
  add('der_header', top.raw.length - top.content.length);
  add('tbs.header', tbs!.raw.length - tbs!.content.length);
  const tbsFields = tbs!.children('tbsCertificate');
  expect(tbsFields.length).toBe(TBS_FIELDS.length);
  tbsFields.forEach((node, i) => add(`tbs.${TBS_FIELDS[i]}`, node.raw.length));
  add('signature_algorithm', algorithm!.raw.length);
  const header = signature!.raw.length - signature!.content.length + 1;
  add('signature_header', header);
  add('signature', signature!.raw.length - header);
}
