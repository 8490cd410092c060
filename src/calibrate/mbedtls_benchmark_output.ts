import { InputError } from '../scenario/errors.js';

/**
 * Reads the text Mbed TLS's benchmark program prints. Its result lines all start with the
 * title padded by HEADER_FORMAT "  %-24s :  " (programs/test/benchmark.c, Mbed TLS 2.28), so a
 * result is a line with whitespace, a title, whitespace and a colon. After the colon:
 *
 * - symmetric primitives (TIME_AND_TSC): "%9lu KiB/s,  %9lu cycles/byte", the KiB/s being
 *   1024-byte calls per second (ii * BUFSIZE / 1024). Older ports printed "Kb/s" or "KB/s" for
 *   the same count (ARMmbed/mbed-os-example-tls benchmark/README.md, 2016-2017) and some
 *   dropped the cycles; NXP's SDK port prints both numbers with two decimals;
 * - public-key operations (TIME_PUBLIC): Mbed TLS 2.28 prints "%6lu <op>/s", operations per
 *   second as ii / 3 over a 3-second alarm; NXP's SDK port prints the same with two decimals;
 *   the mbed OS / yotta port of Mbed TLS 2.1-2.13 timed one operation and printed
 *   "%6lu ms/<op>" (yotta/data/example-benchmark/main.cpp). <op> is " public", "private",
 *   "sign", "verify", "handshake" or "full handshake"; a build with MBEDTLS_MEMORY_DEBUG appends
 *   "%6u heap bytes";
 * - "FAILED: ..." or "Feature Not Supported. Skipping." when the primitive could not run.
 *
 * Everything else (banners, greentea markers, "mbedTLS version ...", blank lines, lines starting
 * with '#') is not a result and is passed over.
 */

export type PublicOpKind = 'public' | 'private' | 'sign' | 'verify' | 'handshake' | 'full handshake';

export type Measurement =
  | {
      kind: 'throughput';
      /** 1024-byte calls per second. */
      kib_per_s: number;
      /** The unit label as printed (KiB, KB or Kb): all count 1024-byte calls. */
      unit_label: string;
      /** The cycles/byte the line prints, if it does (mbedtls_timing_hardclock over 1024 more calls). */
      printed_cycles_per_byte?: number;
    }
  | {
      kind: 'per_op';
      op: PublicOpKind;
      /** Time per operation: as printed (ms/op) or 1000 / (op/s); see unmeasurable() for zeros. */
      time_ms: number;
      /** How it was printed. */
      printed: { unit: 'ms/op'; value: number } | { unit: 'op/s'; value: number; whole: boolean };
    }
  | { kind: 'not_run'; why: string };

export interface BenchmarkLine {
  /** 1-based line number in the file. */
  line: number;
  /** The line as written, without its end-of-line characters. */
  text: string;
  title: string;
  measurement: Measurement;
}

