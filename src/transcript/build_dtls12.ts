import { OpMeter } from '../crypto/meter.js';
import type { CostGroup } from '../device/cost_groups.js';
import { MeteredCrypto } from '../crypto/metered_crypto.js';
import type { EndpointRole } from '../crypto/ops.js';
import { seededRandom } from '../crypto/random_source.js';
import { stackMemoryRecorder, type BufferSizes, type ProvisionedMemory } from '../memory/stack_memory.js';
import { CIPHER_SUITES, type CipherSuiteName } from '../protocol/dtls12/cipher_suites.js';
import type { CertificateTypeName } from '../protocol/dtls12/constants.js';
import type { Credential, PeerAuthenticator } from '../protocol/dtls12/credentials.js';
import type { GroupName } from '../protocol/dtls12/groups_and_signatures.js';
import { Dtls12Client } from '../protocol/dtls12/client.js';
import type { Dtls12Endpoint } from '../protocol/dtls12/endpoint.js';
import { Dtls12Server } from '../protocol/dtls12/server.js';
import { SessionCache, type Session, type TicketKey } from '../protocol/dtls12/session.js';
import type { WireShape } from '../protocol/dtls12/wire_presets.js';
import type { MemoryModel } from '../scenario/profile_schemas.js';
import { describeDatagram } from './describe_datagram.js';
import type { MemoryRecord, Transcript, TranscriptFlight } from './types.js';

export interface Dtls12Setup {
  /** Seeds the endpoints' randoms and keys, so a seed gives the same bytes every time. */
  seed: number;
  cipher_suite: CipherSuiteName;
  /** PSK and ECDHE-PSK suites. */
  psk_identity?: Uint8Array;
  psk?: Uint8Array;
  psk_identity_hint?: Uint8Array;
  /** ECDHE suites: the groups the client offers, most preferred first; the server accepts them all. */
  groups?: GroupName[];
  /** Certificate suites: the server's credentials and how the client checks them. */
  server_credentials?: Credential[];
  server_certificate_types?: CertificateTypeName[];
  authenticate_server?: (crypto: MeteredCrypto) => PeerAuthenticator;
  /** Mutual authentication: the client's credential and how the server checks it. */
  client_credential?: Credential;
  authenticate_client?: (crypto: MeteredCrypto) => PeerAuthenticator;
  /** What each side checks the peer against (root certificates or a pinned key), for its memory model. */
  client_trust?: ProvisionedMemory['trust'];
  server_trust?: ProvisionedMemory['trust'];
  cookie: boolean;
  /** The client asks for this record plaintext limit (RFC 6066 §4). */
  max_fragment_length?: number;
  mtu_bytes: number;
  initial_timeout_ms: number;
  max_timeout_ms: number;
  /** Application data each side sends once the handshake is done. */
  application_data_bytes: number;
  /** `wire`: the stack's ClientHello and datagram shape; default the minimal preset. */
  client: {
    memory: MemoryModel;
    buffers: BufferSizes;
    variable_buffer_length: boolean;
    /** Groups run on an accelerator or secure element, whose software working memory is not allocated. */
    offloaded_groups?: readonly CostGroup[];
    extended_master_secret: boolean;
    encrypt_then_mac: boolean;
    wire?: WireShape;
  };
  server: {
    memory: MemoryModel;
    buffers: BufferSizes;
    variable_buffer_length: boolean;
    offloaded_groups?: readonly CostGroup[];
    cookie_bytes: number;
    session_id_bytes: number;
    extended_master_secret: boolean;
    encrypt_then_mac: boolean;
    wire?: WireShape;
  };
  /** Both sides advertise this record_size_limit (RFC 8449). */
  record_size_limit?: number;
  /** Connection IDs (RFC 9146): the CID each side asks the other to put in the records it sends. */
  connection_id?: { client: Uint8Array; server: Uint8Array };
  /** Session resumption: the server keeps sessions by ID, or issues tickets (RFC 5077). */
  resumption?: 'session_id' | 'ticket';
  /**
   * Test hook: rewrite a datagram in flight (tamper tests). Flight and datagram are 1- and
   * 0-based; connection is 0 for the full handshake and i for the i-th resumption, so a test can
   * tamper with an abbreviated handshake alone.
   */
  tamper?: (flight: number, datagram: number, bytes: Uint8Array, connection: number) => Uint8Array;
}

