/**
 * DER, the Distinguished Encoding Rules of ITU-T X.690 (02/2021) §8, §10 and §11: the one encoding
 * of ASN.1 that X.509 signs, so a certificate re-encoded by anyone has the same bytes and the same
 * signature.
 *
 * Encoding: small functions that each return one complete TLV (tag, length, value).
 * Decoding: `decodeDer` splits bytes into a tree of `DerNode`s and the `read*` functions turn a
 * node into a value. Both are strict, as DER requires and as a verifier must be (a lenient parser
 * is how two implementations come to disagree about what a signature covers):
 *   - definite lengths only, in the fewest bytes (X.690 §10.1, §8.1.3.2 a);
 *   - no trailing bytes after a TLV or inside a constructed one;
 *   - INTEGER in the fewest bytes (§8.3.2), BOOLEAN TRUE as 0xFF (§11.1), BIT STRING unused bits
 *     zero (§11.2.1), OID sub-identifiers in the fewest bytes (§8.19.2), SET OF sorted (§11.6),
 *     UTCTime/GeneralizedTime as YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ (§11.7, §11.8; RFC 5280 §4.1.2.5).
 * Every failure is a DecodeError saying what was wrong, in which field and at which byte.
 *
 * Only low tag numbers (0..30, one identifier byte) are supported: X.509 uses no others.
 */
import { concatBytes, DecodeError } from '../protocol/common/bytes.js';

/** The universal tags X.509 uses, as whole identifier bytes (constructed bit included). */
export const Tag = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

const CONSTRUCTED = 0x20;
const CONTEXT_SPECIFIC = 0x80;

// ---- encoding ------------------------------------------------------------------------------

function encodeLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single identifier byte. */
function derTlv(tag: number, content: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag), encodeLength(content.length), content);
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(Tag.SEQUENCE, concatBytes(...items));
}

/** SET OF: DER sorts the elements by their encodings (X.690 §11.6). */
export function derSetOf(...items: Uint8Array[]): Uint8Array {
  return derTlv(Tag.SET, concatBytes(...[...items].sort(compareBytes)));
}

/** A two's-complement INTEGER in the fewest bytes (X.690 §8.3). */
export function derInteger(value: bigint | number): Uint8Array {
  let v = BigInt(value);
  const bytes: number[] = [];
  // Emit bytes until the rest is pure sign extension of the byte we last emitted.
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return derTlv(Tag.INTEGER, Uint8Array.from(bytes));
}

/** A non-negative INTEGER from a big-endian magnitude (an RSA modulus, a serial number). */
export function derUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const content = trimmed.length === 0 || (trimmed[0]! & 0x80) !== 0 ? concatBytes(Uint8Array.of(0), trimmed) : trimmed;
  return derTlv(Tag.INTEGER, content);
}

export function derBoolean(value: boolean): Uint8Array {
  return derTlv(Tag.BOOLEAN, Uint8Array.of(value ? 0xff : 0x00));
}

export const DER_NULL: Uint8Array = Uint8Array.of(Tag.NULL, 0x00);

/** An OBJECT IDENTIFIER from dotted decimal, e.g. "1.2.840.10045.2.1" (X.690 §8.19). */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => {
    if (!/^(0|[1-9][0-9]*)$/.test(a)) throw new RangeError(`OID ${JSON.stringify(dotted)}: arc ${JSON.stringify(a)} is not a decimal number`);
    return BigInt(a);
  });
  const [first, second, ...rest] = arcs;
  if (first === undefined || second === undefined || first > 2n || (first < 2n && second >= 40n)) {
    throw new RangeError(`OID ${JSON.stringify(dotted)}: needs at least two arcs, the first 0, 1 or 2 (and the second below 40 unless the first is 2)`);
  }
  const subidentifiers = [first * 40n + second, ...rest];
  const bytes: number[] = [];
  for (const sub of subidentifiers) {
    const group: number[] = [Number(sub & 0x7fn)];
    for (let v = sub >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
    bytes.push(...group);
  }
  return derTlv(Tag.OID, Uint8Array.from(bytes));
}

/** BIT STRING: an "unused bits" count (0..7) in front of the bytes (X.690 §8.6). */
export function derBitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  if (unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
    throw new RangeError(`BIT STRING: ${unusedBits} unused bits in ${bytes.length} bytes`);
  }
  if (unusedBits > 0 && (bytes[bytes.length - 1]! & ((1 << unusedBits) - 1)) !== 0) {
    throw new RangeError('BIT STRING: DER needs the unused bits to be zero');
  }
  return derTlv(Tag.BIT_STRING, concatBytes(Uint8Array.of(unusedBits), bytes));
}

