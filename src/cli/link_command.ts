import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { frameDatagram } from '../link/framing.js';
import { InputError } from '../scenario/errors.js';
import { loadProfile } from '../scenario/load_profile.js';

interface LinkArgs {
  profile: string;
  payload: number;
  format: 'table' | 'json';
}

/** `handshake-sim link PROFILE --payload N`: how one datagram goes on the air. */
export const linkCommand: CommandModule<object, LinkArgs> = {
  command: 'link <profile>',
  describe: 'Show the link frames, bytes on air and airtime of one datagram',
  builder: (y: Argv) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Link profile id or file path' })
      .option('payload', { type: 'number', demandOption: true, requiresArg: true, describe: 'Datagram size in bytes (UDP payload)' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<LinkArgs>,
  handler: (args: ArgumentsCamelCase<LinkArgs>) => {
    const profile = loadProfile('link', args.profile, process.cwd(), 'PROFILE');
    const mtu = profile.mtu_bytes.value;
    if (!Number.isInteger(args.payload) || args.payload < 1 || args.payload > mtu)
      throw new InputError(`--payload: got ${String(args.payload)}, expected a whole number from 1 to ${mtu} (the largest datagram ${profile.id} carries)`);
    const frames = frameDatagram(profile, args.payload, profile.bitrate_bps.value);
    const result = {
      profile: profile.id,
      framing: profile.framing,
      payload_bytes: args.payload,
      bitrate_bps: profile.bitrate_bps.value,
      frames: frames.map((f, i) => ({ index: i, bytes_on_air: f.bytes_on_air, airtime_ms: f.airtime_ms })),
      frame_count: frames.length,
      bytes_on_air: frames.reduce((n, f) => n + f.bytes_on_air, 0),
      airtime_ms: frames.reduce((n, f) => n + f.airtime_ms, 0),
    };
    if (args.format === 'json') {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return;
    }
    const lines = [
      `${profile.id} (${profile.framing}, ${profile.bitrate_bps.value} b/s): one datagram of ${args.payload} B`,
      ...result.frames.map((f) => `  frame ${f.index}: ${f.bytes_on_air} B on air, ${Number(f.airtime_ms.toFixed(3))} ms`),
      `total: ${result.frame_count} frame(s), ${result.bytes_on_air} B on air, ${Number(result.airtime_ms.toFixed(3))} ms`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};
