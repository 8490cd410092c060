import type { EndpointRole } from '../crypto/ops.js';
import { EventQueue } from './event_queue.js';
import { GilbertElliottChain, type LossProcess } from '../link/loss_model.js';
import { Prng, STREAM, STREAMS_PER_CONNECTION } from './prng.js';
import type { EndpointModel, ReplayModel } from './replay_model.js';

/** Time each endpoint spent in each state during one trial (the energy model's input). */
export interface StateTimes_ms {
  /** Crypto work: the CPU computing, or waiting on an accelerator or a secure element. */
  cpu_active: number;
  cpu_sleep: number;
  radio_tx: number;
  radio_rx: number;
}

/** What one direction put on the link during a trial, at three levels, retransmissions included. */
export interface DirectionTraffic {
  records: number;
  datagrams: number;
  /** UDP payload bytes: the records with their headers. */
  datagram_bytes: number;
  frames: number;
  /** Link frames with every header. */
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

/** One transmission of a datagram, for a capture of the trial (pcap export). */
export interface TraceEntry {
  /** When the datagram starts to go out. */
  time_ms: number;
  from: EndpointRole;
  flight: number;
  datagram: number;
  /** Whether it reached the peer. */
  delivered: boolean;
}

type Event =
  | { kind: 'arrive'; to: EndpointRole; flight: number; datagram: number; copy: number }
  | { kind: 'processed'; at: EndpointRole; flight: number }
  | { kind: 'timer'; at: EndpointRole; generation: number };

interface EndpointState {
  model: EndpointModel;
  /** Index of the flight this endpoint waits for next. */
  expecting: number;
  /** Index of the last flight it sent (0: none). */
  lastSent: number;
  timeout_ms: number;
  timerGeneration: number;
  cpuFree: number;
  radioFree: number;
  cpuBusy_ms: number;
  cpuCharge_mA_ms: number;
  radioTx_ms: number;
  /** The stack gave up on the handshake and ignores everything since. */
  abandoned: boolean;
}

const other = (r: EndpointRole): EndpointRole => (r === 'client' ? 'server' : 'client');

/**
 * One handshake over the lossy link, as a discrete-event simulation (RFC 6347 §4.2.4):
 * whole-flight retransmission on a doubling timer, a receiver that answers a repeated
 * previous flight by resending its own, a stateless HelloVerifyRequest, half-duplex radios
 * that send one datagram after another, and CPU time per step from the priced transcript.
 */
export function runTrial(model: ReplayModel, seed: number, trial: number, trace?: TraceEntry[], connection = 0): TrialResult {
  // Common random numbers: trial t of every variant starts from the same draws, so variants
  // compared side by side differ by their configuration rather than by luck. Each connection
  // of a trial (the full handshake, then each resumption) draws from streams of its own.
  const lossRng = new Prng(seed, trial, STREAM.loss + STREAMS_PER_CONNECTION * connection);
  const jitterRng = new Prng(seed, trial, STREAM.jitter + STREAMS_PER_CONNECTION * connection);
  // Bursty directions run a Gilbert–Elliott chain frame by frame; Bernoulli ones draw per datagram.
  const chainFor = (p: LossProcess) => (p.model === 'gilbert-elliott' ? new GilbertElliottChain(p, lossRng) : undefined);
  const chains: Record<EndpointRole, GilbertElliottChain | undefined> = {
    client: chainFor(model.loss.client_to_server),
    server: chainFor(model.loss.server_to_client),
  };
  const flights = model.flights;
  const last = flights.length;
  const queue = new EventQueue<Event>();
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
  let framesSent = 0;
  let bytesOnAir = 0;
  const zero = (): DirectionTraffic => ({ records: 0, datagrams: 0, datagram_bytes: 0, frames: 0, bytes_on_air: 0 });
  const traffic = { client: zero(), server: zero() };

  const flightAt = (index: number) => flights[index - 1]!;

  const send = (who: EndpointRole, index: number, now: number): number => {
    const s = ep[who];
    const flight = flightAt(index);
    const copy = ++copies[index - 1]!;
    let t = Math.max(now, s.radioFree);
    flight.datagrams.forEach((d, i) => {
      const start = t;
      t += d.airtime_ms;
      s.radioTx_ms += d.airtime_ms;
      datagramsSent++;
      framesSent += d.frames;
      bytesOnAir += d.bytes_on_air;
      const tr = traffic[who];
      tr.records += d.records;
      tr.datagrams++;
      tr.datagram_bytes += d.bytes;
      tr.frames += d.frames;
      tr.bytes_on_air += d.bytes_on_air;
      const delivered = framesArrive(chains[who], d, lossRng);
      if (delivered) {
        const delay = model.latency_ms + (model.jitter_ms > 0 ? jitterRng.next() * model.jitter_ms : 0);
        queue.push(t + delay, { kind: 'arrive', to: other(who), flight: index, datagram: i, copy });
      }
      trace?.push({ time_ms: start, from: who, flight: index, datagram: i, delivered });
    });
    s.radioFree = t;
    s.lastSent = index;
    return t;
  };

  const armTimer = (who: EndpointRole, from: number) => {
    const s = ep[who];
    s.timerGeneration++;
    queue.push(from + s.timeout_ms, { kind: 'timer', at: who, generation: s.timerGeneration });
  };

  const busy = (who: EndpointRole, now: number, ms: number, mA_ms: number): number => {
    const s = ep[who];
    const start = Math.max(now, s.cpuFree);
    s.cpuFree = start + ms;
    s.cpuBusy_ms += ms;
    s.cpuCharge_mA_ms += mA_ms;
    return s.cpuFree;
  };

  const finish = (completed: boolean, time_ms: number): TrialResult => ({
    completed,
    time_ms,
    retransmissions,
    datagrams_sent: datagramsSent,
    frames_sent: framesSent,
    bytes_on_air: bytesOnAir,
    traffic: { client_to_server: { ...traffic.client }, server_to_client: { ...traffic.server } },
    states: { client: stateTimes(ep.client, time_ms), server: stateTimes(ep.server, time_ms) },
    work_mA_ms: { client: workCharge(ep.client, time_ms), server: workCharge(ep.server, time_ms) },
  });

  // The client starts: its step-0 work, then flight 1.
  queue.push(busy('client', 0, model.client.step_ms[0]!, model.client.step_mA_ms[0]!), { kind: 'processed', at: 'client', flight: 0 });

  for (;;) {
    const next = queue.pop();
    // The scenario's deadline: whatever would happen at that instant or later does not.
    if (!next || next.time >= model.give_up_ms) return finish(false, model.give_up_ms);
    const { time: now, item: ev } = next;

    if (ev.kind === 'processed') {
      if (ev.flight === last) return finish(true, now);
      const answer = ev.flight + 1;
      const txEnd = send(ev.at, answer, now);
      const s = ep[ev.at];
      s.expecting = answer + 1;
      if (flightAt(answer).arms_timer) {
        // A new flight starts from the initial timeout, as in mbedTLS
        // (mbedtls_ssl_send_flight_completed resets the retransmit timeout).
        s.timeout_ms = s.model.initial_timeout_ms;
        armTimer(ev.at, txEnd);
      }
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
      retransmissions++;
      const txEnd = send(ev.at, s.lastSent, busy(ev.at, now, s.model.resend_ms[s.lastSent - 1]!, s.model.resend_mA_ms[s.lastSent - 1]!));
      s.timeout_ms = Math.min(2 * s.timeout_ms, s.model.max_timeout_ms);
      armTimer(ev.at, txEnd);
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
      retransmissions++;
      const txEnd = send(ev.to, answer, busy(ev.to, at, s.model.resend_ms[f]!, s.model.resend_mA_ms[f]!));
      if (flightAt(answer).arms_timer) armTimer(ev.to, txEnd);
    }
  }
}

function framesArrive(chain: GilbertElliottChain | undefined, d: ReplayModel['flights'][number]['datagrams'][number], rng: Prng): boolean {
  if (!chain) return rng.next() < d.delivery_probability;
  let all = true;
  for (let k = 0; k < d.frames; k++) if (chain.frameLost()) all = false; // every frame moves the chain
  return all;
}

function newState(model: EndpointModel, expecting: number): EndpointState {
  return {
    model,
    expecting,
    lastSent: 0,
    timeout_ms: model.initial_timeout_ms,
    timerGeneration: 0,
    cpuFree: 0,
    radioFree: 0,
    cpuBusy_ms: 0,
    cpuCharge_mA_ms: 0,
    radioTx_ms: 0,
    abandoned: false,
  };
}

/** The work's charge, cut in proportion when the trial ended while the CPU was still busy. */
function workCharge(s: EndpointState, total_ms: number): number {
  return s.cpuBusy_ms > total_ms ? (s.cpuCharge_mA_ms * total_ms) / s.cpuBusy_ms : s.cpuCharge_mA_ms;
}

function stateTimes(s: EndpointState, total_ms: number): StateTimes_ms {
  const cpu = Math.min(s.cpuBusy_ms, total_ms);
  const tx = Math.min(s.radioTx_ms, total_ms);
  return { cpu_active: cpu, cpu_sleep: total_ms - cpu, radio_tx: tx, radio_rx: total_ms - tx };
}