/**
 * A named-bit BIT STRING (KeyUsage): bit 0 is the most significant bit of the first byte, and DER
 * drops trailing zero bits (X.690 §11.2.2).
 */
export function derNamedBits(bitNumbers: readonly number[]): Uint8Array {
  if (bitNumbers.length === 0) return derBitString(new Uint8Array(0));
  const highest = Math.max(...bitNumbers);
  const bytes = new Uint8Array((highest >> 3) + 1);
  for (const bit of bitNumbers) bytes[bit >> 3]! |= 0x80 >> (bit & 7);
  return derBitString(bytes, 7 - (highest & 7));
}

export function derOctetString(bytes: Uint8Array): Uint8Array {
  return derTlv(Tag.OCTET_STRING, bytes);
}

export function derUtf8String(text: string): Uint8Array {
  return derTlv(Tag.UTF8_STRING, new TextEncoder().encode(text));
}

/** PrintableString allows A-Z a-z 0-9 space ' ( ) + , - . / : = ? (X.680 §41.4, Table 10). */
const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

export function derPrintableString(text: string): Uint8Array {
  if (!PRINTABLE.test(text)) throw new RangeError(`${JSON.stringify(text)} has characters a PrintableString cannot hold`);
  return derTlv(Tag.PRINTABLE_STRING, new TextEncoder().encode(text));
}

export function derIa5String(text: string): Uint8Array {
  if (!/^[\x00-\x7f]*$/.test(text)) throw new RangeError(`${JSON.stringify(text)} is not ASCII (IA5String)`);
  return derTlv(Tag.IA5_STRING, new TextEncoder().encode(text));
}

/**
 * A certificate time: UTCTime for the years 1950..2049 and GeneralizedTime otherwise, both in UTC
 * with whole seconds (RFC 5280 §4.1.2.5).
 */
export function derTime(date: Date): Uint8Array {
  const year = date.getUTCFullYear();
  return year >= 1950 && year <= 2049 ? derUtcTime(date) : derGeneralizedTime(date);
}

function derUtcTime(date: Date): Uint8Array {
  return derTlv(Tag.UTC_TIME, new TextEncoder().encode(timeDigits(date).slice(2) + 'Z'));
}

export function derGeneralizedTime(date: Date): Uint8Array {
  return derTlv(Tag.GENERALIZED_TIME, new TextEncoder().encode(timeDigits(date) + 'Z'));
}

function timeDigits(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('time: invalid date');
  if (date.getUTCMilliseconds() !== 0) throw new RangeError(`time ${date.toISOString()}: certificates carry whole seconds`);
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new RangeError(`time ${date.toISOString()}: year outside 0000..9999`);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    String(year).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds())
  );
}

/** [n] EXPLICIT: the whole inner TLV wrapped in a constructed context-specific tag. */
export function derExplicit(tagNumber: number, inner: Uint8Array): Uint8Array {
  return derTlv(CONTEXT_SPECIFIC | CONSTRUCTED | checkTagNumber(tagNumber), inner);
}

/** [n] IMPLICIT: the inner TLV with its tag replaced (its constructed bit kept). */
export function derImplicit(tagNumber: number, inner: Uint8Array): Uint8Array {
  const out = Uint8Array.from(inner);
  out[0] = CONTEXT_SPECIFIC | (inner[0]! & CONSTRUCTED) | checkTagNumber(tagNumber);
  return out;
}

function checkTagNumber(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`context tag [${n}]: only 0..30 are supported`);
  return n;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

// ---- decoding ------------------------------------------------------------------------------

/** One decoded TLV. `offset` is where its identifier byte sits in the bytes first decoded. */
export class DerNode {
  constructor(
    /** What the top-level bytes are ("certificate 2", "SubjectPublicKeyInfo"), for messages. */
    readonly what: string,
    readonly tag: number,
    /** The whole TLV: what a signature covers when this node is the tbsCertificate. */
    readonly raw: Uint8Array,
    readonly content: Uint8Array,
    readonly offset: number,
  ) {}

  get constructed(): boolean {
    return (this.tag & CONSTRUCTED) !== 0;
  }

  /** Throws a DecodeError about this node: "what: field at byte N: problem". */
  fail(field: string, problem: string): never {
    throw new DecodeError(`${this.what}: ${field} at byte ${this.offset}: ${problem}`);
  }

