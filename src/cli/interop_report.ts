/**
 * What `handshake-sim interop` prints: every datagram sent and received with its messages (JSON
 * adds the bytes in hex), and the verdict the exit code follows.
 */
import type { UdpAddress, WireEvent } from '../interop/udp_session.js';
import type { Dtls12Endpoint } from '../protocol/dtls12/endpoint.js';
import { describeDatagram } from '../transcript/describe_datagram.js';
import type { AuthSummary } from './interop_credentials.js';

export interface InteropRun {
  role: 'client' | 'server';
  protocol: 'dtls1.2';
  auth: string;
  settings: AuthSummary;
  wire: readonly WireEvent[];
  endpoint: Dtls12Endpoint | undefined;
  round_trip: boolean;
  peer: UdpAddress | undefined;
}

export function interopReport(run: InteropRun) {
  const ep = run.endpoint;
  return {
    role: run.role,
    protocol: run.protocol,
    auth: run.auth,
    cipher_suite: run.settings.cipher_suite,
    /** The ECDHE group offered (client) or accepted (server); null for plain PSK. */
    group: run.settings.group,
    /** Client: it had a certificate or raw public key to send when asked. Server: it required one. */
    mutual: run.settings.mutual,
    peer: run.peer ? `${run.peer.host}:${run.peer.port}` : null,
    handshake_completed: ep?.state === 'connected' || (ep?.state === 'closed' && run.round_trip),
    /** Encrypt-then-MAC negotiated (RFC 7366; only ever with a CBC suite). */
    encrypt_then_mac: ep?.encryptThenMac ?? false,
    message_round_tripped: run.round_trip,
    failure: ep?.failure ?? null,
    retransmissions: ep?.retransmissions ?? 0,
    datagrams: run.wire.map((w) => ({
      direction: w.direction,
      at_ms: w.at_ms,
      bytes: w.datagram.length,
      messages: describeDatagram(w.datagram).messages,
      hex: Buffer.from(w.datagram).toString('hex'),
    })),
  };
}

export type InteropReport = ReturnType<typeof interopReport>;

export function formatInteropTable(r: InteropReport): string {
  const lines = r.datagrams.map(
    (d) => `${`+${d.at_ms} ms`.padStart(10)}  ${d.direction.padEnd(8)}  ${`${d.bytes} B`.padStart(7)}  ${d.messages.join(', ')}`,
  );
  const what = [r.protocol, r.auth, r.cipher_suite, ...(r.group ? [r.group] : []), ...(r.mutual ? ['mutual'] : [])].join(' ');
  const verdict = r.message_round_tripped
    ? `handshake completed (${what}) and the message round-tripped`
    : r.failure
      ? `failed: ${r.failure.alert} (${r.failure.raised_by === 'local' ? 'we raised it' : 'the peer sent it'}): ${r.failure.reason}`
      : r.handshake_completed
        ? 'handshake completed, but the message did not come back before the timeout'
        : 'no handshake before the timeout';
  return [`${r.role} ${r.peer ? `with ${r.peer}` : '(no peer)'}`, ...lines, verdict, ''].join('\n');
}
