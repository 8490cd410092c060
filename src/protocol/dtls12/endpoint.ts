import { DecodeError } from '../common/bytes.js';
import type { MeteredCrypto, RunningHash } from '../../crypto/metered_crypto.js';
import { ProtocolAlert, AlertDescription, ALERT_NAMES, type AlertName } from './alerts.js';
import { maxRecordExpansionBytes, type CipherSuiteInfo } from './cipher_suites.js';
import { ContentType, DTLS_1_2, HANDSHAKE_HEADER_BYTES, HandshakeType, MAX_PLAINTEXT_BYTES, RECORD_HEADER_BYTES, type CertificateTypeName } from './constants.js';
import { decodeHandshakeFragments, encodeHandshake, encodeHandshakeFragment, type HandshakeFragment } from './handshake_header.js';
import { checkFragmentBounds, MessageReassembly } from './reassembly.js';
import { decodeDatagram, decodeInnerPlaintext, encodeInnerPlaintext, encodeRecord, type DtlsRecord } from './record.js';
import { recordProtectionFor, type RecordProtection } from './record_protection.js';
import type { TrafficKeys } from './key_schedule.js';

/**
 * The smallest MTU an endpoint with this suite can fragment a handshake to: a record header,
 * the suite's largest record expansion and a handshake fragment header with one byte of message.
 */
export function smallestMtuBytes(suite: CipherSuiteInfo): number {
  return RECORD_HEADER_BYTES + maxRecordExpansionBytes(suite) + HANDSHAKE_HEADER_BYTES + 1;
}

/**
 * Points where a stack allocates or frees memory, with the sizes the protocol decides; a stack
 * memory model (src/memory/) turns them into labelled allocations and frees.
 */
export type MemoryEvent =
  | { kind: 'endpoint_init' }
  | { kind: 'handshake_start' }
  /** A flight kept for retransmission: each handshake message with its 12-byte header; 1 for a ChangeCipherSpec. */
  | { kind: 'flight_sent'; message_bytes: number[] }
  /** The peer's whole flight arrived, so ours need not be resent. */
  | { kind: 'peer_flight_received' }
  /** The first fragment of a handshake message that came in pieces (RFC 6347 §4.2.3). */
  | { kind: 'reassembly_started'; message_seq: number; message_bytes: number }
  | { kind: 'message_processed'; message_seq: number }
  /** The peer's Certificate message: DER certificates, or one SubjectPublicKeyInfo (RFC 7250). */
  | { kind: 'peer_certificates'; type: CertificateTypeName; entries: Uint8Array[] }
  | { kind: 'keys_derived' }
  /** A server stored the session for resumption by ID (RFC 5246 §7.3). */
  | { kind: 'session_cached' }
  /** A client stored a session ticket (RFC 5077). */
  | { kind: 'ticket_received'; ticket_bytes: number }
  /** `max_fragment_length`: the record plaintext limit both sides settled on (RFC 6066 §4). */
  | { kind: 'handshake_done'; max_fragment_length: number };

export interface Dtls12Options {
  /** Largest datagram the endpoint may send (UDP payload bytes). */
  mtu_bytes: number;
  /** Retransmission timer (RFC 6347 §4.2.4.1): initial value, doubled per retransmission up to max. */
  initial_timeout_ms: number;
  max_timeout_ms: number;
  /** Largest handshake message the receive buffer can reassemble (mbedTLS: MBEDTLS_SSL_IN_CONTENT_LEN). */
  max_handshake_message_bytes: number;
  /** Several records of a flight share a datagram up to the MTU (the default), or one record per datagram. */
  pack_records?: boolean;
  onMemoryEvent?: (event: MemoryEvent) => void;
}

export type EndpointState = 'handshaking' | 'connected' | 'failed' | 'closed';

export interface EndpointFailure {
  alert: AlertName;
  reason: string;
  /** 'local': this endpoint detected the fault and sent the alert; 'peer': it received one. */
  raised_by: 'local' | 'peer';
}

/** An item of a flight, kept so the whole flight can be sent again (RFC 6347 §4.2.4). */
type FlightItem =
  | { kind: 'handshake'; msg_type: number; message_seq: number; body: Uint8Array; epoch: number }
  | { kind: 'change_cipher_spec'; epoch: number };

