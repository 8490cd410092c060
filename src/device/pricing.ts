import type { OpId, OpRecord } from '../crypto/ops.js';
import { InputError } from '../scenario/errors.js';
import type { Accelerator, CycleCostId, CycleTable, DeviceProfile, SecureElementProfile, StackProfile } from '../scenario/profile_schemas.js';
import { COST_GROUPS, GROUP_OF, type CostGroup, type CostPart } from './cost_groups.js';
import { ecpWindowFactors, scalesWithEcpWindow } from './ecp_window.js';
import { opWork, UnpricedOpError, type CostLookup } from './op_work.js';
import { seOpCharge_mA_ms, seOpTiming, type SecureElementSettings } from './secure_element.js';

export { UnpricedOpError } from './op_work.js';

/** Where an op runs: the core, an on-chip accelerator, or a secure element on a bus. */
export type Engine = 'software' | `accelerator:${string}` | `secure_element:${string}`;

export interface PricedOp {
  time_ms: number;
  engine: Engine;
  /** Mean current the endpoint draws while the op runs (CPU, engine and any secure element). */
  current_mA: number;
  energy_mJ: number;
  /** current_mA x time_ms: what the replay adds up per trial. */
  charge_mA_ms: number;
}

export type PriceableOp = Pick<OpRecord, 'op' | 'bytes' | 'out_bytes'>;

/** A secure element attached to the host, with the groups it runs. */
export interface AttachedSecureElement extends SecureElementSettings {
  profile: SecureElementProfile;
  groups: readonly CostGroup[];
}

/** The hardware and software of one endpoint, as pricing needs it. */
export interface EndpointSetup {
  device: DeviceProfile;
  stack: StackProfile;
  secure_element?: AttachedSecureElement;
  /** Engine per group, overriding the stack's routes and the secure element (e.g. `software`). */
  engines?: Partial<Record<CostGroup, Engine>>;
  /** MBEDTLS_ECP_WINDOW_SIZE (stacks with an `ecp_window`): scales software P-256 ops; null or absent: the figures as listed. */
  ecp_window_size?: number | null;
}

/** The cycle-table figures each group's costs come from in software. */
const SOFTWARE_FIGURES: Record<CostGroup, Partial<Record<CostPart, CycleCostId>>> = {
  sha256: { per_byte: 'sha256.cycles_per_byte', per_call: 'sha256.finish_cycles' },
  aes128_ccm: { per_byte: 'aes128_ccm.cycles_per_byte', per_call: 'aes128_ccm.setup_cycles' },
  aes128_gcm: { per_byte: 'aes128_gcm.cycles_per_byte', per_call: 'aes128_gcm.setup_cycles' },
  aes128_cbc: { per_byte: 'aes128_cbc.cycles_per_byte' },
  aes128_block: { per_byte: 'aes128.block_cycles' },
  chacha20_poly1305: { per_byte: 'chacha20_poly1305.cycles_per_byte', per_call: 'chacha20_poly1305.setup_cycles' },
  rng: { per_byte: 'rng.cycles_per_byte' },
  'p256.keygen': { per_call: 'p256.keygen_cycles' },
  'p256.ecdh': { per_call: 'p256.ecdh_cycles' },
  'p256.ecdsa_sign': { per_call: 'p256.ecdsa_sign_cycles' },
  'p256.ecdsa_verify': { per_call: 'p256.ecdsa_verify_cycles' },
  'x25519.keygen': { per_call: 'x25519.keygen_cycles' },
  'x25519.ecdh': { per_call: 'x25519.ecdh_cycles' },
  'ed25519.sign': { per_call: 'ed25519.sign_cycles' },
  'ed25519.verify': { per_call: 'ed25519.verify_cycles' },
  'rsa2048.private': { per_call: 'rsa2048.private_cycles' },
  'rsa2048.public': { per_call: 'rsa2048.public_cycles' },
  'x509.parse': { per_call: 'x509.parse_cycles_per_cert', per_byte: 'x509.parse_cycles_per_byte' },
  'der.ecdsa_sig': { per_call: 'der.ecdsa_sig_cycles' },
};