  /** The TLVs inside a constructed node; they must fill its content exactly. */
  children(field: string): DerNode[] {
    if (!this.constructed) this.fail(field, `expected a constructed encoding, got tag 0x${hex2(this.tag)}`);
    const out: DerNode[] = [];
    const contentOffset = this.offset + (this.raw.length - this.content.length);
    let pos = 0;
    while (pos < this.content.length) {
      const node = readTlv(this.what, this.content, pos, contentOffset);
      out.push(node);
      pos += node.raw.length;
    }
    return out;
  }
}

/**
 * Decodes exactly one TLV; trailing bytes are an error. `baseOffset` is where `bytes` start in
 * the outermost encoding, so that messages about a nested value (an extension's OCTET STRING
 * contents) point at the right byte of the certificate.
 */
export function decodeDer(bytes: Uint8Array, what: string, baseOffset = 0): DerNode {
  const node = readTlv(what, bytes, 0, baseOffset);
  if (node.raw.length !== bytes.length) {
    throw new DecodeError(`${what}: ${bytes.length - node.raw.length} unexpected bytes after the DER value, at byte ${baseOffset + node.raw.length}`);
  }
  return node;
}

/** The one DER value an OCTET STRING holds (an extension's extnValue). */
export function decodeOctetStringContents(node: DerNode, field: string): DerNode {
  const content = readOctetString(node, field);
  return decodeDer(content, node.what, node.offset + (node.raw.length - content.length));
}

/**
 * How many bytes the TLV at the start of `bytes` spans, by its header alone (no strictness
 * beyond the header). The chain verifier uses it to tell "the certificate's own length disagrees
 * with its slot in the Certificate message" from "the certificate is malformed".
 */
export function derEncodedLength(bytes: Uint8Array): number | undefined {
  try {
    return readTlv('', bytes, 0, 0).raw.length;
  } catch {
    return undefined;
  }
}

function readTlv(what: string, buf: Uint8Array, pos: number, base: number): DerNode {
  const at = base + pos;
  const fail = (problem: string): never => {
    throw new DecodeError(`${what}: at byte ${at}: ${problem}`);
  };
  if (pos >= buf.length) fail('expected a tag, found the end of the data');
  const tag = buf[pos]!;
  if ((tag & 0x1f) === 0x1f) fail(`high tag numbers (identifier 0x${hex2(tag)}) are not used by X.509`);
  if (pos + 1 >= buf.length) fail(`tag 0x${hex2(tag)} has no length byte`);
  const first = buf[pos + 1]!;
  let length: number;
  let headerLength: number;
  if (first < 0x80) {
    length = first;
    headerLength = 2;
  } else {
    const count = first & 0x7f;
    if (count === 0) fail(`indefinite length (0x80) is not allowed in DER (X.690 §10.1)`);
    if (count > 4) fail(`length of ${count} bytes is more than this decoder accepts (4)`);
    if (pos + 2 + count > buf.length) fail(`length needs ${count} bytes, ${buf.length - pos - 2} left`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + buf[pos + 2 + i]!;
    if (buf[pos + 2] === 0 || length < 0x80) {
      fail(`non-minimal length encoding 0x${hex2(first)} for ${length} bytes (X.690 §10.1)`);
    }
    headerLength = 2 + count;
  }
  const end = pos + headerLength + length;
  if (end > buf.length) fail(`tag 0x${hex2(tag)} says ${length} bytes, ${buf.length - pos - headerLength} left`);
  return new DerNode(what, tag, buf.subarray(pos, end), buf.subarray(pos + headerLength, end), at);
}

// ---- reading values -----------------------------------------------------------------------

/** Checks the node's identifier byte. */
function expectTag(node: DerNode, tag: number, field: string): DerNode {
  if (node.tag !== tag) node.fail(field, `expected ${tagName(tag)}, got ${tagName(node.tag)}`);
  return node;
}

/** The children of a SEQUENCE. */
export function readSequence(node: DerNode, field: string): DerNode[] {
  return expectTag(node, Tag.SEQUENCE, field).children(field);
}

/** The children of a SET OF, which DER keeps sorted (X.690 §11.6). */
export function readSetOf(node: DerNode, field: string): DerNode[] {
  const items = expectTag(node, Tag.SET, field).children(field);
  for (let i = 1; i < items.length; i++) {
    if (compareBytes(items[i - 1]!.raw, items[i]!.raw) > 0) items[i]!.fail(field, 'SET OF elements out of DER order (X.690 §11.6)');
  }
  return items;
}

export function readInteger(node: DerNode, field: string): bigint {
  const c = integerContent(node, field);
  let v = 0n;
  for (const b of c) v = (v << 8n) | BigInt(b);
  return (c[0]! & 0x80) !== 0 ? v - (1n << BigInt(8 * c.length)) : v;
}

/** A non-negative INTEGER's magnitude, big-endian, without the sign byte. */
export function readUnsignedIntegerBytes(node: DerNode, field: string): Uint8Array {
  const c = integerContent(node, field);
  if ((c[0]! & 0x80) !== 0) node.fail(field, 'expected a non-negative INTEGER');
  return c[0] === 0 && c.length > 1 ? c.subarray(1) : c;
}

/** A small non-negative INTEGER (a version, a path length). */
export function readSmallInteger(node: DerNode, field: string, max: number): number {
  const v = readInteger(node, field);
  if (v < 0n || v > BigInt(max)) node.fail(field, `INTEGER ${v} outside 0..${max}`);
  return Number(v);
}

function integerContent(node: DerNode, field: string): Uint8Array {
  const c = expectTag(node, Tag.INTEGER, field).content;
  if (c.length === 0) node.fail(field, 'INTEGER with no content octets');
  if (c.length > 1 && ((c[0] === 0x00 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) !== 0))) {
    node.fail(field, 'INTEGER not in the fewest octets (X.690 §8.3.2)');
  }
  return c;
}