/** A handshake message that has been reassembled and is next in sequence. */
export interface HandshakeMessage {
  msg_type: number;
  message_seq: number;
  body: Uint8Array;
  /** The message as the transcript hash sees it: unfragmented 12-byte header + body. */
  raw: Uint8Array;
  epoch: number;
}

/**
 * The record layer, handshake sequencing, flight retransmission and alert handling that a
 * DTLS 1.2 client and server share. Sans-IO: datagrams and time go in, datagrams and the
 * next deadline come out; no clock, no socket.
 *
 * Strictness: this engine treats every record it cannot authenticate or parse as fatal and
 * answers with an alert (RFC 6347 §4.1.2.7 lets an implementation do so), so that a tampered
 * flight ends the handshake visibly instead of being dropped silently.
 */
export abstract class Dtls12Endpoint {
  state: EndpointState = 'handshaking';
  failure: EndpointFailure | undefined;

  protected suite: CipherSuiteInfo | undefined;
  /** Both sides agreed on encrypt-then-MAC (RFC 7366); only ever true for a CBC suite. */
  encryptThenMac = false;
  /**
   * Connection IDs (RFC 9146), once negotiated: the one the peer asked for, which our protected
   * records carry (undefined or empty: plain records), and the one we asked for, which the
   * peer's protected records carry (undefined: not negotiated).
   */
  protected sendCid: Uint8Array | undefined;
  protected receiveCid: Uint8Array | undefined;
  /** Largest record plaintext either side may send: 2^14, or what max_fragment_length negotiated. */
  maxPlaintextBytes = MAX_PLAINTEXT_BYTES;
  /**
   * record_size_limit (RFC 8449 §4): the peer's limit on the plaintext of the protected records
   * we send it, and ours on those it sends us. Unprotected records are not bound by them.
   */
  protectedSendLimit = MAX_PLAINTEXT_BYTES;
  protected protectedReceiveLimit = MAX_PLAINTEXT_BYTES;
  protected transcript: RunningHash;

  private readonly outbox: Uint8Array[] = [];
  private readonly appData: Uint8Array[] = [];

  private writeEpoch = 0;
  private readonly writeSeq = new Map<number, number>([[0, 0]]);
  protected readEpoch = 0;
  private writeProtection: RecordProtection | undefined;
  private readProtection: RecordProtection | undefined;
  private pendingRead: RecordProtection | undefined;
  private pendingWrite: RecordProtection | undefined;
  /** Records of the next epoch that arrived before the peer's ChangeCipherSpec. */
  private readonly earlyRecords: DtlsRecord[] = [];
  /** How many next-epoch records to hold at most; more are dropped (RFC 6347 §4.1: MAY buffer). */
  private static readonly MAX_EARLY_RECORDS = 8;
  private replayWindow = { top: -1, bits: 0n };

  protected nextSendSeq = 0;
  protected nextRecvSeq = 0;
  private readonly reassembly = new Map<number, MessageReassembly>();
  private readonly futureMessages = new Map<number, HandshakeMessage>();

  private lastFlight: FlightItem[] = [];
  /**
   * message_seq of the last message of the peer's flight that our last flight answers. When the
   * last fragment of that message comes again, the peer did not get our flight: resend it, once
   * per copy of theirs (as mbedTLS does: only the previous flight's last message triggers).
   */
  private answersSeq = -1;
  private timeout_ms: number;
  private deadline_ms: number | null = null;
  /** Number of times any flight was sent again (timer or peer retransmission). */
  retransmissions = 0;

  constructor(
    protected readonly crypto: MeteredCrypto,
    protected readonly options: Dtls12Options,
  ) {
    this.transcript = crypto.runningHash();
    this.timeout_ms = options.initial_timeout_ms;
    options.onMemoryEvent?.({ kind: 'endpoint_init' });
  }

  // ---- public sans-IO surface -------------------------------------------------------------

  /** Feed one received datagram. */
  handleDatagram(datagram: Uint8Array, now_ms: number): void {
    if (this.state === 'failed' || this.state === 'closed') return;
    this.guard(() => {
      const records = decodeDatagram(datagram, this.receiveCid?.length);
      let retransmitAsked = false;
      for (const r of records) {
        if (this.state === 'failed' || this.state === 'closed') return;
        if (this.handleRecord(r, now_ms) === 'peer_retransmitted') retransmitAsked = true;
      }
      // One retransmission per datagram that repeats the peer's previous flight, not one per record.
      if (retransmitAsked && this.lastFlight.length > 0) this.resendFlight(now_ms);
    });
  }

