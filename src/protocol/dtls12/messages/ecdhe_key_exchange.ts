import { ByteReader, ByteWriter, DecodeError } from '../../common/bytes.js';
import { EC_CURVE_TYPE_NAMED } from '../constants.js';

/**
 * The ECDHE messages of RFC 8422 §5.4 and §5.7, and their PSK forms (RFC 5489 §2):
 *   ServerECDHParams     = curve_type (named_curve = 3) || NamedGroup (2) || ECPoint public<1..2^8-1>
 *   ServerKeyExchange    = [psk_identity_hint<0..2^16-1>] || ServerECDHParams || [digitally-signed]
 *   ClientKeyExchange    = [psk_identity<0..2^16-1>] || ECPoint<1..2^8-1>
 *   digitally-signed     = SignatureAndHashAlgorithm (2) || signature<0..2^16-1>
 */
export interface ServerEcdhParams {
  group: number;
  point: Uint8Array;
}

export interface DigitallySigned {
  scheme: number;
  signature: Uint8Array;
}

export interface EcdheServerKeyExchange {
  psk_identity_hint?: Uint8Array;
  params: ServerEcdhParams;
  /** The encoded ServerECDHParams, which the signature covers with the two randoms. */
  params_bytes: Uint8Array;
  signed?: DigitallySigned;
}

export function encodeServerEcdhParams(p: ServerEcdhParams): Uint8Array {
  return new ByteWriter().u8(EC_CURVE_TYPE_NAMED).u16(p.group).vector(1, p.point).finish();
}

export function encodeDigitallySigned(s: DigitallySigned): Uint8Array {
  return new ByteWriter().u16(s.scheme).vector(2, s.signature).finish();
}

function readDigitallySigned(rd: ByteReader): DigitallySigned {
  const scheme = rd.u16('signature_algorithm');
  const signature = rd.vector(2, 'signature', 1);
  return { scheme, signature };
}

export function decodeDigitallySigned(body: Uint8Array, what: string): DigitallySigned {
  const rd = new ByteReader(body, what);
  const s = readDigitallySigned(rd);
  rd.end();
  return s;
}

/** `form`: what follows the params (a signature for ECDHE_ECDSA/RSA) and what precedes them (a hint for ECDHE_PSK). */
export function decodeEcdheServerKeyExchange(body: Uint8Array, form: 'signed' | 'psk'): EcdheServerKeyExchange {
  const rd = new ByteReader(body, 'ServerKeyExchange');
  const psk_identity_hint = form === 'psk' ? rd.vector(2, 'psk_identity_hint') : undefined;
  const start = body.length - rd.remaining;
  const curveType = rd.u8('curve_type');
  if (curveType !== EC_CURVE_TYPE_NAMED) throw new DecodeError(`ServerKeyExchange: curve_type ${curveType}, only named_curve (3) is allowed (RFC 8422 §5.4)`);
  const group = rd.u16('namedcurve');
  const point = rd.vector(1, 'public', 1);
  const params_bytes = body.slice(start, body.length - rd.remaining);
  const signed = form === 'signed' ? readDigitallySigned(rd) : undefined;
  rd.end();
  return { ...(psk_identity_hint ? { psk_identity_hint } : {}), params: { group, point }, params_bytes, ...(signed ? { signed } : {}) };
}

export function encodeEcdheClientKeyExchange(point: Uint8Array, pskIdentity?: Uint8Array): Uint8Array {
  const w = new ByteWriter();
  if (pskIdentity !== undefined) w.vector(2, pskIdentity);
  return w.vector(1, point).finish();
}

export function decodeEcdheClientKeyExchange(body: Uint8Array, psk: boolean): { psk_identity?: Uint8Array; point: Uint8Array } {
  const rd = new ByteReader(body, 'ClientKeyExchange');
  const psk_identity = psk ? rd.vector(2, 'psk_identity') : undefined;
  const point = rd.vector(1, 'ecdh_Yc', 1);
  rd.end();
  return { ...(psk_identity ? { psk_identity } : {}), point };
}
