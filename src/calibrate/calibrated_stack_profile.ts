import { InputError } from '../scenario/errors.js';
import type { Figure } from '../scenario/figure.js';
import { stackProfileSchema, type CoreFamily, type CycleCostId, type CycleTable, type StackProfile } from '../scenario/profile_schemas.js';
import { parseOrThrow } from '../scenario/zod_errors.js';
import { unmeasurable, wholeRateSpan_ms, type BenchmarkLine, type BenchmarkOutput, type PublicOpKind } from './mbedtls_benchmark_output.js';

/**
 * Turns Mbed TLS benchmark output into a stack profile: every cycle figure is `derived` from
 * the line(s) it comes from at the clock the user states (cycles = time x clock), so `profiles
 * show` and the simulator reproduce the measured times on that clock and scale them with it on
 * others. Library facts the benchmark does not measure (DTLS timers, wire behaviour, memory)
 * come from a base stack profile, with their own sources.
 */

export interface CalibrationRequest {
  output: BenchmarkOutput;
  /** How sources name the input (its file name). */
  file: string;
  /** The device profile id, or the board name the user gave. */
  device: string;
  core: CoreFamily;
  clock_MHz: number;
  base: StackProfile;
  id: string;
}

export interface Calibration {
  profile: StackProfile;
  /** Each figure written, with the lines it is derived from. */
  used: { figure: CycleCostId; lines: number[] }[];
  /** Result lines no figure is derived from (other key sizes, curves, primitives). */
  unused: BenchmarkLine[];
  /** Lines for a primitive the profile needs that say it did not run (FAILED, not supported). */
  not_run: BenchmarkLine[];
}

/** A measured line: its value in the figure's unit and the span its print resolution allows. */
interface Sample {
  line: BenchmarkLine;
  value: number;
  span: [number, number];
  /** How the value follows from the line, for `derived`. */
  formula: string;
}

/** Which result line measures what: a title (aliases allowed) and the kind of figure it prints. */
interface LineKey {
  titles: readonly string[];
  kind: 'throughput' | PublicOpKind;
}

const KEYS = {
  sha256: { titles: ['SHA-256'], kind: 'throughput' },
  aes_cbc: { titles: ['AES-CBC-128'], kind: 'throughput' },
  aes_ccm: { titles: ['AES-CCM-128'], kind: 'throughput' },
  aes_gcm: { titles: ['AES-GCM-128'], kind: 'throughput' },
  chachapoly: { titles: ['ChaCha20-Poly1305'], kind: 'throughput' },
  chacha20: { titles: ['ChaCha20'], kind: 'throughput' },
  ctr_drbg: { titles: ['CTR_DRBG (NOPR)'], kind: 'throughput' },
  rsa_public: { titles: ['RSA-2048'], kind: 'public' },
  rsa_private: { titles: ['RSA-2048'], kind: 'private' },
  ecdsa_sign: { titles: ['ECDSA-secp256r1'], kind: 'sign' },
  ecdsa_verify: { titles: ['ECDSA-secp256r1'], kind: 'verify' },
  p256_ecdhe: { titles: ['ECDHE-secp256r1'], kind: 'handshake' },
  p256_ecdh: { titles: ['ECDH-secp256r1'], kind: 'handshake' },
  // Mbed TLS 2.28 names Curve25519 "x25519" in its curve list and "Curve25519" in the
  // benchmark's Montgomery list, and prints both rows: they time the same operations.
  x25519_ecdhe: { titles: ['ECDHE-Curve25519', 'ECDHE-x25519'], kind: 'handshake' },
  x25519_ecdh: { titles: ['ECDH-Curve25519', 'ECDH-x25519'], kind: 'handshake' },
} as const satisfies Record<string, LineKey>;
type KeyName = keyof typeof KEYS;

const AES_BLOCK_BYTES = 16;
const SHA256_BLOCK_BYTES = 64;
const CHACHA20_BLOCK_BYTES = 64;

