import { OpMeter } from '../crypto/meter.js';
import { MeteredCrypto } from '../crypto/metered_crypto.js';
import type { EndpointRole } from '../crypto/ops.js';
import { seededRandom } from '../crypto/random_source.js';
import { stackMemoryRecorder, type BufferSizes } from '../memory/stack_memory.js';
import type { CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import { Dtls12Client } from '../protocol/dtls12/client.js';
import type { Dtls12Endpoint } from '../protocol/dtls12/endpoint.js';
import { Dtls12Server } from '../protocol/dtls12/server.js';
import type { MemoryModel } from '../scenario/profile_schemas.js';
import { describeDatagram } from './describe_datagram.js';
import type { MemoryRecord, Transcript, TranscriptFlight } from './types.js';

export interface Dtls12PskSetup {
  /** Seeds the endpoints' randoms and keys, so a seed gives the same bytes every time. */
  seed: number;
  cipher_suite: CipherSuiteName;
  psk_identity: Uint8Array;
  psk: Uint8Array;
  psk_identity_hint?: Uint8Array;
  cookie: boolean;
  /** The client asks for this record plaintext limit (RFC 6066 §4). */
  max_fragment_length?: number;
  mtu_bytes: number;
  initial_timeout_ms: number;
  max_timeout_ms: number;
  /** Application data each side sends once the handshake is done. */
  application_data_bytes: number;
  client: { memory: MemoryModel; buffers: BufferSizes; extended_master_secret: boolean; encrypt_then_mac: boolean };
  server: {
    memory: MemoryModel;
    buffers: BufferSizes;
    cookie_bytes: number;
    session_id_bytes: number;
    extended_master_secret: boolean;
    encrypt_then_mac: boolean;
  };
  /** Test hook: rewrite a datagram in flight (tamper tests). Flight and datagram are 1- and 0-based. */
  tamper?: (flight: number, datagram: number, bytes: Uint8Array) => Uint8Array;
}

/** Flights beyond this mean the two endpoints are looping; a DTLS 1.2 handshake needs at most 6. */
const MAX_FLIGHTS = 16;

/**
 * Runs a real DTLS 1.2 PSK handshake between our client and server over a perfect link, in
 * lock step: each flight is delivered whole to the peer, whose answer is the next flight.
 * Then each side sends application data once. Records every datagram, op and memory event.
 */
export function buildDtls12PskTranscript(setup: Dtls12PskSetup): Transcript {
  const meter = new OpMeter();
  const memory: MemoryRecord[] = [];
  const common = {
    mtu_bytes: setup.mtu_bytes,
    initial_timeout_ms: setup.initial_timeout_ms,
    max_timeout_ms: setup.max_timeout_ms,
    cipher_suites: [setup.cipher_suite],
  };
  const client = new Dtls12Client(new MeteredCrypto('client', meter, seededRandom(setup.seed, 'client')), {
    ...common,
    psk_identity: setup.psk_identity,
    psk: setup.psk,
    max_handshake_message_bytes: setup.client.buffers.in_content_len,
    extended_master_secret: setup.client.extended_master_secret,
    encrypt_then_mac: setup.client.encrypt_then_mac,
    ...(setup.max_fragment_length !== undefined ? { max_fragment_length: setup.max_fragment_length } : {}),
    onMemoryEvent: stackMemoryRecorder('client', setup.client.memory, setup.client.buffers, meter, memory),
  });
  const serverRandom = seededRandom(setup.seed, 'server');
  const server = new Dtls12Server(new MeteredCrypto('server', meter, serverRandom), {
    ...common,
    psk_for_identity: (id) => (Buffer.from(id).equals(Buffer.from(setup.psk_identity)) ? setup.psk : undefined),
    ...(setup.psk_identity_hint !== undefined ? { psk_identity_hint: setup.psk_identity_hint } : {}),
    cookie: setup.cookie,
    cookie_secret: seededRandom(setup.seed, 'server-cookie-secret')(32),
    cookie_bytes: setup.server.cookie_bytes,
    session_id_bytes: setup.server.session_id_bytes,
    peer_id: new TextEncoder().encode('client'),
    max_handshake_message_bytes: setup.server.buffers.in_content_len,
    extended_master_secret: setup.server.extended_master_secret,
    encrypt_then_mac: setup.server.encrypt_then_mac,
    onMemoryEvent: stackMemoryRecorder('server', setup.server.memory, setup.server.buffers, meter, memory),
  });
  const endpoints: Record<EndpointRole, Dtls12Endpoint> = { client, server };

  const flights: TranscriptFlight[] = [];
  const takeFlight = (from: EndpointRole, phase: TranscriptFlight['phase']): TranscriptFlight | undefined => {
    const ep = endpoints[from];
    const index = flights.length + 1;
    const datagrams = ep.pollOutput().map((d, i) => (setup.tamper ? setup.tamper(index, i, d) : d));
    if (datagrams.length === 0) return undefined;
    const described = datagrams.map(describeDatagram);
    const flight: TranscriptFlight = {
      index,
      from,
      phase,
      messages: described.flatMap((d) => d.messages),
      records: described.reduce((n, d) => n + d.records, 0),
      datagrams,
      bytes: datagrams.reduce((n, d) => n + d.length, 0),
      arms_timer: ep.nextTimeout() !== null,
      // A server answering a ClientHello without arming a timer, before it holds any state.
      stateless: from === 'server' && ep.nextTimeout() === null && ep.state === 'handshaking',
    };
    flights.push(flight);
    return flight;
  };
  const deliver = (flight: TranscriptFlight) => {
    meter.step = flight.index;
    const to = endpoints[flight.from === 'client' ? 'server' : 'client'];
    for (const d of flight.datagrams) to.handleDatagram(d, 0);
  };

  meter.step = 0;
  client.start(0);
  let last = takeFlight('client', 'handshake');
  while (last && flights.length < MAX_FLIGHTS) {
    deliver(last);
    if (client.state === 'failed' || server.state === 'failed') break;
    if (client.state !== 'handshaking' && server.state !== 'handshaking') break;
    last = takeFlight(last.from === 'client' ? 'server' : 'client', 'handshake');
  }

  const transcript = (outcome: Transcript['outcome']): Transcript => ({
    protocol: 'dtls1.2',
    auth: 'psk',
    cipher_suite: setup.cipher_suite,
    flights,
    ops: meter.ops,
    memory,
    outcome,
  });
  const failed = (): Transcript | undefined => {
    // The endpoint that detected the fault (it raised the alert rather than received it).
    const failedRole = (['client', 'server'] as const).find((r) => endpoints[r].failure?.raised_by === 'local');
    if (failedRole === undefined && client.state === 'connected' && server.state === 'connected') return undefined;
    // A failing endpoint's alert is the last flight; record it for the report.
    const alertFlight = failedRole ? takeFlight(failedRole, flights.at(-1)?.phase ?? 'handshake') : undefined;
    const waiting = (['client', 'server'] as const).find((r) => endpoints[r].awaitingFragments);
    const failure = failedRole
      ? endpoints[failedRole].failure!
      : {
          alert: 'none',
          reason: waiting
            ? `stalled: the ${waiting} holds part of a handshake message and waits for fragments that were never sent`
            : 'stalled: neither endpoint had anything to send',
        };
    return transcript({
      completed: false,
      failed_endpoint: failedRole ?? waiting ?? 'client',
      alert: failure.alert,
      reason: failure.reason,
      at_flight: alertFlight ? alertFlight.index - 1 : flights.length,
    });
  };

  const handshakeFailure = failed();
  if (handshakeFailure) return handshakeFailure;

  // Application data both ways proves the traffic keys agree.
  const payload = new Uint8Array(setup.application_data_bytes).fill(0x61);
  // Application-phase ops get steps past the handshake, so the replay never prices them.
  meter.step = flights.length + 1;
  client.sendApplicationData(payload);
  deliver(takeFlight('client', 'application')!);
  const got = server.takeApplicationData();
  if (server.state === 'connected') {
    meter.step = flights.length + 1;
    server.sendApplicationData(payload);
    deliver(takeFlight('server', 'application')!);
  }
  const applicationFailure = failed();
  if (applicationFailure) return applicationFailure;
  const back = client.takeApplicationData();
  if (got.length !== 1 || back.length !== 1 || !Buffer.from(got[0]!).equals(Buffer.from(payload)) || !Buffer.from(back[0]!).equals(Buffer.from(payload)))
    throw new Error('application data did not round-trip after a completed handshake');

  return transcript({ completed: true });
}
