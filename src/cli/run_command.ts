import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { runScenario } from '../pipeline/run_scenario.js';
import { formatJson } from '../report/format_json.js';
import { formatTable } from '../report/format_table.js';
import { InputError } from '../scenario/errors.js';
import { loadScenario } from '../scenario/load_scenario.js';
import { EXIT } from './exit_codes.js';

interface RunArgs {
  scenario: string;
  seed?: number;
  trials?: number;
  format: 'table' | 'json';
  out?: string;
}

function wholeNumber(flag: string, v: number | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!Number.isInteger(v) || v < min || v > max)
    throw new InputError(`--${flag}: got ${String(v)}, expected a whole number from ${min} to ${max}`);
  return v;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'Run a scenario: real handshakes, replayed over the link; print the report',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', describe: 'Scenario YAML file', demandOption: true })
      .option('seed', { type: 'number', describe: 'Override the scenario seed' })
      .option('trials', { type: 'number', describe: 'Override the number of trials per variant' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const, describe: 'Report format' })
      .option('out', { type: 'string', describe: 'Write the report to this file instead of stdout' }) as unknown as Argv<RunArgs>,
  handler: (args: ArgumentsCamelCase<RunArgs>) => {
    const scenario = loadScenario(args.scenario, {
      ...(args.seed !== undefined ? { seed: wholeNumber('seed', args.seed, 0, 2 ** 32 - 1)! } : {}),
      ...(args.trials !== undefined ? { trials: wholeNumber('trials', args.trials, 1, 10_000_000)! } : {}),
    });
    const report = runScenario(scenario);
    const text = args.format === 'json' ? formatJson(report) : formatTable(report);
    if (args.out !== undefined) {
      try {
        writeFileSync(args.out, text);
      } catch (e) {
        throw new InputError(`--out: cannot write ${args.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    } else {
      process.stdout.write(text);
    }
    const failed = report.budgets.filter((b) => !b.pass);
    for (const b of failed)
      process.stderr.write(`budget exceeded: ${b.variant}: ${b.metric} = ${b.value === null ? 'no value' : Number(b.value.toPrecision(6))} (limit ${b.limit})\n`);
    process.exitCode = failed.length > 0 ? EXIT.check_failed : EXIT.ok;
  },
};
