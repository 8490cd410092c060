/**
 * Deterministic RSA-2048 keys: two 1024-bit probable primes from seededRandom(seed, label), e =
 * 65537, d = e^-1 mod lcm(p − 1, q − 1) (FIPS 186-5 A.1.1), handed to node:crypto as a JWK. The
 * same scenario and seed must give the same certificate bytes, and node's own generator draws
 * from the system RNG, hence this.
 *
 * Cost: about 0.3 s per key on average and at most 0.7 s over 20 seeds, on the shared 2-core
 * development machine with Node 20 (`node dist/bench/rsa_keygen.bench.js` measures it), almost
 * all of it in the ~40 modular exponentiations per prime; paid once per (seed, label), as keys
 * are cached.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { seededRandom } from '../crypto/random_source.js';
import type { Rsa2048PrivateKey } from './keys.js';
import { gcd, modInverse, probablePrime } from './primes.js';

const PUBLIC_EXPONENT = 65537n; // prime, so gcd(p − 1, e) = 1 is just p ≢ 1 (mod e)
// Top two bits of p and q set: n = p·q has exactly 2 × 1024 = 2048 bits.
const PRIME_BITS = 1024;

const cache = new Map<string, Rsa2048PrivateKey>();

/** The key for (seed, label), generated once per process. */
export function seededRsa2048Key(seed: number, label: string): Rsa2048PrivateKey {
  const cacheKey = `${seed}\u0000${label}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const key = generateRsa2048Key(seed, label);
  cache.set(cacheKey, key);
  return key;
}

/** Generates the key for (seed, label) afresh, bypassing the cache (tests and the bench). */
export function generateRsa2048Key(seed: number, label: string): Rsa2048PrivateKey {
  const random = seededRandom(seed, `rsa2048/${label}`);
  for (;;) {
    const p = probablePrime(PRIME_BITS, PUBLIC_EXPONENT, random);
    const q = probablePrime(PRIME_BITS, PUBLIC_EXPONENT, random);
    // FIPS 186-5 A.1.3: |p − q| > 2^(nlen/2 − 100), so n cannot be factored by Fermat's method.
    const distance = p > q ? p - q : q - p;
    if (distance <= 1n << BigInt(PRIME_BITS - 100)) continue;
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    const d = modInverse(PUBLIC_EXPONENT, lambda);
    // FIPS 186-5 A.1.1: 2^(nlen/2) < d, which rules out small private exponents.
    if (d <= 1n << BigInt(PRIME_BITS)) continue;
    const n = p * q;
    const jwk = {
      kty: 'RSA',
      n: base64url(n),
      e: base64url(PUBLIC_EXPONENT),
      d: base64url(d),
      p: base64url(p),
      q: base64url(q),
      dp: base64url(d % (p - 1n)),
      dq: base64url(d % (q - 1n)),
      qi: base64url(modInverse(q, p)),
    };
    const private_key = createPrivateKey({ key: jwk, format: 'jwk' });
    return { kind: 'rsa2048', private_key, public_key: createPublicKey(private_key) };
  }
}

/** Unsigned big-endian bytes in the fewest octets, base64url (RFC 7518 §6.3: Base64urlUInt). */
function base64url(v: bigint): string {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex').toString('base64url');
}
