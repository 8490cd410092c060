import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { Document } from 'yaml';
import { calibrateStackProfile, type Calibration } from '../calibrate/calibrated_stack_profile.js';
import { parseMbedtlsBenchmark, type BenchmarkOutput } from '../calibrate/mbedtls_benchmark_output.js';
import { InputError } from '../scenario/errors.js';
import { listProfileIds, loadProfile } from '../scenario/load_profile.js';
import { CORE_FAMILIES, cycleTableSchema, profileIdSchema, type CoreFamily } from '../scenario/profile_schemas.js';

interface CalibrateArgs {
  file: string;
  from: 'mbedtls-benchmark';
  device: string;
  clockMhz: number;
  core?: CoreFamily;
  id?: string;
  baseStack: string;
  out?: string;
}

/** The device's core family and how sources name it: a device profile, or a board the user names with --core. */
function resolveDevice(name: string, core: CoreFamily | undefined): { label: string; core: CoreFamily } {
  const isPath = /[/\\]|\.ya?ml$/.test(name);
  if (isPath || listProfileIds('device').includes(name)) {
    const device = loadProfile('device', name, process.cwd(), '--device');
    return { label: device.id, core: core ?? device.core };
  }
  if (core !== undefined && name.trim() !== '') return { label: name.trim(), core };
  try {
    loadProfile('device', name, process.cwd(), '--device');
  } catch (e) {
    if (e instanceof InputError) throw new InputError(`${e.message}. For a board without a device profile, also give --core (${CORE_FAMILIES.join(', ')})`);
    throw e;
  }
  throw new InputError(`--device: got ${JSON.stringify(name)}, expected a device profile id or file`);
}

function checkClock(mhz: number, output: BenchmarkOutput, file: string): void {
  if (!Number.isFinite(mhz) || mhz <= 0 || mhz > 10_000)
    throw new InputError(`--clock-mhz: got ${String(mhz)}, expected the core clock the benchmark ran at, in MHz (more than 0, at most 10000)`);
  const stated = output.stated_clock_Hz;
  if (stated !== undefined && Math.abs(stated / 1e6 - mhz) > 1e-9 * mhz)
    throw new InputError(`--clock-mhz: got ${mhz}, but ${file} states fsys=${stated} (${stated / 1e6} MHz), the clock the benchmark ran at`);
}

function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`FILE: cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (code ?? (e as Error).message)}`);
  }
}

/** What was used, what was not, and which figures the profile lacks: for stderr, beside the YAML. */
function summary(c: Calibration, file: string, core: CoreFamily, mhz: number): string {
  const out = [`calibrated ${c.used.length} figures for ${core} at ${mhz} MHz from ${file}:`];
  for (const u of c.used) out.push(`  ${u.figure.padEnd(34)} ${u.lines.length > 0 ? `line ${u.lines.join(', ')}` : '(no row: 0, folded into the per-byte rate)'}`);
  if (c.not_run.length > 0) out.push(`did not run: ${c.not_run.map((l) => `line ${l.line} ${l.title}`).join('; ')}`);
  if (c.unused.length > 0) out.push(`not used (no figure the simulator prices): ${c.unused.map((l) => `line ${l.line} ${l.title}`).join('; ')}`);
  const have = new Set(c.used.map((u) => u.figure));
  const missing = Object.keys(cycleTableSchema.shape).filter((k) => !have.has(k as never));
  if (missing.length > 0) out.push(`not in the output, so handshakes that need them in software are refused: ${missing.join(', ')}`);
  return out.join('\n') + '\n';
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate <file>',
  describe: "Turn the output of Mbed TLS's benchmark program into a stack profile (cycles per op for a core)",
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'The benchmark output, as printed' })
      .option('from', { choices: ['mbedtls-benchmark'] as const, demandOption: true, describe: "What printed FILE: Mbed TLS's programs/test/benchmark (or a port of it)" })
      .option('device', { type: 'string', demandOption: true, requiresArg: true, describe: 'Device profile id or file it ran on, or a board name with --core' })
      .option('clock-mhz', { type: 'number', demandOption: true, requiresArg: true, describe: 'Core clock the benchmark ran at, in MHz' })
      .option('core', { choices: CORE_FAMILIES, describe: "Core family the cycles are for (default: the device profile's)" })
      .option('id', { type: 'string', requiresArg: true, describe: 'Id of the profile written (default: mbedtls-calibrated-DEVICE)' })
      .option('base-stack', { type: 'string', default: 'mbedtls-2.28', requiresArg: true, describe: 'Stack profile whose DTLS timers, wire behaviour and memory the profile copies' })
      .option('out', { type: 'string', requiresArg: true, describe: 'Write the profile to this file instead of stdout' }) as unknown as Argv<CalibrateArgs>,
  handler: (args: ArgumentsCamelCase<CalibrateArgs>) => {
    const name = basename(args.file);
    const output = parseMbedtlsBenchmark(readInput(args.file), name);
    checkClock(args.clockMhz, output, name);
    const device = resolveDevice(args.device, args.core);
    const base = loadProfile('stack', args.baseStack, process.cwd(), '--base-stack');
    const id = args.id ?? `mbedtls-calibrated-${device.label.toLowerCase().replace(/[^a-z0-9.+_-]+/g, '-').replace(/^-+|-+$/g, '')}`;
    if (!profileIdSchema.safeParse(id).success)
      throw new InputError(`--id: got ${JSON.stringify(id)}, expected lower-case letters, digits, ".", "+", "_" or "-", starting with a letter or digit`);
    const calibration = calibrateStackProfile({ output, file: name, device: device.label, core: device.core, clock_MHz: args.clockMhz, base, id });
    const doc = new Document(calibration.profile);
    doc.commentBefore = ` Written by handshake-sim calibrate --from mbedtls-benchmark ${name} --device ${device.label} --clock-mhz ${args.clockMhz}`;
    const yaml = doc.toString();
    if (args.out !== undefined) {
      try {
        writeFileSync(args.out, yaml);
      } catch (e) {
        throw new InputError(`--out: cannot write ${args.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else process.stdout.write(yaml);
    process.stderr.write(summary(calibration, name, device.core, args.clockMhz));
  },
};