export function readBoolean(node: DerNode, field: string): boolean {
  const c = expectTag(node, Tag.BOOLEAN, field).content;
  if (c.length !== 1) node.fail(field, `BOOLEAN of ${c.length} octets`);
  if (c[0] !== 0x00 && c[0] !== 0xff) node.fail(field, `BOOLEAN 0x${hex2(c[0]!)}: DER has only 0x00 and 0xFF (X.690 §11.1)`);
  return c[0] === 0xff;
}

export function readNull(node: DerNode, field: string): void {
  if (expectTag(node, Tag.NULL, field).content.length !== 0) node.fail(field, 'NULL with content');
}

export function readOid(node: DerNode, field: string): string {
  const c = expectTag(node, Tag.OID, field).content;
  if (c.length === 0) node.fail(field, 'OBJECT IDENTIFIER with no content');
  const subs: bigint[] = [];
  let v = 0n;
  let startOfSub = true;
  for (let i = 0; i < c.length; i++) {
    const b = c[i]!;
    if (startOfSub && b === 0x80) node.fail(field, 'OID sub-identifier with a leading 0x80 byte (X.690 §8.19.2)');
    v = (v << 7n) | BigInt(b & 0x7f);
    startOfSub = (b & 0x80) === 0;
    if (startOfSub) {
      subs.push(v);
      v = 0n;
    }
  }
  if (!startOfSub) node.fail(field, 'OID ends inside a sub-identifier');
  const first = subs[0]!;
  const head = first < 40n ? [0n, first] : first < 80n ? [1n, first - 40n] : [2n, first - 80n];
  return [...head, ...subs.slice(1)].join('.');
}

/** A BIT STRING's bytes and its count of unused bits in the last byte. */
export function readBitString(node: DerNode, field: string): { bytes: Uint8Array; unused_bits: number } {
  const c = expectTag(node, Tag.BIT_STRING, field).content;
  if (c.length === 0) node.fail(field, 'BIT STRING with no content');
  const unused = c[0]!;
  if (unused > 7 || (c.length === 1 && unused !== 0)) node.fail(field, `BIT STRING with ${unused} unused bits`);
  if (unused > 0 && (c[c.length - 1]! & ((1 << unused) - 1)) !== 0) node.fail(field, 'BIT STRING unused bits not zero (X.690 §11.2.1)');
  return { bytes: c.subarray(1), unused_bits: unused };
}

/** A BIT STRING that holds whole bytes (a key, a signature). */
export function readBitStringBytes(node: DerNode, field: string): Uint8Array {
  const { bytes, unused_bits } = readBitString(node, field);
  if (unused_bits !== 0) node.fail(field, `expected whole bytes, got ${unused_bits} unused bits`);
  return bytes;
}

