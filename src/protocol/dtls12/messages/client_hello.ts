import { ByteReader, ByteWriter, DecodeError } from '../../common/bytes.js';
import { MAX_COOKIE_BYTES, RANDOM_BYTES } from '../constants.js';
import { decodeExtensions, encodeExtensions, type Extension } from './extensions.js';

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
  const suites = new ByteWriter();
  for (const s of m.cipher_suites) suites.u16(s);
  w.vector(2, suites.finish()).vector(1, Uint8Array.from(m.compression_methods));
  encodeExtensions(w, m.extensions);
  return w.finish();
}

export function decodeClientHello(body: Uint8Array): ClientHello {
  const rd = new ByteReader(body, 'ClientHello');
  const client_version = rd.u16('client_version');
  const random = rd.bytes(RANDOM_BYTES, 'random');
  const session_id = rd.vector(1, 'session_id', 0, 32);
  const cookie = rd.vector(1, 'cookie', 0, MAX_COOKIE_BYTES);
  const suiteBytes = rd.vector(2, 'cipher_suites', 2, 2 ** 16 - 2);
  if (suiteBytes.length % 2 !== 0) throw new DecodeError('ClientHello: cipher_suites has an odd length');
  const cipher_suites: number[] = [];
  for (let i = 0; i < suiteBytes.length; i += 2) cipher_suites.push((suiteBytes[i]! << 8) | suiteBytes[i + 1]!);
  const compression_methods = Array.from(rd.vector(1, 'compression_methods', 1, 255));
  const extensions = decodeExtensions(rd);
  rd.end();
  return { client_version, random, session_id, cookie, cipher_suites, compression_methods, extensions };
}