export interface BenchmarkOutput {
  lines: BenchmarkLine[];
  /** "mbedTLS version X" if the output states it (NXP's SDK port does). */
  library_version?: string;
  /** "fsys=N" if the output states the core clock (NXP's SDK port does), in Hz. */
  stated_clock_Hz?: number;
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const OP_KIND = String.raw`(public|private|sign|verify|full handshake|handshake)`;
const HEAP_SUFFIX = String.raw`(?:\s+\d+ heap bytes)?`;
const RESULT_LINE = /^\s+(\S(?:.*?\S)?)\s+:\s*(.*?)\s*$/;
const THROUGHPUT = new RegExp(String.raw`^${NUMBER}\s+(KiB|KB|Kb)/s(?:,\s+${NUMBER}\s+cycles/byte)?$`);
const MS_PER_OP = new RegExp(String.raw`^${NUMBER}\s+ms/\s*${OP_KIND}${HEAP_SUFFIX}$`);
const OPS_PER_S = new RegExp(String.raw`^${NUMBER}\s+${OP_KIND}/s${HEAP_SUFFIX}$`);
const NOT_RUN = /^(FAILED\b.*|Feature [Nn]ot [Ss]upported\. Skipping\.)$/;

const EXPECTED =
  'expected "<n> KiB/s, <n> cycles/byte", "<n> ms/<op>" or "<n> <op>/s" (op: public, private, sign, verify, handshake, full handshake) after the title, as programs/test/benchmark.c prints';

function measurementOf(rest: string, where: () => string): Measurement {
  // Zeros parse: they are what the program printed. Only a figure taken from one is refused
  // (calibrated_stack_profile.ts), so a row nobody uses does not stop the rest.
  let m = THROUGHPUT.exec(rest);
  if (m) return { kind: 'throughput', kib_per_s: Number(m[1]), unit_label: m[2]!, ...(m[3] !== undefined ? { printed_cycles_per_byte: Number(m[3]) } : {}) };
  m = MS_PER_OP.exec(rest);
  if (m) return { kind: 'per_op', op: m[2] as PublicOpKind, time_ms: Number(m[1]), printed: { unit: 'ms/op', value: Number(m[1]) } };
  m = OPS_PER_S.exec(rest);
  if (m) {
    const rate = Number(m[1]);
    return { kind: 'per_op', op: m[2] as PublicOpKind, time_ms: 1000 / rate, printed: { unit: 'op/s', value: rate, whole: !m[1]!.includes('.') } };
  }
  if (NOT_RUN.test(rest)) return { kind: 'not_run', why: rest };
  throw new InputError(`${where()}: ${EXPECTED}`);
}

/** Why a parsed row gives no usable time, if it does not: a zero, or a rate too low to count. */
export function unmeasurable(m: Measurement): string | undefined {
  if (m.kind === 'throughput' && !(m.kib_per_s > 0)) return `${m.kib_per_s} ${m.unit_label}/s; expected more than 0`;
  if (m.kind !== 'per_op') return undefined;
  if (m.printed.unit === 'ms/op' && !(m.printed.value > 0))
    return `${m.printed.value} ms/${m.op}; expected more than 0 (the operation ran faster than the port's 1-ms timer could tell)`;
  if (m.printed.unit === 'op/s' && !(m.printed.value > 0))
    return `${m.printed.value} ${m.op}/s; expected more than 0 (fewer than one operation in the benchmark's 3 seconds: the output cannot say how long one takes)`;
  return undefined;
}

/** Parses benchmark output; `file` names the input in messages. */
export function parseMbedtlsBenchmark(text: string, file: string): BenchmarkOutput {
  const out: BenchmarkOutput = { lines: [] };
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r+$/, '');
    const lineNo = i + 1;
    if (line.trimStart().startsWith('#')) return;
    const version = /mbed ?TLS version\s+(\d+\.\d+(?:\.\d+)?)/i.exec(line);
    if (version) out.library_version = version[1]!;
    const fsys = /^\s*fsys\s*=\s*(\d+)\s*$/.exec(line);
    if (fsys) out.stated_clock_Hz = Number(fsys[1]);
    const r = RESULT_LINE.exec(line);
    if (!r) return;
    const where = () => `${file} line ${lineNo} ${JSON.stringify(line.trim())}`;
    out.lines.push({ line: lineNo, text: line, title: r[1]!, measurement: measurementOf(r[2]!, where) });
  });
  if (out.lines.length === 0)
    throw new InputError(`${file}: no benchmark result lines found; expected lines such as "  SHA-256                  :       1957 KiB/s,         59 cycles/byte" (the output of Mbed TLS's programs/test/benchmark)`);
  return out;
}

/**
 * The span of time per operation a whole "<n> <op>/s" line allows. Mbed TLS 2.28's TIME_PUBLIC
 * counts ii from 1 and runs the operation until a 3-second alarm is seen, so with k operations
 * done, ii = k + 1, n = floor(ii / 3), and the alarm fell during the k-th: (k - 1) t < 3 s <= k t.
 * k is 3n - 1, 3n or 3n + 1, so t lies in [3 / (3n + 1), 3 / (3n - 2)) seconds (for n = 1 the
 * top end is 3 s: k >= 2 because ii >= 3).
 */
export function wholeRateSpan_ms(n: number): [number, number] {
  const kMax = 3 * n + 1;
  const kMin = Math.max(2, 3 * n - 1);
  return [3000 / kMax, 3000 / (kMin - 1)];
}
