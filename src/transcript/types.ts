import type { KeyExchange } from '../protocol/dtls12/cipher_suites.js';
import type { EndpointRole, OpRecord } from '../crypto/ops.js';

/**
 * What one real handshake produced, once per variant: the flights as real datagrams, every
 * crypto op each endpoint performed and at which step, and the stack's memory events. The
 * replay prices and times these; it never runs crypto itself.
 */
export interface TranscriptFlight {
  /** 1-based, in the order the flights were sent on a lossless link. */
  index: number;
  from: EndpointRole;
  phase: 'handshake' | 'application';
  /** Message names in order, e.g. ["ClientKeyExchange", "ChangeCipherSpec", "Finished"]. */
  messages: string[];
  records: number;
  /** The datagrams exactly as sent (UDP payloads). */
  datagrams: Uint8Array[];
  bytes: number;
  /** The sender arms its retransmission timer after this flight (RFC 6347 §4.2.4). */
  arms_timer: boolean;
  /** The sender answers every copy of the previous flight afresh and keeps no state (HelloVerifyRequest). */
  stateless: boolean;
  /** Length of the connection ID this flight's tls12_cid records carry (RFC 9146); 0 without. */
  cid_bytes: number;
}

export interface MemoryRecord {
  endpoint: EndpointRole;
  /** Step as for ops: the flight whose receipt triggered it (0: before any flight). */
  step: number;
  label: string;
  /** Positive: allocated; negative: freed. */
  bytes: number;
  /** Held once for every connection (configuration, DRBG, credentials), not per connection. */
  scope?: 'shared';
  /** The stack profile has no figure for this allocation: bytes is 0 and the label says what is missing. */
  not_modelled?: true;
}

export type TranscriptOutcome =
  | { completed: true }
  | { completed: false; failed_endpoint: EndpointRole; alert: string; reason: string; at_flight: number };

export interface Transcript {
  protocol: 'dtls1.2';
  key_exchange: KeyExchange;
  /** An abbreviated handshake that resumed an earlier session (RFC 5246 §7.3). */
  resumed: boolean;
  cipher_suite: string;
  flights: TranscriptFlight[];
  ops: OpRecord[];
  memory: MemoryRecord[];
  outcome: TranscriptOutcome;
}
