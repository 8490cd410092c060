import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { GROUP_OF } from '../device/cost_groups.js';
import { opPricer, softwareFigure, type Engine } from '../device/pricing.js';
import type { OpId } from '../crypto/ops.js';
import { closest, InputError } from '../scenario/errors.js';
import { figuresIn, standInPaths, type Figure } from '../scenario/figure.js';
import { kindOfProfileFile, listProfileIds, loadProfile, looksLikePath, type ProfileKind } from '../scenario/load_profile.js';
import type { DeviceProfile, StackProfile } from '../scenario/profile_schemas.js';
import { PACKAGE_ROOT } from '../scenario/package_root.js';

const KINDS: ProfileKind[] = ['device', 'secure_element', 'stack', 'link'];

interface FigureRow {
  field: string;
  value: number;
  range?: [number, number];
  provenance: string;
  /** What the figure was measured on, when it stands in for the profiled part's own. */
  stand_in?: string;
}

/** Where a figure comes from; one may carry both the documents and the formula built from them. */
const provenance = (f: Pick<Figure, 'source' | 'derived'>) =>
  [f.source !== undefined && `source: ${f.source}`, f.derived !== undefined && `derived: ${f.derived}`].filter(Boolean).join('; ');

/** Every figure of a profile with its provenance, in file order. */
function figureRows(profile: unknown): FigureRow[] {
  return figuresIn(profile).map(({ path, figure: f }) => ({
    field: path,
    value: f.value,
    ...(f.range ? { range: f.range } : {}),
    provenance: provenance(f),
    ...(f.stand_in !== undefined ? { stand_in: f.stand_in } : {}),
  }));
}

/** Symmetric ops, priced for 1 KiB of input. */
const SYMMETRIC_1KIB = [
  { op: 'sha256.update', label: 'SHA-256 (1 KiB absorbed)' },
  { op: 'hmac_sha256', label: 'HMAC-SHA256 (1 KiB message)' },
  { op: 'aes128_ccm.encrypt', label: 'AES-128-CCM encrypt (1 KiB)' },
  { op: 'aes128_gcm.encrypt', label: 'AES-128-GCM encrypt (1 KiB)' },
  { op: 'aes128_cbc.encrypt', label: 'AES-128-CBC encrypt (1 KiB)' },
  { op: 'chacha20_poly1305.encrypt', label: 'ChaCha20-Poly1305 encrypt (1 KiB)' },
  { op: 'rng', label: 'DRBG output (1 KiB)' },
] as const satisfies readonly { op: OpId; label: string }[];

/** Public-key ops, priced whole. */
const ASYMMETRIC = [
  { op: 'p256.keygen', label: 'P-256 key generation' },
  { op: 'p256.ecdh', label: 'P-256 ECDH shared secret' },
  { op: 'p256.ecdsa_sign', label: 'ECDSA P-256 sign' },
  { op: 'p256.ecdsa_verify', label: 'ECDSA P-256 verify' },
  { op: 'x25519.keygen', label: 'X25519 key generation' },
  { op: 'x25519.ecdh', label: 'X25519 shared secret' },
  { op: 'ed25519.sign', label: 'Ed25519 sign' },
  { op: 'ed25519.verify', label: 'Ed25519 verify' },
  { op: 'rsa2048.sign', label: 'RSA-2048 private (sign)' },
  { op: 'rsa2048.verify', label: 'RSA-2048 public (verify)' },
] as const satisfies readonly { op: OpId; label: string }[];


/** The figure that priced a public-key op, on the engine that ran it. */
function opFigure(device: DeviceProfile, stack: StackProfile, op: OpId, engine: Engine): Figure | undefined {
  const group = GROUP_OF[op];
  if (engine === 'software') {
    const id = softwareFigure(group, 'per_call');
    return id && stack.cycles[device.core]?.[id];
  }
  return device.accelerators?.[engine.slice('accelerator:'.length)]?.ops[group]?.per_call;
}

/** Every op the device can price with the stack; ops that lack a figure are left out. */
function opCosts(device: DeviceProfile, stack: StackProfile) {
  const price = opPricer(device, stack);
  const tryPrice = (op: OpId, bytes: number) => {
    try {
      return price({ op, bytes });
    } catch (e) {
      if (e instanceof InputError) return undefined; // no figure for this op on this engine
      throw e;
    }
  };
  const symmetric = SYMMETRIC_1KIB.flatMap(({ op, label }) => {
    const p = tryPrice(op, 1024);
    return p ? [{ op, label, bytes: 1024, time_ms: p.time_ms, engine: p.engine, current_mA: p.current_mA, energy_mJ: p.energy_mJ }] : [];
  });
  const asymmetric = ASYMMETRIC.flatMap(({ op, label }) => {
    const p = tryPrice(op, 32);
    if (!p) return [];
    const f = opFigure(device, stack, op, p.engine);
    const priced = { op, label, time_ms: p.time_ms, engine: p.engine, current_mA: p.current_mA, energy_mJ: p.energy_mJ };
    return [{ ...priced, source: f ? provenance(f) : '', ...(f?.stand_in !== undefined ? { stand_in: f.stand_in } : {}) }];
  });
  return { symmetric, asymmetric };
}

