import { ByteReader, ByteWriter } from '../common/bytes.js';

/** A handshake message or fragment of one (RFC 6347 §4.2.2). */
export interface HandshakeFragment {
  msg_type: number;
  /** Length of the whole message body. */
  length: number;
  message_seq: number;
  fragment_offset: number;
  body: Uint8Array;
}

/** An unfragmented handshake message: offset 0, fragment_length = length. */
export function encodeHandshake(msg_type: number, message_seq: number, body: Uint8Array): Uint8Array {
  return encodeHandshakeFragment({ msg_type, length: body.length, message_seq, fragment_offset: 0, body });
}

export function encodeHandshakeFragment(f: HandshakeFragment): Uint8Array {
  return new ByteWriter()
    .u8(f.msg_type)
    .u24(f.length)
    .u16(f.message_seq)
    .u24(f.fragment_offset)
    .vector(3, f.body)
    .finish();
}

/** A handshake record may carry several messages or fragments back to back. */
export function decodeHandshakeFragments(recordFragment: Uint8Array): HandshakeFragment[] {
  const rd = new ByteReader(recordFragment, 'handshake');
  const out: HandshakeFragment[] = [];
  while (rd.remaining > 0) {
    const msg_type = rd.u8('msg_type');
    const length = rd.u24('length');
    const message_seq = rd.u16('message_seq');
    const fragment_offset = rd.u24('fragment_offset');
    const body = rd.vector(3, 'fragment_length');
    out.push({ msg_type, length, message_seq, fragment_offset, body });
  }
  return out;
}