  /** Datagrams to put on the wire now. */
  pollOutput(): Uint8Array[] {
    return this.outbox.splice(0, this.outbox.length);
  }

  /** Absolute time at which handleTimeout must be called, or null when no timer runs. */
  nextTimeout(): number | null {
    return this.deadline_ms;
  }

  handleTimeout(now_ms: number): void {
    if (this.deadline_ms === null || now_ms < this.deadline_ms || this.state !== 'handshaking') return;
    this.timeout_ms = Math.min(2 * this.timeout_ms, this.options.max_timeout_ms);
    this.resendFlight(now_ms);
  }

  sendApplicationData(data: Uint8Array): void {
    if (this.state !== 'connected') throw new Error(`cannot send application data in state ${this.state}`);
    // Records never exceed the negotiated plaintext limit (RFC 6066 §4).
    const limit = Math.min(this.maxPlaintextBytes, this.protectedSendLimit);
    for (let o = 0; o < data.length || o === 0; o += limit)
      this.outbox.push(this.encodeOutgoingRecord(ContentType.application_data, data.subarray(o, o + limit)));
  }

  /** Ends the connection with a close_notify alert (RFC 5246 §7.2.1), so the peer can move on. */
  close(): void {
    if (this.state !== 'connected') return;
    this.outbox.push(this.encodeOutgoingRecord(ContentType.alert, Uint8Array.of(1, AlertDescription.close_notify)));
    this.state = 'closed';
    this.deadline_ms = null;
  }

  takeApplicationData(): Uint8Array[] {
    return this.appData.splice(0, this.appData.length);
  }

  // ---- hooks for client and server --------------------------------------------------------

  /** Called with each handshake message in sequence. */
  protected abstract onHandshakeMessage(msg: HandshakeMessage, now_ms: number): void;

  /** Called when the peer's ChangeCipherSpec arrives; the subclass says whether it may. */
  protected abstract expectsChangeCipherSpec(): boolean;

  /** Called once reads have switched to the new epoch. */
  protected abstract onChangeCipherSpecAccepted(): void;

  // ---- flights ----------------------------------------------------------------------------

  protected handshakeItem(msg_type: number, body: Uint8Array): FlightItem {
    return { kind: 'handshake', msg_type, message_seq: this.nextSendSeq++, body, epoch: this.writeEpoch };
  }

  /** The raw message as the transcript hash covers it (RFC 6347 §4.2.6). */
  protected rawOf(item: FlightItem): Uint8Array {
    if (item.kind !== 'handshake') throw new Error('only handshake items enter the transcript');
    return encodeHandshake(item.msg_type, item.message_seq, item.body);
  }

  protected changeCipherSpecItem(): FlightItem {
    const item: FlightItem = { kind: 'change_cipher_spec', epoch: this.writeEpoch };
    if (!this.pendingWrite) throw new Error('ChangeCipherSpec before keys were derived');
    // Everything after the CCS goes out under the new epoch (RFC 6347 §4.1).
    this.writeEpoch++;
    this.writeSeq.set(this.writeEpoch, 0);
    this.writeProtection = this.pendingWrite;
    return item;
  }

  /**
   * Sends a new flight. `expectsReply`: start the retransmission timer; false for a stateless
   * HelloVerifyRequest and for the last flight of the handshake (RFC 6347 §4.2.4).
   */
  protected sendFlight(items: FlightItem[], now_ms: number, expectsReply: boolean): void {
    this.lastFlight = items;
    this.answersSeq = this.nextRecvSeq - 1;
    // A new flight starts from the initial timer (the previous exchange completed).
    this.timeout_ms = this.options.initial_timeout_ms;
    this.options.onMemoryEvent?.({ kind: 'flight_sent', message_bytes: items.map((i) => (i.kind === 'handshake' ? HANDSHAKE_HEADER_BYTES + i.body.length : 1)) });
    this.transmit(items);
    this.deadline_ms = expectsReply ? now_ms + this.timeout_ms : null;
  }

  /** A stateless reply that is never retransmitted and does not replace the last flight. */
  protected sendStateless(record: { type: number; epoch: number; seq: number; payload: Uint8Array }): void {
    this.outbox.push(encodeRecord({ type: record.type, version: DTLS_1_2, epoch: record.epoch, seq: record.seq, fragment: record.payload }));
  }

