/**
 * A sender's retransmission timer, for the protocols that come after DTLS 1.2 (TCP under TLS,
 * CoAP under EDHOC/OSCORE). The DTLS 1.2 replay keeps its own RFC 6347 timer (src/replay).
 *
 * The sender arms the timer for timeout_ms() after each transmission; when it expires without an
 * acknowledgement, expired() says whether to retransmit (and backs the timer off) or give up.
 */
export interface RetransmissionPolicy {
  /** How long to wait for an acknowledgement of the transmission just made. */
  timeout_ms(): number;
  /** The timer expired: true to retransmit (the next timeout_ms() is backed off), false to give up. */
  expired(): boolean;
}

/** The times, after the first transmission, at which each retransmission fires, and when the sender gives up (null: never). */
export function schedule(policy: RetransmissionPolicy, limit = 64): { retransmissions_ms: number[]; give_up_ms: number | null } {
  const retransmissions_ms: number[] = [];
  let t = 0;
  for (let i = 0; i < limit; i++) {
    t += policy.timeout_ms();
    if (!policy.expired()) return { retransmissions_ms, give_up_ms: t };
    retransmissions_ms.push(t);
  }
  return { retransmissions_ms, give_up_ms: null };
}
