/**
 * Probable primes for RSA key generation from a caller's byte stream: a sieve over small primes,
 * then Miller–Rabin (FIPS 186-5 Appendix B.3.1) with bases drawn from the same stream, so the
 * same stream always gives the same primes.
 *
 * Rounds: FIPS 186-5 Table B.1 asks for 4 rounds of Miller–Rabin on 1024-bit p and q for an
 * error probability of 2^-100, and 5 for 2^-112 (the security strength of RSA-2048). We run 5.
 *
 * The search walks up from a random odd start (start, start + 2, ...) rather than drawing a
 * fresh candidate each time as FIPS 186-5 B.3.3 does: it is much cheaper (one sieve per start)
 * and the slight bias toward primes that follow long gaps does not matter for simulated keys.
 */
import type { RandomSource } from '../crypto/random_source.js';

/** FIPS 186-5 Table B.1, 1024-bit p and q: 4 rounds for 2^-100, 5 for 2^-112. */
const MILLER_RABIN_ROUNDS = 5;

/** Trial-division bound: about 90 % of odd candidates have a factor below it. */
const SIEVE_PRIME_BOUND = 1 << 16;
/** Odd offsets scanned per start; the mean gap between 1024-bit primes is ln(2^1024) ≈ 710. */
const SIEVE_WINDOW = 4096;

const SMALL_ODD_PRIMES: readonly number[] = oddPrimesBelow(SIEVE_PRIME_BOUND);

function oddPrimesBelow(bound: number): number[] {
  const composite = new Uint8Array(bound);
  const out: number[] = [];
  for (let i = 3; i < bound; i += 2) {
    if (composite[i]) continue;
    out.push(i);
    for (let j = i * i; j < bound; j += 2 * i) composite[j] = 1;
  }
  return out;
}

function bigintFromBytes(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** base^exponent mod modulus by square-and-multiply (a 4-bit window measured no faster here). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n % modulus;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}

export function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** a^-1 mod m; throws when they share a factor. */
export function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [((a % m) + m) % m, m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  if (oldR !== 1n) throw new RangeError('modInverse: not invertible');
  return ((oldS % m) + m) % m;
}

/** A uniform integer in [low, high] by rejection sampling from the stream. */
function uniformBetween(low: bigint, high: bigint, random: RandomSource): bigint {
  const span = high - low;
  const bits = bitLength(span);
  const bytes = Math.ceil(bits / 8);
  const mask = (1n << BigInt(bits)) - 1n;
  for (;;) {
    const v = bigintFromBytes(random(bytes)) & mask;
    if (v <= span) return low + v;
  }
}

/**
 * Miller–Rabin (FIPS 186-5 B.3.1) on an odd w > 3 with `rounds` bases drawn uniformly from
 * [2, w - 2]. False means composite for certain; true means prime with error below 4^-rounds.
 */
export function millerRabin(w: bigint, rounds: number, random: RandomSource): boolean {
  if (w < 5n || (w & 1n) === 0n) return w === 2n || w === 3n;
  let m = w - 1n;
  let a = 0;
  while ((m & 1n) === 0n) {
    m >>= 1n;
    a++;
  }
  outer: for (let i = 0; i < rounds; i++) {
    const b = uniformBetween(2n, w - 2n, random);
    let z = modPow(b, m, w);
    if (z === 1n || z === w - 1n) continue;
    for (let j = 1; j < a; j++) {
      z = (z * z) % w;
      if (z === w - 1n) continue outer;
      if (z === 1n) return false;
    }
    return false;
  }
  return true;
}

/**
 * A probable prime of exactly `bits` bits with its top two bits set, so that the product of two
 * of them has exactly 2·bits bits and each is at least √2·2^(bits-1) (FIPS 186-5 A.1.3), and with
 * gcd(p − 1, e) = 1 for the prime public exponent e.
 */
export function probablePrime(bits: number, e: bigint, random: RandomSource, rounds = MILLER_RABIN_ROUNDS): bigint {
  if (bits % 8 !== 0 || bits < 64) throw new RangeError(`probablePrime: ${bits} bits; expected a multiple of 8, at least 64`);
  const limit = 1n << BigInt(bits);
  for (;;) {
    const bytes = random(bits / 8);
    bytes[0]! |= 0xc0;
    bytes[bytes.length - 1]! |= 1;
    const start = bigintFromBytes(bytes);
    // composite[k] marks start + 2k as divisible by a small prime.
    const composite = new Uint8Array(SIEVE_WINDOW);
    for (const p of SMALL_ODD_PRIMES) {
      const r = Number(start % BigInt(p));
      // start + 2k ≡ 0 (mod p)  <=>  k ≡ −r · 2^-1 (mod p), and 2^-1 = (p + 1) / 2.
      for (let k = (((p - r) % p) * ((p + 1) / 2)) % p; k < SIEVE_WINDOW; k += p) composite[k] = 1;
    }
    for (let k = 0; k < SIEVE_WINDOW; k++) {
      if (composite[k]) continue;
      const candidate = start + 2n * BigInt(k);
      if (candidate >= limit) break;
      if ((candidate - 1n) % e === 0n) continue;
      if (millerRabin(candidate, rounds, random)) return candidate;
    }
  }
}
