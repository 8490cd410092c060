import { OP_IDS, type OpId } from '../crypto/ops.js';
import { GROUP_OF } from '../device/cost_groups.js';
import { groupOfSoftwareFigure, offloadedGroups, opPricer } from '../device/pricing.js';
import { memoryModelAtEcpWindow } from '../device/ecp_window.js';
import { meanFrameLoss } from '../link/loss_model.js';
import { endpointEnergy } from '../energy/endpoint_energy.js';
import { flashFootprint, type FootprintReport } from '../memory/footprint.js';
import { summariseHeap } from '../memory/heap_summary.js';
import { peakStackEstimate } from '../memory/peak_stack.js';
import { buildReplayModel, type ReplayModel } from '../replay/replay_model.js';
import { runTrial, type TrialResult } from '../replay/run_trial.js';
import { evaluateBudgets, validateBudgetMetrics } from '../report/budgets.js';
import {
  REPORT_SCHEMA,
  type FlightReport,
  type OpReport,
  type Report,
  type ResumptionReport,
  type TrafficReport,
  type VariantReport,
} from '../report/report_types.js';
import { distribution, mean, meanAndP95 } from '../report/stats.js';
import type { ResolvedScenario, ResolvedVariant } from '../scenario/load_scenario.js';
import { PACKAGE_VERSION } from '../scenario/package_root.js';
import { standInPaths } from '../scenario/figure.js';
import { CIPHER_SUITES, usesEcdhe } from '../protocol/dtls12/cipher_suites.js';
import { credentialsFor } from './credentials.js';
import { replayTrials } from './parallel_trials.js';
import { WIRE_PRESETS } from '../protocol/dtls12/wire_presets.js';
import { seededRandom } from '../crypto/random_source.js';
import { buildDtls12Resumptions, buildDtls12Transcript, type Dtls12Setup } from '../transcript/build_dtls12.js';
import type { Transcript } from '../transcript/types.js';

const enc = new TextEncoder();

/** What the engine needs to run a variant's handshake. */
/** What the engine needs of one endpoint's stack: memory model, buffers, wire shape and switches. */
function endpointSetup(variant: ResolvedVariant, role: 'client' | 'server'): Dtls12Setup['client'] {
  const ep = variant[role];
  const c = variant.config;
  return {
    memory: memoryModelAtEcpWindow(ep.stack, ep.ecp_window_size),
    buffers: ep.buffers,
    variable_buffer_length: ep.variable_buffer_length,
    offloaded_groups: offloadedGroups(ep),
    extended_master_secret: c.extended_master_secret ?? ep.stack.wire.extended_master_secret.enabled,
    encrypt_then_mac: c.encrypt_then_mac ?? ep.stack.wire.encrypt_then_mac.enabled,
    wire: WIRE_PRESETS[ep.stack.wire.preset.name],
  };
}

function dtlsSetupFor(variant: ResolvedVariant, seed: number): Dtls12Setup {
  const c = variant.config;
  return {
    seed,
    cipher_suite: c.cipher_suite,
    psk_identity: enc.encode(c.psk.identity),
    psk: Uint8Array.from(Buffer.from(c.psk.key, 'hex')),
    ...(c.psk.hint !== undefined ? { psk_identity_hint: enc.encode(c.psk.hint) } : {}),
    cookie: c.cookie,
    ...(c.max_fragment_length !== undefined ? { max_fragment_length: c.max_fragment_length } : {}),
    ...(c.record_size_limit !== undefined ? { record_size_limit: c.record_size_limit } : {}),
    mtu_bytes: variant.link.mtu_bytes,
    initial_timeout_ms: variant.client.timers.initial_ms,
    max_timeout_ms: variant.client.timers.max_ms,
    application_data_bytes: c.application_data_bytes,
    client: endpointSetup(variant, 'client'),
    server: {
      ...endpointSetup(variant, 'server'),
      cookie_bytes: variant.server.stack.dtls.cookie_bytes.value,
      session_id_bytes: variant.server.stack.dtls.session_id_bytes.value,
    },
    ...(c.resumption ? { resumption: c.resumption.mode } : {}),
    ...(usesEcdhe(CIPHER_SUITES[c.cipher_suite].key_exchange) ? { groups: [c.group] } : {}),
    ...credentialsFor(c, seed),
    ...(c.connection_id
      ? { connection_id: { client: seededRandom(seed, 'cid/client')(c.connection_id.client_bytes), server: seededRandom(seed, 'cid/server')(c.connection_id.server_bytes) } }
      : {}),
  };
}

