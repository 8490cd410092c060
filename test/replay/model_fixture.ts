/**
 * Hand-built ReplayModels for testing runTrial's logic in isolation: zero CPU, zero airtime,
 * zero latency unless a test says otherwise, so every event time is exact integer arithmetic
 * on the timer values.
 *
 * Observation channel: runTrial reports only totals, so each flight's single datagram gets a
 * distinct bytes_on_air of 100^(index-1). The total bytes_on_air of a trial then spells the
 * number of times each flight was sent, two decimal digits per flight (sendCounts below),
 * as long as no flight is sent 100 times or more.
 */
import type { EndpointRole } from '../../src/crypto/ops.js';
import type { DirectionalLoss, LossProcess } from '../../src/link/loss_model.js';
import type { ArqModel, CsmaModel } from '../../src/replay/link_arq.js';
import type { EndpointModel, LinkBehaviour, ReplayDatagram, ReplayFlight, ReplayModel } from '../../src/replay/replay_model.js';
import type { TrialResult } from '../../src/replay/run_trial.js';

export const DIGIT_BASE = 100;

const NO_LOSS: LossProcess = { model: 'bernoulli', frame_loss: 0 };

/** bytes_on_air that flight `index` (1-based) contributes per transmission. */
export const tag = (index: number): number => DIGIT_BASE ** (index - 1);

export function endpoint(steps: number, over: Partial<EndpointModel> = {}): EndpointModel {
  const zeros = () => new Array<number>(steps + 1).fill(0);
  return {
    step_ms: zeros(),
    step_mA_ms: zeros(),
    duplicate_ms: zeros(),
    duplicate_mA_ms: zeros(),
    resend_ms: zeros(),
    resend_mA_ms: zeros(),
    initial_timeout_ms: 1000,
    max_timeout_ms: 60000,
    gives_up_at_capped_expiry: false,
    sleep_mA: 0,
    supply_V: 3,
    radio_tx_mA: 0,
    radio_rx_mA: 0,
    radio_idle_mA: 0,
    radio_sleep_mA: 0,
    ...over,
  };
}

/**
 * A datagram whose delivery is decided per transmission: the first `lost` transmissions are
 * dropped (delivery_probability reads 0), every later one arrives (reads 1).
 *
 * Why a getter: copies of a flight share one ReplayDatagram, so with a constant probability
 * of 0 or 1 every copy has the same fate and "first copy lost, second delivered" cannot be
 * expressed deterministically. runTrial reads d.delivery_probability exactly once per
 * transmission of the datagram (in send()), so a getter can change the answer from one copy
 * to the next. `reads` counts those transmissions; tests assert it, which also guards the
 * assumption "one read per transmission".
 */
export interface ScriptedDatagram extends ReplayDatagram {
  readonly reads: number;
}

export function lostFirst(lost: number, index: number, over: { airtime_ms?: number } = {}): ScriptedDatagram {
  let reads = 0;
  const airtime_ms = over.airtime_ms ?? 0;
  return {
    frames: 1,
    records: 1,
    bytes: 1,
    bytes_on_air: tag(index),
    airtime_ms,
    frame_airtime_ms: [airtime_ms],
    frame_bytes: [tag(index)],
    get delivery_probability() {
      return reads++ < lost ? 0 : 1;
    },
    get reads() {
      return reads;
    },
  };
}

/** A one-frame datagram (its per-frame arrays follow its airtime and tag). */
export function datagram(index: number, over: Partial<Omit<ReplayDatagram, 'bytes_on_air'>> = {}): ReplayDatagram {
  const airtime_ms = over.airtime_ms ?? 0;
  return { frames: 1, records: 1, bytes: 1, bytes_on_air: tag(index), airtime_ms, frame_airtime_ms: [airtime_ms], frame_bytes: [tag(index)], delivery_probability: 1, ...over } as ReplayDatagram;
}

interface Shape {
  from: EndpointRole;
  arms_timer: boolean;
  stateless: boolean;
}