function findKind(id: string): ProfileKind {
  if (looksLikePath(id)) return kindOfProfileFile(id, process.cwd(), 'ID');
  const kinds = KINDS.filter((k) => listProfileIds(k).includes(id));
  if (kinds.length === 1) return kinds[0]!;
  if (kinds.length > 1) throw new InputError(`profile id ${JSON.stringify(id)} names a ${kinds.join(' and a ')}; rename one`);
  const all = KINDS.flatMap((k) => listProfileIds(k));
  const hint = closest(id, all);
  throw new InputError(`ID: got ${JSON.stringify(id)}, expected a profile id (${all.join(', ')})${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`);
}

const num = (x: number) => (Math.abs(x) >= 1000 ? x.toFixed(0) : Number(x.toPrecision(4)).toString());

interface ListArgs {
  format: 'table' | 'json';
}
interface ShowArgs {
  id: string;
  stack?: string;
  format: 'table' | 'json';
}

const listCommand: CommandModule<object, ListArgs> = {
  command: 'list',
  describe: 'List the shipped device, stack and link profiles',
  builder: (y: Argv) => y.option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<ListArgs>,
  handler: (args: ArgumentsCamelCase<ListArgs>) => {
    const rows = KINDS.flatMap((kind) =>
      listProfileIds(kind).map((id) => {
        const profile = loadProfile(kind, id, PACKAGE_ROOT, 'profile');
        return { kind, id, name: profile.name, has_stand_ins: standInPaths(profile).length > 0 };
      }),
    );
    if (args.format === 'json') process.stdout.write(JSON.stringify({ profiles: rows }, null, 2) + '\n');
    else process.stdout.write(rows.map((r) => `${r.kind.padEnd(14)} ${r.id.padEnd(22)} ${r.name}${r.has_stand_ins ? ' (stand-in figures)' : ''}`).join('\n') + '\n');
  },
};

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <id>',
  describe: 'Show a profile: every figure with its source; for a device with --stack, what each op costs',
  builder: (y: Argv) =>
    y
      .positional('id', { type: 'string', demandOption: true, describe: 'Profile id, or a path to a profile file' })
      .option('stack', { type: 'string', describe: 'With a device: price the ops with this stack profile' })
      .option('format', { choices: ['table', 'json'] as const, default: 'table' as const }) as unknown as Argv<ShowArgs>,
  handler: (args: ArgumentsCamelCase<ShowArgs>) => {
    const kind = findKind(args.id);
    // A path is the user's, so relative to where they are; an id names a shipped profile.
    const profile = loadProfile(kind, args.id, process.cwd(), 'ID');
    if (args.stack !== undefined && kind !== 'device') throw new InputError(`--stack: only with a device profile; ${args.id} is a ${kind}`);
    // A path is the user's, so relative to where they are (a calibrated profile, say).
    const stack = args.stack !== undefined ? loadProfile('stack', args.stack, process.cwd(), '--stack') : undefined;
    if (stack && !stack.cycles[(profile as DeviceProfile).core] && !stack.routes?.[profile.id])
      throw new InputError(`--stack: stack ${stack.id} has no cycle table for core ${(profile as DeviceProfile).core} (device ${profile.id}) and no routes for it; it has: ${Object.keys(stack.cycles).join(', ') || 'none'}`);
    const ops = stack ? opCosts(profile as DeviceProfile, stack) : undefined;
    const figures = figureRows(profile);
    if (args.format === 'json') {
      const priced = ops ? { stack: stack!.id, ops: ops.symmetric, asymmetric_ops: ops.asymmetric } : {};
      process.stdout.write(JSON.stringify({ kind, id: profile.id, name: profile.name, figures, ...priced }, null, 2) + '\n');
      return;
    }
    const out = [`${kind} ${profile.id}: ${profile.name}`, ''];
    for (const f of figures) {
      out.push(`${f.field} = ${num(f.value)}${f.range ? `  (range ${num(f.range[0])} .. ${num(f.range[1])})` : ''}`);
      out.push(`    ${f.provenance.replace(/\s+/g, ' ')}`);
      if (f.stand_in !== undefined) out.push(`    stand-in: ${f.stand_in.replace(/\s+/g, ' ')}`);
    }
    if (ops) {
      out.push('', `ops on ${profile.id} with ${stack!.id} (1 KiB of input each):`);
      for (const o of ops.symmetric) out.push(`  ${o.label.padEnd(30)} ${`${num(o.time_ms)} ms`.padStart(10)}  ${o.engine}  ${num(o.current_mA)} mA  ${num(o.energy_mJ)} mJ`);
      if (ops.asymmetric.length > 0) out.push('', `public-key ops on ${profile.id} with ${stack!.id} (whole op):`);
      for (const o of ops.asymmetric) {
        out.push(`  ${o.label.padEnd(30)} ${`${num(o.time_ms)} ms`.padStart(10)}  ${o.engine}  ${num(o.current_mA)} mA  ${num(o.energy_mJ)} mJ`);
        out.push(`      ${o.source.replace(/\s+/g, ' ')}`);
        if (o.stand_in !== undefined) out.push(`      stand-in: ${o.stand_in.replace(/\s+/g, ' ')}`);
      }
    }
    process.stdout.write(out.join('\n') + '\n');
  },
};

export const profilesCommand: CommandModule = {
  command: 'profiles <command>',
  describe: 'List and show profiles, with the source of every number',
  builder: (y: Argv) => y.command(listCommand).command(showCommand).demandCommand(1, 'name a subcommand: list or show'),
  handler: () => {},
};
