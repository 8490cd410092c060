import { ByteReader, ByteWriter } from '../../common/bytes.js';
import { MAX_COOKIE_BYTES } from '../constants.js';

/** HelloVerifyRequest (RFC 6347 §4.2.1): the stateless cookie challenge. */
export interface HelloVerifyRequest {
  server_version: number;
  cookie: Uint8Array;
}

export function encodeHelloVerifyRequest(m: HelloVerifyRequest): Uint8Array {
  return new ByteWriter().u16(m.server_version).vector(1, m.cookie).finish();
}

export function decodeHelloVerifyRequest(body: Uint8Array): HelloVerifyRequest {
  const rd = new ByteReader(body, 'HelloVerifyRequest');
  const server_version = rd.u16('server_version');
  const cookie = rd.vector(1, 'cookie', 0, MAX_COOKIE_BYTES);
  rd.end();
  return { server_version, cookie };
}
