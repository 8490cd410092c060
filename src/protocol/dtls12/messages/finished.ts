import { DecodeError } from '../../common/bytes.js';
import { VERIFY_DATA_BYTES } from '../constants.js';

/** Finished (RFC 5246 §7.4.9): verify_data, 12 bytes for every TLS 1.2 suite we speak. */
export function decodeFinished(body: Uint8Array): Uint8Array {
  if (body.length !== VERIFY_DATA_BYTES) throw new DecodeError(`Finished: ${body.length} bytes, expected ${VERIFY_DATA_BYTES}`);
  return body;
}

/** ServerHelloDone (RFC 5246 §7.4.5) has an empty body. */
export function decodeServerHelloDone(body: Uint8Array): void {
  if (body.length !== 0) throw new DecodeError(`ServerHelloDone: ${body.length} bytes, expected none`);
}
