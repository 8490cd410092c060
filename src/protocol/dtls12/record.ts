import { ByteReader, ByteWriter, DecodeError } from '../common/bytes.js';
import { RECORD_HEADER_BYTES } from './constants.js';

/** DTLSPlaintext / DTLSCiphertext (RFC 6347 §4.1): 13-byte header + fragment. */
export interface DtlsRecord {
  type: number;
  version: number;
  epoch: number;
  /** 48-bit sequence number, per epoch. */
  seq: number;
  fragment: Uint8Array;
}

/** RFC 6347 §4.1: a fragment is at most 2^14 bytes plus the cipher's expansion (2048). */
export const MAX_RECORD_FRAGMENT_BYTES = 2 ** 14 + 2048;

export function encodeRecord(r: DtlsRecord): Uint8Array {
  return new ByteWriter().u8(r.type).u16(r.version).u16(r.epoch).u48(r.seq).vector(2, r.fragment).finish();
}

/** Several records may share a datagram; a record never spans two (RFC 6347 §4.1.1). */
export function decodeDatagram(datagram: Uint8Array): DtlsRecord[] {
  const rd = new ByteReader(datagram, 'record');
  const records: DtlsRecord[] = [];
  while (rd.remaining > 0) {
    if (rd.remaining < RECORD_HEADER_BYTES)
      throw new DecodeError(`record: ${rd.remaining} bytes left, less than a ${RECORD_HEADER_BYTES}-byte header`);
    const type = rd.u8('type');
    const version = rd.u16('version');
    const epoch = rd.u16('epoch');
    const seq = rd.u48('sequence_number');
    const fragment = rd.vector(2, 'fragment', 0, MAX_RECORD_FRAGMENT_BYTES);
    records.push({ type, version, epoch, seq, fragment });
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