function checkCompleted(variant: ResolvedVariant, transcript: Transcript): Transcript {
  if (!transcript.outcome.completed) {
    // Our own client and server disagreeing on a valid configuration is a bug, not bad input.
    throw new Error(`variant ${variant.name}: the lossless handshake failed: ${transcript.outcome.alert}: ${transcript.outcome.reason}`);
  }
  return transcript;
}

/** Stage 1: the real handshake, once per variant. */
export function transcriptFor(variant: ResolvedVariant, seed: number): Transcript {
  return checkCompleted(variant, buildDtls12Transcript(dtlsSetupFor(variant, seed)));
}

/** Stage 1 with resumption: the full handshake and the abbreviated ones that resume its session. */
function transcriptsWithResumptions(variant: ResolvedVariant, seed: number, count: number): { full: Transcript; resumptions: Transcript[] } {
  const { full, resumptions } = buildDtls12Resumptions(dtlsSetupFor(variant, seed), count);
  checkCompleted(variant, full);
  for (const r of resumptions) {
    checkCompleted(variant, r);
    if (!r.resumed) throw new Error(`variant ${variant.name}: the server did not resume the session`);
  }
  return { full, resumptions };
}

function flightReports(transcript: Transcript, model: ReplayModel): FlightReport[] {
  return model.flights.map((rf) => {
    const f = transcript.flights[rf.index - 1]!;
    return {
      index: f.index,
      from: f.from,
      messages: f.messages,
      records: f.records,
      datagrams: f.datagrams.length,
      bytes: f.bytes,
      frames: rf.datagrams.reduce((n, d) => n + d.frames, 0),
      bytes_on_air: rf.datagrams.reduce((n, d) => n + d.bytes_on_air, 0),
    };
  });
}

function opReports(variant: ResolvedVariant, transcript: Transcript, handshakeSteps: number): OpReport[] {
  const rows: OpReport[] = [];
  for (const role of ['client', 'server'] as const) {
    const price = opPricer(variant[role].device, variant[role].stack, variant[role]);
    for (const id of OP_IDS) {
      const ops = transcript.ops.filter((o) => o.endpoint === role && o.op === id && o.step <= handshakeSteps);
      if (ops.length === 0) continue;
      const priced = ops.map(price);
      rows.push({
        endpoint: role,
        op: id,
        count: ops.length,
        engine: priced[0]!.engine,
        time_ms: priced.reduce((n, p) => n + p.time_ms, 0),
        energy_mJ: priced.reduce((n, p) => n + p.energy_mJ, 0),
      });
    }
  }
  return rows;
}

/**
 * Does the stack's peak heap plus the application's reserve fit the device's RAM, and its code
 * plus the application's flash reserve fit the flash? (A footprint without a published figure is
 * null in the report, with what is missing; it cannot be checked.)
 */
function fitWarnings(
  variant: ResolvedVariant,
  heap: Record<'client' | 'server', { peak_heap_bytes: number }>,
  footprint: Record<'client' | 'server', FootprintReport>,
): string[] {
  return (['client', 'server'] as const).flatMap((role) => {
    const ep = variant[role];
    const warnings: string[] = [];
    const need = heap[role].peak_heap_bytes + ep.ram_reserve_bytes;
    const ram = ep.device.ram_bytes.value;
    if (need > ram)
      warnings.push(`${role}: peak heap ${heap[role].peak_heap_bytes} B + reserve ${ep.ram_reserve_bytes} B = ${need} B exceeds the RAM of ${ep.device.id} (${ram} B)`);
    const code = footprint[role].flash_bytes;
    const flash = ep.device.flash_bytes.value;
    if (code !== null && code + ep.flash_reserve_bytes > flash)
      warnings.push(
        `${role}: stack code ${code} B + flash reserve ${ep.flash_reserve_bytes} B = ${code + ep.flash_reserve_bytes} B exceeds the flash of ${ep.device.id} (${flash} B)`,
      );
    return warnings;
  });
}

/**
 * Which endpoints are priced with figures measured on another part (a figure's `stand_in`): the
 * device's and its attached secure element's (all of them: currents touch every op), and its
 * stack's: a cycle-table figure only when this run priced its group in software on that
 * endpoint (a Cortex-M3 PSK handshake does not use the Cortex-M3 P-256 figures), any other
 * stack figure always. Each is named with the paths of those figures.
 */