/** The cycle-table figure a group's part is priced from in software, if any. */
export function softwareFigure(group: CostGroup, part: CostPart): CycleCostId | undefined {
  return SOFTWARE_FIGURES[group][part];
}

/** The cost group a cycle-table figure prices in software (`p256.keygen_cycles` -> `p256.keygen`), if any. */
export function groupOfSoftwareFigure(id: string): CostGroup | undefined {
  return COST_GROUPS.find((g) => Object.values(SOFTWARE_FIGURES[g]).includes(id as CycleCostId));
}

/** Cost lookup for software on a stack's cycle table. AES blocks are listed per 16-byte block. */
function softwareCosts(c: CycleTable): CostLookup {
  return (group, part, op) => {
    const id = SOFTWARE_FIGURES[group][part];
    const f = id === undefined ? undefined : c[id];
    if (f === undefined) throw new UnpricedOpError(op, id ?? `${group} ${part} figure`);
    return id === 'aes128.block_cycles' ? f.value / 16 : f.value;
  };
}

/** Cycles for one op on a stack's cycle table (software on the core). */
export function opCycles(c: CycleTable, op: PriceableOp): number {
  return opWork(softwareCosts(c), op);
}

function acceleratorCosts(a: Accelerator): CostLookup {
  return (group, part, op) => {
    const f = a.ops[group]?.[part];
    if (f === undefined) throw new UnpricedOpError(op, `ops.${group}.${part}`);
    return f.value;
  };
}

type EngineChoice =
  | { kind: 'software' }
  | { kind: 'accelerator'; name: string; accelerator: Accelerator }
  | { kind: 'secure_element'; se: AttachedSecureElement };

function acceleratorOn(device: DeviceProfile, name: string, group: CostGroup, who: string): Accelerator {
  const a = device.accelerators?.[name];
  if (!a) {
    const have = Object.keys(device.accelerators ?? {});
    throw new InputError(`${who}: device ${device.id} has no accelerator ${JSON.stringify(name)} (it has: ${have.join(', ') || 'none'})`);
  }
  if (!a.ops[group]) throw new InputError(`${who}: accelerator ${name} of device ${device.id} lists no cost for ${group}`);
  return a;
}

/** The engine for each group: an explicit override, else the secure element, else the stack's route, else software. */
function chooseEngine(setup: EndpointSetup, group: CostGroup): EngineChoice {
  const { device, stack, secure_element: se } = setup;
  const override = setup.engines?.[group];
  if (override !== undefined) {
    if (override === 'software') return { kind: 'software' };
    const [kind, name] = [override.slice(0, override.indexOf(':')), override.slice(override.indexOf(':') + 1)];
    if (kind === 'accelerator') return { kind, name, accelerator: acceleratorOn(device, name, group, `engines.${group}`) };
    if (!se || se.profile.id !== name || !se.profile.ops[group])
      throw new InputError(`engines.${group}: got ${JSON.stringify(override)}, but no attached secure element ${name} runs ${group}`);
    return { kind: 'secure_element', se };
  }
  if (se && se.groups.includes(group)) return { kind: 'secure_element', se };
  const route = stack.routes?.[device.id]?.groups[group];
  if (route !== undefined) return { kind: 'accelerator', name: route, accelerator: acceleratorOn(device, route, group, `stack ${stack.id} routes.${device.id}.groups.${group}`) };
  return { kind: 'software' };
}

/**
 * The groups an endpoint hands to an accelerator or a secure element: their working memory is
 * not the stack's software figure (src/memory/stack_memory.ts).
 */
export function offloadedGroups(setup: EndpointSetup): CostGroup[] {
  return COST_GROUPS.filter((g) => chooseEngine(setup, g).kind !== 'software');
}

/**
 * Prices ops for one endpoint. Software: cycles from the stack's table for the device's core
 * (P-256 ones times the ECP window's time factor, src/device/ecp_window.ts), divided by the
 * clock, at the CPU's active current. Accelerator: its cycles (at its clock) or
 * fixed µs, at the CPU's active or wait current plus the engine's own. Secure element: the
 * host-observed sequence of commands over the bus (src/device/secure_element.ts). A secure
 * element left idle between commands draws its idle current all along; that current is added
 * to every other op here and to the sleep current by the replay.
 */
