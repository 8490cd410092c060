import { ByteReader, ByteWriter } from '../../common/bytes.js';
import { RANDOM_BYTES } from '../constants.js';
import { decodeExtensions, encodeExtensions, type Extension } from './extensions.js';

/** ServerHello (RFC 5246 §7.4.1.3). */
export interface ServerHello {
  server_version: number;
  random: Uint8Array;
  session_id: Uint8Array;
  cipher_suite: number;
  compression_method: number;
  extensions: Extension[];
}

export function encodeServerHello(m: ServerHello): Uint8Array {
  const w = new ByteWriter()
    .u16(m.server_version)
    .bytes(m.random)
    .vector(1, m.session_id)
    .u16(m.cipher_suite)
    .u8(m.compression_method);
  encodeExtensions(w, m.extensions);
  return w.finish();
}

export function decodeServerHello(body: Uint8Array): ServerHello {
  const rd = new ByteReader(body, 'ServerHello');
  const server_version = rd.u16('server_version');
  const random = rd.bytes(RANDOM_BYTES, 'random');
  const session_id = rd.vector(1, 'session_id', 0, 32);
  const cipher_suite = rd.u16('cipher_suite');
  const compression_method = rd.u8('compression_method');
  const extensions = decodeExtensions(rd);
  rd.end();
  return { server_version, random, session_id, cipher_suite, compression_method, extensions };
}
