import { basename, dirname, resolve } from 'node:path';
import { InputError } from './errors.js';
import { listProfileIds, loadProfile, readYamlFile } from './load_profile.js';
import { PACKAGE_ROOT } from './package_root.js';
import type { DeviceProfile, LinkProfile, ListenMode, StackProfile } from './profile_schemas.js';
import { smallestMtuBytes } from '../protocol/dtls12/endpoint.js';
import type { AttachedSecureElement, Engine } from '../device/pricing.js';
import type { CostGroup } from '../device/cost_groups.js';
import { gilbertFromMeanAndBurst, type DirectionalLoss, type LossProcess } from '../link/loss_model.js';
import { coverageClass } from '../link/cellular_framing.js';
import type { FramingOptions } from '../link/framing_options.js';
import { CIPHER_SUITES, type CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import { defaultSuiteForMode, MODE_KEY_EXCHANGES, suitesForMode } from './auth_modes.js';
import {
  configSchema,
  scenarioSchema,
  type LossSpec,
  type ScenarioConfig,
  type ScenarioFile,
  type VariantOverride,
} from './scenario_schema.js';
import { parseOrThrow } from './zod_errors.js';

/** The link as the replay uses it: the profile's figures with the scenario's overrides applied. */
export interface LinkParameters {
  profile: LinkProfile;
  loss: DirectionalLoss;
  latency_ms: number;
  jitter_ms: number;
  bitrate_bps: number;
  mtu_bytes: number;
  radio_listen: ListenMode;
  /** Fraction of time each direction's sender may transmit; 1: no limit. */
  duty_cycle: { client_to_server: number; server_to_client: number };
  /** The link's own acknowledgements and retries: on or off, and the scenario's overrides of the profile's figures. */
  mac: { on: boolean; max_frame_retries?: number; cca_busy?: number };
  /** BLE connection interval (null: the profile's). */
  connection_interval_ms: number | null;
  /** BLE Data Length Extension and the cellular coverage class. */
  framing: FramingOptions;
}

export interface RetransmissionTimers {
  initial_ms: number;
  max_ms: number;
  /** The scenario's deadline for the whole handshake (client); null: only the stack's own rule. */
  give_up_ms: number | null;
  /** The stack abandons a flight whose capped timer expires (mbedTLS). */
  gives_up_at_capped_expiry: boolean;
}

export interface ResolvedEndpoint {
  device: DeviceProfile;
  stack: StackProfile;
  timers: RetransmissionTimers;
  /** Record buffer content lengths: the scenario's stack_options, else the stack profile's. */
  buffers: { in_content_len: number; out_content_len: number };
  /** Record buffers shrink to the negotiated fragment length after the handshake. */
  variable_buffer_length: boolean;
  /** MBEDTLS_ECP_WINDOW_SIZE: the scenario's, else the stack's default; null for a stack without the setting. */
  ecp_window_size: number | null;
  ram_reserve_bytes: number;
  flash_reserve_bytes: number;
  /** A secure element on the host's bus, with its settings and the groups it runs. */
  secure_element?: AttachedSecureElement;
  /** Engine overrides per cost group (scenario `engines`). */
  engines?: Partial<Record<CostGroup, Engine>>;
}

/** A variant's configuration with the cipher suite settled (the scenario's or the mode's default). */
export type ResolvedConfig = ScenarioConfig & { cipher_suite: CipherSuiteName };

export interface ResolvedVariant {
  name: string;
  config: ResolvedConfig;
  client: ResolvedEndpoint;
  server: ResolvedEndpoint;
  link: LinkParameters;
}

export interface ResolvedScenario {
  name: string;
  file: string;
  seed: number;
  trials: number;
  variants: ResolvedVariant[];
  budgets: { metric: string; limit: number }[];
}

/** Overrides a plain-object tree; arrays and scalars replace. */
function merge<T>(base: T, over: unknown): T {
  if (over === undefined) return base;
  if (base === null || typeof base !== 'object' || Array.isArray(base) || over === null || typeof over !== 'object' || Array.isArray(over))
    return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out as T;
}

function baseConfig(s: ScenarioFile): ScenarioConfig {
  const { name: _n, description: _d, seed: _s, trials: _t, variants: _v, budgets: _b, ...config } = s;
  return config;
}

/**
 * When a flight whose peer never answers is abandoned under the capped_timer_expiry rule: the
 * doubling timer, once at its cap, expires once more. RFC 6347 defaults (1 s, 60 s):
 * 1 + 2 + 4 + 8 + 16 + 32 + 60 = 123 s after the flight was first sent.
 */
export function cappedExpiry_ms(initial_ms: number, max_ms: number): number {
  let t = 0;
  let timeout = initial_ms;
  for (;;) {
    t += timeout;
    if (timeout >= max_ms) return t;
    timeout = Math.min(2 * timeout, max_ms);
  }
}

function resolveEndpoint(
  role: 'client' | 'server',
  config: ScenarioConfig,
  baseDir: string,
  where: string,
): ResolvedEndpoint {
  const device = loadProfile('device', config[role].device, baseDir, `${where}${role}.device`);
  const stack = loadProfile('stack', config[role].stack, baseDir, `${where}${role}.stack`);
  if (!stack.cycles[device.core])
    throw new InputError(
      `${where}${role}: stack ${stack.id} has no cycle table for core ${device.core} (device ${device.id}); it has: ${Object.keys(stack.cycles).join(', ') || 'none'}`,
    );
  const initial_ms = config.timers.initial_ms ?? stack.dtls.initial_timeout_ms.value;
  const max_ms = config.timers.max_ms ?? stack.dtls.max_timeout_ms.value;
  if (max_ms < initial_ms)
    throw new InputError(`${where}timers: max_ms ${max_ms} is below initial_ms ${initial_ms} (for the ${role}, stack ${stack.id})`);
  const gives_up_at_capped_expiry = stack.dtls.give_up.rule === 'capped_timer_expiry';
  const give_up_ms = config.timers.give_up_ms ?? null;
  if (give_up_ms === null && !gives_up_at_capped_expiry)
    throw new InputError(`${where}timers.give_up_ms: missing; stack ${stack.id} never abandons a handshake by itself, so the scenario must set a deadline`);
  const options = config[role].stack_options ?? {};
  const buffers = {
    in_content_len: options.in_content_len ?? stack.memory.in_content_len.value,
    out_content_len: options.out_content_len ?? stack.memory.out_content_len.value,
  };
  const secure_element = resolveSecureElement(config[role].secure_element, baseDir, `${where}${role}.secure_element`);
  return {
    device,
    stack,
    timers: { initial_ms, max_ms, give_up_ms, gives_up_at_capped_expiry },
    buffers,
    variable_buffer_length: options.variable_buffer_length ?? stack.memory.variable_buffer_length?.enabled ?? false,
    ecp_window_size: resolveEcpWindowSize(stack, options.ecp_window_size, `${where}${role}.stack_options.ecp_window_size`),
    ram_reserve_bytes: config[role].ram_reserve_bytes ?? 0,
    flash_reserve_bytes: config[role].flash_reserve_bytes ?? 0,
    ...(secure_element ? { secure_element } : {}),
    ...(config[role].engines ? { engines: config[role].engines as Partial<Record<CostGroup, Engine>> } : {}),
  };
}

/** The ECP window an endpoint runs with; only a stack whose profile has the setting takes one. */
function resolveEcpWindowSize(stack: StackProfile, requested: number | undefined, field: string): number | null {
  if (stack.ecp_window) return requested ?? stack.ecp_window.default_size.value;
  if (requested === undefined) return null;
  const withSetting = listProfileIds('stack').filter((id) => loadProfile('stack', id, PACKAGE_ROOT, 'stack').ecp_window !== undefined);
  throw new InputError(
    `${field}: got ${requested}, but stack ${stack.id} has no ECP window setting (MBEDTLS_ECP_WINDOW_SIZE); only stacks with one (${withSetting.join(', ')}) take it`,
  );
}

/** The scenario's `secure_element`: the profile plus the host's settings, checked against the profile. */
function resolveSecureElement(spec: ScenarioConfig['client']['secure_element'], baseDir: string, field: string): AttachedSecureElement | undefined {
  if (spec === undefined) return undefined;
  const ref = typeof spec === 'string' ? { profile: spec } : spec;
  const profile = loadProfile('secure_element', ref.profile, baseDir, typeof spec === 'string' ? field : `${field}.profile`);
  const clock_divider = ref.clock_divider ?? profile.clock_divider;
  if (!profile.execution_ms[clock_divider])
    throw new InputError(`${field}.clock_divider: got ${JSON.stringify(clock_divider)}, but ${profile.id} lists execution times for ${Object.keys(profile.execution_ms).join(', ')}`);
  const i2c_clock_kHz = ref.i2c_clock_kHz ?? profile.bus.clock_kHz.value;
  const max = profile.bus.max_clock_kHz.value;
  if (i2c_clock_kHz > max) throw new InputError(`${field}.i2c_clock_kHz: got ${i2c_clock_kHz}, expected at most ${max} (the bus clock ${profile.id} supports)`);
  const runs = Object.keys(profile.ops) as CostGroup[];
  const unknown = (ref.ops ?? []).filter((g) => !runs.includes(g));
  if (unknown.length > 0) throw new InputError(`${field}.ops: got ${JSON.stringify(unknown[0])}, expected ops ${profile.id} runs (${runs.join(', ')})`);
  return { profile, clock_divider, i2c_clock_kHz, groups: ref.ops ?? runs };
}

function resolveDirection(spec: Exclude<LossSpec, { client_to_server: unknown }>): LossProcess {
  if (typeof spec === 'number') return { model: 'bernoulli', frame_loss: spec };
  if ('mean' in spec) return gilbertFromMeanAndBurst(spec.mean, spec.burst_frames);
  return { model: 'gilbert-elliott', p_good_to_bad: spec.p_good_to_bad, p_bad_to_good: spec.p_bad_to_good, loss_in_good: spec.loss_in_good, loss_in_bad: spec.loss_in_bad };
}

function resolveLoss(spec: LossSpec): DirectionalLoss {
  if (typeof spec === 'object' && 'client_to_server' in spec)
    return { client_to_server: resolveDirection(spec.client_to_server), server_to_client: resolveDirection(spec.server_to_client) };
  const both = resolveDirection(spec);
  return { client_to_server: both, server_to_client: both };
}

function resolveCipherSuite(config: ScenarioConfig, where: string): CipherSuiteName {
  const suite = config.cipher_suite ?? defaultSuiteForMode(config.auth, config.certificates.server_key);
  const kx = CIPHER_SUITES[suite].key_exchange;
  if (!MODE_KEY_EXCHANGES[config.auth].includes(kx))
    throw new InputError(`${where}cipher_suite: got ${suite}, whose key exchange does not fit auth ${config.auth}; expected one of ${suitesForMode(config.auth).join(', ')}`);
  if (config.auth === 'cert') {
    const want = config.certificates.server_key === 'rsa2048' ? 'ecdhe_rsa' : 'ecdhe_ecdsa';
    if (kx !== want)
      throw new InputError(
        `${where}cipher_suite: got ${suite}, but certificates.server_key is ${config.certificates.server_key}, which needs an ${want.toUpperCase()} suite`,
      );
  }
  if (config.auth === 'rpk' && config.certificates.server_key !== 'p256')
    throw new InputError(`${where}certificates.server_key: got ${config.certificates.server_key}; raw public keys are P-256 (ECDSA) here`);
  return suite;
}

function resolveDutyCycle(spec: ScenarioConfig['link']['duty_cycle'], profile: LinkProfile): LinkParameters['duty_cycle'] {
  if (typeof spec === 'number') return { client_to_server: spec, server_to_client: spec };
  if (spec) return spec;
  return {
    client_to_server: profile.duty_cycle?.client_to_server.value ?? 1,
    server_to_client: profile.duty_cycle?.server_to_client.value ?? 1,
  };
}

/** Link options that only some links have: refuse them elsewhere, with the reason. */
function checkLinkOptions(l: ScenarioConfig['link'], profile: LinkProfile, where: string): void {
  const refuse = (field: string, value: unknown, why: string) => {
    throw new InputError(`${where}link.${field}: got ${JSON.stringify(value)}, but ${why}`);
  };
  if (l.bitrate_bps !== undefined && (profile.framing === 'lorawan' || profile.framing === 'cellular'))
    refuse('bitrate_bps', l.bitrate_bps, `link ${profile.id} (framing ${profile.framing}) takes its airtime from ${profile.framing === 'lorawan' ? 'the spreading factor, bandwidth and coding rate; pick another lora-sfN profile instead' : 'its coverage class; set link.coverage instead'}`);
  if (l.mac !== undefined && !profile.mac) refuse('mac', l.mac, `link ${profile.id} has no link-layer acknowledgements to switch (its profile has no mac section)`);
  if (l.mac?.cca_busy !== undefined && profile.mac?.access !== 'csma-ca') refuse('mac.cca_busy', l.mac.cca_busy, `link ${profile.id} does not use CSMA-CA`);
  if (l.mac?.max_frame_retries !== undefined && profile.mac?.access === 'connection-events')
    refuse('mac.max_frame_retries', l.mac.max_frame_retries, `BLE retries until the supervision timeout, not a count`);
  if (l.connection_interval_ms !== undefined) {
    if (profile.mac?.access !== 'connection-events') refuse('connection_interval_ms', l.connection_interval_ms, `link ${profile.id} has no connection events (BLE only)`);
    const steps = l.connection_interval_ms / 1.25;
    if (Math.abs(steps - Math.round(steps)) > 1e-9) refuse('connection_interval_ms', l.connection_interval_ms, 'expected a multiple of 1.25 ms (Bluetooth Core Spec: connInterval = N x 1.25 ms)');
  }
  if (l.data_length_extension !== undefined && profile.framing !== 'ble') refuse('data_length_extension', l.data_length_extension, `link ${profile.id} is not BLE`);
  if (l.coverage !== undefined && profile.framing !== 'cellular') refuse('coverage', l.coverage, `link ${profile.id} has no coverage classes (cellular only)`);
}

/**
 * The one maximum fragment length a connection negotiates, from whichever of the scenario's
 * max_fragment_length and the endpoints' stack_options.mfl set it; they must agree.
 */
function negotiatedMfl(config: ScenarioConfig, where: string): ScenarioConfig['max_fragment_length'] {
  const named = [
    ['max_fragment_length', config.max_fragment_length],
    ['client.stack_options.mfl', config.client.stack_options?.mfl],
    ['server.stack_options.mfl', config.server.stack_options?.mfl],
  ] as const;
  const set = named.filter(([, v]) => v !== undefined);
  const [first, ...others] = set;
  const clash = others.find(([, v]) => v !== first![1]);
  if (clash)
    throw new InputError(
      `${where}${clash[0]}: got ${clash[1]}, but ${first![0]} is ${first![1]}; a connection negotiates one maximum fragment length (RFC 6066 §4), so they must be equal`,
    );
  return first?.[1];
}

function resolveVariant(name: string, parsed: ScenarioConfig, baseDir: string, where: string): ResolvedVariant {
  const mfl = negotiatedMfl(parsed, where);
  const config: ResolvedConfig = { ...parsed, ...(mfl !== undefined ? { max_fragment_length: mfl } : {}), cipher_suite: resolveCipherSuite(parsed, where) };
  const profile = loadProfile('link', config.link.profile, baseDir, `${where}link.profile`);
  checkLinkOptions(config.link, profile, where);
  const mac = { on: config.link.mac?.acks ?? profile.mac?.on_by_default ?? false, max_frame_retries: config.link.mac?.max_frame_retries, cca_busy: config.link.mac?.cca_busy };
  const coverage = profile.framing === 'cellular' ? coverageClass(profile, config.link.coverage) : null;
  // With CSMA-CA on, the access delay is drawn per frame; the profile's latency and jitter
  // (which stand for one CSMA access per datagram) then default to none.
  const perFrameAccess = mac.on && profile.mac?.access === 'csma-ca';
  const link: LinkParameters = {
    profile,
    loss: resolveLoss(config.link.loss ?? profile.loss.value),
    latency_ms: config.link.latency_ms ?? coverage?.latency_ms ?? (perFrameAccess ? 0 : profile.latency_ms.value),
    jitter_ms: config.link.jitter_ms ?? (perFrameAccess ? 0 : profile.jitter_ms.value),
    bitrate_bps: config.link.bitrate_bps ?? profile.bitrate_bps.value,
    mtu_bytes: config.link.mtu ?? profile.mtu_bytes.value,
    radio_listen: config.link.radio_listen ?? profile.radio_listen,
    duty_cycle: resolveDutyCycle(config.link.duty_cycle, profile),
    mac,
    connection_interval_ms: config.link.connection_interval_ms ?? null,
    framing: {
      ...(config.link.data_length_extension !== undefined ? { data_length_extension: config.link.data_length_extension } : {}),
      ...(coverage ? { coverage: coverage.name } : {}),
    },
  };
  if (link.mtu_bytes > profile.mtu_bytes.value)
    throw new InputError(
      `${where}link.mtu: got ${link.mtu_bytes}, expected at most ${profile.mtu_bytes.value} (the largest datagram link ${profile.id} carries)`,
    );
  const smallest = smallestMtuBytes(CIPHER_SUITES[config.cipher_suite]);
  if (link.mtu_bytes < smallest)
    throw new InputError(
      `${where}link.mtu: got ${link.mtu_bytes}, expected at least ${smallest} with ${config.cipher_suite} (a record header, the suite's largest record expansion and a handshake fragment header with one byte of message)`,
    );
  return {
    name,
    config,
    client: resolveEndpoint('client', config, baseDir, where),
    server: resolveEndpoint('server', config, baseDir, where),
    link,
  };
}

export interface ScenarioOverrides {
  seed?: number;
  trials?: number;
}

export function loadScenario(file: string, overrides: ScenarioOverrides = {}): ResolvedScenario {
  const path = resolve(file);
  const raw = readYamlFile(path, 'scenario');
  const s = parseOrThrow(scenarioSchema, raw, `scenario ${basename(path)}`);
  const baseDir = dirname(path);
  const base = baseConfig(s);

  const overridesList: VariantOverride[] = s.variants && s.variants.length > 0 ? s.variants : [{ name: 'baseline' }];
  const seen = new Set<string>();
  const variants = overridesList.map((v, i) => {
    if (seen.has(v.name)) throw new InputError(`scenario ${basename(path)}: variants[${i}].name: ${JSON.stringify(v.name)} is used twice; names must be unique`);
    seen.add(v.name);
    const { name, description: _d, ...override } = v;
    const where = s.variants ? `variants[${i}] (${name}): ` : '';
    const merged = parseOrThrow(configSchema, merge(base, override), `scenario ${basename(path)}, variant ${JSON.stringify(name)}`);
    return resolveVariant(name, merged, baseDir, where);
  });

  return {
    name: s.name,
    file: path,
    seed: overrides.seed ?? s.seed,
    trials: overrides.trials ?? s.trials,
    variants,
    budgets: Object.entries(s.budgets ?? {}).map(([metric, limit]) => ({ metric, limit })),
  };
}