/** What each endpoint holds before the handshake: the PSK, its own credential, what it trusts. */
function provisionedMemory(setup: Dtls12Setup, role: EndpointRole): ProvisionedMemory {
  const own = role === 'client' ? setup.client_credential : setup.server_credentials?.[0];
  const trust = role === 'client' ? setup.client_trust : setup.server_trust;
  const psk = setup.psk && setup.psk_identity && CIPHER_SUITES[setup.cipher_suite].key_exchange.includes('psk');
  return {
    ...(psk ? { psk_bytes: setup.psk!.length + setup.psk_identity!.length } : {}),
    ...(own ? { own: { type: own.type, entries: own.entries, key: own.key.kind } } : {}),
    ...(trust ? { trust } : {}),
  };
}

function memoryRecorder(setup: Dtls12Setup, role: EndpointRole, meter: OpMeter, out: MemoryRecord[]) {
  const side = setup[role];
  const settings = { ...side.buffers, variable_buffer_length: side.variable_buffer_length, offloaded_groups: side.offloaded_groups ?? [] };
  return stackMemoryRecorder(role, side.memory, settings, provisionedMemory(setup, role), meter, out);
}

/** Flights beyond this mean the two endpoints are looping; a DTLS 1.2 handshake needs at most 6. */
const MAX_FLIGHTS = 16;

/**
 * Runs a real DTLS 1.2 handshake between our client and server over a perfect link, in
 * lock step: each flight is delivered whole to the peer, whose answer is the next flight.
 * Then each side sends application data once. Records every datagram, op and memory event.
 */
export function buildDtls12Transcript(setup: Dtls12Setup): Transcript {
  return runConnection(setup, fullHandshakeConnection(setup)).transcript;
}

/** How the connections of one client–server pair share state: the server's cache and ticket key. */
interface Connection {
  /** 0 for the full handshake, i for the i-th resumption. */
  index: number;
  /** Labels the seeded randoms, so each connection draws fresh ones. */
  label: string;
  cache: SessionCache;
  ticket_key: TicketKey;
  /** The session the client offers to resume. */
  resume?: Session;
}

function fullHandshakeConnection(setup: Dtls12Setup): Connection {
  const keys = seededRandom(setup.seed, 'server-ticket-key');
  return { index: 0, label: '', cache: new SessionCache(50), ticket_key: { name: keys(4), key: keys(16) } };
}

/**
 * A full handshake followed by `count` abbreviated ones that resume its session (by ID or
 * ticket, per setup.resumption), each a connection of its own with fresh randoms.
 */
export function buildDtls12Resumptions(setup: Dtls12Setup, count: number): { full: Transcript; resumptions: Transcript[] } {
  if (setup.resumption === undefined) throw new Error('resumption mode not set');
  const connection = fullHandshakeConnection(setup);
  const first = runConnection(setup, connection);
  const resumptions: Transcript[] = [];
  let session = first.session;
  for (let i = 1; i <= count && session; i++) {
    const r = runConnection(setup, { ...connection, index: i, label: `/resumption-${i}`, resume: session });
    resumptions.push(r.transcript);
    session = r.session;
  }
  return { full: first.transcript, resumptions };
}

