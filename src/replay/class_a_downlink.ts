import { silentUntil } from './duty_cycle.js';
import type { DatagramRef, LinkChannel, PullRequestFn } from './link_channel.js';
import type { ClassAModel, ReplayDatagram } from './replay_model.js';

/** The two receive windows an end device opens after one of its uplinks. */
interface Opening {
  /** End of the uplink frame. */
  end: number;
  /** Whether the network heard the uplink: it can answer only then. */
  heard: boolean;
  /** 0: no downlink in it; 1 or 2: a downlink went out in RX1 or RX2. */
  used: 0 | 1 | 2;
  /** Airtime of that downlink. */
  downlink_ms: number;
}

/** One server datagram on its way to the device, possibly over several downlinks. */
interface DownlinkDatagram {
  d: ReplayDatagram;
  ref: DatagramRef;
  framesLeft: number;
  allArrived: boolean;
  firstStart: number;
}

interface PendingFrame {
  datagram: DownlinkDatagram;
  frame: number;
  ready: number;
}

/**
 * LoRaWAN class A downlinks (LoRaWAN 1.0.x section 3.3; Regional Parameters RECEIVE_DELAY1/2).
 * The client is the end device. After each uplink frame it opens RX1 (RECEIVE_DELAY1 after the
 * uplink's end) and, if nothing started in RX1, RX2 (RECEIVE_DELAY2); it cannot send a new
 * uplink before its windows are over. The network can send it one downlink frame per uplink it
 * heard, in one of those windows, and only if the gateway's duty cycle in that window's sub-band
 * allows. What the server sends waits, first in first out, for such a window; a downlink that
 * leaves more waiting carries FPending, and the device answers it with an empty uplink (MHDR +
 * FHDR + MIC, no FPort) as soon as its own duty cycle lets it, to open new windows.
 *
 * Simplifications (README "LoRa and LoRaWAN"): downlinks in both windows use the profile's
 * data rate; a window's length is the profile's rx_window_symbols when nothing arrives; the
 * network never drops or reorders what it queued, duplicates of retransmitted flights included.
 */
export class ClassADownlink {
  private readonly openings: Opening[] = [];
  /** Openings before this index are used or expired. */
  private firstOpen = 0;
  private readonly pending: PendingFrame[] = [];
  private pendingHead = 0;
  /** The gateway's duty-cycle budget in the RX1 sub-band (the uplink's) and the RX2 sub-band. */
  private rx1Free = 0;
  private rx2Free = 0;

  constructor(
    private readonly channel: LinkChannel,
    private readonly cfg: ClassAModel,
    private readonly requestPull: PullRequestFn,
  ) {}

  /** An uplink frame of the device ended at `end`; `heard`: the network received it. */
  uplinkSent(end: number, heard: boolean): void {
    this.openings.push({ end, heard, used: 0, downlink_ms: 0 });
    // Class A: no new uplink before RX2 has closed.
    const free = this.channel.radioFree;
    free.client = Math.max(free.client, end + this.cfg.rx2_delay_ms + this.cfg.rx_window_ms);
    this.drain();
  }

  /** The server hands a datagram to the network at `ready`. */
  enqueue(d: ReplayDatagram, ref: DatagramRef, ready: number): void {
    const datagram: DownlinkDatagram = { d, ref, framesLeft: d.frames, allArrived: true, firstStart: -1 };
    for (let k = 0; k < d.frames; k++) this.pending.push({ datagram, frame: k, ready });
    this.drain();
  }

