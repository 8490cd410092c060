import { checkPrimeSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/crypto/random_source.js';
import { bitLength, gcd, millerRabin, modInverse, modPow, probablePrime } from '../../src/x509/primes.js';
import { generateRsa2048Key, seededRsa2048Key } from '../../src/x509/rsa_keygen.js';
import { hasOpenssl, opensslOk, withTempDir, writeFile } from '../helpers/openssl_cli.js';

const E = 65537n;
const fromB64url = (s: string | undefined) => BigInt('0x' + Buffer.from(s ?? '', 'base64url').toString('hex'));

describe('Miller–Rabin and the arithmetic under it', () => {
  const random = seededRandom(3, 'miller-rabin-test');

  it('accepts known primes: Mersenne primes 2^89−1, 2^127−1, 2^521−1 and small ones', () => {
    for (const p of [5n, 7n, 65537n, (1n << 89n) - 1n, (1n << 127n) - 1n, (1n << 521n) - 1n]) expect(millerRabin(p, 5, random)).toBe(true);
  });

  it('rejects Carmichael numbers, strong pseudoprimes to base 2 and the composite Fermat number F7', () => {
    const carmichael = [561n, 1105n, 1729n, 41041n, 825265n, 321197185n];
    const strongPseudoprimesBase2 = [2047n, 3277n, 4033n, 3215031751n];
    const f7 = (1n << 128n) + 1n; // 59649589127497217 × 5704689200685129054721 (Morrison–Brillhart 1970)
    for (const n of [...carmichael, ...strongPseudoprimesBase2, f7, ((1n << 89n) - 1n) * ((1n << 127n) - 1n), 9n, 15n]) expect(millerRabin(n, 5, random)).toBe(false);
  });

  it('modPow and modInverse agree with their definitions', () => {
    const m = (1n << 127n) - 1n;
    for (const [b, e] of [[3n, 0n], [3n, 1n], [2n, 127n], [123456789n, 150n]] as const) {
      let naive = 1n;
      for (let i = 0n; i < e; i++) naive = (naive * b) % m;
      expect(modPow(b, e, m)).toBe(naive);
    }
    expect(modPow(123456789n, m - 1n, m)).toBe(1n); // Fermat's little theorem, m prime
    const inv = modInverse(E, (1n << 100n) + 2n);
    expect((inv * E) % ((1n << 100n) + 2n)).toBe(1n);
    expect(() => modInverse(6n, 9n)).toThrow(/not invertible/);
    expect(gcd(84n, 36n)).toBe(12n);
  });

  it('probablePrime gives 1024-bit primes with the top two bits set and p ≢ 1 (mod 65537), as OpenSSL confirms', () => {
    const stream = seededRandom(4, 'probable-prime-test');
    for (let i = 0; i < 3; i++) {
      const p = probablePrime(1024, E, stream);
      expect(bitLength(p)).toBe(1024);
      expect(p >> 1022n).toBe(3n);
      expect(p % E).not.toBe(1n);
      expect(checkPrimeSync(p, { checks: 20 })).toBe(true); // node:crypto, i.e. OpenSSL BN_check_prime
    }
  });
});

describe('seeded RSA-2048 keys', () => {
  it('the same seed and label give the same modulus, uncached; another seed or label another one', () => {
    const a = generateRsa2048Key(11, 'leaf').public_key.export({ format: 'jwk' }).n;
    const b = generateRsa2048Key(11, 'leaf').public_key.export({ format: 'jwk' }).n;
    const c = generateRsa2048Key(12, 'leaf').public_key.export({ format: 'jwk' }).n;
    const d = seededRsa2048Key(11, 'root').public_key.export({ format: 'jwk' }).n;
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(d).not.toBe(a);
    expect(seededRsa2048Key(11, 'root')).toBe(seededRsa2048Key(11, 'root')); // cached
  });

  it('is a consistent key: n = p·q of 2048 bits, e = 65537, e·d ≡ 1 (mod lcm(p−1, q−1)), CRT values, and it signs', () => {
    const key = seededRsa2048Key(11, 'leaf');
    const jwk = key.private_key.export({ format: 'jwk' });
    const [n, e, d, p, q] = [jwk.n, jwk.e, jwk.d, jwk.p, jwk.q].map(fromB64url) as [bigint, bigint, bigint, bigint, bigint];
    expect(p * q).toBe(n);
    expect(bitLength(n)).toBe(2048);
    expect(e).toBe(E);
    const lambda = ((p - 1n) * (q - 1n)) / gcd(p - 1n, q - 1n);
    expect((e * d) % lambda).toBe(1n);
    expect(d > 1n << 1024n).toBe(true);
    expect(fromB64url(jwk.dp)).toBe(d % (p - 1n));
    expect(fromB64url(jwk.dq)).toBe(d % (q - 1n));
    expect((fromB64url(jwk.qi) * q) % p).toBe(1n);
    const message = new TextEncoder().encode('tbsCertificate');
    expect(verify('sha256', message, key.public_key, sign('sha256', message, key.private_key))).toBe(true);
  });

  it.skipIf(!hasOpenssl)('openssl rsa -check accepts the key', () => {
    const pem = seededRsa2048Key(11, 'leaf').private_key.export({ type: 'pkcs8', format: 'pem' }) as string;
    withTempDir((dir) => {
      writeFile(dir, 'key.pem', pem);
      expect(opensslOk(['rsa', '-check', '-noout', '-in', 'key.pem'], dir)).toContain('RSA key ok');
    });
  });
});
