import type { EndpointRole } from '../crypto/ops.js';
import { EventQueue } from './event_queue.js';
import { LinkChannel, type FrameLogEntry, type TraceEntry } from './link_channel.js';
import { Prng, STREAM, STREAMS_PER_CONNECTION } from './prng.js';
import type { EndpointModel, ReplayModel } from './replay_model.js';

export type { FrameLogEntry, TraceEntry } from './link_channel.js';

/** Time each endpoint spent in each state during one trial (the energy model's input). */
export interface StateTimes_ms {
  cpu_active: number;
  cpu_sleep: number;
  radio_tx: number;
  radio_rx: number;
  radio_idle: number;
  radio_sleep: number;
}

/** What one direction put on the link during a trial, at three levels, retransmissions included. */
export interface DirectionTraffic {
  records: number;
  datagrams: number;
  /** UDP payload bytes: the records with their headers. */
  datagram_bytes: number;
  frames: number;
  /** Link frames with every header (and link-level frames that carry no datagram, such as LoRaWAN empty uplinks). */
  bytes_on_air: number;
}

export interface TrialResult {
  completed: boolean;
  /** Completion time, or the give-up time when the handshake failed. */
  time_ms: number;
  /** Flights sent again, by either endpoint (timer expiry or the peer repeating itself). */
  retransmissions: number;
  datagrams_sent: number;
  frames_sent: number;
  bytes_on_air: number;
  traffic: { client_to_server: DirectionTraffic; server_to_client: DirectionTraffic };
  states: Record<EndpointRole, StateTimes_ms>;
  /** Charge (mA x ms) of each endpoint's crypto work, at each op's engine current. */
  work_mA_ms: Record<EndpointRole, number>;
}

type Event =
  | { kind: 'arrive'; to: EndpointRole; flight: number; datagram: number; copy: number }
  | { kind: 'processed'; at: EndpointRole; flight: number }
  | { kind: 'timer'; at: EndpointRole; generation: number }
  /** The link held a flight back; the stack writes it now if it is still its current flight. */
  | ({ kind: 'write'; at: EndpointRole; flight: number } & Sending)
  /** LoRaWAN: the end device learnt that downlinks are pending (the channel decides what to do). */
  | { kind: 'pull'; after: number; yielded: boolean };

/** How a flight goes out: whether it counts as a retransmission, and whether its timer starts once it is out. */
interface Sending {
  retransmission: boolean;
  arm: boolean;
}
// The four ways, allocated once (the replay loop runs millions of times).
const SENDING: Record<'first' | 'again', Record<'arm' | 'noArm', Sending>> = {
  first: { arm: { retransmission: false, arm: true }, noArm: { retransmission: false, arm: false } },
  again: { arm: { retransmission: true, arm: true }, noArm: { retransmission: true, arm: false } },
};
const sending = (retransmission: boolean, arm: boolean): Sending => SENDING[retransmission ? 'again' : 'first'][arm ? 'arm' : 'noArm'];

interface EndpointState {
  model: EndpointModel;
  /** Index of the flight this endpoint waits for next. */
  expecting: number;
  /** Index of the last flight it sent (0: none). */
  lastSent: number;
  /** The flight it wants on the air now (it may still be waiting for the link). */
  current: number;
  /** A flight waiting for the link to let it write (0: none). */
  deferred: number;
  timeout_ms: number;
  timerGeneration: number;
  cpuFree: number;
  cpuBusy_ms: number;
  /** Charge of that work at each op's engine current (CPU, accelerator, secure element). */
  cpuCharge_mA_ms: number;
  /** The stack gave up on the handshake and ignores everything since. */
  abandoned: boolean;
}

/**
 * One handshake over the lossy link, as a discrete-event simulation (RFC 6347 §4.2.4):
 * whole-flight retransmission on a doubling timer, a receiver that answers a repeated
 * previous flight by resending its own, a stateless HelloVerifyRequest, half-duplex radios
 * that send one datagram after another, and CPU time per step from the priced transcript. The
 * link itself (airtime, loss, duty cycle, LoRaWAN receive windows) is the LinkChannel's job.
 * `trace` collects every datagram sent, `frameLog` every frame of a frame-by-frame link.
 */