/** Six significant digits: enough for any benchmark print, short enough to read. */
const round6 = (x: number): number => Number(x.toPrecision(6));
const show = (x: number): string => String(round6(x));
const quote = (l: BenchmarkLine): string => `line ${l.line} "${l.text.trim().replace(/\s+/g, ' ')}"`;

export function calibrateStackProfile(req: CalibrationRequest): Calibration {
  const { output, clock_MHz: mhz } = req;
  const usedLines = new Set<number>();
  const notRun = new Map<number, BenchmarkLine>();

  const linesFor = (key: LineKey): BenchmarkLine[] =>
    output.lines.filter((l) => (key.titles as readonly string[]).includes(l.title) && (l.measurement.kind === 'not_run' || kindOf(l) === key.kind));

  /** The samples of one key, in cycles (per byte for throughput, per op otherwise). */
  const samples = (name: KeyName): Sample[] => {
    const key = KEYS[name];
    const lines = linesFor(key);
    for (const l of output.lines) {
      // A known title printed as the other kind of figure is a misread file, not noise.
      const k = kindOf(l);
      if ((key.titles as readonly string[]).includes(l.title) && k !== undefined && (k === 'throughput') !== (key.kind === 'throughput'))
        throw new InputError(`${req.file} ${quote(l)}: ${l.title} is ${key.kind === 'throughput' ? 'a throughput row; expected "<n> KiB/s"' : 'a public-key row; expected "<n> ms/<op>" or "<n> <op>/s"'}`);
    }
    for (const l of lines) if (l.measurement.kind === 'not_run') notRun.set(l.line, l);
    return lines.flatMap((l) => {
      const why = unmeasurable(l.measurement);
      if (why !== undefined) throw new InputError(`${req.file} ${quote(l)}: ${why}`);
      const s = sampleOf(l, mhz);
      return s ? [s] : [];
    });
  };

  const table: CycleTable = {};
  const used: Calibration['used'] = [];
  const source = (lines: BenchmarkLine[]): string =>
    `${req.file}: output of Mbed TLS's benchmark program${output.library_version ? ` (Mbed TLS ${output.library_version}, as the file states)` : ''}, run on ${req.device} at ${mhz} MHz (the clock given to handshake-sim calibrate); ${lines.map(quote).join('; ')}`;
  const put = (id: CycleCostId, fig: Figure, from: BenchmarkLine[]): void => {
    table[id] = fig;
    used.push({ figure: id, lines: from.map((l) => l.line) });
    for (const l of from) usedLines.add(l.line);
  };

  /** A figure straight from one key's line(s): the first line's value, every line's span. */
  const direct = (id: CycleCostId, name: KeyName, unit: string, note?: string): (Sample & { lines: BenchmarkLine[] }) | undefined => {
    const s = samples(name);
    if (s.length === 0) return undefined;
    const first = s[0]!;
    const lo = Math.min(...s.map((x) => x.span[0]));
    const hi = Math.max(...s.map((x) => x.span[1]));
    const others = s.length > 1 ? ` Value from the first of ${s.length} rows timing the same operation (${s.map((x) => `line ${x.line.line}`).join(', ')}); the range spans them all.` : '';
    const resolution = first.span[0] < first.span[1] ? ` ${resolutionNote(first.line)}` : '';
    const printed = printedCyclesNote(first.line);
    put(id, figure(first.value, [lo, hi], source(s.map((x) => x.line)), `${first.formula} = ${show(first.value)} ${unit}`, `${note ?? ''}${others}${resolution}${printed}`.trim()), s.map((x) => x.line));
    return { ...first, span: [lo, hi], lines: s.map((x) => x.line) };
  };

  // Symmetric primitives, cycles per byte.
  const sha = direct('sha256.cycles_per_byte', 'sha256', 'cycles/byte', 'The benchmark hashes 1024-byte buffers with one-shot mbedtls_sha256(), so the rate includes one padding block per 16 data blocks.');
  if (sha)
    put(
      'sha256.finish_cycles',
      figure(sha.value * SHA256_BLOCK_BYTES, spanTimes(sha.span, SHA256_BLOCK_BYTES), undefined, `one 64-byte compression block at the SHA-256 rate: 64 x ${show(sha.value)} = ${show(sha.value * SHA256_BLOCK_BYTES)} cycles`, 'Only the final padded block is counted, as in the shipped mbedtls-2.28 profile.'),
      [sha.line],
    );
  const cbc = direct('aes128_cbc.cycles_per_byte', 'aes_cbc', 'cycles/byte', 'mbedtls_aes_crypt_cbc on 1024-byte buffers; per record the CBC suites add the HMAC-SHA256 of the record, priced as hmac_sha256.');
  if (cbc)
    put(
      'aes128.block_cycles',
      figure(cbc.value * AES_BLOCK_BYTES, spanTimes(cbc.span, AES_BLOCK_BYTES), undefined, `one 16-byte block at the AES-CBC-128 rate: 16 x ${show(cbc.value)} = ${show(cbc.value * AES_BLOCK_BYTES)} cycles`, 'The CBC XOR adds a little to the bare block cipher.'),
      [cbc.line],
    );

  const ccm = direct('aes128_ccm.cycles_per_byte', 'aes_ccm', 'cycles/byte', 'mbedtls_ccm_encrypt_and_tag on 1024-byte buffers, 12-byte nonce, no AAD, 16-byte tag.');
  if (ccm) {
    const blocks = 3;
    put(
      'aes128_ccm.setup_cycles',
      cbc
        ? figure(blocks * AES_BLOCK_BYTES * cbc.value, spanTimes(cbc.span, blocks * AES_BLOCK_BYTES), undefined, `3 AES blocks per CCM call (B0, counter block 0, one AAD block) x 16 B x ${show(cbc.value)} cycles/byte (AES-CBC-128, ${quote(cbc.line)}) = ${show(blocks * AES_BLOCK_BYTES * cbc.value)} cycles`, 'The per-byte rate already holds the B0 and counter-0 blocks of each 1024-byte call (about 1 %), so this double-counts that share.')
        : zeroFigure('0: the output has no AES-CBC-128 row to price an AES block, so the per-call blocks stay folded into the per-byte rate of the 1024-byte calls'),
      cbc ? [cbc.line] : [],
    );
  }
  const gcm = direct('aes128_gcm.cycles_per_byte', 'aes_gcm', 'cycles/byte', 'mbedtls_gcm_crypt_and_tag on 1024-byte buffers, 12-byte IV, no AAD, 16-byte tag.');
  if (gcm) {
    const ghash = cbc ? gcm.value - cbc.value : 0;
    const setup = cbc ? AES_BLOCK_BYTES * cbc.value + 2 * AES_BLOCK_BYTES * ghash : 0;
    put(
      'aes128_gcm.setup_cycles',
      cbc && ghash > 0
        ? figure(setup, [setup, setup], undefined, `per GCM record one AES block for E(K, J0) + two GHASH blocks (AAD, lengths): 16 x ${show(cbc.value)} + 2 x 16 x (${show(gcm.value)} - ${show(cbc.value)}) = ${show(setup)} cycles, taking GHASH's share of the GCM rate as the GCM rate minus the AES-CBC-128 rate (${quote(cbc.line)})`)
        : zeroFigure(cbc ? '0: the GCM rate is not above the AES-CBC-128 rate, so GHASH has no share to price; the per-call blocks stay folded into the per-byte rate' : '0: the output has no AES-CBC-128 row to price an AES block, so the per-call blocks stay folded into the per-byte rate of the 1024-byte calls'),
      cbc ? [cbc.line, gcm.line] : [gcm.line],
    );
  }
  const chachapoly = direct('chacha20_poly1305.cycles_per_byte', 'chachapoly', 'cycles/byte', 'mbedtls_chachapoly_encrypt_and_tag on 1024-byte buffers, no AAD.');
  if (chachapoly) {
    const chacha = samples('chacha20')[0];
    if (chacha) usedLines.add(chacha.line.line);
    put(
      'chacha20_poly1305.setup_cycles',
      chacha
        ? figure(CHACHA20_BLOCK_BYTES * chacha.value, spanTimes(chacha.span, CHACHA20_BLOCK_BYTES), source([chacha.line]), `one 64-byte ChaCha20 block for the Poly1305 key (RFC 8439 section 2.6) at the ChaCha20 rate: 64 x ${show(chacha.value)} = ${show(CHACHA20_BLOCK_BYTES * chacha.value)} cycles`, 'The final Poly1305 lengths block is not counted.')
        : zeroFigure('0: the output has no ChaCha20 row to price the Poly1305 key block, so it stays folded into the per-byte rate of the 1024-byte calls'),
      chacha ? [chacha.line] : [],
    );
  }
  direct('rng.cycles_per_byte', 'ctr_drbg', 'cycles/byte', 'CTR_DRBG without prediction resistance, 1024-byte outputs: per-call work is amortised, so 32-byte requests cost more per byte; entropy gathering and reseeding are not included.');

  // Public-key operations, whole-op cycles.
  const ecpNote = 'Mbed TLS ECP: the result depends on MBEDTLS_ECP_WINDOW_SIZE and MBEDTLS_ECP_FIXED_POINT_OPTIM of the build that ran the benchmark.';
  direct('p256.ecdsa_sign_cycles', 'ecdsa_sign', 'cycles', `mbedtls_ecdsa_write_signature over a buffer it takes as the digest, so hashing the signed data is priced separately. ${ecpNote}`);
  direct('p256.ecdsa_verify_cycles', 'ecdsa_verify', 'cycles', ecpNote);
  keygenAndEcdh('p256', 'p256_ecdhe', 'p256_ecdh');
  keygenAndEcdh('x25519', 'x25519_ecdhe', 'x25519_ecdh');
  direct('rsa2048.public_cycles', 'rsa_public', 'cycles', 'mbedtls_rsa_public: the public exponent of the benchmark key (65537).');
  direct('rsa2048.private_cycles', 'rsa_private', 'cycles', 'mbedtls_rsa_private, with the CRT as mbedtls_rsa_pkcs1_sign uses it.');

  /**
   * The ECDHE row times mbedtls_ecdh_make_public + calc_secret, the ECDH row calc_secret alone
   * (programs/test/benchmark.c), so key generation is their difference.
   */
  function keygenAndEcdh(curve: 'p256' | 'x25519', ecdheKey: KeyName, ecdhKey: KeyName): void {
    const ecdh = direct(`${curve}.ecdh_cycles`, ecdhKey, 'cycles', ecpNote);
    const ecdhe = samples(ecdheKey);
    if (!ecdh || ecdhe.length === 0) return;
    const e = ecdhe[0]!;
    const value = e.value - ecdh.value;
    if (!(value > 0))
      throw new InputError(
        `${req.file} ${quote(e.line)}: an ECDHE handshake must take longer than the ECDH one (${quote(ecdh.line)}): ECDHE is key generation plus ECDH, so key generation would be ${show(value)} cycles`,
      );
    const lo = Math.max(0, Math.min(...ecdhe.map((x) => x.span[0])) - ecdh.span[1]);
    const hi = Math.max(...ecdhe.map((x) => x.span[1])) - ecdh.span[0];
    const lines = [...ecdhe.map((x) => x.line), ...ecdh.lines];
    put(
      `${curve}.keygen_cycles`,
      figure(value, [lo, hi], source(lines), `ECDHE row minus ECDH row: (${e.formula}) - (${ecdh.formula}) = ${show(value)} cycles`, 'The ECDHE row times mbedtls_ecdh_make_public + mbedtls_ecdh_calc_secret, the ECDH row calc_secret alone (programs/test/benchmark.c), so key generation is the difference; the range combines both rows\' spans.'),
      lines,
    );
  }

  if (used.length === 0)
    throw new InputError(
      `${req.file}: none of its result lines gives a figure the simulator uses; expected rows such as SHA-256, AES-CCM-128, CTR_DRBG (NOPR), ECDSA-secp256r1, ECDHE-secp256r1 / ECDH-secp256r1 or RSA-2048`,
    );

  const base = req.base;
  const profile = parseOrThrow(
    stackProfileSchema,
    {
      id: req.id,
      kind: 'stack',
      name: `Mbed TLS calibrated from ${req.file} on ${req.device} @ ${mhz} MHz`,
      version: output.library_version ?? base.version,
      description:
        `Cycle costs for core ${req.core}, written by handshake-sim calibrate from ${req.file}, the output of Mbed TLS's benchmark program ` +
        `run on ${req.device} at ${mhz} MHz${output.library_version ? ` (Mbed TLS ${output.library_version})` : ''}: each figure is derived from the row it names, ` +
        `cycles = time x ${mhz} MHz. They are what that build measured: work a hardware accelerator did through an _ALT driver is priced here as the core's ` +
        `software, and the figures scale with the clock as software does. DTLS timers, wire behaviour and memory are those of stack ${base.id} (${base.name}), with their sources.`,
      cycles: { [req.core]: table },
      dtls: base.dtls,
      wire: base.wire,
      memory: base.memory,
    },
    `calibrated stack profile ${req.id}`,
  );
  return {
    profile,
    used,
    unused: output.lines.filter((l) => !usedLines.has(l.line) && !notRun.has(l.line)),
    not_run: [...notRun.values()],
  };
}

