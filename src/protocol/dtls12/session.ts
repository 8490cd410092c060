import { ByteReader, ByteWriter, bytesEqual, concatBytes, DecodeError } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { MASTER_SECRET_BYTES } from './key_schedule.js';

/**
 * What resuming a session needs (RFC 5246 §7.3, RFC 5077): the master secret, the suite, and
 * whether the extended master secret was in use (RFC 7627 §5.3 forbids mixing).
 */
export interface Session {
  /** The server's session ID; empty when the server issued a ticket instead. */
  id: Uint8Array;
  /** RFC 5077 ticket, opaque to the client. */
  ticket?: Uint8Array;
  master_secret: Uint8Array;
  cipher_suite: number;
  extended_master_secret: boolean;
}

/** A server's session cache, keyed by session ID, shared across connections by its owner. */
export class SessionCache {
  private readonly sessions = new Map<string, Session>();

  constructor(private readonly capacity: number) {}

  store(s: Session): void {
    if (s.id.length === 0) return;
    // Oldest out first, as mbedTLS's default cache does (MBEDTLS_SSL_CACHE_DEFAULT_MAX_ENTRIES).
    if (this.sessions.size >= this.capacity) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(Buffer.from(s.id).toString('hex'), s);
  }

  find(id: Uint8Array): Session | undefined {
    return id.length === 0 ? undefined : this.sessions.get(Buffer.from(id).toString('hex'));
  }
}

/** The server's ticket protection key: a name that says which key sealed a ticket, and the AES-GCM key. */
export interface TicketKey {
  name: Uint8Array; // 4 bytes
  key: Uint8Array; // 16 bytes
}

const TICKET_KEY_NAME_BYTES = 4;
const TICKET_IV_BYTES = 12;
const TICKET_TAG_BYTES = 16;

/**
 * The ticket is the server's own business (RFC 5077 §4 only recommends a format). This one
 * follows Mbed TLS 2.28's library/ssl_ticket.c layout, with AES-128-GCM:
 *   key_name (4) || iv (12) || encrypted_state_len (2) || encrypted state || tag (16)
 * with key_name || iv || length as the additional data. The state is the suite, the extended
 * master secret flag and the master secret.
 */
export function sealTicket(crypto: MeteredCrypto, key: TicketKey, s: Session): Uint8Array {
  const state = new ByteWriter().u16(s.cipher_suite).u8(s.extended_master_secret ? 1 : 0).bytes(s.master_secret).finish();
  const iv = crypto.random(TICKET_IV_BYTES);
  const aad = new ByteWriter().bytes(key.name).bytes(iv).u16(state.length).finish();
  const sealed = crypto.aes128GcmEncrypt(key.key, iv, aad, state, false);
  return concatBytes(aad, sealed);
}

/** undefined when the ticket was not sealed by this key or does not authenticate: fall back to a full handshake (RFC 5077 §3.4). */
export function openTicket(crypto: MeteredCrypto, key: TicketKey, ticket: Uint8Array): Omit<Session, 'id'> | undefined {
  const header = TICKET_KEY_NAME_BYTES + TICKET_IV_BYTES + 2;
  if (ticket.length < header + TICKET_TAG_BYTES || !bytesEqual(ticket.subarray(0, TICKET_KEY_NAME_BYTES), key.name)) return undefined;
  const aad = ticket.subarray(0, header);
  const iv = ticket.subarray(TICKET_KEY_NAME_BYTES, TICKET_KEY_NAME_BYTES + TICKET_IV_BYTES);
  const state = crypto.aes128GcmDecrypt(key.key, iv, aad, ticket.subarray(header), false);
  if (state === null) return undefined;
  try {
    const rd = new ByteReader(state, 'ticket state');
    const cipher_suite = rd.u16('cipher_suite');
    const ems = rd.u8('extended_master_secret');
    const master_secret = rd.bytes(MASTER_SECRET_BYTES, 'master_secret');
    rd.end();
    return { cipher_suite, extended_master_secret: ems === 1, master_secret, ticket };
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}
