import type { EndpointRole } from '../crypto/ops.js';
import { backgroundCurrent_mA, opPricer } from '../device/pricing.js';
import { frameDatagram } from '../link/framing.js';
import { loraPhyFrame, loraModulation, lorawanFrameOverhead } from '../link/lorawan_framing.js';
import { loraSymbol_ms } from '../link/lora_time_on_air.js';
import type { ResolvedEndpoint, ResolvedVariant } from '../scenario/load_scenario.js';
import type { ListenMode } from '../scenario/profile_schemas.js';
import { arqModel } from './arq_model.js';
import type { ArqModel } from './link_arq.js';
import { describeDatagram } from '../transcript/describe_datagram.js';
import type { Transcript } from '../transcript/types.js';
import type { DirectionalLoss, LossProcess } from '../link/loss_model.js';

export interface ReplayDatagram {
  frames: number;
  /** DTLS records in the datagram. */
  records: number;
  bytes: number;
  bytes_on_air: number;
  airtime_ms: number;
  /** Per frame, for links that schedule frame by frame (duty cycle, receive windows). */
  frame_airtime_ms: number[];
  frame_bytes: number[];
  /** The datagram arrives only if every one of its frames does (per-frame Bernoulli loss in its direction). */
  delivery_probability: number;
}

/** LoRaWAN class A timing, resolved from the profile (see ClassADownlink). */
export interface ClassAModel {
  rx1_delay_ms: number;
  rx2_delay_ms: number;
  /** How long a receive window stays open when no downlink starts in it. */
  rx_window_ms: number;
  /** The gateway's duty cycle in the RX1 sub-band (the uplink's) and in the RX2 sub-band. */
  rx1_duty_cycle: number;
  rx2_duty_cycle: number;
  /** The empty uplink an end device sends to fetch pending downlinks (MHDR + FHDR + MIC). */
  empty_uplink: { airtime_ms: number; bytes_on_air: number };
}

/** How the link schedules frames and how the radios listen. */
export interface LinkBehaviour {
  /** Frames wait for duty-cycle budgets or receive windows one by one; false: the fast per-datagram path. */
  per_frame: boolean;
  listen: ListenMode;
  /** Fraction of time each sender may transmit (1: no limit). */
  duty_cycle: Record<EndpointRole, number>;
  class_a: ClassAModel | null;
  /** The link's own acknowledgements and retries, when on. */
  arq: ArqModel | null;
}

export interface ReplayFlight {
  index: number;
  from: EndpointRole;
  arms_timer: boolean;
  stateless: boolean;
  datagrams: ReplayDatagram[];
}

export interface EndpointModel {
  /** CPU time to process flight s and produce the answer (index s; 0 = the client's start). */
  step_ms: number[];
  /** Charge (mA x ms) of that work, at each op's engine current (CPU, accelerator, secure element). */
  step_mA_ms: number[];
  /** Record-layer work (decryption, MAC check) a repeated copy of flight s costs again. */
  duplicate_ms: number[];
  duplicate_mA_ms: number[];
  /** Record-layer work (encryption, MAC, IVs) that resending the flight produced at step s costs again. */
  resend_ms: number[];
  resend_mA_ms: number[];
  initial_timeout_ms: number;
  max_timeout_ms: number;
  /** Abandon the handshake when a timer expires with the timeout already at its cap (mbedTLS). */
  gives_up_at_capped_expiry: boolean;
  /** Current while nothing computes: the CPU's sleep current plus an idle secure element's. */
  sleep_mA: number;
  supply_V: number;
  radio_tx_mA: number;
  radio_rx_mA: number;
  radio_idle_mA: number;
  radio_sleep_mA: number;
}

/** Everything one trial needs, priced once per variant: the replay loop does no lookups. */
export interface ReplayModel {
  flights: ReplayFlight[];
  client: EndpointModel;
  server: EndpointModel;
  loss: DirectionalLoss;
  latency_ms: number;
  jitter_ms: number;
  link: LinkBehaviour;
  /** The client's deadline for the whole handshake (a day when the scenario sets none). */
  give_up_ms: number;
}

/** The longest a trial may run when neither the scenario nor the stack ends it sooner. */
export const MAX_TRIAL_MS = 86_400_000;