  private resendFlight(now_ms: number): void {
    this.retransmissions++;
    this.transmit(this.lastFlight);
    if (this.deadline_ms !== null) this.deadline_ms = now_ms + this.timeout_ms;
  }

  /** Encodes a flight into records (fresh sequence numbers each time) packed into datagrams. */
  private transmit(items: FlightItem[]): void {
    const records: Uint8Array[] = [];
    for (const item of items) {
      if (item.kind === 'change_cipher_spec') {
        records.push(this.encodeRecordAt(item.epoch, ContentType.change_cipher_spec, Uint8Array.of(1)));
        continue;
      }
      for (const frag of this.fragmentsOf(item)) {
        records.push(this.encodeRecordAt(item.epoch, ContentType.handshake, encodeHandshakeFragment(frag)));
      }
    }
    this.packDatagrams(records);
  }

  /** Splits a handshake message so each record fits the MTU (RFC 6347 §4.2.3). */
  private fragmentsOf(item: Extract<FlightItem, { kind: 'handshake' }>): HandshakeFragment[] {
    // Leave room for the most a record can grow (CBC: IV, MAC and a whole block of padding).
    // A tls12_cid record also carries the CID in its header and the real type inside (RFC 9146 §4).
    const cidBytes = item.epoch > 0 && this.sendCid ? this.sendCid.length + 1 : 0;
    const expansion = item.epoch === 0 ? 0 : this.writeProtectionFor(item.epoch).maxExpansionBytes + cidBytes;
    const limit = item.epoch === 0 ? this.maxPlaintextBytes : Math.min(this.maxPlaintextBytes, this.protectedSendLimit);
    const room = Math.min(this.options.mtu_bytes - RECORD_HEADER_BYTES - expansion, limit) - HANDSHAKE_HEADER_BYTES;
    if (room <= 0) throw new RangeError(`mtu ${this.options.mtu_bytes} leaves no room for a handshake fragment`);
    const out: HandshakeFragment[] = [];
    let offset = 0;
    do {
      const body = item.body.subarray(offset, offset + room);
      out.push({ msg_type: item.msg_type, length: item.body.length, message_seq: item.message_seq, fragment_offset: offset, body });
      offset += body.length;
    } while (offset < item.body.length);
    return out;
  }

  private packDatagrams(records: Uint8Array[]): void {
    let current: Uint8Array[] = [];
    let size = 0;
    const flush = () => {
      if (current.length === 0) return;
      const d = new Uint8Array(size);
      let o = 0;
      for (const r of current) {
        d.set(r, o);
        o += r.length;
      }
      this.outbox.push(d);
      current = [];
      size = 0;
    };
    for (const r of records) {
      // Stacks that send one record per datagram (GnuTLS) pay a UDP/IP header per message.
      if (size + r.length > this.options.mtu_bytes || this.options.pack_records === false) flush();
      current.push(r);
      size += r.length;
    }
    flush();
  }

  private encodeOutgoingRecord(type: number, payload: Uint8Array): Uint8Array {
    return this.encodeRecordAt(this.writeEpoch, type, payload);
  }

  private encodeRecordAt(epoch: number, type: number, payload: Uint8Array): Uint8Array {
    const seq = this.writeSeq.get(epoch) ?? 0;
    this.writeSeq.set(epoch, seq + 1);
    if (epoch > 0 && this.sendCid) {
      // RFC 9146 §4: protected records to a peer that asked for a CID carry it, and hide their type.
      const inner = encodeInnerPlaintext(payload, type);
      const fragment = this.writeProtectionFor(epoch).seal(epoch, seq, ContentType.tls12_cid, DTLS_1_2, inner, this.sendCid);
      return encodeRecord({ type: ContentType.tls12_cid, version: DTLS_1_2, epoch, seq, cid: this.sendCid, fragment });
    }
    const fragment = epoch === 0 ? payload : this.writeProtectionFor(epoch).seal(epoch, seq, type, DTLS_1_2, payload);
    return encodeRecord({ type, version: DTLS_1_2, epoch, seq, fragment });
  }

  private writeProtectionFor(epoch: number): RecordProtection {
    if (!this.writeProtection) throw new Error(`no write keys for epoch ${epoch}`);
    return this.writeProtection;
  }