  /**
   * FPending reached the device at `after`: it sends an empty uplink as soon as its duty cycle
   * and receive windows allow, unless an uplink of its own has gone out since.
   */
  pull(now: number, after: number, yielded: boolean): void {
    if (this.pendingHead >= this.pending.length) return;
    const last = this.openings[this.openings.length - 1];
    if (last && last.end > after) return;
    const start = this.channel.nextStart('client', now);
    if (start > now || !yielded) {
      // Look again then, after whatever else is due at that instant: an uplink the device sends
      // for itself opens the windows just as well (LoRaWAN: FPending asks for any uplink).
      this.requestPull(start, after, start === now);
      return;
    }
    const { airtime_ms, bytes_on_air } = this.cfg.empty_uplink;
    const end = this.channel.transmit('client', start, airtime_ms, bytes_on_air);
    this.channel.spendDuty('client', end, airtime_ms);
    this.uplinkSent(end, !this.channel.frameLost('client'));
  }

  /** Gives waiting downlink frames, in order, the earliest windows that can carry them. */
  private drain(): void {
    while (this.pendingHead < this.pending.length) {
      const next = this.pending[this.pendingHead]!;
      let placed = false;
      for (let i = this.firstOpen; i < this.openings.length && !placed; i++) {
        const o = this.openings[i]!;
        if (o.used === 0 && o.heard) placed = this.place(o, next);
      }
      while (this.firstOpen < this.openings.length) {
        const o = this.openings[this.firstOpen]!;
        if (o.used !== 0 || !o.heard || o.end + this.cfg.rx2_delay_ms < next.ready) this.firstOpen++;
        else break;
      }
      if (!placed) return;
      this.pendingHead++;
    }
  }

  /** Sends `p` in RX1 or RX2 of `o` if the timing and the gateway's duty cycle allow. */
  private place(o: Opening, p: PendingFrame): boolean {
    const rx1 = o.end + this.cfg.rx1_delay_ms;
    const rx2 = o.end + this.cfg.rx2_delay_ms;
    const serverFree = this.channel.radioFree.server;
    let start: number;
    if (p.ready <= rx1 && Math.max(serverFree, this.rx1Free) <= rx1) {
      start = rx1;
      o.used = 1;
    } else if (p.ready <= rx2 && Math.max(serverFree, this.rx2Free) <= rx2) {
      start = rx2;
      o.used = 2;
    } else {
      return false;
    }
    const { datagram } = p;
    const airtime = datagram.d.frame_airtime_ms[p.frame]!;
    const end = this.channel.transmit('server', start, airtime, datagram.d.frame_bytes[p.frame]!);
    if (o.used === 1) this.rx1Free = silentUntil(end, airtime, this.cfg.rx1_duty_cycle);
    else this.rx2Free = silentUntil(end, airtime, this.cfg.rx2_duty_cycle);
    o.downlink_ms = airtime;
    // The device is receiving until the downlink ends.
    this.channel.radioFree.client = Math.max(this.channel.radioFree.client, end);
    if (datagram.firstStart < 0) datagram.firstStart = start;
    const lost = this.channel.frameLost('server');
    if (lost) datagram.allArrived = false;
    if (--datagram.framesLeft === 0) {
      if (datagram.allArrived) this.channel.deliverAt(end + this.channel.delay(), 'client', datagram.ref);
      this.channel.traceDatagram({ time_ms: datagram.firstStart, from: 'server', ...datagram.ref, delivered: datagram.allArrived });
    }
    if (!lost && this.pendingHead + 1 < this.pending.length) this.requestPull(end, end, false);
    return true;
  }

  /**
   * Time the device's receiver was on, up to `total_ms`: in each opening, RX1 for a downlink's
   * airtime, or an empty RX1 window then RX2 (a window, or the downlink it caught).
   */
  listened_ms(total_ms: number): number {
    const w = this.cfg.rx_window_ms;
    const part = (start: number, length: number) => Math.max(0, Math.min(length, total_ms - start));
    let sum = 0;
    for (const o of this.openings) {
      const rx1 = o.end + this.cfg.rx1_delay_ms;
      const rx2 = o.end + this.cfg.rx2_delay_ms;
      if (o.used === 1) sum += part(rx1, o.downlink_ms);
      else sum += part(rx1, w) + part(rx2, o.used === 2 ? o.downlink_ms : w);
    }
    return sum;
  }
}