function endpointModel(role: EndpointRole, ep: ResolvedEndpoint, variant: ResolvedVariant, transcript: Transcript, steps: number): EndpointModel {
  const price = opPricer(ep.device, ep.stack, ep);
  const zeros = () => new Array<number>(steps + 1).fill(0);
  const [step_ms, step_mA_ms, duplicate_ms, duplicate_mA_ms, resend_ms, resend_mA_ms] = [zeros(), zeros(), zeros(), zeros(), zeros(), zeros()];
  for (const op of transcript.ops) {
    if (op.endpoint !== role || op.step > steps) continue;
    const { time_ms: t, charge_mA_ms: q } = price(op);
    step_ms[op.step]! += t;
    step_mA_ms[op.step]! += q;
    if (op.record_layer === 'open') {
      duplicate_ms[op.step]! += t;
      duplicate_mA_ms[op.step]! += q;
    }
    if (op.record_layer === 'seal') {
      resend_ms[op.step]! += t;
      resend_mA_ms[op.step]! += q;
    }
  }
  return {
    step_ms,
    step_mA_ms,
    duplicate_ms,
    duplicate_mA_ms,
    resend_ms,
    resend_mA_ms,
    initial_timeout_ms: ep.timers.initial_ms,
    max_timeout_ms: ep.timers.max_ms,
    gives_up_at_capped_expiry: ep.timers.gives_up_at_capped_expiry,
    sleep_mA: ep.device.current_mA.sleep.value + backgroundCurrent_mA(ep),
    supply_V: ep.device.supply_V.value,
    radio_tx_mA: variant.link.profile.radio_current_mA.tx.value,
    radio_rx_mA: variant.link.profile.radio_current_mA.rx.value,
    radio_idle_mA: variant.link.profile.radio_current_mA.idle.value,
    radio_sleep_mA: variant.link.profile.radio_current_mA.sleep.value,
  };
}

function classAModel(variant: ResolvedVariant): ClassAModel | null {
  const profile = variant.link.profile;
  const c = profile.class_a;
  if (!c) return null;
  const empty = loraPhyFrame(profile, lorawanFrameOverhead(profile), 'client');
  return {
    rx1_delay_ms: c.rx1_delay_ms.value,
    rx2_delay_ms: c.rx2_delay_ms.value,
    rx_window_ms: c.rx_window_symbols.value * loraSymbol_ms(loraModulation(profile, 'server')),
    rx1_duty_cycle: variant.link.duty_cycle.server_to_client,
    rx2_duty_cycle: c.rx2_duty_cycle.value,
    empty_uplink: { airtime_ms: empty.airtime_ms, bytes_on_air: empty.bytes_on_air },
  };
}

function linkBehaviour(variant: ResolvedVariant): LinkBehaviour {
  const duty_cycle = { client: variant.link.duty_cycle.client_to_server, server: variant.link.duty_cycle.server_to_client };
  const class_a = classAModel(variant);
  const arq = arqModel(variant.link);
  return {
    per_frame: class_a !== null || arq !== null || duty_cycle.client < 1 || duty_cycle.server < 1,
    listen: variant.link.radio_listen,
    duty_cycle,
    class_a,
    arq,
  };
}

/** For Bernoulli loss, the chance all `frames` arrive; a Gilbert–Elliott chain decides per frame instead. */
function deliveryProbability(p: LossProcess, frames: number): number {
  return p.model === 'bernoulli' ? (1 - p.frame_loss) ** frames : Number.NaN;
}

export function buildReplayModel(variant: ResolvedVariant, transcript: Transcript): ReplayModel {
  if (!transcript.outcome.completed) throw new Error('a failed handshake has nothing to replay');
  const flights = transcript.flights
    .filter((f) => f.phase === 'handshake')
    .map((f) => ({
      index: f.index,
      from: f.from,
      arms_timer: f.arms_timer,
      stateless: f.stateless,
      datagrams: f.datagrams.map((d) => {
        const frames = frameDatagram(variant.link.profile, d.length, variant.link.bitrate_bps, { ...variant.link.framing, from: f.from });
        return {
          frames: frames.length,
          records: describeDatagram(d, f.cid_bytes).records,
          bytes: d.length,
          bytes_on_air: frames.reduce((n, f) => n + f.bytes_on_air, 0),
          airtime_ms: frames.reduce((n, f) => n + f.airtime_ms, 0),
          frame_airtime_ms: frames.map((x) => x.airtime_ms),
          frame_bytes: frames.map((x) => x.bytes_on_air),
          delivery_probability: deliveryProbability(variant.link.loss[f.from === 'client' ? 'client_to_server' : 'server_to_client'], frames.length),
        };
      }),
    }));
  const steps = flights.length;
  return {
    flights,
    client: endpointModel('client', variant.client, variant, transcript, steps),
    server: endpointModel('server', variant.server, variant, transcript, steps),
    loss: variant.link.loss,
    latency_ms: variant.link.latency_ms,
    jitter_ms: variant.link.jitter_ms,
    link: linkBehaviour(variant),
    give_up_ms: variant.client.timers.give_up_ms ?? MAX_TRIAL_MS,
  };
}
