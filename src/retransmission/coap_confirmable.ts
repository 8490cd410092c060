import type { RetransmissionPolicy } from './policy.js';

/** RFC 7252 section 4.8 transmission parameters. */
export interface CoapParameters {
  ack_timeout_ms: number;
  ack_random_factor: number;
  max_retransmit: number;
}

/** RFC 7252 section 4.8: ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4. */
export const RFC7252_DEFAULTS: CoapParameters = { ack_timeout_ms: 2000, ack_random_factor: 1.5, max_retransmit: 4 };

/** RFC 7252 section 4.8.2: MAX_LATENCY 100 s and PROCESSING_DELAY (= ACK_TIMEOUT) for EXCHANGE_LIFETIME. */
const MAX_LATENCY_MS = 100_000;

/**
 * A CoAP Confirmable message's retransmission (RFC 7252 section 4.2): the first timeout is drawn
 * uniformly in [ACK_TIMEOUT, ACK_TIMEOUT x ACK_RANDOM_FACTOR], doubled on each retransmission;
 * after MAX_RETRANSMIT retransmissions the next expiry gives up.
 */
export class CoapConfirmable implements RetransmissionPolicy {
  private timeout: number;
  private retransmissions = 0;

  /** `uniform01`: the draw in [0, 1) that places the first timeout in its interval. */
  constructor(
    private readonly p: CoapParameters = RFC7252_DEFAULTS,
    uniform01: number,
  ) {
    this.timeout = p.ack_timeout_ms * (1 + (p.ack_random_factor - 1) * uniform01);
  }

  timeout_ms(): number {
    return this.timeout;
  }

  expired(): boolean {
    if (this.retransmissions >= this.p.max_retransmit) return false;
    this.retransmissions++;
    this.timeout *= 2;
    return true;
  }
}

/** The derived time values of RFC 7252 section 4.8.2. */
export function coapDerivedTimes(p: CoapParameters = RFC7252_DEFAULTS) {
  const max_transmit_span_ms = p.ack_timeout_ms * (2 ** p.max_retransmit - 1) * p.ack_random_factor;
  const max_transmit_wait_ms = p.ack_timeout_ms * (2 ** (p.max_retransmit + 1) - 1) * p.ack_random_factor;
  return {
    max_transmit_span_ms,
    max_transmit_wait_ms,
    exchange_lifetime_ms: max_transmit_span_ms + 2 * MAX_LATENCY_MS + p.ack_timeout_ms,
  };
}
