import { ByteReader, ByteWriter } from '../../common/bytes.js';

/**
 * The plain-PSK key exchange messages (RFC 4279 §2): the server's ServerKeyExchange carries
 * an identity hint, the client's ClientKeyExchange its identity. Both are opaque<0..2^16-1>.
 */
export function encodePskIdentity(identity: Uint8Array): Uint8Array {
  return new ByteWriter().vector(2, identity).finish();
}

export function decodePskIdentity(body: Uint8Array, what: 'ServerKeyExchange' | 'ClientKeyExchange'): Uint8Array {
  const rd = new ByteReader(body, what);
  const id = rd.vector(2, what === 'ServerKeyExchange' ? 'psk_identity_hint' : 'psk_identity');
  rd.end();
  return id;
}
