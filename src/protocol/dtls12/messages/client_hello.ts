import { ByteReader, ByteWriter } from '../../common/bytes.js';
import { MAX_COOKIE_BYTES, RANDOM_BYTES } from '../constants.js';
import { decodeExtensions, decodeU16List, encodeExtensions, encodeU16List, type Extension } from './extensions.js';

/** ClientHello (RFC 6347 §4.2.1: the TLS 1.2 ClientHello plus a cookie). */
export interface ClientHello {
  client_version: number;
  random: Uint8Array;
  session_id: Uint8Array;
  cookie: Uint8Array;
  cipher_suites: number[];
  compression_methods: number[];
  extensions: Extension[];
}

export function encodeClientHello(m: ClientHello): Uint8Array {
  const w = new ByteWriter().u16(m.client_version).bytes(m.random).vector(1, m.session_id).vector(1, m.cookie);
  w.vector(2, encodeU16List(m.cipher_suites)).vector(1, Uint8Array.from(m.compression_methods));
  encodeExtensions(w, m.extensions);
  return w.finish();
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const rd = new ByteReader(body, 'ClientHello');
  const client_version = rd.u16('client_version');
  const random = rd.bytes(RANDOM_BYTES, 'random');
  const session_id = rd.vector(1, 'session_id', 0, 32);
  const cookie = rd.vector(1, 'cookie', 0, MAX_COOKIE_BYTES);
  const cipher_suites = decodeU16List(rd.vector(2, 'cipher_suites', 2, 2 ** 16 - 2), 'ClientHello cipher_suites');
  const compression_methods = Array.from(rd.vector(1, 'compression_methods', 1, 255));
  const extensions = decodeExtensions(rd);
  rd.end();
  return { client_version, random, session_id, cookie, cipher_suites, compression_methods, extensions };
}
