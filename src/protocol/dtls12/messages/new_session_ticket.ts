import { ByteReader, ByteWriter } from '../../common/bytes.js';

/** NewSessionTicket (RFC 5077 §3.3): uint32 ticket_lifetime_hint, opaque ticket<0..2^16-1>. */
export interface NewSessionTicket {
  lifetime_hint_s: number;
  ticket: Uint8Array;
}

export function encodeNewSessionTicket(m: NewSessionTicket): Uint8Array {
  return new ByteWriter().u16(m.lifetime_hint_s >>> 16).u16(m.lifetime_hint_s & 0xffff).vector(2, m.ticket).finish();
}

export function decodeNewSessionTicket(body: Uint8Array): NewSessionTicket {
  const rd = new ByteReader(body, 'NewSessionTicket');
  const hi = rd.u16('ticket_lifetime_hint');
  const lo = rd.u16('ticket_lifetime_hint');
  const ticket = rd.vector(2, 'ticket');
  rd.end();
  return { lifetime_hint_s: hi * 0x10000 + lo, ticket };
}
