import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { runCli } from '../helpers/cli.js';

/** The published FRDM-K64F run (yotta README of mbed TLS 2.7-2.13), shipped as the example. */
const EXAMPLE = 'profiles/examples/mbedtls-benchmark-frdm-k64f.txt';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'handshake-sim-calibrate-'));
}

/** Calibrates FILE (at 120 MHz on cortex-m4-120 unless `flags` says otherwise) and returns the written profile's path with the command's result. */
function calibrate(file: string, flags: Record<string, string> = {}): { out: string; status: number | null; stdout: string; stderr: string } {
  const out = join(tempDir(), 'calibrated.yaml');
  const all = { '--clock-mhz': '120', '--device': 'cortex-m4-120', '--out': out, ...flags };
  const r = runCli(['calibrate', '--from', 'mbedtls-benchmark', file, ...Object.entries(all).flat()]);
  return { out, ...r };
}

function writeInput(text: string, name = 'bench.txt'): string {
  const file = join(tempDir(), name);
  writeFileSync(file, text);
  return file;
}

interface ShownOp {
  op: string;
  time_ms: number;
  engine: string;
}

function shownOps(stackFile: string): { ops: ShownOp[]; asymmetric_ops: ShownOp[] } {
  const r = runCli(['profiles', 'show', 'cortex-m4-120', '--stack', stackFile, '--format', 'json']);
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout);
}

