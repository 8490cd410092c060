import type { EndpointRole } from '../crypto/ops.js';
import { GilbertElliottChain, type LossProcess } from '../link/loss_model.js';
import { ClassADownlink } from './class_a_downlink.js';
import { silentUntil } from './duty_cycle.js';
import { LinkArq } from './link_arq.js';
import type { Prng } from './prng.js';
import type { ReplayDatagram, ReplayModel } from './replay_model.js';

/** One transmission of a datagram, for a capture of the trial (pcap export). */
export interface TraceEntry {
  /** When the datagram starts to go out (its first frame). */
  time_ms: number;
  from: EndpointRole;
  flight: number;
  datagram: number;
  /** Which transmission of the flight this is (1: the first). */
  copy: number;
  /** Whether it reached the peer. */
  delivered: boolean;
}

/** One frame on the air (frame-by-frame links only), for tests and inspection. */
export interface FrameLogEntry {
  from: EndpointRole;
  start_ms: number;
  end_ms: number;
}

/** Which copy of which datagram, so that the receiver can tell copies apart. */
export interface DatagramRef {
  flight: number;
  datagram: number;
  copy: number;
}

/** What the channel tells the trial: copy `copy` of datagram `datagram` of flight `flight` reaches `to` at `time`. */
export type DeliverFn = (time: number, to: EndpointRole, flight: number, datagram: number, copy: number) => void;
/**
 * The channel asks the trial to call `pull(time, after, yielded)` at `time` (LoRaWAN FPending);
 * `yielded`: the request already let the other events of that instant go first.
 */
export type PullRequestFn = (time: number, after: number, yielded: boolean) => void;

/** Link-level counters of one direction. */
export interface FrameCounters {
  frames: number;
  bytes_on_air: number;
}

/** Radio time of one endpoint besides sleeping. */
export interface RadioTimes {
  tx_ms: number;
  /** Listening that the listen mode charges explicitly (duty-cycled: frames addressed to it, receive windows). */
  rx_ms: number;
  idle_ms: number;
}

export const other = (r: EndpointRole): EndpointRole => (r === 'client' ? 'server' : 'client');

/**
 * The link between the two endpoints during one trial: it puts datagrams on the air frame by
 * frame, decides which frames are lost, applies airtime, duty-cycle waits, the link's own
 * acknowledgements and retries (LinkArq) and the LoRaWAN class A receive windows
 * (ClassADownlink), and tells the trial when a whole datagram arrives. It owns the link-level
 * counters and the radio times the energy model needs.
 *
 * Two paths. Without duty cycle, receive windows or link ACKs, a datagram's frames go out back
 * to back and one draw decides its fate (Bernoulli loss: (1 - p)^frames), the fast path.
 * Otherwise every frame waits for its turn and draws its own loss.
 */
export class LinkChannel {
  readonly counters: Record<EndpointRole, FrameCounters> = { client: { frames: 0, bytes_on_air: 0 }, server: { frames: 0, bytes_on_air: 0 } };
  readonly radio: Record<EndpointRole, RadioTimes> = { client: { tx_ms: 0, rx_ms: 0, idle_ms: 0 }, server: { tx_ms: 0, rx_ms: 0, idle_ms: 0 } };
  /** When each sender's radio is free again (half-duplex: one frame after another). */
  readonly radioFree: Record<EndpointRole, number> = { client: 0, server: 0 };
  /** When each sender's duty-cycle budget lets it transmit again. */
  private readonly dutyFree: Record<EndpointRole, number> = { client: 0, server: 0 };
  private readonly chains: Record<EndpointRole, GilbertElliottChain | undefined>;
  private readonly listensPerFrame: boolean;
  private readonly classA: ClassADownlink | null;
  private readonly arq: LinkArq | null;

