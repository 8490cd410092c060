import type { OpId, OpRecord } from '../crypto/ops.js';
import { tls12PrfHmacCalls } from '../crypto/tls12_prf.js';
import { GROUP_OF, type CostGroup, type CostPart } from './cost_groups.js';

/** SHA-256 block size; HMAC pads its key to one block (RFC 2104). */
const SHA256_BLOCK_BYTES = 64;
const SHA256_DIGEST_BYTES = 32;

/**
 * One part of a group's cost on the chosen engine, in that engine's unit (cycles or µs). It
 * throws UnpricedOpError when the engine has no figure for it.
 */
export type CostLookup = (group: CostGroup, part: CostPart, op: OpId) => number;

/** An op the handshake performs but the engine's figures cannot price. */
export class UnpricedOpError extends Error {
  constructor(
    readonly op: OpId,
    /** The missing figure, as its profile names it (e.g. `p256.ecdsa_verify_cycles`). */
    readonly figure: string,
  ) {
    super(`no ${figure}, which ${op} needs`);
  }
}

/** HMAC-SHA256 = inner hash over (key^ipad block + message) and outer hash over (key^opad block + digest). */
function hmacWork(cost: CostLookup, op: OpId, messageBytes: number): number {
  const perByte = cost('sha256', 'per_byte', op);
  const finish = cost('sha256', 'per_call', op);
  return (SHA256_BLOCK_BYTES + messageBytes) * perByte + finish + (SHA256_BLOCK_BYTES + SHA256_DIGEST_BYTES) * perByte + finish;
}

/**
 * HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(PRK, T(i-1) | info | i) for i = 1..ceil(L/32), with
 * T(0) empty, so the first call absorbs info + 1 bytes and the others 32 + info + 1.
 */
export function hkdfExpandHmacInputBytes(infoBytes: number, outBytes: number): number[] {
  const calls = Math.ceil(outBytes / SHA256_DIGEST_BYTES);
  return Array.from({ length: calls }, (_, i) => (i === 0 ? 0 : SHA256_DIGEST_BYTES) + infoBytes + 1);
}

/**
 * The work of one op on an engine, composed from its group's per-call and per-byte costs. The
 * result is in the engine's unit: cycles for a core or a clocked accelerator, µs for a
 * peripheral with its own fixed timing.
 */
export function opWork(cost: CostLookup, op: Pick<OpRecord, 'op' | 'bytes' | 'out_bytes'>): number {
  const g = GROUP_OF[op.op];
  const perCall = () => cost(g, 'per_call', op.op);
  const perByte = () => cost(g, 'per_byte', op.op);
  switch (op.op satisfies OpId) {
    case 'sha256.hash':
      // A one-shot digest: the message at the streaming rate, then the final block.
      return op.bytes * perByte() + perCall();
    case 'sha256.update':
      return op.bytes * perByte();
    case 'sha256.finish':
      return perCall();
    case 'hmac_sha256':
      return hmacWork(cost, op.op, op.bytes);
    case 'tls12_prf':
      // P_SHA256 is a chain of HMAC calls; price each call it makes.
      return tls12PrfHmacCalls(op.bytes, op.out_bytes ?? 0).hmacInputBytes.reduce((sum, n) => sum + hmacWork(cost, op.op, n), 0);
    case 'hkdf_sha256.extract':
      // PRK = HMAC(salt, IKM) (RFC 5869 §2.2).
      return hmacWork(cost, op.op, op.bytes);
    case 'hkdf_sha256.expand':
      return hkdfExpandHmacInputBytes(op.bytes, op.out_bytes ?? 0).reduce((sum, n) => sum + hmacWork(cost, op.op, n), 0);
    case 'aes128_ccm.encrypt':
    case 'aes128_ccm.decrypt':
    case 'aes128_gcm.encrypt':
    case 'aes128_gcm.decrypt':
    case 'chacha20_poly1305.encrypt':
    case 'chacha20_poly1305.decrypt':
    case 'x509.parse':
      return perCall() + op.bytes * perByte();
    case 'aes128_cbc.encrypt':
    case 'aes128_cbc.decrypt':
    case 'aes128.block':
    case 'rng':
      return op.bytes * perByte();
    case 'p256.keygen':
    case 'p256.ecdh':
    case 'p256.ecdsa_sign':
    case 'p256.ecdsa_verify':
    case 'x25519.keygen':
    case 'x25519.ecdh':
    case 'ed25519.sign':
    case 'ed25519.verify':
    case 'rsa2048.sign':
    case 'rsa2048.verify':
    case 'rsa2048.encrypt':
    case 'rsa2048.decrypt':
    case 'der.ecdsa_sig_encode':
    case 'der.ecdsa_sig_decode':
      return perCall();
  }
}
