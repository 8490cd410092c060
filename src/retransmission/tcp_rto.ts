import type { RetransmissionPolicy } from './policy.js';

/** RFC 6298 parameters. */
export interface TcpRtoOptions {
  /** Before any RTT sample (section 2.1): 1 s. */
  initial_ms: number;
  /** Lower bound (section 2.4): 1 s; the computed RTO is rounded up to it. */
  min_ms: number;
  /** Upper bound (section 2.5): RFC 6298 allows one, of at least 60 s. */
  max_ms: number;
  /** Clock granularity G (section 2.2); the RFC leaves it to the implementation. */
  granularity_ms: number;
}

export const RFC6298_DEFAULTS: TcpRtoOptions = { initial_ms: 1000, min_ms: 1000, max_ms: 60000, granularity_ms: 0 };

const ALPHA = 1 / 8; // RFC 6298 section 2.3
const BETA = 1 / 4;
const K = 4; // RFC 6298 section 2.2

/**
 * TCP's retransmission timeout (RFC 6298): SRTT and RTTVAR from RTT samples, RTO = SRTT +
 * max(G, K x RTTVAR) rounded up to min_ms, doubled on each expiry up to max_ms (section 5.5).
 * Karn's algorithm (section 3): samples of retransmitted segments are not taken. TCP never gives
 * up on its own here: expired() always asks for a retransmission (the connection's own limit,
 * e.g. R2 of RFC 1122, is the caller's).
 */
export class TcpRto implements RetransmissionPolicy {
  private srtt_ms: number | null = null;
  private rttvar_ms = 0;
  private rto_ms: number;

  constructor(private readonly o: TcpRtoOptions = RFC6298_DEFAULTS) {
    this.rto_ms = o.initial_ms;
  }

  timeout_ms(): number {
    return this.rto_ms;
  }

  /** Section 5.5: back off the timer (RTO x 2, at most max_ms) and retransmit. */
  expired(): boolean {
    this.rto_ms = Math.min(2 * this.rto_ms, this.o.max_ms);
    return true;
  }

  /** An RTT measurement R; ignored when the segment was retransmitted (Karn). */
  sample(rtt_ms: number, retransmitted = false): void {
    if (retransmitted) return;
    if (this.srtt_ms === null) {
      // Section 2.2: the first measurement.
      this.srtt_ms = rtt_ms;
      this.rttvar_ms = rtt_ms / 2;
    } else {
      // Section 2.3: RTTVAR first, with the SRTT from before this sample.
      this.rttvar_ms = (1 - BETA) * this.rttvar_ms + BETA * Math.abs(this.srtt_ms - rtt_ms);
      this.srtt_ms = (1 - ALPHA) * this.srtt_ms + ALPHA * rtt_ms;
    }
    const rto = this.srtt_ms + Math.max(this.o.granularity_ms, K * this.rttvar_ms);
    this.rto_ms = Math.min(Math.max(rto, this.o.min_ms), this.o.max_ms);
  }

  /** Section 5.7: the SYN's timer expired and data now begins; an RTO below 3 s is re-initialised to 3 s. */
  dataBeginsAfterSynTimeout(): void {
    if (this.rto_ms < 3000) this.rto_ms = 3000;
  }

  get srtt(): number | null {
    return this.srtt_ms;
  }

  get rttvar(): number {
    return this.rttvar_ms;
  }
}