  constructor(
    private readonly model: ReplayModel,
    private readonly lossRng: Prng,
    private readonly jitterRng: Prng,
    private readonly deliver: DeliverFn,
    requestPull: PullRequestFn,
    private readonly trace?: TraceEntry[],
    private readonly frameLog?: FrameLogEntry[],
    macRng?: Prng,
  ) {
    // Bursty directions run a Gilbert–Elliott chain frame by frame.
    const chainFor = (p: LossProcess) => (p.model === 'gilbert-elliott' ? new GilbertElliottChain(p, lossRng) : undefined);
    this.chains = { client: chainFor(model.loss.client_to_server), server: chainFor(model.loss.server_to_client) };
    this.listensPerFrame = model.link.listen === 'duty-cycled';
    this.classA = model.link.class_a ? new ClassADownlink(this, model.link.class_a, requestPull) : null;
    this.arq = model.link.arq && macRng ? new LinkArq(model.link.arq, this, macRng) : null;
  }

  /**
   * Puts datagram `d` of `who` on the link, ready at `ready`. Returns the time the sender
   * considers it sent, which is when its retransmission timer starts.
   */
  send(who: EndpointRole, d: ReplayDatagram, flight: number, datagram: number, copy: number, ready: number): number {
    if (!this.model.link.per_frame) return this.sendWhole(who, d, flight, datagram, copy, ready);
    if (who === 'server' && this.classA) {
      // The server hands the datagram to the network, which holds it for the device's next
      // receive windows; the DTLS server's timer starts at the hand-off.
      this.classA.enqueue(d, { flight, datagram, copy }, ready);
      return ready;
    }
    return this.sendFrames(who, d, { flight, datagram, copy }, ready);
  }

  /**
   * The earliest `who` can start sending something ready at `ready`. On the fast path the
   * sender never waits for the link: its datagrams queue behind each other on its radio. A
   * LoRaWAN server hands datagrams to the network at once.
   */
  earliestStart(who: EndpointRole, ready: number): number {
    if (!this.model.link.per_frame || (who === 'server' && this.classA)) return ready;
    return this.nextStart(who, ready);
  }

  /** The fast path: frames back to back, one loss draw per datagram (or the chain per frame). */
  private sendWhole(who: EndpointRole, d: ReplayDatagram, flight: number, datagram: number, copy: number, ready: number): number {
    const start = Math.max(ready, this.radioFree[who]);
    const end = start + d.airtime_ms;
    this.radio[who].tx_ms += d.airtime_ms;
    if (this.listensPerFrame) this.radio[other(who)].rx_ms += d.airtime_ms;
    this.count(who, d.frames, d.bytes_on_air);
    const chain = this.chains[who];
    let delivered: boolean;
    if (chain) {
      delivered = true;
      for (let k = 0; k < d.frames; k++) if (chain.frameLost()) delivered = false; // every frame moves the chain
    } else {
      delivered = this.lossRng.next() < d.delivery_probability;
    }
    if (delivered) this.deliver(end + this.delay(), other(who), flight, datagram, copy);
    this.trace?.push({ time_ms: start, from: who, flight, datagram, copy, delivered });
    this.radioFree[who] = end;
    return end;
  }

  /**
   * Frame by frame: each frame waits for the sender's radio and duty-cycle budget; with the
   * link's own acknowledgements, a frame is lost only when its last retry is.
   */
  private sendFrames(who: EndpointRole, d: ReplayDatagram, ref: DatagramRef, ready: number): number {
    let t = ready;
    let first = -1;
    let delivered = true;
    if (this.arq) {
      let received = t;
      for (let k = 0; k < d.frames; k++) {
        if (first < 0) first = this.nextStart(who, t);
        const r = this.arq.send(who, t, d.frame_airtime_ms[k]!, d.frame_bytes[k]!);
        if (!r.arrived) delivered = false;
        received = r.received_at;
        t = r.end;
      }
      if (delivered) this.deliverAt(received + this.delay(), other(who), ref);
      this.trace?.push({ time_ms: first, from: who, ...ref, delivered });
      return t;
    }
    for (let k = 0; k < d.frames; k++) {
      const airtime = d.frame_airtime_ms[k]!;
      const start = this.nextStart(who, t);
      if (first < 0) first = start;
      t = this.transmit(who, start, airtime, d.frame_bytes[k]!);
      this.spendDuty(who, t, airtime);
      const lost = this.frameLost(who);
      if (lost) delivered = false;
      if (who === 'client' && this.classA) this.classA.uplinkSent(t, !lost);
    }
    if (delivered) this.deliverAt(t + this.delay(), other(who), ref);
    this.trace?.push({ time_ms: first, from: who, ...ref, delivered });
    return t;
  }