export function opPricer(device: DeviceProfile, stack: StackProfile, extras: Omit<EndpointSetup, 'device' | 'stack'> = {}): (op: PriceableOp) => PricedOp {
  const setup: EndpointSetup = { device, stack, ...extras };
  const table = stack.cycles[device.core];
  const volts = device.supply_V.value;
  const active_mA = device.current_mA.active.value;
  const background_mA = backgroundCurrent_mA(setup);
  const ecpTime = ecpWindowFactors(stack, setup.ecp_window_size ?? null).time_factor;
  const engines = new Map(COST_GROUPS.map((g) => [g, chooseEngine(setup, g)] as const));
  const hostWait = (who: string, mode: 'busy_waits' | 'sleeps'): number => {
    if (mode === 'busy_waits') return active_mA;
    const wait = device.current_mA.wait;
    if (!wait) throw new InputError(`${who}: the CPU sleeps meanwhile, so device ${device.id} needs current_mA.wait (CPU halted, clocks running)`);
    return wait.value;
  };
  for (const [, e] of engines) {
    if (e.kind === 'accelerator') hostWait(`accelerator ${e.name} of device ${device.id}`, e.accelerator.cpu_during_op);
    if (e.kind === 'secure_element') hostWait(`secure element ${e.se.profile.id}`, e.se.profile.host_cpu_during_wait);
  }

  const priced = (engine: Engine, time_ms: number, charge_mA_ms: number): PricedOp => ({
    time_ms,
    engine,
    current_mA: time_ms > 0 ? charge_mA_ms / time_ms : active_mA + background_mA,
    energy_mJ: (charge_mA_ms * volts) / 1000,
    charge_mA_ms,
  });

  return (op) => {
    const group = GROUP_OF[op.op];
    const e = engines.get(group)!;
    if (e.kind === 'secure_element') {
      const timing = seOpTiming(e.se.profile, group, e.se);
      const charge = seOpCharge_mA_ms(e.se.profile, timing, e.se, active_mA, hostWait('', e.se.profile.host_cpu_during_wait));
      return priced(`secure_element:${e.se.profile.id}`, timing.host_observed_ms, charge);
    }
    if (e.kind === 'accelerator') {
      const a = e.accelerator;
      const work = price(op.op, () => opWork(acceleratorCosts(a), op), `device ${device.id}: accelerators.${e.name}`);
      const time_ms = a.cost_unit === 'us' ? work / 1000 : work / ((a.clock_MHz ?? device.clock_MHz).value * 1000);
      const mA = hostWait('', a.cpu_during_op) + a.current_mA.value + background_mA;
      return priced(`accelerator:${e.name}`, time_ms, mA * time_ms);
    }
    if (!table) throw new InputError(`stack ${stack.id} has no cycle table for core ${device.core} (device ${device.id}), which ${op.op} needs in software`);
    // The ECP window changes Mbed TLS's own comb code, so it scales software P-256 ops only.
    const cycles = price(op.op, () => opCycles(table, op), `stack ${stack.id}: cycles.${device.core}`) * (scalesWithEcpWindow(group) ? ecpTime : 1);
    const time_ms = cycles / (device.clock_MHz.value * 1000);
    return priced('software', time_ms, (active_mA + background_mA) * time_ms);
  };

  function price(op: OpId, work: () => number, where: string): number {
    try {
      return work();
    } catch (e) {
      if (!(e instanceof UnpricedOpError)) throw e;
      throw new InputError(
        `${where} has no ${e.figure}, which the handshake's ${op} needs on device ${device.id}; add the figure (with its source) to the profile or pick one that has it`,
      );
    }
  }
}

/** A secure element idles between commands (CryptoAuthLib ends each with idle), drawing its idle current throughout. */
export function backgroundCurrent_mA(setup: Pick<EndpointSetup, 'secure_element'>): number {
  return setup.secure_element?.profile.current_mA.idle.value ?? 0;
}