  // ---- keys -------------------------------------------------------------------------------

  /** Installs the epoch-1 keys; reads switch at the peer's CCS, writes at ours. */
  protected installKeys(keys: TrafficKeys, isClient: boolean): void {
    if (!this.suite) throw new Error('keys before a cipher suite');
    const client = { mac_key: keys.client_write_mac_key, key: keys.client_write_key, iv: keys.client_write_iv };
    const server = { mac_key: keys.server_write_mac_key, key: keys.server_write_key, iv: keys.server_write_iv };
    this.pendingWrite = recordProtectionFor(this.crypto, this.suite, isClient ? client : server, this.encryptThenMac);
    this.pendingRead = recordProtectionFor(this.crypto, this.suite, isClient ? server : client, this.encryptThenMac);
    this.options.onMemoryEvent?.({ kind: 'keys_derived' });
  }

  /**
   * `answersRepeats`: the endpoint that sent the handshake's last flight keeps it to answer the
   * peer's repeated final flight; the other has nothing left to resend (RFC 6347 §4.2.4).
   */
  protected finishHandshake(answersRepeats: boolean): void {
    if (!answersRepeats) this.lastFlight = [];
    this.state = 'connected';
    this.deadline_ms = null;
    this.options.onMemoryEvent?.({ kind: 'handshake_done', max_fragment_length: this.maxPlaintextBytes });
  }

