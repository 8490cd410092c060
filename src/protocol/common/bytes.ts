/**
 * Byte encoding helpers for TLS-style wire formats: big-endian integers and
 * length-prefixed vectors (RFC 8446 §3 presentation language).
 */

/** A malformed encoding. Protocol code turns it into a decode_error alert. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

export class ByteWriter {
  private chunks: number[] = [];

  u8(v: number): this {
    this.chunks.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u24(v: number): this {
    return this.u8(v >>> 16).u8(v >>> 8).u8(v);
  }
  u48(v: number): this {
    // Record sequence numbers stay far below 2^53, so a JS number holds them exactly.
    const hi = Math.floor(v / 2 ** 32);
    return this.u16(hi).u16(v >>> 16).u16(v);
  }
  bytes(b: Uint8Array): this {
    for (const x of b) this.chunks.push(x);
    return this;
  }
  /** A vector with a length prefix of `lenBytes` bytes. */
  vector(lenBytes: 1 | 2 | 3, b: Uint8Array): this {
    const max = 2 ** (8 * lenBytes) - 1;
    if (b.length > max) throw new RangeError(`vector of ${b.length} bytes exceeds its ${lenBytes}-byte length prefix`);
    if (lenBytes === 1) this.u8(b.length);
    else if (lenBytes === 2) this.u16(b.length);
    else this.u24(b.length);
    return this.bytes(b);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}

export class ByteReader {
  private pos = 0;
  constructor(
    private readonly buf: Uint8Array,
    private readonly what: string,
  ) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  private need(n: number, field: string): void {
    if (this.remaining < n) throw new DecodeError(`${this.what}: ${field} needs ${n} bytes, ${this.remaining} left`);
  }
  u8(field: string): number {
    this.need(1, field);
    return this.buf[this.pos++]!;
  }
  u16(field: string): number {
    this.need(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }
  u24(field: string): number {
    this.need(3, field);
    const v = (this.buf[this.pos]! << 16) | (this.buf[this.pos + 1]! << 8) | this.buf[this.pos + 2]!;
    this.pos += 3;
    return v;
  }
  u48(field: string): number {
    const hi = this.u16(field);
    const lo = this.u16(field) * 2 ** 16 + this.u16(field);
    return hi * 2 ** 32 + lo;
  }
  bytes(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  vector(lenBytes: 1 | 2 | 3, field: string, min = 0, max = Infinity): Uint8Array {
    const n = lenBytes === 1 ? this.u8(field) : lenBytes === 2 ? this.u16(field) : this.u24(field);
    if (n < min || n > max) throw new DecodeError(`${this.what}: ${field} length ${n} outside [${min}, ${max}]`);
    return this.bytes(n, field);
  }
  rest(): Uint8Array {
    return this.bytes(this.remaining, 'rest');
  }
  /** Every encoding in this project is exact: trailing bytes are an error, never ignored. */
  end(): void {
    if (this.remaining !== 0) throw new DecodeError(`${this.what}: ${this.remaining} unexpected trailing bytes`);
  }
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