/** The bit numbers set in a named-bit BIT STRING; DER forbids trailing zero bits (X.690 §11.2.2). */
export function readNamedBits(node: DerNode, field: string): number[] {
  const { bytes, unused_bits } = readBitString(node, field);
  if (bytes.length > 0 && (bytes[bytes.length - 1]! & (1 << unused_bits)) === 0) {
    node.fail(field, 'named-bit BIT STRING with trailing zero bits (X.690 §11.2.2)');
  }
  const bits: number[] = [];
  for (let i = 0; i < bytes.length * 8 - unused_bits; i++) if ((bytes[i >> 3]! & (0x80 >> (i & 7))) !== 0) bits.push(i);
  return bits;
}

export function readOctetString(node: DerNode, field: string): Uint8Array {
  return expectTag(node, Tag.OCTET_STRING, field).content;
}

/** UTF8String, PrintableString or IA5String (the string types certificates use). */
export function readString(node: DerNode, field: string): string {
  const c = node.content;
  if (node.tag === Tag.UTF8_STRING) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(c);
    } catch {
      return node.fail(field, 'UTF8String is not valid UTF-8');
    }
  }
  if (node.tag === Tag.PRINTABLE_STRING || node.tag === Tag.IA5_STRING) {
    const text = readAscii(node, field);
    if (node.tag === Tag.PRINTABLE_STRING && !PRINTABLE.test(text)) node.fail(field, `PrintableString with a character it cannot hold`);
    return text;
  }
  return node.fail(field, `expected UTF8String, PrintableString or IA5String, got ${tagName(node.tag)}`);
}

/** The content of an ASCII string type (PrintableString, IA5String, a [2] dNSName). */
export function readAscii(node: DerNode, field: string): string {
  if (node.content.some((b) => b > 0x7f)) node.fail(field, `${tagName(node.tag)} with a non-ASCII byte`);
  return Buffer.from(node.content).toString('latin1');
}

/** UTCTime (YYMMDDHHMMSSZ, YY >= 50 is 19YY) or GeneralizedTime (YYYYMMDDHHMMSSZ). */
export function readTime(node: DerNode, field: string): Date {
  const text = Buffer.from(node.content).toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (node.tag === Tag.UTC_TIME) {
    m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    if (!m) return node.fail(field, `UTCTime ${JSON.stringify(text)}: expected YYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.1)`);
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (node.tag === Tag.GENERALIZED_TIME) {
    m = /^(\d\d\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text);
    if (!m) return node.fail(field, `GeneralizedTime ${JSON.stringify(text)}: expected YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5.2)`);
    year = Number(m[1]);
  } else {
    return node.fail(field, `expected UTCTime or GeneralizedTime, got ${tagName(node.tag)}`);
  }
  const [month, day, hour, minute, second] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0..99 to 1900..1999
  const valid =
    date.getUTCMonth() === month - 1 && date.getUTCDate() === day && date.getUTCHours() === hour && date.getUTCMinutes() === minute && date.getUTCSeconds() === second;
  if (!valid) node.fail(field, `${JSON.stringify(text)} is not a calendar time`);
  return date;
}

/**
 * Walks the children of a SEQUENCE in order, with optional elements recognised by their tag.
 * `end()` rejects elements left over.
 */
class DerCursor {
  private index = 0;
  constructor(
    private readonly parent: DerNode,
    private readonly items: DerNode[],
    private readonly field: string,
  ) {}

  next(field: string): DerNode {
    const item = this.items[this.index++];
    if (!item) return this.parent.fail(this.field, `${field} is missing`);
    return item;
  }

  optional(tag: number): DerNode | undefined {
    const item = this.items[this.index];
    if (item?.tag !== tag) return undefined;
    this.index++;
    return item;
  }

  end(): void {
    const extra = this.items[this.index];
    if (extra) extra.fail(this.field, `unexpected element ${tagName(extra.tag)}`);
  }
}

export function sequenceCursor(node: DerNode, field: string): DerCursor {
  return new DerCursor(node, readSequence(node, field), field);
}

const TAG_NAMES: Record<number, string> = Object.fromEntries(Object.entries(Tag).map(([name, tag]) => [tag, name.replaceAll('_', ' ')]));

function tagName(tag: number): string {
  if (TAG_NAMES[tag]) return `${TAG_NAMES[tag]} (0x${hex2(tag)})`;
  if ((tag & 0xc0) === CONTEXT_SPECIFIC) return `[${tag & 0x1f}] (0x${hex2(tag)})`;
  return `tag 0x${hex2(tag)}`;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