  // ---- receiving --------------------------------------------------------------------------

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof ProtocolAlert) this.fail(e.alert, e.reason);
      else if (e instanceof DecodeError) this.fail('decode_error', e.message);
      else throw e;
    }
  }

  protected fail(alert: AlertName, reason: string): void {
    if (this.state === 'failed') return;
    // Send the fatal alert under the current write epoch (encrypted once keys are active).
    this.outbox.push(this.encodeOutgoingRecord(ContentType.alert, Uint8Array.of(2, AlertDescription[alert])));
    this.state = 'failed';
    this.failure = { alert, reason, raised_by: 'local' };
    this.deadline_ms = null;
  }

  private handleRecord(r: DtlsRecord, now_ms: number): 'ok' | 'peer_retransmitted' {
    if (r.version !== DTLS_1_2 && !this.acceptsRecordVersion(r.version))
      throw new ProtocolAlert('protocol_version', `record version 0x${r.version.toString(16)} where 0xfefd was expected`);

    if (r.epoch === this.readEpoch + 1 && r.type !== ContentType.change_cipher_spec) {
      // The peer's next-epoch records may overtake its ChangeCipherSpec (datagrams reorder);
      // keep a few for when it arrives.
      if (this.earlyRecords.length < Dtls12Endpoint.MAX_EARLY_RECORDS) this.earlyRecords.push(r);
      return 'ok';
    }
    if (r.epoch === this.readEpoch - 1) {
      // The peer's previous epoch: a retransmission sent before it saw our flight. Plaintext
      // handshake records may repeat the message that makes us resend; anything else is stale.
      if (r.type !== ContentType.handshake) return 'ok';
      try {
        return decodeHandshakeFragments(r.fragment).some((f) => this.repeatsWhatWeAnswered(f)) ? 'peer_retransmitted' : 'ok';
      } catch {
        return 'ok'; // stale records are discarded (RFC 6347 §4.1)
      }
    }
    if (r.epoch !== this.readEpoch)
      throw new ProtocolAlert('unexpected_message', `record from epoch ${r.epoch} while reading epoch ${this.readEpoch}`);

    const opened = this.unprotect(r);
    if (opened === null) return 'ok';
    const { payload, type } = opened;
    const limit = r.epoch === 0 ? this.maxPlaintextBytes : Math.min(this.maxPlaintextBytes, this.protectedReceiveLimit);
    if (payload.length > limit) throw new ProtocolAlert('record_overflow', `record of ${payload.length} bytes exceeds the ${limit}-byte limit`);
    this.noteRecordSeq(r.seq);
    switch (type) {
      case ContentType.handshake:
        return this.handleHandshakeRecord(payload, r.epoch, now_ms);
      case ContentType.change_cipher_spec:
        this.handleChangeCipherSpec(payload, now_ms);
        return 'ok';
      case ContentType.alert:
        this.handleAlert(payload);
        return 'ok';
      case ContentType.application_data:
        if (this.state !== 'connected' || r.epoch === 0)
          throw new ProtocolAlert('unexpected_message', `application data in state ${this.state}, epoch ${r.epoch}`);
        this.appData.push(payload);
        return 'ok';
      default:
        throw new ProtocolAlert('unexpected_message', `record content type ${type}`);
    }
  }

  /** Before the version is settled a client also accepts DTLS 1.0 record versions (RFC 6347 §4.2.1). */
  protected acceptsRecordVersion(_version: number): boolean {
    return false;
  }

  /**
   * The record's plaintext and content type (the inner one of a tls12_cid record). null: a
   * duplicate, which the network may make; it is dropped silently (RFC 6347 §4.1.2.6).
   */
  private unprotect(r: DtlsRecord): { payload: Uint8Array; type: number } | null {
    const cidRecord = r.type === ContentType.tls12_cid;
    if (cidRecord && (this.receiveCid === undefined || r.epoch === 0))
      throw new ProtocolAlert('unexpected_message', 'a tls12_cid record, but no connection ID was negotiated for this direction');
    if (r.epoch === 0) return { payload: r.fragment, type: r.type };
    if (!this.readProtection) throw new ProtocolAlert('unexpected_message', `epoch ${r.epoch} record before keys`);
    if (this.isReplay(r.seq)) return null;
    // The CID as received goes into the additional data: a changed CID fails authentication.
    const pt = this.readProtection.open(r.epoch, r.seq, r.type, r.version, r.fragment, cidRecord ? r.cid : undefined);
    if (pt === null) throw new ProtocolAlert('bad_record_mac', `record seq ${r.seq} in epoch ${r.epoch} failed authentication`);
    this.markSeen(r.seq);
    if (!cidRecord) return { payload: pt, type: r.type };
    const inner = decodeInnerPlaintext(pt);
    // As TLS 1.3 rules for its inner plaintext (RFC 8446 §5.4), which RFC 9146 §4 follows.
    if (!inner) throw new ProtocolAlert('unexpected_message', 'a tls12_cid record whose DTLSInnerPlaintext has no content type');
    return { payload: inner.content, type: inner.type };
  }

  /** Anti-replay sliding window of 64 records (RFC 6347 §4.1.2.6). */
  private isReplay(seq: number): boolean {
    const w = this.replayWindow;
    if (seq > w.top) return false;
    const back = w.top - seq;
    return back >= 64 || ((w.bits >> BigInt(back)) & 1n) === 1n;
  }

  private markSeen(seq: number): void {
    const w = this.replayWindow;
    if (seq > w.top) {
      const shift = w.top < 0 ? 64 : seq - w.top;
      w.bits = shift >= 64 ? 1n : ((w.bits << BigInt(shift)) | 1n) & 0xffffffffffffffffn;
      w.top = seq;
    } else {
      w.bits |= 1n << BigInt(w.top - seq);
    }
  }

  private handleChangeCipherSpec(payload: Uint8Array, now_ms: number): void {
    if (payload.length !== 1 || payload[0] !== 1) throw new DecodeError('ChangeCipherSpec: body must be the single byte 1');
    if (!this.expectsChangeCipherSpec() || !this.pendingRead)
      throw new ProtocolAlert('unexpected_message', 'ChangeCipherSpec before the key exchange completed');
    this.readEpoch++;
    this.readProtection = this.pendingRead;
    this.pendingRead = undefined;
    this.replayWindow = { top: -1, bits: 0n };
    this.onChangeCipherSpecAccepted();
    const early = this.earlyRecords.splice(0, this.earlyRecords.length);
    for (const r of early) this.handleRecord(r, now_ms);
  }

  private handleAlert(payload: Uint8Array): void {
    if (payload.length !== 2) throw new DecodeError(`Alert: ${payload.length} bytes, expected 2`);
    const name = ALERT_NAMES[payload[1]!] ?? `alert_${payload[1]}`;
    // A warning other than close_notify does not end the connection (RFC 5246 §7.2).
    if (payload[0] === 1 && payload[1] !== AlertDescription.close_notify) return;
    if (payload[1] === AlertDescription.close_notify) {
      this.state = 'closed';
      this.deadline_ms = null;
      return;
    }
    this.state = 'failed';
    this.deadline_ms = null;
    this.failure = { alert: (name in AlertDescription ? name : 'internal_error') as AlertName, reason: `peer sent ${name}`, raised_by: 'peer' };
  }

  private handleHandshakeRecord(payload: Uint8Array, epoch: number, now_ms: number): 'ok' | 'peer_retransmitted' {
    let retransmitted = false;
    for (const f of decodeHandshakeFragments(payload)) {
      checkFragmentBounds(f);
      if (f.length > this.options.max_handshake_message_bytes)
        throw new DecodeError(
          `handshake: message_seq ${f.message_seq} claims ${f.length} bytes, more than the ${this.options.max_handshake_message_bytes}-byte receive buffer`,
        );
      this.beforeFragment(f);
      if (f.message_seq < this.nextRecvSeq) {
        if (this.repeatsWhatWeAnswered(f)) retransmitted = true;
        continue;
      }
      if (f.message_seq > this.nextRecvSeq + 16)
        throw new ProtocolAlert('unexpected_message', `message_seq ${f.message_seq} far ahead of ${this.nextRecvSeq}`);
      let asm = this.reassembly.get(f.message_seq);
      if (!asm) {
        asm = new MessageReassembly(f.msg_type, f.length, f.message_seq);
        this.reassembly.set(f.message_seq, asm);
        if (f.body.length < f.length) this.options.onMemoryEvent?.({ kind: 'reassembly_started', message_seq: f.message_seq, message_bytes: f.length });
      }
      const body = asm.add(f);
      if (body === null) continue;
      this.reassembly.delete(f.message_seq);
      const raw = encodeHandshake(f.msg_type, f.message_seq, body);
      this.futureMessages.set(f.message_seq, { msg_type: f.msg_type, message_seq: f.message_seq, body, raw, epoch });
      this.drainInOrder(now_ms);
    }
    return retransmitted ? 'peer_retransmitted' : 'ok';
  }

  private drainInOrder(now_ms: number): void {
    for (;;) {
      const msg = this.futureMessages.get(this.nextRecvSeq);
      if (!msg || this.state === 'failed') return;
      this.futureMessages.delete(this.nextRecvSeq);
      this.nextRecvSeq++;
      this.onHandshakeMessage(msg, now_ms);
      this.options.onMemoryEvent?.({ kind: 'message_processed', message_seq: msg.message_seq });
    }
  }

  /** The record sequence number of the record being processed (a HelloVerifyRequest echoes it). */
  protected noteRecordSeq(_seq: number): void {}

  /**
   * A server that answered statelessly continues at the accepted ClientHello's record sequence
   * number, so its records never repeat the HelloVerifyRequest's (which echoed the first one);
   * otherwise the client's replay window would drop the ServerHello.
   */
  protected continueRecordSequenceFrom(seq: number): void {
    this.writeSeq.set(0, Math.max(seq, this.writeSeq.get(0) ?? 0));
  }

  /** Lets a stateless server take a ClientHello at whatever message_seq it carries. */
  protected beforeFragment(_f: HandshakeFragment): void {}

  /** For subclasses that restart sequencing (the server after a stateless cookie exchange). */
  protected resetReceiveSequence(next: number): void {
    this.nextRecvSeq = next;
    this.futureMessages.clear();
    this.reassembly.clear();
  }

  /** A new transcript (the client after a HelloVerifyRequest, RFC 6347 §4.2.1). */
  protected restartTranscript(): void {
    this.transcript = this.crypto.runningHash();
  }

  protected alertOnUnexpected(msg: HandshakeMessage, expected: string): never {
    throw new ProtocolAlert('unexpected_message', `got handshake type ${msg.msg_type} (message_seq ${msg.message_seq}) while expecting ${expected}`);
  }

  /**
   * The last fragment of the message our last flight answered: the peer repeated its flight,
   * so ours was lost. A repeated HelloVerifyRequest is not answered; the client's own timer
   * covers that case ("No sane server ever retransmits HelloVerifyRequest", mbedTLS).
   */
  private repeatsWhatWeAnswered(f: HandshakeFragment): boolean {
    return (
      this.lastFlight.length > 0 &&
      f.message_seq === this.answersSeq &&
      f.fragment_offset + f.body.length === f.length &&
      f.msg_type !== HandshakeType.hello_verify_request
    );
  }

  /** True while part of a handshake message waits for its other fragments. */
  get awaitingFragments(): boolean {
    return this.reassembly.size > 0;
  }
}
