import { ByteReader, ByteWriter, DecodeError } from '../../common/bytes.js';

/** Extension (RFC 5246 §7.4.1.4). */
export interface Extension {
  type: number;
  data: Uint8Array;
}

export function encodeExtensions(w: ByteWriter, exts: readonly Extension[]): void {
  // An empty list is sent as no extensions block at all (RFC 5246 §7.4.1.2 allows both).
  if (exts.length === 0) return;
  const inner = new ByteWriter();
  for (const e of exts) inner.u16(e.type).vector(2, e.data);
  w.vector(2, inner.finish());
}

/** Reads the optional extensions block at the end of a hello; rejects duplicates. */
export function decodeExtensions(rd: ByteReader): Extension[] {
  if (rd.remaining === 0) return [];
  const block = new ByteReader(rd.vector(2, 'extensions'), 'extensions');
  const out: Extension[] = [];
  while (block.remaining > 0) {
    const type = block.u16('extension_type');
    const data = block.vector(2, 'extension_data');
    if (out.some((e) => e.type === type)) throw new DecodeError(`extensions: type ${type} appears twice`);
    out.push({ type, data });
  }
  return out;
}

/** A list of 16-bit values (cipher suites, groups, signature schemes). */
export function decodeU16List(bytes: Uint8Array, what: string): number[] {
  if (bytes.length % 2 !== 0) throw new DecodeError(`${what}: odd length ${bytes.length}`);
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i += 2) out.push((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

export function encodeU16List(values: readonly number[]): Uint8Array {
  const w = new ByteWriter();
  for (const v of values) w.u16(v);
  return w.finish();
}