export function runTrial(
  model: ReplayModel,
  seed: number,
  trial: number,
  trace?: TraceEntry[],
  frameLog?: FrameLogEntry[],
  connection = 0,
): TrialResult {
  // Common random numbers: trial t of every variant starts from the same draws, so variants
  // compared side by side differ by their configuration rather than by luck. Each connection
  // of a trial (the full handshake, then each resumption) draws from streams of its own.
  const stream = (s: number) => s + STREAMS_PER_CONNECTION * connection;
  const lossRng = new Prng(seed, trial, stream(STREAM.loss));
  const jitterRng = new Prng(seed, trial, stream(STREAM.jitter));
  const flights = model.flights;
  const last = flights.length;
  const queue = new EventQueue<Event>();
  const link = new LinkChannel(
    model,
    lossRng,
    jitterRng,
    (time, to, flight, datagram, copy) => queue.push(time, { kind: 'arrive', to, flight, datagram, copy }),
    (time, after, yielded) => queue.push(time, { kind: 'pull', after, yielded }),
    trace,
    frameLog,
    model.link.arq ? new Prng(seed, trial, stream(STREAM.mac)) : undefined,
  );
  const ep: Record<EndpointRole, EndpointState> = {
    client: newState(model.client, 2),
    server: newState(model.server, 1),
  };
  // got[f][d]: datagram d of flight f has arrived at least once (copies combine, as reassembly does).
  const got = flights.map((f) => new Array<boolean>(f.datagrams.length).fill(false));
  const complete = flights.map(() => false);
  const copies = flights.map(() => 0);
  // Copies of a flight that already made the receiver resend its own (once per copy).
  const answeredCopies = flights.map(() => new Set<number>());
  let retransmissions = 0;
  let datagramsSent = 0;
  const zero = () => ({ records: 0, datagrams: 0, datagram_bytes: 0 });
  const traffic = { client: zero(), server: zero() };

  const flightAt = (index: number) => flights[index - 1]!;

  /** Puts flight `index` of `who` on the link; returns when it counts as sent (its timer starts then). */
  const put = (who: EndpointRole, index: number, now: number): number => {
    const s = ep[who];
    const flight = flightAt(index);
    const copy = ++copies[index - 1]!;
    let t = now;
    flight.datagrams.forEach((d, i) => {
      datagramsSent++;
      const tr = traffic[who];
      tr.records += d.records;
      tr.datagrams++;
      tr.datagram_bytes += d.bytes;
      t = link.send(who, d, index, i, copy, t);
    });
    s.lastSent = index;
    return t;
  };

  const armTimer = (who: EndpointRole, from: number) => {
    const s = ep[who];
    s.timerGeneration++;
    queue.push(from + s.timeout_ms, { kind: 'timer', at: who, generation: s.timerGeneration });
  };

  /**
   * Sends flight `index` of `who`, ready at `ready`. When the link holds the sender back (its
   * duty-cycle budget is spent, or a LoRaWAN device is in its receive windows), the stack writes
   * the flight once the link lets it, and only if it is still its current flight: as mbedTLS
   * retries a write that would block (MBEDTLS_ERR_SSL_WANT_WRITE) with whatever it must send then.
   */
  const send = (who: EndpointRole, index: number, ready: number, how: Sending): void => {
    const s = ep[who];
    s.current = index;
    const start = link.earliestStart(who, ready);
    if (start > ready) {
      if (s.deferred !== index) {
        s.deferred = index;
        queue.push(start, { kind: 'write', at: who, flight: index, retransmission: how.retransmission, arm: how.arm });
      }
      return;
    }
    if (how.retransmission) retransmissions++;
    const txEnd = put(who, index, ready);
    if (how.arm) armTimer(who, txEnd);
  };

  const busy = (who: EndpointRole, now: number, ms: number, mA_ms: number): number => {
    const s = ep[who];
    const start = Math.max(now, s.cpuFree);
    s.cpuFree = start + ms;
    s.cpuBusy_ms += ms;
    s.cpuCharge_mA_ms += mA_ms;
    return s.cpuFree;
  };

  const finish = (completed: boolean, time_ms: number): TrialResult => {
    const up = link.counters.client;
    const down = link.counters.server;
    // Written out field by field: this runs once per trial, hundreds of thousands of times.
    const direction = (t: typeof traffic.client, c: typeof up): DirectionTraffic => ({
      records: t.records,
      datagrams: t.datagrams,
      datagram_bytes: t.datagram_bytes,
      frames: c.frames,
      bytes_on_air: c.bytes_on_air,
    });
    return {
      completed,
      time_ms,
      retransmissions,
      datagrams_sent: datagramsSent,
      frames_sent: up.frames + down.frames,
      bytes_on_air: up.bytes_on_air + down.bytes_on_air,
      traffic: { client_to_server: direction(traffic.client, up), server_to_client: direction(traffic.server, down) },
      states: { client: stateTimes(ep.client, link, 'client', model, time_ms), server: stateTimes(ep.server, link, 'server', model, time_ms) },
      work_mA_ms: { client: workCharge(ep.client, time_ms), server: workCharge(ep.server, time_ms) },
    };
  };

  // The client starts: its step-0 work, then flight 1.
  queue.push(busy('client', 0, model.client.step_ms[0]!, model.client.step_mA_ms[0]!), { kind: 'processed', at: 'client', flight: 0 });

  for (;;) {
    const next = queue.pop();
    // The scenario's deadline: whatever would happen at that instant or later does not.
    if (!next || next.time >= model.give_up_ms) return finish(false, model.give_up_ms);
    const { time: now, item: ev } = next;

    if (ev.kind === 'pull') {
      link.pull(now, ev.after, ev.yielded);
      continue;
    }

    if (ev.kind === 'write') {
      const s = ep[ev.at];
      s.deferred = 0;
      if (!s.abandoned && s.current === ev.flight) send(ev.at, ev.flight, now, ev);
      continue;
    }

    if (ev.kind === 'processed') {
      if (ev.flight === last) return finish(true, now);
      const answer = ev.flight + 1;
      const s = ep[ev.at];
      s.expecting = answer + 1;
      // A new flight starts from the initial timeout, as in mbedTLS
      // (mbedtls_ssl_send_flight_completed resets the retransmit timeout).
      const arm = flightAt(answer).arms_timer;
      if (arm) s.timeout_ms = s.model.initial_timeout_ms;
      send(ev.at, answer, now, sending(false, arm));
      continue;
    }

    if (ev.kind === 'timer') {
      const s = ep[ev.at];
      if (ev.generation !== s.timerGeneration || s.abandoned) continue; // cancelled or superseded
      if (s.model.gives_up_at_capped_expiry && s.timeout_ms >= s.model.max_timeout_ms) {
        // mbedTLS: ssl_double_retransmit_timeout fails once the timeout is at its maximum, so
        // this expiry ends the handshake (MBEDTLS_ERR_SSL_TIMEOUT) instead of resending.
        if (ev.at === 'client') return finish(false, now);
        s.abandoned = true;
        continue;
      }
      const ready = busy(ev.at, now, s.model.resend_ms[s.lastSent - 1]!, s.model.resend_mA_ms[s.lastSent - 1]!);
      s.timeout_ms = Math.min(2 * s.timeout_ms, s.model.max_timeout_ms);
      send(ev.at, s.lastSent, ready, sending(true, true));
      continue;
    }

    // A datagram arrives. While the CPU is busy it waits in the socket buffer: the stack reads
    // it once it has finished (and sent) what it was computing.
    const s = ep[ev.to];
    if (s.abandoned) continue;
    if (now < s.cpuFree) {
      queue.push(s.cpuFree, ev);
      continue;
    }
    const f = ev.flight;
    const flight = flightAt(f);
    got[f - 1]![ev.datagram] = true;
    if (!complete[f - 1] && got[f - 1]!.every(Boolean)) {
      complete[f - 1] = true;
      if (f === s.expecting) {
        // The peer's answer acknowledges our last flight: stop its timer.
        s.timerGeneration++;
        queue.push(busy(ev.to, now, s.model.step_ms[f]!, s.model.step_mA_ms[f]!), { kind: 'processed', at: ev.to, flight: f });
      }
      continue;
    }
    if (!complete[f - 1]) continue; // part of a flight still being reassembled

    // A repeated copy of a flight already processed: record-layer work again, and maybe an answer.
    const at = busy(ev.to, now, s.model.duplicate_ms[f]! / flight.datagrams.length, s.model.duplicate_mA_ms[f]! / flight.datagrams.length);
    const answer = f + 1;
    if (answer > last || flightAt(answer).from !== ev.to || answeredCopies[f - 1]!.has(ev.copy)) continue;
    // A repeated HelloVerifyRequest is not answered: the client's own timer covers it
    // ("No sane server ever retransmits HelloVerifyRequest", mbedTLS ssl_msg.c).
    if (flight.stateless) continue;
    answeredCopies[f - 1]!.add(ev.copy);
    if (flightAt(answer).stateless) {
      // A stateless server answers every ClientHello afresh, until it has accepted one with a cookie.
      if (s.expecting === answer + 1) {
        queue.push(busy(ev.to, at, s.model.step_ms[f]!, s.model.step_mA_ms[f]!), { kind: 'processed', at: ev.to, flight: f });
      }
    } else if (s.lastSent === answer) {
      // RFC 6347 §4.2.4: the peer repeated its flight, so ours was lost: send ours again. Like
      // mbedtls_ssl_resend, this restarts the timer at its current value (not doubled).
      send(ev.to, answer, busy(ev.to, at, s.model.resend_ms[f]!, s.model.resend_mA_ms[f]!), sending(true, flightAt(answer).arms_timer));
    }
  }
}

