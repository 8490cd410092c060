import { ContentType, HANDSHAKE_TYPE_NAMES } from '../protocol/dtls12/constants.js';
import { decodeHandshakeFragments } from '../protocol/dtls12/handshake_header.js';
import { decodeDatagram } from '../protocol/dtls12/record.js';

const MESSAGE_NAMES: Record<string, string> = {
  client_hello: 'ClientHello',
  server_hello: 'ServerHello',
  hello_verify_request: 'HelloVerifyRequest',
  new_session_ticket: 'NewSessionTicket',
  certificate: 'Certificate',
  server_key_exchange: 'ServerKeyExchange',
  certificate_request: 'CertificateRequest',
  server_hello_done: 'ServerHelloDone',
  certificate_verify: 'CertificateVerify',
  client_key_exchange: 'ClientKeyExchange',
  finished: 'Finished',
};

/** A handshake message's name as reports print it ("ClientHello"), from its msg_type. */
export function handshakeMessageName(msgType: number): string {
  return MESSAGE_NAMES[HANDSHAKE_TYPE_NAMES[msgType] ?? ''] ?? `handshake_${msgType}`;
}

/**
 * Names the messages in a DTLS 1.2 datagram for reports. Encrypted handshake records are
 * Finished in every handshake this engine runs (the only handshake message after the CCS).
 */
export function describeDatagram(datagram: Uint8Array, cidBytes = 0): { messages: string[]; records: number } {
  let records;
  try {
    records = decodeDatagram(datagram, cidBytes);
  } catch {
    // Only a tampered datagram (tests) gets here; the receiver will reject it with an alert.
    return { messages: ['(malformed datagram)'], records: 0 };
  }
  const messages: string[] = [];
  for (const r of records) {
    if (r.type === ContentType.change_cipher_spec) messages.push('ChangeCipherSpec');
    else if (r.type === ContentType.alert) messages.push('Alert');
    else if (r.type === ContentType.application_data) messages.push('ApplicationData');
    else if (r.type === ContentType.handshake && r.epoch > 0) messages.push('Finished');
    // RFC 9146 §4: a connection-ID record encrypts its real content type.
    else if (r.type === ContentType.tls12_cid) messages.push('tls12_cid');
    else if (r.type === ContentType.handshake) {
      let fragments;
      try {
        fragments = decodeHandshakeFragments(r.fragment);
      } catch {
        messages.push('(malformed handshake record)');
        continue;
      }
      for (const f of fragments) {
        const name = handshakeMessageName(f.msg_type);
        const partial = f.body.length !== f.length ? ` (fragment ${f.fragment_offset}+${f.body.length}/${f.length})` : '';
        messages.push(name + partial);
      }
    } else messages.push(`record_type_${r.type}`);
  }
  return { messages, records: records.length };
}
