import type { EndpointRole } from '../crypto/ops.js';
import type { MacAccess } from '../scenario/profile_schemas.js';
import { other, type LinkChannel } from './link_channel.js';
import type { Prng } from './prng.js';

/** Unslotted CSMA-CA (IEEE 802.15.4-2015 section 6.2.5.1), per attempt. */
export interface CsmaModel {
  unit_backoff_ms: number;
  min_be: number;
  max_be: number;
  max_csma_backoffs: number;
  cca_ms: number;
  /** Probability that a CCA finds the channel busy (no other traffic is modelled otherwise). */
  cca_busy: number;
}

/** 802.11 DCF: DIFS, then a random backoff in slots from a contention window that doubles per retry. */
export interface DcfModel {
  difs_ms: number;
  slot_ms: number;
  cw_min: number;
  cw_max: number;
}

/** BLE: frames go out in connection events, one every interval; a failed exchange closes the event. */
export interface ConnectionEventModel {
  interval_ms: number;
  /** The link is lost when no exchange succeeds for this long. */
  supervision_timeout_ms: number;
}

/** A link that acknowledges and retries its own frames (README "Link"). */
export interface ArqModel {
  access: MacAccess;
  /** Retries after the first attempt (802.15.4 macMaxFrameRetries; BLE: unlimited, bounded by the supervision timeout). */
  max_frame_retries: number;
  /** From the end of a frame to the start of its acknowledgement (aTurnaroundTime, T_IFS, SIFS). */
  turnaround_ms: number;
  ack: { airtime_ms: number; bytes: number };
  /** How long the sender listens after a frame for an acknowledgement that does not come. */
  ack_wait_ms: number;
  csma: CsmaModel | null;
  dcf: DcfModel | null;
  connection: ConnectionEventModel | null;
}

/** What became of one link frame after the link's own retries. */
export interface ArqOutcome {
  /** When the sender may go on with its next frame (acknowledged, or given up). */
  end: number;
  /** Whether the receiver got it at least once. */
  arrived: boolean;
  /** When the receiver first had it (the end of the attempt that got through). */
  received_at: number;
}

/**
 * Sends link frames with acknowledgements and retries. Each attempt first gets the channel (CSMA
 * backoffs and CCA, DCF backoff, or the next BLE connection event), then transmits; the receiver
 * answers a frame it got with an acknowledgement frame after the turnaround time; a frame or an
 * acknowledgement lost means another attempt, up to the retry limit. A frame that arrived but
 * whose acknowledgement was lost is sent again; the receiver drops the duplicate (sequence
 * numbers). Every attempt and every acknowledgement counts on the air and in the radio times.
 */
export class LinkArq {
  /** BLE: the phase of the connection-event grid, drawn once per trial. */
  private readonly anchor0: number;
  /** BLE: an exchange that succeeded keeps the connection event open until this instant. */
  private eventOpenAt = -1;
  /** BLE: distinct connection events that carried data. */
  eventsUsed = 0;

  constructor(
    private readonly model: ArqModel,
    private readonly channel: LinkChannel,
    private readonly rng: Prng,
  ) {
    this.anchor0 = model.connection ? rng.next() * model.connection.interval_ms : 0;
  }

  send(who: EndpointRole, ready: number, airtime_ms: number, bytes: number): ArqOutcome {
    const m = this.model;
    const peer = other(who);
    const radio = this.channel.radio;
    const first = this.channel.nextStart(who, ready);
    let t = first;
    let received_at = -1;
    for (let attempt = 0; ; attempt++) {
      const start = this.access(who, t, attempt);
      // Channel access failure: the MAC gives up on the frame.
      if (start < 0) return { end: -start, arrived: received_at >= 0, received_at };
      const end = this.channel.transmit(who, start, airtime_ms, bytes);
      this.channel.spendDuty(who, end, airtime_ms);
      if (!this.channel.frameLost(who)) {
        if (received_at < 0) received_at = end;
        const ackStart = end + m.turnaround_ms;
        radio[who].idle_ms += m.turnaround_ms;
        radio[peer].idle_ms += m.turnaround_ms;
        const ackEnd = this.channel.transmit(peer, ackStart, m.ack.airtime_ms, m.ack.bytes);
        if (!this.channel.frameLost(peer)) {
          if (!m.connection) return { end: ackEnd, arrived: true, received_at };
          // BLE: the next packet may follow in this connection event, T_IFS after the answer.
          radio[who].idle_ms += m.turnaround_ms;
          this.eventOpenAt = ackEnd + m.turnaround_ms;
          return { end: this.eventOpenAt, arrived: true, received_at };
        }
      } else {
        // Nothing comes back: the sender listens for the acknowledgement until it gives up on it.
        radio[who].rx_ms += m.ack_wait_ms;
      }
      t = end + m.ack_wait_ms;
      if (m.connection) this.eventOpenAt = -1; // a failed exchange closes the connection event
      const outOfRetries = m.connection ? t - first >= m.connection.supervision_timeout_ms : attempt >= m.max_frame_retries;
      if (outOfRetries) return { end: t, arrived: received_at >= 0, received_at };
    }
  }

  /** When attempt `attempt` may start transmitting, or minus the time it gave up (CSMA-CA channel access failure). */
  private access(who: EndpointRole, t: number, attempt: number): number {
    const { csma, dcf, connection, turnaround_ms } = this.model;
    const radio = this.channel.radio[who];
    if (csma) {
      let be = csma.min_be;
      for (let nb = 0; ; nb++) {
        const backoff = Math.floor(this.rng.next() * 2 ** be) * csma.unit_backoff_ms;
        radio.idle_ms += backoff;
        radio.rx_ms += csma.cca_ms;
        t += backoff + csma.cca_ms;
        if (!(this.rng.next() < csma.cca_busy)) {
          radio.idle_ms += turnaround_ms; // RX-to-TX turnaround after a clear CCA
          return t + turnaround_ms;
        }
        be = Math.min(be + 1, csma.max_be);
        if (nb + 1 > csma.max_csma_backoffs) return -t;
      }
    }
    if (dcf) {
      const cw = Math.min((dcf.cw_min + 1) * 2 ** attempt - 1, dcf.cw_max);
      const wait = dcf.difs_ms + Math.floor(this.rng.next() * (cw + 1)) * dcf.slot_ms;
      radio.idle_ms += wait;
      return t + wait;
    }
    if (connection) {
      if (t === this.eventOpenAt) return t;
      // The next connection event at or after t (strictly after, once an exchange failed).
      const k = Math.ceil((t - this.anchor0) / connection.interval_ms);
      this.eventsUsed++;
      return this.anchor0 + Math.max(0, k) * connection.interval_ms;
    }
    return t;
  }

  /**
   * BLE keeps its connection alive: in every connection event without data the two sides still
   * exchange empty packets. Counted for `total_ms` of connection: per idle event, each side sends
   * one empty PDU and receives the other's.
   */
  idleEvents(total_ms: number): number {
    const c = this.model.connection;
    if (!c) return 0;
    return Math.max(0, Math.floor((total_ms - this.anchor0) / c.interval_ms) + 1 - this.eventsUsed);
  }
}