function newState(model: EndpointModel, expecting: number): EndpointState {
  return {
    model,
    expecting,
    lastSent: 0,
    current: 0,
    deferred: 0,
    timeout_ms: model.initial_timeout_ms,
    timerGeneration: 0,
    cpuFree: 0,
    cpuBusy_ms: 0,
    cpuCharge_mA_ms: 0,
    abandoned: false,
  };
}

/** The work's charge, cut in proportion when the trial ended while the CPU was still busy. */
function workCharge(s: EndpointState, total_ms: number): number {
  return s.cpuBusy_ms > total_ms ? (s.cpuCharge_mA_ms * total_ms) / s.cpuBusy_ms : s.cpuCharge_mA_ms;
}

/**
 * The endpoint's time per state up to `total_ms`. The radio transmits for its frames' airtime.
 * Listening always-on, it receives the rest of the time; duty-cycled, it receives only what the
 * channel counted (frames addressed to it, receive windows), idles for MAC turnarounds and
 * backoffs, and sleeps otherwise. Work committed past the end of the trial is cut off.
 */
function stateTimes(s: EndpointState, link: LinkChannel, who: EndpointRole, model: ReplayModel, total_ms: number): StateTimes_ms {
  const cpu = Math.min(s.cpuBusy_ms, total_ms);
  const r = link.radioTimes(who, total_ms);
  const tx = Math.min(r.tx_ms, total_ms);
  const idle = Math.min(r.idle_ms, total_ms - tx);
  if (model.link.listen === 'always-on') return { cpu_active: cpu, cpu_sleep: total_ms - cpu, radio_tx: tx, radio_rx: total_ms - tx - idle, radio_idle: idle, radio_sleep: 0 };
  const rx = Math.min(r.rx_ms, total_ms - tx - idle);
  return { cpu_active: cpu, cpu_sleep: total_ms - cpu, radio_tx: tx, radio_rx: rx, radio_idle: idle, radio_sleep: total_ms - tx - idle - rx };
}
