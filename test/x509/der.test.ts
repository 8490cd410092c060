import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/crypto/random_source.js';
import { DecodeError } from '../../src/protocol/common/bytes.js';
import {
  DER_NULL,
  decodeDer,
  derBitString,
  derBoolean,
  derExplicit,
  derGeneralizedTime,
  derIa5String,
  derImplicit,
  derInteger,
  derNamedBits,
  derOctetString,
  derOid,
  derPrintableString,
  derSequence,
  derSetOf,
  derTime,
  derUtf8String,
  readBitString,
  readBoolean,
  readInteger,
  readNamedBits,
  readOctetString,
  readOid,
  readSequence,
  readSetOf,
  readString,
  readTime,
  type DerNode,
} from '../../src/x509/der.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const node = (s: string): DerNode => decodeDer(hex(s), 'test');

describe('DER encoding: published and hand-checked encodings', () => {
  it.each([
    ['0', 0n, '020100'],
    ['127', 127n, '02017f'],
    ['128 needs a sign byte', 128n, '02020080'],
    ['256', 256n, '02020100'],
    ['-1', -1n, '0201ff'],
    ['-128', -128n, '020180'],
    ['-129', -129n, '0202ff7f'],
    ['2^64', 1n << 64n, '0209010000000000000000'],
  ])('INTEGER %s', (_name, value, expected) => {
    expect(toHex(derInteger(value))).toBe(expected);
    expect(readInteger(node(expected), 'n')).toBe(value);
  });

  it('OBJECT IDENTIFIER {2 100 3} as in X.690 §8.19.5, and the OIDs of RFC 5480 and RFC 5758', () => {
    expect(toHex(derOid('2.100.3'))).toBe('0603813403');
    // The bytes as they appear in the RFC 7925 example certificate of draft-ietf-cose-cbor-encoded-cert A.1.
    expect(toHex(derOid('1.2.840.10045.2.1'))).toBe('06072a8648ce3d0201');
    expect(toHex(derOid('1.2.840.10045.3.1.7'))).toBe('06082a8648ce3d030107');
    expect(toHex(derOid('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    for (const oid of ['2.100.3', '1.2.840.10045.3.1.7', '2.25.329800735698586629295641978511506172918', '0.0']) {
      expect(readOid(decodeDer(derOid(oid), 'oid'), 'oid')).toBe(oid);
    }
  });

  it("BIT STRING '0A3B5F291CD'H as in X.690 §8.6.4.2 (4 unused bits)", () => {
    expect(toHex(derBitString(hex('0a3b5f291cd0'), 4))).toBe('0307040a3b5f291cd0');
    expect(readBitString(node('0307040a3b5f291cd0'), 'bits')).toEqual({ bytes: hex('0a3b5f291cd0'), unused_bits: 4 });
  });

  it('named bits drop trailing zero bits (X.690 §11.2.2): the keyUsage values of published certificates', () => {
    // digitalSignature: RFC 7925 example of draft-ietf-cose-cbor-encoded-cert A.1 (03 02 07 80).
    expect(toHex(derNamedBits([0]))).toBe('03020780');
    // digitalSignature + keyEncipherment: the IEEE 802.1AR example of the same draft, A.2 (03 02 05 A0).
    expect(toHex(derNamedBits([0, 2]))).toBe('030205a0');
    expect(toHex(derNamedBits([5, 6]))).toBe('03020106'); // keyCertSign + cRLSign
    expect(toHex(derNamedBits([8]))).toBe('0303070080'); // decipherOnly, in a second byte
    for (const bits of [[0], [0, 2], [5, 6], [8], [1, 8]]) expect(readNamedBits(decodeDer(derNamedBits(bits), 'ku'), 'ku')).toEqual(bits);
  });

  it('lengths: short form up to 127, then the fewest bytes of long form (X.690 §8.1.3)', () => {
    expect(toHex(derOctetString(new Uint8Array(38))).slice(0, 4)).toBe('0426');
    expect(toHex(derOctetString(new Uint8Array(127))).slice(0, 4)).toBe('047f');
    expect(toHex(derOctetString(new Uint8Array(128))).slice(0, 6)).toBe('048180');
    expect(toHex(derOctetString(new Uint8Array(201))).slice(0, 6)).toBe('0481c9');
    expect(toHex(derOctetString(new Uint8Array(256))).slice(0, 8)).toBe('04820100');
    expect(toHex(derOctetString(new Uint8Array(70000))).slice(0, 10)).toBe('0483011170');
  });

  it('BOOLEAN, NULL, strings and context tags', () => {
    expect(toHex(derBoolean(true))).toBe('0101ff');
    expect(toHex(derBoolean(false))).toBe('010100');
    expect(toHex(DER_NULL)).toBe('0500');
    expect(toHex(derUtf8String('RFC test CA'))).toBe('0c0b5246432074657374204341');
    expect(toHex(derPrintableString('US'))).toBe('13025553');
    expect(toHex(derIa5String('a.b'))).toBe('1603612e62');
    expect(toHex(derExplicit(0, derInteger(2)))).toBe('a003020102');
    expect(toHex(derImplicit(2, derIa5String('a')))).toBe('820161');
    expect(toHex(derImplicit(0, derSequence(derIa5String('a'))))).toBe('a003160161'); // constructed bit kept
    expect(() => derPrintableString('a_b')).toThrow(RangeError);
  });

  it('times: UTCTime for 1950–2049, GeneralizedTime otherwise (RFC 5280 §4.1.2.5)', () => {
    const text = (b: Uint8Array) => `${b[0]!.toString(16)} ${Buffer.from(b.subarray(2)).toString('latin1')}`;
    expect(text(derTime(new Date('2049-12-31T23:59:59Z')))).toBe('17 491231235959Z');
    expect(text(derTime(new Date('2050-01-01T00:00:00Z')))).toBe('18 20500101000000Z');
    expect(text(derTime(new Date('1950-01-01T00:00:00Z')))).toBe('17 500101000000Z');
    expect(text(derTime(new Date('1949-12-31T23:59:59Z')))).toBe('18 19491231235959Z');
    // The IEEE 802.1AR example's notAfter: 9999-12-31 23:59:59, "no well-defined expiration".
    expect(text(derGeneralizedTime(new Date('9999-12-31T23:59:59Z')))).toBe('18 99991231235959Z');
    for (const iso of ['2024-02-29T12:34:56Z', '1999-01-01T00:00:00Z', '2075-06-30T01:02:03Z', '0001-01-01T00:00:00Z']) {
      const d = new Date(iso);
      const back = readTime(decodeDer(derTime(d), 't'), 't');
      expect(back.toISOString()).toBe(d.toISOString());
    }
    expect(() => derTime(new Date('2024-01-01T00:00:00.5Z'))).toThrow(/whole seconds/);
  });

  it('SET OF is sorted by encoding (X.690 §11.6)', () => {
    expect(toHex(derSetOf(derInteger(2), derInteger(1)))).toBe('3106020101020102');
  });
});

describe('DER decoding is strict', () => {
  const rejects = (s: string, message: RegExp, read: (n: DerNode) => unknown = () => undefined) => {
    expect(() => read(node(s))).toThrow(DecodeError);
    expect(() => read(node(s))).toThrow(message);
  };

  it.each([
    ['indefinite length', '3080 0500 0000', /indefinite length/],
    ['long form for a short length', '0481 05 0102030405', /non-minimal length/],
    ['a leading zero length byte', `0482 0080 ${'00'.repeat(128)}`, /non-minimal length/],
    ['trailing bytes', '0500 00', /1 unexpected bytes after the DER value, at byte 2/],
    ['a length past the end', '0405 0102', /says 5 bytes, 2 left/],
    ['a missing length byte', '04', /no length byte/],
    ['high tag numbers', '1f2200', /high tag numbers/],
    ['more length bytes than needed', `0485 0000000001 00`, /more than this decoder accepts/],
  ])('rejects %s', (_name, bytes, message) => rejects(bytes, message));

  it.each([
    ['non-minimal positive INTEGER', '02020005', /fewest octets/, (n: DerNode) => readInteger(n, 'serial')],
    ['non-minimal negative INTEGER', '0202ff80', /fewest octets/, (n: DerNode) => readInteger(n, 'serial')],
    ['empty INTEGER', '0200', /no content octets/, (n: DerNode) => readInteger(n, 'serial')],
    ['BOOLEAN TRUE other than 0xFF', '010101', /only 0x00 and 0xFF/, (n: DerNode) => readBoolean(n, 'critical')],
    ['non-zero unused bits', '03020781', /unused bits not zero/, (n: DerNode) => readBitString(n, 'bits')],
    ['named bits with a trailing zero bit', '03020080', /trailing zero bits/, (n: DerNode) => readNamedBits(n, 'keyUsage')],
    ['an OID sub-identifier with a leading 0x80', '06032a8001', /leading 0x80/, (n: DerNode) => readOid(n, 'oid')],
    ['an OID cut inside a sub-identifier', '06022a86', /ends inside a sub-identifier/, (n: DerNode) => readOid(n, 'oid')],
    ['UTCTime without seconds', '170b323430313031303030305a', /expected YYMMDDHHMMSSZ/, (n: DerNode) => readTime(n, 'notBefore')],
    ['UTCTime with an offset', '17113234303130313030303030302b30313030', /expected YYMMDDHHMMSSZ/, (n: DerNode) => readTime(n, 'notBefore')],
    ['GeneralizedTime with fractions', '181132303234303130313030303030302e355a', /expected YYYYMMDDHHMMSSZ/, (n: DerNode) => readTime(n, 'notAfter')],
    ['February 30th', '170d3234303233303030303030305a', /not a calendar time/, (n: DerNode) => readTime(n, 'notBefore')],
    ['SET OF out of order', '3106020102020101', /out of DER order/, (n: DerNode) => readSetOf(n, 'rdn')],
    ['a primitive SEQUENCE', '1000', /expected SEQUENCE \(0x30\)/, (n: DerNode) => readSequence(n, 'seq')],
    ['a constructed OCTET STRING (BER only)', '2400', /expected OCTET STRING \(0x04\), got tag 0x24/, (n: DerNode) => readOctetString(n, 'extnValue')],
    ['invalid UTF-8', '0c01ff', /not valid UTF-8/, (n: DerNode) => readString(n, 'cn')],
    ['a PrintableString with "_"', '1303615f62', /cannot hold/, (n: DerNode) => readString(n, 'c')],
  ])('rejects %s', (_name, bytes, message, read) => rejects(bytes, message, read));

  it('reads a 200 kB string (no argument-spreading limits on hostile sizes)', () => {
    const big = derIa5String('a'.repeat(200_000));
    expect(readString(decodeDer(big, 'big'), 'cn')).toHaveLength(200_000);
  });

  it('says which field, and at which byte of the outer encoding, a nested value fails', () => {
    // SEQUENCE { INTEGER 1, SEQUENCE { INTEGER 00 05 } }: the bad INTEGER is at byte 5.
    const seq = node('3009 020101 3004 02020005');
    const inner = readSequence(readSequence(seq, 'outer')[1]!, 'inner')[0]!;
    expect(() => readInteger(inner, 'tbsCertificate.serialNumber')).toThrow('test: tbsCertificate.serialNumber at byte 7: INTEGER not in the fewest octets');
  });
});

describe('DER properties', () => {
  /** A random tree of the types certificates use, from a seeded stream. */
  function randomValue(random: (n: number) => Uint8Array, depth: number): Uint8Array {
    const pick = random(1)[0]! % (depth > 3 ? 5 : 8);
    const len = random(1)[0]! % 40;
    switch (pick) {
      case 0: {
        const bytes = random(1 + (random(1)[0]! % 24));
        let v = 0n;
        for (const b of bytes) v = (v << 8n) | BigInt(b);
        return derInteger(random(1)[0]! & 1 ? -v : v);
      }
      case 1:
        return derOctetString(random(len));
      case 2:
        return derBoolean((random(1)[0]! & 1) === 1);
      case 3:
        return derOid(`${random(1)[0]! % 3}.${random(1)[0]! % 40}.${random(4).reduce((a, b) => a * 256 + b, 0)}`);
      case 4:
        return derBitString(random(len));
      case 5:
        return derSequence(...Array.from({ length: random(1)[0]! % 5 }, () => randomValue(random, depth + 1)));
      case 6:
        return derSetOf(...Array.from({ length: random(1)[0]! % 4 }, () => randomValue(random, depth + 1)));
      default:
        return derExplicit(random(1)[0]! % 4, randomValue(random, depth + 1));
    }
  }

  /** Re-encodes a decoded tree from its parts: DER has one encoding, so this must give the input back. */
  function reencode(n: DerNode): Uint8Array {
    if (!n.constructed) return n.raw;
    const children = n.children('tree').map(reencode);
    if (n.tag === 0x31) return derSetOf(...children);
    if (n.tag === 0x30) return derSequence(...children);
    return derExplicit(n.tag & 0x1f, children[0] ?? new Uint8Array(0));
  }

  it('decoding then re-encoding 500 random trees gives the same bytes, and readers give back the values', () => {
    const random = seededRandom(1, 'der-property');
    for (let i = 0; i < 500; i++) {
      const encoded = randomValue(random, 0);
      const decoded = decodeDer(encoded, 'tree');
      expect(toHex(reencode(decoded))).toBe(toHex(encoded));
      if (decoded.tag === 0x02) expect(toHex(derInteger(readInteger(decoded, 'n')))).toBe(toHex(encoded));
      if (decoded.tag === 0x06) expect(toHex(derOid(readOid(decoded, 'oid')))).toBe(toHex(encoded));
    }
  });

  it('INTEGER round-trips at every byte boundary from -2^80 to 2^80', () => {
    for (let bits = 0n; bits <= 80n; bits++) {
      for (const v of [(1n << bits) - 1n, 1n << bits, -(1n << bits), -(1n << bits) - 1n]) {
        expect(readInteger(decodeDer(derInteger(v), 'n'), 'n')).toBe(v);
      }
    }
  });

  it('mangled encodings only ever raise DecodeError', () => {
    const random = seededRandom(2, 'der-fuzz');
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = Uint8Array.from(randomValue(random, 0));
      const at = random(2).reduce((a, b) => a * 256 + b, 0) % bytes.length;
      bytes[at] = random(1)[0]!;
      const cut = bytes.subarray(0, bytes.length - (random(1)[0]! % 3 === 0 ? 1 : 0));
      try {
        const walk = (n: DerNode): void => {
          if (n.constructed) n.children('x').forEach(walk);
          else if (n.tag === 0x02) readInteger(n, 'x');
          else if (n.tag === 0x06) readOid(n, 'x');
          else if (n.tag === 0x03) readBitString(n, 'x');
          else if (n.tag === 0x01) readBoolean(n, 'x');
        };
        walk(decodeDer(cut, 'fuzz'));
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});
