/**
 * The TLS 1.2 PRF (RFC 5246 §5) with SHA-256:
 *
 *   PRF(secret, label, seed) = P_SHA256(secret, label || seed)
 *   P_SHA256(secret, s) = HMAC(secret, A(1) || s) || HMAC(secret, A(2) || s) || ...
 *   A(0) = s,  A(i) = HMAC(secret, A(i-1))
 *
 * truncated to the requested length.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

const HASH_LEN = 32;

export function tls12Prf(secret: Uint8Array, label: string, seed: Uint8Array, outputLength: number): Uint8Array {
  checkOutputLength(outputLength);
  const labelAndSeed = concat(asciiBytes(label), seed);
  const out = new Uint8Array(outputLength);
  let a = labelAndSeed; // A(0)
  // One iteration per 32-byte output block, two HMAC calls each: A(i), then the block.
  // tls12PrfHmacCalls below describes exactly these calls; keep the two in step.
  for (let produced = 0; produced < outputLength; produced += HASH_LEN) {
    a = hmac(sha256, secret, a);
    const block = hmac(sha256, secret, concat(a, labelAndSeed));
    out.set(block.subarray(0, Math.min(HASH_LEN, outputLength - produced)), produced);
  }
  return out;
}

/**
 * The HMAC-SHA256 invocations tls12Prf performs, in call order, with each call's message length,
 * so a device model can price the PRF from HMAC (and hence SHA-256 block) costs.
 *
 * For n = ceil(outputLength / 32) output blocks there are 2n calls: A(1) over label || seed,
 * A(2..n) over the previous 32-byte A, and each output block over A(i) || label || seed.
 * This MUST match what tls12Prf actually does; test/crypto/tls12_prf.test.ts counts the real
 * calls through a wrapped hmac and compares.
 */
export function tls12PrfHmacCalls(
  labelAndSeedLength: number,
  outputLength: number,
): { hmacCalls: number; hmacInputBytes: number[] } {
  checkOutputLength(outputLength);
  if (!Number.isSafeInteger(labelAndSeedLength) || labelAndSeedLength < 0) {
    throw new RangeError(`TLS 1.2 PRF: label+seed length must be a non-negative integer, got ${labelAndSeedLength}`);
  }
  const hmacInputBytes: number[] = [];
  const blocks = Math.ceil(outputLength / HASH_LEN);
  for (let i = 1; i <= blocks; i++) {
    hmacInputBytes.push(i === 1 ? labelAndSeedLength : HASH_LEN); // A(i) = HMAC(A(i-1))
    hmacInputBytes.push(HASH_LEN + labelAndSeedLength); // HMAC(A(i) || label || seed)
  }
  return { hmacCalls: hmacInputBytes.length, hmacInputBytes };
}

function checkOutputLength(outputLength: number): void {
  if (!Number.isSafeInteger(outputLength) || outputLength < 0) {
    throw new RangeError(`TLS 1.2 PRF: output length must be a non-negative integer, got ${outputLength}`);
  }
}

/** TLS labels are ASCII (RFC 5246 §5); reject anything else rather than guess an encoding. */
function asciiBytes(label: string): Uint8Array {
  const bytes = new Uint8Array(label.length);
  for (let i = 0; i < label.length; i++) {
    const code = label.charCodeAt(i);
    if (code > 0x7f) throw new RangeError(`TLS 1.2 PRF: label must be ASCII, got ${JSON.stringify(label)}`);
    bytes[i] = code;
  }
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