function standInWarnings(variant: ResolvedVariant, ops: readonly OpReport[]): string[] {
  return (['client', 'server'] as const).flatMap((role) => {
    const ep = variant[role];
    const inSoftware = new Set(ops.filter((o) => o.endpoint === role && o.engine === 'software').map((o) => GROUP_OF[o.op as OpId]));
    const usedHere = (path: string) => {
      if (!path.startsWith('cycles.')) return true;
      const prefix = `cycles.${ep.device.core}.`;
      const group = path.startsWith(prefix) ? groupOfSoftwareFigure(path.slice(prefix.length)) : undefined;
      return group !== undefined && inSoftware.has(group);
    };
    const profiles = [
      { what: 'device', profile: ep.device, paths: standInPaths(ep.device) },
      ...(ep.secure_element ? [{ what: 'secure element', profile: ep.secure_element.profile, paths: standInPaths(ep.secure_element.profile) }] : []),
      { what: 'stack', profile: ep.stack, paths: standInPaths(ep.stack).filter(usedHere) },
    ];
    return profiles.flatMap(({ what, profile, paths }) => {
      return paths.length === 0 ? [] : [`${role}: ${what} ${profile.id} uses stand-in figures measured on other parts: ${paths.join(', ')}`];
    });
  });
}

/** Record buffer and ECP window settings and reserves of an endpoint, as run. */
function endpointReport(variant: ResolvedVariant, role: 'client' | 'server') {
  const ep = variant[role];
  return {
    device: ep.device.id,
    stack: ep.stack.id,
    ...ep.buffers,
    mfl: variant.config.max_fragment_length ?? null,
    variable_buffer_length: ep.variable_buffer_length,
    ecp_window_size: ep.ecp_window_size,
    ram_reserve_bytes: ep.ram_reserve_bytes,
    flash_reserve_bytes: ep.flash_reserve_bytes,
  };
}

function trafficReport(from: 'client' | 'server', results: TrialResult[], lossless: TrialResult): TrafficReport {
  const key = from === 'client' ? 'client_to_server' : 'server_to_client';
  const level = (k: keyof TrialResult['traffic']['client_to_server']) => ({ ...meanAndP95(results.map((r) => r.traffic[key][k])), lossless: lossless.traffic[key][k] });
  return {
    records: level('records'),
    datagrams: level('datagrams'),
    datagram_bytes: level('datagram_bytes'),
    frames: level('frames'),
    bytes_on_air: level('bytes_on_air'),
  };
}

/**
 * One trial of the model without any loss: what `lossless` reports. It includes what the link
 * adds even then (acknowledgements, LoRaWAN empty uplinks), and whatever a timer shorter than the
 * link's delays makes the endpoints send again.
 */
function losslessTrial(model: ReplayModel, seed: number): TrialResult {
  const none = { model: 'bernoulli' as const, frame_loss: 0 };
  const flights = model.flights.map((f) => ({ ...f, datagrams: f.datagrams.map((d) => ({ ...d, delivery_probability: 1 })) }));
  return runTrial({ ...model, flights, loss: { client_to_server: none, server_to_client: none } }, seed, 0);
}

/** Stages 2 and 3: replay the transcript `trials` times over the link, then summarise. */
/** Called now and then during the trials of a variant: (variant name, trials done, trials). */
export type ProgressListener = (variant: string, done: number, total: number) => void;

/** The variant's full handshake and, when the scenario asks for them, the resumptions of its session. */
export function variantTranscripts(variant: ResolvedVariant, seed: number): { full: Transcript; resumptions: Transcript[] } {
  const count = variant.config.resumption?.count ?? 0;
  return count > 0 ? transcriptsWithResumptions(variant, seed, count) : { full: transcriptFor(variant, seed), resumptions: [] };
}

/** How many threads may replay a variant's trials (1: this thread only). */
export interface SimulationOptions {
  threads?: number;
}