  /** The earliest a frame of `who` ready at `t` may start: radio free and duty cycle respected. */
  nextStart(who: EndpointRole, t: number): number {
    return Math.max(t, this.radioFree[who], this.dutyFree[who]);
  }

  /** After a frame that `nextStart` allowed: the sender's own sub-band budget. */
  spendDuty(who: EndpointRole, end: number, airtime_ms: number): void {
    this.dutyFree[who] = silentUntil(end, airtime_ms, this.model.link.duty_cycle[who]);
  }

  /** One frame on the air from `start`: the sender's radio is busy for its airtime. Returns the frame's end. */
  transmit(who: EndpointRole, start: number, airtime_ms: number, bytes: number): number {
    const end = start + airtime_ms;
    this.radio[who].tx_ms += airtime_ms;
    // With duty-cycled listening the receiver listens while each frame addressed to it is on the
    // air; the class A end device listens in its receive windows instead (ClassADownlink).
    if (this.listensPerFrame && !(this.classA && who === 'server')) this.radio[other(who)].rx_ms += airtime_ms;
    this.count(who, 1, bytes);
    this.radioFree[who] = Math.max(this.radioFree[who], end);
    this.frameLog?.push({ from: who, start_ms: start, end_ms: end });
    return end;
  }

  /** Draws whether the next frame `who` sends is lost. */
  frameLost(who: EndpointRole): boolean {
    const chain = this.chains[who];
    if (chain) return chain.frameLost();
    const p = who === 'client' ? this.model.loss.client_to_server : this.model.loss.server_to_client;
    return this.lossRng.next() < (p.model === 'bernoulli' ? p.frame_loss : 0);
  }

  /** Link latency plus a uniform jitter draw. */
  delay(): number {
    return this.model.latency_ms + (this.model.jitter_ms > 0 ? this.jitterRng.next() * this.model.jitter_ms : 0);
  }

  deliverAt(time: number, to: EndpointRole, ref: DatagramRef): void {
    this.deliver(time, to, ref.flight, ref.datagram, ref.copy);
  }

  traceDatagram(entry: TraceEntry): void {
    this.trace?.push(entry);
  }

  /** LoRaWAN FPending: the end device was told more is waiting; it sends an uplink unless one already went out after `after`. */
  pull(now: number, after: number, yielded: boolean): void {
    this.classA?.pull(now, after, yielded);
  }

  private count(who: EndpointRole, frames: number, bytes: number): void {
    const c = this.counters[who];
    c.frames += frames;
    c.bytes_on_air += bytes;
  }

  /**
   * Radio times up to `total_ms` (receive windows that open later are not counted). A BLE link
   * also keeps its connection events going when it has nothing to send: per idle event each
   * side sends one empty packet and receives the other's, T_IFS apart.
   */
  radioTimes(who: EndpointRole, total_ms: number): RadioTimes {
    const r = this.radio[who];
    const windows = who === 'client' && this.classA ? this.classA.listened_ms(total_ms) : 0;
    const idleEvents = this.arq ? this.arq.idleEvents(total_ms) : 0;
    const arq = this.model.link.arq;
    const empty_ms = arq ? arq.ack.airtime_ms : 0;
    return {
      tx_ms: r.tx_ms + idleEvents * empty_ms,
      rx_ms: r.rx_ms + windows + idleEvents * empty_ms,
      idle_ms: r.idle_ms + idleEvents * (arq ? arq.turnaround_ms : 0),
    };
  }
}
