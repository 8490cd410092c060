import { randomBytes } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha2.js';

export type RandomSource = (n: number) => Uint8Array;

/**
 * A deterministic byte stream: SHA-256(seed || label || counter) blocks. The simulator uses it
 * for handshake randoms and keys so the same scenario and seed give the same transcript and
 * byte-identical reports. Not for production secrets: the interop command uses systemRandom.
 */
export function seededRandom(seed: number, label: string): RandomSource {
  const prefix = new TextEncoder().encode(`handshake-sim/${label}/${seed}/`);
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n: number) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (pool.length === 0) {
        const block = new Uint8Array(prefix.length + 4);
        block.set(prefix);
        new DataView(block.buffer).setUint32(prefix.length, counter++);
        pool = sha256(block);
      }
      const take = Math.min(pool.length, n - filled);
      out.set(pool.subarray(0, take), filled);
      pool = pool.subarray(take);
      filled += take;
    }
    return out;
  };
}

export const systemRandom: RandomSource = (n) => Uint8Array.from(randomBytes(n));