function kindOf(l: BenchmarkLine): 'throughput' | PublicOpKind | undefined {
  const m = l.measurement;
  return m.kind === 'throughput' ? 'throughput' : m.kind === 'per_op' ? m.op : undefined;
}

/** One line in cycles: per byte for throughput (clock / bytes per second), per op otherwise (time x clock). */
function sampleOf(line: BenchmarkLine, mhz: number): Sample | undefined {
  const m = line.measurement;
  if (m.kind === 'not_run') return undefined;
  if (m.kind === 'throughput') {
    const value = (mhz * 1e6) / (m.kib_per_s * 1024);
    return { line, value, span: [value, value], formula: `${mhz} MHz / (${m.kib_per_s} ${m.unit_label}/s x 1024 B)` };
  }
  const toCycles = (ms: number) => ms * mhz * 1000;
  const value = toCycles(m.time_ms);
  if (m.printed.unit === 'ms/op') return { line, value, span: [value, value], formula: `${m.printed.value} ms/${m.op} x ${mhz} MHz` };
  const [lo_ms, hi_ms] = m.printed.whole ? wholeRateSpan_ms(m.printed.value) : [m.time_ms, m.time_ms];
  const span: [number, number] = [toCycles(lo_ms), toCycles(hi_ms)];
  return { line, value, span, formula: `1000 / ${m.printed.value} ${m.op}/s = ${show(m.time_ms)} ms x ${mhz} MHz` };
}

