#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../scenario/errors.js';
import { PACKAGE_VERSION } from '../scenario/package_root.js';
import { calibrateCommand } from './calibrate_command.js';
import { EXIT } from './exit_codes.js';
import { interopCommand } from './interop_command.js';
import { linkCommand } from './link_command.js';
import { profilesCommand } from './profiles_command.js';
import { runCommand } from './run_command.js';

/** Command-line entry: parse, dispatch, and map every failure to a documented exit code. */
async function main(): Promise<void> {
  const parser = yargs(hideBin(process.argv))
    .scriptName('handshake-sim')
    .usage('$0 <command> [options]')
    .command(runCommand)
    .command(interopCommand)
    .command(profilesCommand)
    .command(linkCommand)
    .command(calibrateCommand)
    .demandCommand(1, 'name a command, e.g. handshake-sim run scenarios/quickstart.yaml')
    .strict()
    .recommendCommands()
    .version(PACKAGE_VERSION)
    .help()
    .epilogue('Exit codes: 0 success; 1 a budget is exceeded (run) or the handshake/round trip failed (interop); 2 invalid input or usage; 3 internal error.')
    .fail((msg, err) => {
      // Usage errors (unknown flag, missing argument) arrive as a message; errors thrown by a
      // command arrive as err and are handled below.
      // yargs' own validation errors (YError) are usage errors too.
      if (err && err.name !== 'YError') throw err;
      throw new InputError(`${msg ?? err?.message}\nRun 'handshake-sim --help' for usage.`);
    });
  try {
    await parser.parseAsync();
  } catch (e) {
    if (e instanceof InputError) {
      process.stderr.write(`handshake-sim: ${e.message}\n`);
      process.exitCode = EXIT.invalid_input;
    } else {
      process.stderr.write(`handshake-sim: internal error: ${(e as Error).message ?? String(e)}\n`);
      if (process.env.HANDSHAKE_SIM_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
      else process.stderr.write('Set HANDSHAKE_SIM_DEBUG=1 for a stack trace, and please report this.\n');
      process.exitCode = EXIT.internal_error;
    }
  }
}

await main();
