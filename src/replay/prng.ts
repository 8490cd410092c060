/**
 * Seeded pseudo-random numbers for the replay. Each (seed, trial, purpose) gets its own stream,
 * derived by hashing, so a trial's draws do not depend on how many draws other trials made or
 * on which thread ran it. Nothing here reads the clock or Math.random.
 */

/** A 32-bit avalanche mix (the splitmix32 / murmur3 finaliser). */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Independent streams per trial: loss, delay jitter, and the link layer's own draws (backoffs, BLE event phase). */
export const STREAM = { loss: 1, jitter: 2, mac: 3 } as const;
/** Room left between connections' stream numbers (full handshake, then each resumption) for purposes added later. */
export const STREAMS_PER_CONNECTION = 16;

/** sfc32 (Chris Doty-Humphrey's Small Fast Chaotic PRNG): fast, passes PractRand to 2^40+. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;

  constructor(seed: number, trial: number, stream: number) {
    this.a = mix32(seed ^ 0x9e3779b9);
    this.b = mix32(this.a ^ mix32(stream + 0x632be5ab));
    this.c = mix32(this.b ^ mix32(trial + 0x85157af5));
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }
}