/**
 * Flight shapes as the real DTLS 1.2 PSK transcript produces them (retransmission.test.ts
 * checks these against transcriptFor on scenarios/quickstart.yaml):
 * - cookie:    CH, HVR (stateless, no timer), CH+cookie, SH..SHD, CKE+CCS+Fin, CCS+Fin (final)
 * - no-cookie: CH, SH..SHD, CKE+CCS+Fin, CCS+Fin (final)
 * - two-flight: a request and a final answer (not DTLS; the smallest exchange with a timer).
 */
export const SHAPES: Record<'cookie' | 'no-cookie' | 'two-flight', Shape[]> = {
  cookie: [
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: false, stateless: true },
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: true, stateless: false },
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: false, stateless: false },
  ],
  'no-cookie': [
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: true, stateless: false },
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: false, stateless: false },
  ],
  'two-flight': [
    { from: 'client', arms_timer: true, stateless: false },
    { from: 'server', arms_timer: false, stateless: false },
  ],
};

export interface ModelOptions {
  /** Datagrams of flight i (1-based); default one lossless single-frame datagram. */
  datagrams?: Record<number, ReplayDatagram[]>;
  client?: Partial<EndpointModel>;
  server?: Partial<EndpointModel>;
  give_up_ms?: number;
  latency_ms?: number;
  jitter_ms?: number;
  /** The model's loss processes: only Gilbert–Elliott ones act; Bernoulli loss is each datagram's delivery_probability. */
  loss?: DirectionalLoss;
  /** Link behaviour; default: the fast per-datagram path, radios always on. */
  link?: Partial<LinkBehaviour>;
}

export function handshakeModel(shape: keyof typeof SHAPES, o: ModelOptions = {}): ReplayModel {
  const shapes = SHAPES[shape];
  const flights: ReplayFlight[] = shapes.map((s, i) => ({
    index: i + 1,
    ...s,
    datagrams: o.datagrams?.[i + 1] ?? [datagram(i + 1)],
  }));
  const steps = flights.length;
  return {
    flights,
    client: endpoint(steps, o.client),
    server: endpoint(steps, o.server),
    loss: o.loss ?? { client_to_server: NO_LOSS, server_to_client: NO_LOSS },
    latency_ms: o.latency_ms ?? 0,
    jitter_ms: o.jitter_ms ?? 0,
    link: { per_frame: false, listen: 'always-on', duty_cycle: { client: 1, server: 1 }, class_a: null, arq: null, ...o.link },
    // Far beyond any exchange the tests expect to finish (about 170 expiries of a 60 s timer), but
    // finite, so a model that never completes fails a test instead of looping for hours.
    give_up_ms: o.give_up_ms ?? 1e7,
  };
}

/** Same model with another give-up time (the model is a plain object; nothing else changes). */
export const withGiveUp = (m: ReplayModel, give_up_ms: number): ReplayModel => ({ ...m, give_up_ms });

/** How many times each flight was sent in a trial, decoded from bytes_on_air (see top). */
export function sendCounts(r: TrialResult, flights: number): number[] {
  const counts: number[] = [];
  let rest = r.bytes_on_air;
  for (let i = 0; i < flights; i++) {
    counts.push(rest % DIGIT_BASE);
    rest = Math.floor(rest / DIGIT_BASE);
  }
  if (rest !== 0) throw new Error(`bytes_on_air ${r.bytes_on_air} does not decode into ${flights} flights`);
  return counts;
}

/**
 * IEEE 802.15.4 acknowledgements and retries with the profile's figures (O-QPSK, 16-us symbols:
 * turnaround 192 us, 11-byte ACK 352 us, ACK wait 864 us, 3 retries), backoffs made 0
 * (min BE = max BE = 0) unless `csma` says otherwise.
 */
export function ieee802154Arq(over: Partial<ArqModel> = {}, csma: Partial<CsmaModel> = {}): ArqModel {
  return {
    access: 'csma-ca',
    max_frame_retries: 3,
    turnaround_ms: 0.192,
    ack: { airtime_ms: 0.352, bytes: 11 },
    ack_wait_ms: 0.864,
    csma: { unit_backoff_ms: 0.32, min_be: 0, max_be: 0, max_csma_backoffs: 4, cca_ms: 0.128, cca_busy: 0, ...csma },
    dcf: null,
    connection: null,
    ...over,
  };
}