function resolutionNote(l: BenchmarkLine): string {
  return `${l.title} is printed as a whole number of operations per second, counted over 3 seconds (ii / 3 in TIME_PUBLIC, programs/test/benchmark.c), so one operation takes anywhere in the range; a port that prints ms per operation or decimals is more precise.`;
}

/** Why a throughput row's own cycles/byte is quoted but not used. */
function printedCyclesNote(l: BenchmarkLine): string {
  const m = l.measurement;
  if (m.kind !== 'throughput' || m.printed_cycles_per_byte === undefined) return '';
  return ` The row also prints ${m.printed_cycles_per_byte} cycles/byte, counted by mbedtls_timing_hardclock() over 1024 more calls: CPU cycles only where the port reads a cycle counter (the yotta port read the DWT counter), so the value uses the KiB/s and the clock instead.`;
}

function spanTimes(span: [number, number], k: number): [number, number] {
  return [span[0] * k, span[1] * k];
}

function figure(value: number, span: [number, number], source: string | undefined, derived: string, note?: string): Figure {
  const [lo, hi] = [round6(span[0]), round6(span[1])];
  return {
    value: round6(value),
    ...(lo < hi ? { range: [lo, hi] as [number, number] } : {}),
    ...(source !== undefined ? { source } : {}),
    derived,
    ...(note ? { note } : {}),
  };
}

function zeroFigure(derived: string): Figure {
  return { value: 0, derived };
}