export function simulateVariant(
  variant: ResolvedVariant,
  seed: number,
  trials: number,
  onProgress?: ProgressListener,
  options: SimulationOptions = {},
): VariantReport {
  const { full: transcript, resumptions } = variantTranscripts(variant, seed);
  const model = buildReplayModel(variant, transcript);
  const resumedModels = resumptions.map((r) => buildReplayModel(variant, r));
  // Per connection (the full handshake, then each resumption, each with random streams of its
  // own), the result of every trial, in trial order whichever thread ran it.
  const [results, ...resumed] = replayTrials(variant, seed, trials, [model, ...resumedModels], options.threads ?? 1, onProgress) as [TrialResult[], ...TrialResult[][]];

  const energyOf = (m: ReplayModel, r: TrialResult) => ({
    client: endpointEnergy(m.client, r.states.client, r.work_mA_ms.client),
    server: endpointEnergy(m.server, r.states.server, r.work_mA_ms.server),
  });
  const energies = results.map((r) => energyOf(model, r));
  const pick = (f: (r: TrialResult) => number) => results.map(f);
  const lossless = losslessTrial(model, seed);
  const breakdown = (role: 'client' | 'server') => {
    const of = (k: keyof TrialResult['states']['client']) => mean(energies.map((e) => e[role].breakdown_mJ[k]));
    return {
      cpu_active: of('cpu_active'),
      cpu_sleep: of('cpu_sleep'),
      radio_tx: of('radio_tx'),
      radio_rx: of('radio_rx'),
      radio_idle: of('radio_idle'),
      radio_sleep: of('radio_sleep'),
    };
  };
  const handshakeOps = transcript.ops.filter((o) => o.step <= model.flights.length);
  const heapOf = (role: 'client' | 'server') => ({ ...summariseHeap(transcript.memory, role), ...peakStackEstimate(variant[role].stack, handshakeOps, role) });
  const heap = { client: heapOf('client'), server: heapOf('server') };
  const footprint = { client: flashFootprint(variant.client.stack, variant.config), server: flashFootprint(variant.server.stack, variant.config) };
  const ops = opReports(variant, transcript, model.flights.length);
  const cryptoTime = (role: 'client' | 'server') => ops.filter((o) => o.endpoint === role).reduce((n, o) => n + o.time_ms, 0);

  return {
    name: variant.name,
    protocol: variant.config.protocol,
    auth: variant.config.auth,
    cipher_suite: variant.config.cipher_suite,
    client: endpointReport(variant, 'client'),
    server: endpointReport(variant, 'server'),
    link: {
      profile: variant.link.profile.id,
      loss: variant.link.loss,
      mean_frame_loss: {
        client_to_server: meanFrameLoss(variant.link.loss.client_to_server),
        server_to_client: meanFrameLoss(variant.link.loss.server_to_client),
      },
      latency_ms: variant.link.latency_ms,
      jitter_ms: variant.link.jitter_ms,
      bitrate_bps: variant.link.bitrate_bps,
      mtu_bytes: variant.link.mtu_bytes,
      radio_listen: variant.link.radio_listen,
      duty_cycle: variant.link.duty_cycle,
      mac: model.link.arq
        ? {
            access: model.link.arq.access,
            max_frame_retries: Number.isFinite(model.link.arq.max_frame_retries) ? model.link.arq.max_frame_retries : null,
            connection_interval_ms: model.link.arq.connection?.interval_ms ?? null,
          }
        : null,
      data_length_extension: variant.link.profile.framing === 'ble' ? (variant.link.framing.data_length_extension ?? true) : null,
      coverage: variant.link.framing.coverage ?? null,
    },
    timers: {
      client: { ...variant.client.timers },
      server: {
        initial_ms: variant.server.timers.initial_ms,
        max_ms: variant.server.timers.max_ms,
        gives_up_at_capped_expiry: variant.server.timers.gives_up_at_capped_expiry,
      },
    },
    trials,
    success_rate: results.filter((r) => r.completed).length / trials,
    time_ms: distribution(results.filter((r) => r.completed).map((r) => r.time_ms)),
    energy_mAh: {
      client: meanAndP95(energies.map((e) => e.client.charge_mAh)),
      server: meanAndP95(energies.map((e) => e.server.charge_mAh)),
    },
    energy_mJ: {
      client: meanAndP95(energies.map((e) => e.client.energy_mJ)),
      server: meanAndP95(energies.map((e) => e.server.energy_mJ)),
    },
    energy_breakdown_mJ: { client: breakdown('client'), server: breakdown('server') },
    supply_V: { client: model.client.supply_V, server: model.server.supply_V },
    bytes_on_air: { ...meanAndP95(pick((r) => r.bytes_on_air)), lossless: lossless.bytes_on_air },
    datagrams: {
      ...meanAndP95(pick((r) => r.datagrams_sent)),
      lossless: lossless.datagrams_sent,
    },
    frames: { ...meanAndP95(pick((r) => r.frames_sent)), lossless: lossless.frames_sent },
    traffic: { client_to_server: trafficReport('client', results, lossless), server_to_client: trafficReport('server', results, lossless) },
    retransmissions: meanAndP95(pick((r) => r.retransmissions)),
    crypto_time_ms: { client: cryptoTime('client'), server: cryptoTime('server') },
    peak_heap_bytes: { client: heap.client.peak_heap_bytes, server: heap.server.peak_heap_bytes },
    heap,
    footprint,
    warnings: [...fitWarnings(variant, heap, footprint), ...standInWarnings(variant, ops)],
    flights: flightReports(transcript, model),
    ops,
    resumption: variant.config.resumption
      ? resumptionReport(variant, { mode: variant.config.resumption.mode, seed, resumptions, resumedModels, resumed, results, energies, energyOf })
      : null,
  };
}

