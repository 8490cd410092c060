import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { EndpointRole } from '../crypto/ops.js';
import { frameDatagram, maxPhyPayload, phyFrame, type LinkFrame } from '../link/framing.js';
import { InputError } from '../scenario/errors.js';
import { loadProfile } from '../scenario/load_profile.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';

interface LinkArgs {
  profile: string;
  payload?: number;
  phyPayload?: number;
  from: EndpointRole;
  dataLengthExtension: boolean;
  coverage?: string;
  format: 'table' | 'json';
}

function wholeNumberUpTo(flag: string, v: number, max: number, what: string): number {
  if (!Number.isInteger(v) || v < 1 || v > max) throw new InputError(`${flag}: got ${String(v)}, expected a whole number from 1 to ${max} (${what})`);
  return v;
}

/** What to frame: a datagram through every layer, or one PHY frame of a given PHY payload. */
function framesFor(profile: LinkProfile, args: LinkArgs): { what: string; frames: LinkFrame[] } {
  if ((args.payload === undefined) === (args.phyPayload === undefined)) throw new InputError('give exactly one of --payload N (a datagram) and --phy-payload N (one PHY frame)');
  const bitrate = profile.bitrate_bps.value;
  if (!args.dataLengthExtension && profile.framing !== 'ble') throw new InputError(`--no-data-length-extension: link ${profile.id} is not BLE`);
  if (args.coverage !== undefined) {
    const classes = Object.keys(profile.coverage?.classes ?? {});
    if (!classes.includes(args.coverage))
      throw new InputError(`--coverage: got ${JSON.stringify(args.coverage)}, expected ${classes.length > 0 ? `one of ${classes.map((c) => JSON.stringify(c)).join(', ')}` : `nothing: link ${profile.id} has no coverage classes (cellular only)`}`);
  }
  const opts = { from: args.from, data_length_extension: args.dataLengthExtension, ...(args.coverage !== undefined ? { coverage: args.coverage } : {}) };
  if (args.payload !== undefined) {
    const n = wholeNumberUpTo('--payload', args.payload, profile.mtu_bytes.value, `the largest datagram ${profile.id} carries`);
    return { what: `one datagram of ${n} B`, frames: frameDatagram(profile, n, bitrate, opts) };
  }
  const n = wholeNumberUpTo('--phy-payload', args.phyPayload!, maxPhyPayload(profile), `the largest PHY payload of ${profile.id}`);
  return { what: `one PHY frame with a ${n}-B PHY payload`, frames: [phyFrame(profile, n, bitrate, opts)] };
}

/** `handshake-sim link PROFILE --payload N | --phy-payload N`: how one datagram (or one PHY frame) goes on the air. */
export const linkCommand: CommandModule<object, LinkArgs> = {
  command: 'link <profile>',
  describe: 'Show the link frames, bytes on air and airtime of one datagram (or one PHY frame)',
  builder: (y: Argv) =>
    y
      .positional('profile', { type: 'string', demandOption: true, describe: 'Link profile id or file path' })
      .option('payload', { type: 'number', requiresArg: true, describe: 'Datagram size in bytes (UDP payload)' })
      .option('phy-payload', { type: 'number', requiresArg: true, describe: 'Instead: one PHY frame with this PHY payload (802.15.4 PSDU, LoRa PHYPayload)' })
      .option('from', { choices: ['client', 'server'] as const, default: 'client' as const, describe: 'Sender (LoRaWAN: the client is the end device; downlinks have no CRC; cellular: uplink or downlink rate)' })
      .option('data-length-extension', { type: 'boolean', default: true, describe: 'BLE: 251-byte LL payloads (--no-data-length-extension: 27)' })
      .option('coverage', { type: 'string', requiresArg: true, describe: "Cellular: the coverage class (default: the profile's)" })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<LinkArgs>,
  handler: (args: ArgumentsCamelCase<LinkArgs>) => {
    const profile = loadProfile('link', args.profile, process.cwd(), 'PROFILE');
    const { what, frames } = framesFor(profile, args);
    const result = {
      profile: profile.id,
      framing: profile.framing,
      from: args.from,
      ...(args.payload !== undefined ? { payload_bytes: args.payload } : { phy_payload_bytes: args.phyPayload }),
      bitrate_bps: profile.bitrate_bps.value,
      frames: frames.map((f, i) => ({ index: i, phy_payload_bytes: f.phy_payload_bytes, bytes_on_air: f.bytes_on_air, airtime_ms: f.airtime_ms })),
      frame_count: frames.length,
      bytes_on_air: frames.reduce((n, f) => n + f.bytes_on_air, 0),
      airtime_ms: frames.reduce((n, f) => n + f.airtime_ms, 0),
    };
    if (args.format === 'json') {
      process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      return;
    }
    const ms = (x: number) => Number(x.toFixed(3));
    const lines = [
      `${profile.id} (${profile.framing}, ${profile.bitrate_bps.value} b/s), from the ${args.from}: ${what}`,
      ...result.frames.map((f) => `  frame ${f.index}: PHY payload ${f.phy_payload_bytes} B, ${f.bytes_on_air} B on air, ${ms(f.airtime_ms)} ms`),
      `total: ${result.frame_count} frame(s), ${result.bytes_on_air} B on air, ${ms(result.airtime_ms)} ms`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};
