import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runScenario } from '../pipeline/run_scenario.js';
import { formatJson } from '../report/format_json.js';
import { formatTable } from '../report/format_table.js';
import { closest, InputError } from '../scenario/errors.js';
import { loadScenario, type ResolvedVariant } from '../scenario/load_scenario.js';
import { captureTrial } from '../pipeline/trial_capture.js';
import { EXIT } from './exit_codes.js';
import { Progress } from './progress.js';

interface RunArgs {
  scenario: string;
  seed?: number;
  trials?: number;
  threads?: number;
  format: 'table' | 'json';
  out?: string;
  pcap?: string;
  pcapVariant?: string;
  pcapTrial: number;
}

function wholeNumber(flag: string, v: number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new InputError(`--${flag}: got ${String(v)}, expected a whole number from ${min} to ${max}`);
  return v;
}

function writeFileOr(flag: string, file: string, data: string | Uint8Array): void {
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw new InputError(`${flag}: cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function pickVariant(variants: ResolvedVariant[], name: string | undefined): ResolvedVariant {
  if (name === undefined) return variants[0]!;
  const v = variants.find((x) => x.name === name);
  if (!v) {
    const names = variants.map((x) => x.name);
    const hint = closest(name, names);
    throw new InputError(`--pcap-variant: got ${JSON.stringify(name)}, expected one of ${names.map((n) => JSON.stringify(n)).join(', ')}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
  }
  return v;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario: real handshakes, replayed over the link; print the report',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario YAML file', demandOption: true })
      .option('seed', { type: 'number', requiresArg: true, describe: 'Override the scenario seed' })
      .option('trials', { type: 'number', requiresArg: true, describe: 'Override the number of trials per variant' })
      .option('threads', {
        type: 'number',
        requiresArg: true,
        describe: 'Threads that replay trials (default: the cores available); results are identical for any number',
      })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Report format' })
      .option('out', { type: 'string', requiresArg: true, describe: 'Write the report to this file instead of stdout' })
      .option('pcap', { type: 'string', requiresArg: true, describe: 'Also write one trial as a pcap file (DTLS in IPv4/UDP, simulated times)' })
      .option('pcap-variant', { type: 'string', requiresArg: true, describe: 'The variant --pcap captures (default: the first)' })
      .option('pcap-trial', { type: 'number', default: 0, requiresArg: true, describe: 'The trial --pcap captures (0-based)' }) as unknown as Argv<RunArgs>,
  handler: (args: ArgumentsCamelCase<RunArgs>) => {
    const scenario = loadScenario(args.scenario, {
      ...(args.seed !== undefined ? { seed: wholeNumber('seed', args.seed, 0, 2 ** 32 - 1)! } : {}),
      ...(args.trials !== undefined ? { trials: wholeNumber('trials', args.trials, 1, 1_000_000)! } : {}),
    });
    if (args.pcapVariant !== undefined && args.pcap === undefined) throw new InputError('--pcap-variant: only together with --pcap FILE');
    const pcapVariant = args.pcap === undefined ? undefined : pickVariant(scenario.variants, args.pcapVariant);
    const pcapTrial = wholeNumber('pcap-trial', args.pcapTrial, 0, scenario.trials - 1)!;
    const progress = new Progress();
    const threads = args.threads !== undefined ? wholeNumber('threads', args.threads, 1, 64)! : availableParallelism();
    const report = runScenario(scenario, (variant, done, total) => progress.update(variant, done, total), { threads });
    progress.finish();
    if (pcapVariant) writeFileOr('--pcap', args.pcap!, captureTrial(pcapVariant, scenario.seed, pcapTrial).pcap);
    const text = args.format === 'json' ? formatJson(report) : formatTable(report);
    if (args.out !== undefined) {
      writeFileOr('--out', args.out, text);
    } else {
      process.stdout.write(text);
    }
    const failed = report.budgets.filter((b) => !b.pass);
    for (const b of failed)
      process.stderr.write(`budget exceeded: ${b.variant}: ${b.metric} = ${b.value === null ? 'no value' : Number(b.value.toPrecision(6))} (limit ${b.limit})\n`);
    process.exitCode = failed.length > 0 ? EXIT.check_failed : EXIT.ok;
  },
};