function runConnection(setup: Dtls12Setup, connection: Connection): { transcript: Transcript; session: Session | undefined } {
  const meter = new OpMeter();
  const memory: MemoryRecord[] = [];
  const common = {
    mtu_bytes: setup.mtu_bytes,
    initial_timeout_ms: setup.initial_timeout_ms,
    max_timeout_ms: setup.max_timeout_ms,
    cipher_suites: [setup.cipher_suite],
  };
  const isAead = CIPHER_SUITES[setup.cipher_suite].cipher !== 'aes128_cbc';
  const psk = setup.psk && setup.psk_identity ? { identity: setup.psk_identity, key: setup.psk } : undefined;
  const clientCrypto = new MeteredCrypto('client', meter, seededRandom(setup.seed, `client${connection.label}`));
  const serverCrypto = new MeteredCrypto('server', meter, seededRandom(setup.seed, `server${connection.label}`));
  const client = new Dtls12Client(clientCrypto, {
    ...common,
    ...(psk ? { psk } : {}),
    ...(setup.groups ? { groups: setup.groups } : {}),
    ...(setup.authenticate_server ? { authenticate_server: setup.authenticate_server(clientCrypto) } : {}),
    ...(setup.server_certificate_types ? { server_certificate_types: setup.server_certificate_types } : {}),
    ...(setup.client_credential ? { credential: setup.client_credential } : {}),
    ...(setup.resumption === 'ticket' ? { session_tickets: true } : {}),
    ...(setup.connection_id ? { connection_id: setup.connection_id.client } : {}),
    ...(setup.record_size_limit !== undefined ? { record_size_limit: setup.record_size_limit } : {}),
    ...(connection.resume ? { resume: connection.resume } : {}),
    ...(setup.client.wire ? { wire: setup.client.wire, pack_records: setup.client.wire.pack_records } : {}),
    max_handshake_message_bytes: setup.client.buffers.in_content_len,
    extended_master_secret: setup.client.extended_master_secret,
    encrypt_then_mac: setup.client.encrypt_then_mac,
    ...(setup.max_fragment_length !== undefined ? { max_fragment_length: setup.max_fragment_length } : {}),
    onMemoryEvent: memoryRecorder(setup, 'client', meter, memory),
  });
  const server = new Dtls12Server(serverCrypto, {
    ...common,
    ...(psk ? { psk_for_identity: (id: Uint8Array) => (Buffer.from(id).equals(Buffer.from(psk.identity)) ? psk.key : undefined) } : {}),
    ...(setup.groups ? { groups: setup.groups } : {}),
    ...(setup.server_credentials ? { credentials: setup.server_credentials } : {}),
    ...(setup.resumption === 'session_id' ? { session_cache: connection.cache } : {}),
    ...(setup.connection_id ? { connection_id: setup.connection_id.server } : {}),
    ...(setup.record_size_limit !== undefined ? { record_size_limit: setup.record_size_limit } : {}),
    ...(setup.resumption === 'ticket' ? { session_tickets: { key: connection.ticket_key, lifetime_s: 86_400 } } : {}),
    ...(setup.client_credential && setup.authenticate_client
      ? { request_client_certificate: { types: [setup.client_credential.type], authenticate: setup.authenticate_client(serverCrypto) } }
      : {}),
    ...(setup.psk_identity_hint !== undefined ? { psk_identity_hint: setup.psk_identity_hint } : {}),
    cookie: setup.cookie,
    cookie_secret: seededRandom(setup.seed, 'server-cookie-secret')(32),
    cookie_bytes: setup.server.cookie_bytes,
    session_id_bytes: setup.server.session_id_bytes,
    peer_id: new TextEncoder().encode('client'),
    ...(setup.server.wire ? { pack_records: setup.server.wire.pack_records } : {}),
    max_handshake_message_bytes: setup.server.buffers.in_content_len,
    extended_master_secret: setup.server.extended_master_secret,
    encrypt_then_mac: setup.server.encrypt_then_mac,
    onMemoryEvent: memoryRecorder(setup, 'server', meter, memory),
  });
  const endpoints: Record<EndpointRole, Dtls12Endpoint> = { client, server };

  const flights: TranscriptFlight[] = [];
  const takeFlight = (from: EndpointRole, phase: TranscriptFlight['phase']): TranscriptFlight | undefined => {
    const ep = endpoints[from];
    const index = flights.length + 1;
    const datagrams = ep.pollOutput().map((d, i) => (setup.tamper ? setup.tamper(index, i, d, connection.index) : d));
    if (datagrams.length === 0) return undefined;
    // Records to an endpoint that asked for a CID carry it (when the suite lets it be negotiated).
    const cid_bytes = setup.connection_id && isAead ? setup.connection_id[from === 'client' ? 'server' : 'client'].length : 0;
    const described = datagrams.map((d) => describeDatagram(d, cid_bytes));
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
      cid_bytes,
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
    key_exchange: CIPHER_SUITES[setup.cipher_suite].key_exchange,
    resumed: client.resumed,
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
  if (handshakeFailure) return { transcript: handshakeFailure, session: undefined };

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
  if (applicationFailure) return { transcript: applicationFailure, session: undefined };
  const back = client.takeApplicationData();
  // The data may come back in several records (max_fragment_length, record_size_limit).
  const joined = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));
  if (!joined(got).equals(Buffer.from(payload)) || !joined(back).equals(Buffer.from(payload)))
    throw new Error('application data did not round-trip after a completed handshake');

  return { transcript: transcript({ completed: true }), session: client.session };
}