/**
 * One resumed handshake (over every trial and every resumption), and the whole sequence per
 * trial: the full handshake plus its K resumptions, counted when all of them completed.
 */
function resumptionReport(
  variant: ResolvedVariant,
  r: {
    mode: 'session_id' | 'ticket';
    seed: number;
    resumptions: Transcript[];
    resumedModels: ReplayModel[];
    resumed: TrialResult[][];
    results: TrialResult[];
    energies: { client: { energy_mJ: number }; server: { energy_mJ: number } }[];
    energyOf: (m: ReplayModel, t: TrialResult) => { client: { energy_mJ: number }; server: { energy_mJ: number } };
  },
): ResumptionReport {
  const all = r.resumed.flatMap((results, k) => results.map((t) => ({ t, e: r.energyOf(r.resumedModels[k]!, t) })));
  const first = r.resumedModels[0]!;
  const ops = opReports(variant, r.resumptions[0]!, first.flights.length);
  const cryptoTime = (role: 'client' | 'server') => ops.filter((o) => o.endpoint === role).reduce((n, o) => n + o.time_ms, 0);
  const trials = r.results.length;
  const totals = r.results.map((full, t) => {
    const parts = [full, ...r.resumed.map((k) => k[t]!)];
    const energy = [r.energies[t]!, ...r.resumed.map((k, i) => r.energyOf(r.resumedModels[i]!, k[t]!))];
    return {
      completed: parts.every((p) => p.completed),
      time_ms: parts.reduce((n, p) => n + p.time_ms, 0),
      client_mJ: energy.reduce((n, e) => n + e.client.energy_mJ, 0),
      server_mJ: energy.reduce((n, e) => n + e.server.energy_mJ, 0),
    };
  });
  return {
    mode: r.mode,
    count: r.resumptions.length,
    success_rate: all.filter((x) => x.t.completed).length / all.length,
    time_ms: distribution(all.filter((x) => x.t.completed).map((x) => x.t.time_ms)),
    energy_mJ: { client: meanAndP95(all.map((x) => x.e.client.energy_mJ)), server: meanAndP95(all.map((x) => x.e.server.energy_mJ)) },
    bytes_on_air: {
      ...meanAndP95(all.map((x) => x.t.bytes_on_air)),
      lossless: losslessTrial(first, r.seed).bytes_on_air,
    },
    retransmissions: meanAndP95(all.map((x) => x.t.retransmissions)),
    crypto_time_ms: { client: cryptoTime('client'), server: cryptoTime('server') },
    flights: flightReports(r.resumptions[0]!, first),
    ops,
    total: {
      success_rate: totals.filter((x) => x.completed).length / trials,
      time_ms: distribution(totals.filter((x) => x.completed).map((x) => x.time_ms)),
      energy_mJ: { client: meanAndP95(totals.map((x) => x.client_mJ)), server: meanAndP95(totals.map((x) => x.server_mJ)) },
    },
  };
}

export function runScenario(scenario: ResolvedScenario, onProgress?: ProgressListener, options: SimulationOptions = {}): Report {
  validateBudgetMetrics(scenario.budgets);
  const variants = scenario.variants.map((v) => simulateVariant(v, scenario.seed, scenario.trials, onProgress, options));
  return {
    schema: REPORT_SCHEMA,
    tool: { name: 'handshake-sim', version: PACKAGE_VERSION },
    scenario: scenario.name,
    seed: scenario.seed,
    trials: scenario.trials,
    variants,
    budgets: evaluateBudgets(variants, scenario.budgets),
  };
}
