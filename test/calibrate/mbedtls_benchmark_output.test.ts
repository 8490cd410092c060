import { describe, expect, it } from 'vitest';
import { parseMbedtlsBenchmark, unmeasurable, wholeRateSpan_ms } from '../../src/calibrate/mbedtls_benchmark_output.js';
import { InputError } from '../../src/scenario/errors.js';

/** Lines as the printf formats of the benchmark ports write them (see the module's doc comment). */
const MBEDTLS_2_28 = [
  'mbedtls benchmark', // a banner: not a result
  '  SHA-256                  :       1957 KiB/s,         59 cycles/byte',
  '  RSA-2048                 :      24  public/s', // TYPE " public" after "%6lu "
  '  RSA-2048                 :       1 private/s      3100 heap bytes', // MBEDTLS_MEMORY_DEBUG
  '  ECDHE-secp256r1          :       1 full handshake/s',
  '  AES-XTS-128              :  Feature Not Supported. Skipping.',
  '  DHE-2048                 :  FAILED: -0x0010',
].join('\n');

describe('parsing the output of Mbed TLS benchmark ports', () => {
  it('reads the Mbed TLS 2.28 formats: KiB/s with cycles, whole operations per second, heap suffix, rows that did not run', () => {
    const out = parseMbedtlsBenchmark(MBEDTLS_2_28, 'b.txt');
    expect(out.lines.map((l) => [l.line, l.title])).toEqual([
      [2, 'SHA-256'],
      [3, 'RSA-2048'],
      [4, 'RSA-2048'],
      [5, 'ECDHE-secp256r1'],
      [6, 'AES-XTS-128'],
      [7, 'DHE-2048'],
    ]);
    const [sha, pub, priv, full, xts, dhe] = out.lines.map((l) => l.measurement);
    expect(sha).toEqual({ kind: 'throughput', kib_per_s: 1957, unit_label: 'KiB', printed_cycles_per_byte: 59 });
    expect(pub).toMatchObject({ kind: 'per_op', op: 'public', printed: { unit: 'op/s', value: 24, whole: true } });
    expect(pub!.kind === 'per_op' && pub!.time_ms).toBeCloseTo(1000 / 24, 12);
    expect(priv).toMatchObject({ kind: 'per_op', op: 'private', time_ms: 1000 });
    expect(full).toMatchObject({ kind: 'per_op', op: 'full handshake' });
    expect(xts).toEqual({ kind: 'not_run', why: 'Feature Not Supported. Skipping.' });
    expect(dhe).toEqual({ kind: 'not_run', why: 'FAILED: -0x0010' });
  });

  it('reads the yotta/mbed OS port (ms per operation, "Kb/s"), NXP SDK decimals, CRLF, comments and greentea markers', () => {
    const text = [
      '# a comment : with a colon',
      '{{timeout;150}}',
      'mbedTLS version 2.28.5',
      'fsys=96000000',
      'Using following implementations:',
      '  SHA: ELE200 HW accelerated', // no space before the colon: not a result row
      '  SHA-1                    :       3644 Kb/s,         32 cycles/byte',
      '  RSA-2048                 :      41 ms/ public',
      '  ECDSA-secp256r1          :     387 ms/sign',
      '  AES-CCM-128              :  1321.54 KiB/s,   70.70 cycles/byte',
      '  ECDSA-secp256r1          :   82.33 sign/s',
      '  SHA-256                  :       1673 KB/s',
    ].join('\r\n');
    const out = parseMbedtlsBenchmark(text, 'b.txt');
    expect(out.library_version).toBe('2.28.5');
    expect(out.stated_clock_Hz).toBe(96e6);
    expect(out.lines.map((l) => l.line)).toEqual([7, 8, 9, 10, 11, 12]);
    const m = out.lines.map((l) => l.measurement);
    expect(m[0]).toEqual({ kind: 'throughput', kib_per_s: 3644, unit_label: 'Kb', printed_cycles_per_byte: 32 });
    expect(m[1]).toMatchObject({ kind: 'per_op', op: 'public', time_ms: 41, printed: { unit: 'ms/op', value: 41 } });
    expect(m[2]).toMatchObject({ kind: 'per_op', op: 'sign', time_ms: 387 });
    expect(m[3]).toEqual({ kind: 'throughput', kib_per_s: 1321.54, unit_label: 'KiB', printed_cycles_per_byte: 70.7 });
    expect(m[4]).toMatchObject({ kind: 'per_op', op: 'sign', printed: { unit: 'op/s', value: 82.33, whole: false } });
    expect(m[5]).toEqual({ kind: 'throughput', kib_per_s: 1673, unit_label: 'KB' });
    expect(out.lines[2]!.text).toBe('  ECDSA-secp256r1          :     387 ms/sign');
  });

  it('refuses a result row it cannot read, naming the file, the line and its text', () => {
    const bad = '  SHA-256                  :       1957 KiB/s\n  ECDSA-secp256r1          :     387 ms per sign\n';
    expect(() => parseMbedtlsBenchmark(bad, 'k64f.txt')).toThrow(InputError);
    expect(() => parseMbedtlsBenchmark(bad, 'k64f.txt')).toThrow(/^k64f\.txt line 2 "ECDSA-secp256r1 +: +387 ms per sign": expected "<n> KiB\/s, <n> cycles\/byte"/);
  });

  it('refuses a file with no result row at all', () => {
    expect(() => parseMbedtlsBenchmark('hello\nworld: 3\n', 'x.txt')).toThrow(/^x\.txt: no benchmark result lines found/);
  });

  it('parses zeros but marks them unmeasurable, with the reason', () => {
    const out = parseMbedtlsBenchmark('  ECDSA-secp256r1          :       0 sign/s\n  SHA-256 :  0 KiB/s,  0 cycles/byte\n  RSA-2048 :  0 ms/ public\n', 'z.txt');
    const why = out.lines.map((l) => unmeasurable(l.measurement));
    expect(why[0]).toMatch(/^0 sign\/s; expected more than 0 \(fewer than one operation in the benchmark's 3 seconds/);
    expect(why[1]).toMatch(/^0 KiB\/s; expected more than 0/);
    expect(why[2]).toMatch(/^0 ms\/public; expected more than 0/);
    expect(unmeasurable(parseMbedtlsBenchmark('  SHA-256 :  1 KiB/s\n', 'o.txt').lines[0]!.measurement)).toBeUndefined();
  });
});

describe('the time span a whole "<n> <op>/s" row allows', () => {
  /**
   * TIME_PUBLIC of Mbed TLS 2.28, step by step: ii counts from 1, each pass runs the operation
   * (t_ms) and the loop ends at the first check after the 3-second alarm. Whole microseconds
   * keep the sums exact.
   */
  function printedRate(t_us: number): number {
    let ii = 1;
    let elapsed_us = 0;
    while (elapsed_us < 3_000_000) {
      elapsed_us += t_us;
      ii++;
    }
    return Math.floor(ii / 3);
  }

  it('contains every operation time that prints that rate, and the value 1000 / n', () => {
    for (let t_us = 20_000; t_us < 3_000_000; t_us += 701) {
      const n = printedRate(t_us);
      const [lo, hi] = wholeRateSpan_ms(n);
      const t_ms = t_us / 1000;
      expect({ t_ms, n, inside: t_ms >= lo - 1e-9 && t_ms < hi }).toEqual({ t_ms, n, inside: true });
      expect(1000 / n).toBeGreaterThanOrEqual(lo);
      expect(1000 / n).toBeLessThan(hi);
    }
  });

  it('is tight: 387 ms prints 3 sign/s, and 3 sign/s spans 300 to 428.6 ms, both ends reached', () => {
    expect(printedRate(387_000)).toBe(3);
    const [lo, hi] = wholeRateSpan_ms(3);
    expect(lo).toBeCloseTo(300, 9);
    expect(hi).toBeCloseTo(3000 / 7, 9);
    expect(printedRate(300_000)).toBe(3);
    expect(printedRate(299_999)).toBe(4);
    expect(printedRate(428_571)).toBe(3);
    expect(printedRate(428_572)).toBe(2);
  });
});