describe('handshake-sim calibrate --from mbedtls-benchmark', () => {
  it('writes a stack profile that loads, every cycle figure derived from a named line of the input', () => {
    const r = calibrate(EXAMPLE);
    expect(r.status).toBe(0);
    const profile = loadProfile('stack', r.out, '.', 'test');
    expect(profile).toMatchObject({ id: 'mbedtls-calibrated-cortex-m4-120', kind: 'stack' });
    expect(Object.keys(profile.cycles)).toEqual(['cortex-m4']);
    const input = readFileSync(EXAMPLE, 'utf8').split('\n');
    const table = profile.cycles['cortex-m4']!;
    expect(Object.keys(table).sort()).toEqual(
      [
        'sha256.cycles_per_byte', 'sha256.finish_cycles', 'aes128_cbc.cycles_per_byte', 'aes128.block_cycles', 'aes128_ccm.cycles_per_byte',
        'aes128_ccm.setup_cycles', 'aes128_gcm.cycles_per_byte', 'aes128_gcm.setup_cycles', 'rng.cycles_per_byte', 'p256.keygen_cycles',
        'p256.ecdh_cycles', 'p256.ecdsa_sign_cycles', 'p256.ecdsa_verify_cycles', 'x25519.keygen_cycles', 'x25519.ecdh_cycles',
        'rsa2048.private_cycles', 'rsa2048.public_cycles',
      ].sort(),
    );
    for (const [id, f] of Object.entries(table)) {
      expect({ id, derived: typeof f!.derived }).toEqual({ id, derived: 'string' });
      // Every line a figure cites exists in the input with the text quoted.
      for (const m of `${f!.source ?? ''} ${f!.derived}`.matchAll(/line (\d+) "([^"]+)"/g)) {
        expect(input[Number(m[1]) - 1]!.trim().replace(/\s+/g, ' ')).toBe(m[2]);
      }
    }
    expect(table['p256.ecdsa_sign_cycles']!.derived).toBe('387 ms/sign x 120 MHz = 46440000 cycles');
    expect(table['p256.ecdsa_sign_cycles']!.source).toMatch(/^mbedtls-benchmark-frdm-k64f\.txt: output of Mbed TLS's benchmark program, run on cortex-m4-120 at 120 MHz .*line 41 "ECDSA-secp256r1 : 387 ms\/sign"$/);
    // Timers, wire and memory come from the base stack, with their sources.
    const base = loadProfile('stack', 'mbedtls-2.28', '.', 'test');
    expect(profile.dtls).toEqual(base.dtls);
    expect(profile.memory).toEqual(base.memory);
    expect(profile.wire).toEqual(base.wire);
    expect(r.stderr).toMatch(/^calibrated 17 figures for cortex-m4 at 120 MHz from mbedtls-benchmark-frdm-k64f\.txt:/);
    expect(r.stderr).toMatch(/not in the output, so handshakes that need them in software are refused: chacha20_poly1305\.cycles_per_byte/);
  });

  it('reproduces every input figure through the pricing of profiles show', () => {
    const { ops, asymmetric_ops } = shownOps(calibrate(EXAMPLE).out);
    const ms = (list: ShownOp[], op: string) => {
      const o = list.find((x) => x.op === op)!;
      expect(o.engine).toBe('software');
      return o.time_ms;
    };
    // Public-key rows print ms per operation (keygen = ECDHE row - ECDH row).
    const expected: [string, number][] = [
      ['p256.ecdsa_sign', 387],
      ['p256.ecdsa_verify', 751],
      ['p256.ecdh', 365],
      ['p256.keygen', 730 - 365],
      ['x25519.ecdh', 303],
      ['x25519.keygen', 611 - 303],
      ['rsa2048.verify', 41],
      ['rsa2048.sign', 1349],
    ];
    for (const [op, want] of expected) expect({ op, rel: Math.abs(ms(asymmetric_ops, op) / want - 1) < 1e-5 }).toEqual({ op, rel: true });
    // Symmetric rows print 1024-byte calls per second: 1 KiB takes 1000 / rate ms (CCM adds its per-record blocks).
    const cbcBlock_ms = (16 * 1000) / (1359 * 1024);
    const symmetric: [string, number][] = [
      ['sha256.update', 1000 / 1957],
      ['aes128_cbc.encrypt', 1000 / 1359],
      ['rng', 1000 / 1002],
      ['aes128_ccm.encrypt', 1000 / 542 + 3 * cbcBlock_ms],
    ];
    for (const [op, want] of symmetric) expect({ op, rel: Math.abs(ms(ops, op) / want - 1) < 1e-5 }).toEqual({ op, rel: true });
  });

  it('gives the public-key cycles of the shipped mbedtls-2.28 profile, which cites the same published run', () => {
    const calibrated = loadProfile('stack', calibrate(EXAMPLE).out, '.', 'test').cycles['cortex-m4']!;
    const shipped = loadProfile('stack', 'mbedtls-2.28', '.', 'test').cycles['cortex-m4']!;
    for (const id of ['p256.keygen_cycles', 'p256.ecdh_cycles', 'p256.ecdsa_sign_cycles', 'p256.ecdsa_verify_cycles', 'x25519.keygen_cycles', 'x25519.ecdh_cycles', 'rsa2048.private_cycles', 'rsa2048.public_cycles'] as const)
      expect({ id, cycles: calibrated[id]!.value }).toEqual({ id, cycles: shipped[id]!.value });
    // The shipped symmetric rates use the printed cycles/byte (59, 216, ...); KiB/s at 120 MHz agrees within 1.5 %.
    for (const id of ['sha256.cycles_per_byte', 'aes128_ccm.cycles_per_byte', 'aes128_gcm.cycles_per_byte', 'aes128_cbc.cycles_per_byte', 'rng.cycles_per_byte'] as const)
      expect({ id, close: Math.abs(calibrated[id]!.value / shipped[id]!.value - 1) < 0.015 }).toEqual({ id, close: true });
  });

  it('prints the same YAML on stdout as it writes with --out, byte for byte, run after run', () => {
    const a = calibrate(EXAMPLE);
    const b = runCli(['calibrate', '--from', 'mbedtls-benchmark', EXAMPLE, '--clock-mhz', '120', '--device', 'cortex-m4-120']);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(readFileSync(a.out, 'utf8'));
    expect(readFileSync(calibrate(EXAMPLE).out, 'utf8')).toBe(b.stdout);
  });

  it('scales with the clock it is told: the same rows at 60 MHz are half the cycles', () => {
    const at120 = loadProfile('stack', calibrate(EXAMPLE).out, '.', 't').cycles['cortex-m4']!;
    const at60 = loadProfile('stack', calibrate(EXAMPLE, { '--clock-mhz': '60' }).out, '.', 't').cycles['cortex-m4']!;
    expect(at60['p256.ecdsa_sign_cycles']!.value * 2).toBe(at120['p256.ecdsa_sign_cycles']!.value);
  });

  it('calibrates a board without a device profile for the core named with --core, and Mbed TLS 2.28 "<n> <op>/s" rows with their resolution as a range', () => {
    const file = writeInput(['  ECDSA-secp256r1          :       3 sign/s', '  ECDSA-secp256r1          :       1 verify/s'].join('\n'));
    const out = join(tempDir(), 'b.yaml');
    const r = runCli(['calibrate', '--from', 'mbedtls-benchmark', file, '--device', 'my board', '--core', 'cortex-m33', '--clock-mhz', '64', '--out', out]);
    expect(r.status).toBe(0);
    const profile = loadProfile('stack', out, '.', 't');
    expect(profile.id).toBe('mbedtls-calibrated-my-board');
    const sign = profile.cycles['cortex-m33']!['p256.ecdsa_sign_cycles']!;
    // 3 sign/s: 333.3 ms as printed, anywhere in [300, 428.6) ms by TIME_PUBLIC's counting.
    expect(sign.value).toBe(21333300);
    expect(sign.range).toEqual([19200000, 27428600]);
    expect(sign.note).toMatch(/whole number of operations per second, counted over 3 seconds/);
  });

  it('exits 2 naming the line for a row it cannot read, a zero it would use, and an ECDHE row not above ECDH', () => {
    const bad = calibrate(writeInput('  SHA-256                  :       1957 KiB/s\n  ECDSA-secp256r1          :     387 ms per sign\n'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^handshake-sim: bench\.txt line 2 "ECDSA-secp256r1 +: +387 ms per sign": expected "<n> KiB\/s/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const zero = calibrate(writeInput('  ECDSA-secp256r1          :       0 sign/s\n  ECDHE-secp256r1          :       0 full handshake/s\n'));
    expect(zero.status).toBe(2);
    expect(zero.stderr).toMatch(/bench\.txt line 1 "ECDSA-secp256r1 : 0 sign\/s": 0 sign\/s; expected more than 0/);
    const order = calibrate(writeInput('  ECDHE-secp256r1 :  300 ms/handshake\n  ECDH-secp256r1 :  365 ms/handshake\n'));
    expect(order.status).toBe(2);
    expect(order.stderr).toMatch(/line 1 "ECDHE-secp256r1 : 300 ms\/handshake": an ECDHE handshake must take longer than the ECDH one \(line 2/);
    const kind = calibrate(writeInput('  SHA-256 :  3 sign/s\n'));
    expect(kind.status).toBe(2);
    expect(kind.stderr).toMatch(/line 1 "SHA-256 : 3 sign\/s": SHA-256 is a throughput row; expected "<n> KiB\/s"/);
    const none = calibrate(writeInput('  SHA-512 :  587 KiB/s\n'));
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/bench\.txt: none of its result lines gives a figure the simulator uses/);
  });

  it('exits 2 naming the flag for a bad clock, an unknown device, a clock the file contradicts, a bad id and a missing file', () => {
    for (const clock of ['0', '-5', 'abc']) {
      const r = calibrate(EXAMPLE, { '--clock-mhz': clock });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/--clock-mhz: got (0|-5|NaN), expected the core clock the benchmark ran at, in MHz/);
    }
    const dev = calibrate(EXAMPLE, { '--device': 'cortex-m4-12' });
    expect(dev.status).toBe(2);
    expect(dev.stderr).toMatch(/--device: got "cortex-m4-12".*did you mean "cortex-m4-120"\?.*also give --core/);
    const fsys = calibrate(writeInput('fsys=96000000\n  SHA-256 :  6497.89 KiB/s,  14.13 cycles/byte\n'));
    expect(fsys.status).toBe(2);
    expect(fsys.stderr).toMatch(/--clock-mhz: got 120, but bench\.txt states fsys=96000000 \(96 MHz\)/);
    const id = calibrate(EXAMPLE, { '--id': 'My Stack' });
    expect(id.status).toBe(2);
    expect(id.stderr).toMatch(/--id: got "My Stack", expected lower-case letters/);
    const missing = calibrate('no/such/file.txt');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/FILE: cannot read no\/such\/file\.txt: no such file/);
    const noClock = runCli(['calibrate', '--from', 'mbedtls-benchmark', EXAMPLE, '--device', 'cortex-m4-120']);
    expect(noClock.status).toBe(2);
    expect(noClock.stderr).toMatch(/clock-mhz/);
  });

  it('runs a handshake with the calibrated profile: the ECDHE-PSK ops cost what the rows say', () => {
    const dir = tempDir();
    const stack = join(dir, 'k64f.yaml');
    expect(runCli(['calibrate', '--from', 'mbedtls-benchmark', EXAMPLE, '--clock-mhz', '120', '--device', 'cortex-m4-120', '--out', stack]).status).toBe(0);
    const scenario = join(dir, 'scenario.yaml');
    writeFileSync(
      scenario,
      'name: calibrated\nseed: 1\ntrials: 5\nauth: ecdhe-psk\nclient: { device: cortex-m4-120, stack: ./k64f.yaml }\nserver: { device: cortex-m4-120, stack: mbedtls-2.28 }\nlink: { profile: udp }\n',
    );
    const r = runCli(['run', scenario, '--format', 'json']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout);
    const ops = report.variants[0].ops as { endpoint: string; op: string; count: number; time_ms: number }[];
    const clientKeygen = ops.find((o) => o.endpoint === 'client' && o.op === 'p256.keygen')!;
    expect(clientKeygen.time_ms / clientKeygen.count).toBeCloseTo(365, 3);
    expect(parseYaml(readFileSync(stack, 'utf8')).id).toBe('mbedtls-calibrated-cortex-m4-120');
  });
});
