import { ByteReader, ByteWriter, DecodeError } from '../common/bytes.js';
import { ContentType, RECORD_HEADER_BYTES } from './constants.js';

/** DTLSPlaintext / DTLSCiphertext (RFC 6347 §4.1): 13-byte header + fragment. */
export interface DtlsRecord {
  type: number;
  version: number;
  epoch: number;
  /** 48-bit sequence number, per epoch. */
  seq: number;
  /** The connection ID of a tls12_cid record (RFC 9146 §4); absent otherwise. */
  cid?: Uint8Array;
  fragment: Uint8Array;
}

/** RFC 6347 §4.1: a fragment is at most 2^14 bytes plus the cipher's expansion (2048). */
export const MAX_RECORD_FRAGMENT_BYTES = 2 ** 14 + 2048;

export function encodeRecord(r: DtlsRecord): Uint8Array {
  const w = new ByteWriter().u8(r.type).u16(r.version).u16(r.epoch).u48(r.seq);
  if (r.cid) w.bytes(r.cid);
  return w.vector(2, r.fragment).finish();
}

/**
 * Several records may share a datagram; a record never spans two (RFC 6347 §4.1.1).
 * `cidBytes`: the length of the connection ID this receiver asked for, which tls12_cid records
 * carry between sequence number and length (RFC 9146 §4: the CID's length is not on the wire).
 */
export function decodeDatagram(datagram: Uint8Array, cidBytes?: number): DtlsRecord[] {
  const rd = new ByteReader(datagram, 'record');
  const records: DtlsRecord[] = [];
  while (rd.remaining > 0) {
    if (rd.remaining < RECORD_HEADER_BYTES)
      throw new DecodeError(`record: ${rd.remaining} bytes left, less than a ${RECORD_HEADER_BYTES}-byte header`);
    const type = rd.u8('type');
    const version = rd.u16('version');
    const epoch = rd.u16('epoch');
    const seq = rd.u48('sequence_number');
    const cid = type === ContentType.tls12_cid && cidBytes !== undefined ? rd.bytes(cidBytes, 'cid') : undefined;
    const fragment = rd.vector(2, 'fragment', 0, MAX_RECORD_FRAGMENT_BYTES);
    records.push({ type, version, epoch, seq, ...(cid ? { cid } : {}), fragment });
  }
  return records;
}

/** The 8-byte epoch || sequence_number that CCM nonces and AADs use (RFC 6347 §4.1.2.1). */
export function epochAndSeq(epoch: number, seq: number): Uint8Array {
  return new ByteWriter().u16(epoch).u48(seq).finish();
}

/**
 * What the record's authenticator covers besides the data: the AEAD additional_data (RFC 5246
 * §6.2.3.3) and the head of the HMAC input (§6.2.3.1) have the same layout,
 *   seq_num (8: epoch || sequence_number in DTLS, RFC 6347 §4.1.2.1) || type || version || length
 * where length is the plaintext's (AEAD, MAC-then-encrypt) or IV + ciphertext's (RFC 7366).
 */
export function recordPseudoHeader(epoch: number, seq: number, type: number, version: number, length: number): Uint8Array {
  return new ByteWriter().u16(epoch).u48(seq).u8(type).u16(version).u16(length).finish();
}

/**
 * The AEAD additional data of a tls12_cid record (RFC 9146 §5.1):
 *   seq_num_placeholder (8 x 0xff) || tls12_cid || cid_length || tls12_cid || version ||
 *   epoch || sequence_number || cid || length_of_DTLSInnerPlaintext
 * The placeholder and the repeated type keep it from colliding with a record without a CID.
 */
export function cidAdditionalData(version: number, epoch: number, seq: number, cid: Uint8Array, innerLength: number): Uint8Array {
  return new ByteWriter()
    .bytes(new Uint8Array(8).fill(0xff))
    .u8(ContentType.tls12_cid)
    .u8(cid.length)
    .u8(ContentType.tls12_cid)
    .u16(version)
    .u16(epoch)
    .u48(seq)
    .bytes(cid)
    .u16(innerLength)
    .finish();
}

/** DTLSInnerPlaintext (RFC 9146 §4): content || real_type, without padding. */
export function encodeInnerPlaintext(content: Uint8Array, realType: number): Uint8Array {
  const out = new Uint8Array(content.length + 1);
  out.set(content);
  out[content.length] = realType;
  return out;
}

/** The content and real type, after any zero padding; undefined when there is no non-zero byte. */
export function decodeInnerPlaintext(inner: Uint8Array): { content: Uint8Array; type: number } | undefined {
  let i = inner.length - 1;
  while (i >= 0 && inner[i] === 0) i--;
  if (i < 0) return undefined;
  return { content: inner.subarray(0, i), type: inner[i]! };
}
