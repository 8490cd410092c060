import { bytesEqual, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { ProtocolAlert } from './alerts.js';
import { CIPHER_SUITES, isCbcSuite, type CipherSuiteName } from './cipher_suites.js';
import {
  ContentType,
  DTLS_1_0,
  DTLS_1_2,
  EMPTY_RENEGOTIATION_INFO,
  EXT_ENCRYPT_THEN_MAC,
  EXT_EXTENDED_MASTER_SECRET,
  EXT_MAX_FRAGMENT_LENGTH,
  EXT_RENEGOTIATION_INFO,
  MAX_FRAGMENT_LENGTH_CODES,
  HandshakeType,
  RANDOM_BYTES,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
} from './constants.js';
import { Dtls12Endpoint, type Dtls12Options, type HandshakeMessage } from './endpoint.js';
import type { HandshakeFragment } from './handshake_header.js';
import { encodeHandshake } from './handshake_header.js';
import { extendedMasterSecret, masterSecret, pskPremasterSecret, trafficKeys, verifyData } from './key_schedule.js';
import { decodeClientHello, encodeClientHello, type ClientHello } from './messages/client_hello.js';
import { decodeFinished } from './messages/finished.js';
import { encodeHelloVerifyRequest } from './messages/hello_verify_request.js';
import { decodePskIdentity, encodePskIdentity } from './messages/psk_key_exchange.js';
import { encodeServerHello } from './messages/server_hello.js';

export interface Dtls12ServerOptions extends Dtls12Options {
  cipher_suites: CipherSuiteName[];
  /** Accept the extended master secret when the client offers it (RFC 7627). */
  extended_master_secret: boolean;
  /** Accept encrypt-then-MAC when the client offers it and the chosen suite is CBC (RFC 7366). */
  encrypt_then_mac: boolean;
  /** Looks up the key for a client's PSK identity; undefined when unknown. */
  psk_for_identity: (identity: Uint8Array) => Uint8Array | undefined;
  psk_identity_hint?: Uint8Array;
  /** Answer a ClientHello without a valid cookie with a HelloVerifyRequest (RFC 6347 §4.2.1). */
  cookie: boolean;
  cookie_secret: Uint8Array;
  cookie_bytes: number;
  session_id_bytes: number;
  /** The client's transport address as the cookie binds it (RFC 6347 §4.2.1: Client-IP). */
  peer_id: Uint8Array;
}

type ServerStep = 'wait_client_hello' | 'wait_client_key_exchange' | 'wait_change_cipher_spec' | 'wait_finished' | 'done';

/** DTLS 1.2 server, PSK key exchange, with the stateless cookie exchange. */
export class Dtls12Server extends Dtls12Endpoint {
  private step: ServerStep = 'wait_client_hello';
  private clientRandom: Uint8Array | undefined;
  private serverRandom: Uint8Array | undefined;
  private master: Uint8Array | undefined;
  /** Both sides agreed on the extended master secret (RFC 7627). */
  extendedMasterSecret = false;
  /** The identity the client authenticated with. */
  clientIdentity: Uint8Array | undefined;
  /** The record sequence number of the ClientHello being answered (HVR echoes it). */
  private helloRecordSeq = 0;

  constructor(
    crypto: MeteredCrypto,
    private readonly serverOptions: Dtls12ServerOptions,
  ) {
    super(crypto, serverOptions);
  }

  protected override beforeFragment(f: HandshakeFragment): void {
    // Until a ClientHello is accepted the server keeps no state, so any message_seq is fresh
    // (the fragments of one ClientHello share theirs and are reassembled).
    if (this.step === 'wait_client_hello' && f.msg_type === HandshakeType.client_hello && f.message_seq !== this.nextRecvSeq)
      this.resetReceiveSequence(f.message_seq);
  }

  protected override acceptsRecordVersion(version: number): boolean {
    // Clients that can fall back send their ClientHello in a DTLS 1.0 record (OpenSSL does).
    return version === DTLS_1_0 && this.step === 'wait_client_hello';
  }

  protected override noteRecordSeq(seq: number): void {
    this.helloRecordSeq = seq;
  }

  protected override expectsChangeCipherSpec(): boolean {
    return this.step === 'wait_change_cipher_spec';
  }

  protected override onChangeCipherSpecAccepted(): void {
    this.step = 'wait_finished';
  }

  protected override onHandshakeMessage(msg: HandshakeMessage, now_ms: number): void {
    switch (this.step) {
      case 'wait_client_hello':
        if (msg.msg_type === HandshakeType.client_hello) return this.onClientHello(msg, now_ms);
        return this.alertOnUnexpected(msg, 'ClientHello');
      case 'wait_client_key_exchange':
        if (msg.msg_type === HandshakeType.client_key_exchange) return this.onClientKeyExchange(msg);
        return this.alertOnUnexpected(msg, 'ClientKeyExchange');
      case 'wait_finished':
        if (msg.msg_type === HandshakeType.finished && msg.epoch === 1) return this.onFinished(msg, now_ms);
        return this.alertOnUnexpected(msg, 'an encrypted Finished');
      default:
        return this.alertOnUnexpected(msg, `nothing (server is in ${this.step})`);
    }
  }

  /** RFC 6347 §4.2.1: Cookie = HMAC(Secret, Client-IP, Client-Parameters). */
  private cookieFor(ch: ClientHello): Uint8Array {
    const params = encodeClientHello({ ...ch, cookie: new Uint8Array(0) });
    const mac = this.crypto.hmacSha256(this.serverOptions.cookie_secret, concatBytes(this.serverOptions.peer_id, params));
    return mac.slice(0, this.serverOptions.cookie_bytes);
  }

  /** RFC 5746 §3.6: a client signals with the SCSV or an empty renegotiation_info extension. */
  private secureRenegotiationOffered(ch: ClientHello): boolean {
    const ext = ch.extensions.find((e) => e.type === EXT_RENEGOTIATION_INFO);
    if (ext && !bytesEqual(ext.data, EMPTY_RENEGOTIATION_INFO))
      throw new ProtocolAlert('handshake_failure', 'ClientHello renegotiation_info is not empty on an initial handshake');
    return ext !== undefined || ch.cipher_suites.includes(TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
  }

  private onClientHello(msg: HandshakeMessage, now_ms: number): void {
    const ch = decodeClientHello(msg.body);
    // DTLS versions count down: 0xfefd (1.2) is newer than 0xfeff (1.0).
    if (ch.client_version > DTLS_1_2)
      throw new ProtocolAlert('protocol_version', `ClientHello client_version 0x${ch.client_version.toString(16)} is older than DTLS 1.2`);
    const offered = this.serverOptions.cipher_suites.map((n) => CIPHER_SUITES[n]);
    const suite = ch.cipher_suites.map((c) => offered.find((s) => s.code === c)).find((s) => s !== undefined);
    if (!suite) throw new ProtocolAlert('handshake_failure', 'no cipher suite in common');
    if (!ch.compression_methods.includes(0)) throw new ProtocolAlert('handshake_failure', 'the client does not offer null compression');

    if (this.serverOptions.cookie) {
      const want = this.cookieFor(ch);
      if (!bytesEqual(ch.cookie, want)) {
        // Stateless: answer at the ClientHello's message and record sequence numbers and forget it.
        const hvr = encodeHandshake(
          HandshakeType.hello_verify_request,
          msg.message_seq,
          // RFC 6347 §4.2.1: a DTLS 1.2 server SHOULD put DTLS 1.0 here, whatever it will negotiate.
          encodeHelloVerifyRequest({ server_version: DTLS_1_0, cookie: want }),
        );
        this.sendStateless({ type: ContentType.handshake, epoch: 0, seq: this.helloRecordSeq, payload: hvr });
        return;
      }
    }

    this.options.onMemoryEvent?.('handshake_start');
    this.continueRecordSequenceFrom(this.helloRecordSeq);
    const mfl = ch.extensions.find((e) => e.type === EXT_MAX_FRAGMENT_LENGTH);
    if (mfl && (mfl.data.length !== 1 || MAX_FRAGMENT_LENGTH_CODES[mfl.data[0]!] === undefined))
      throw new ProtocolAlert('illegal_parameter', `ClientHello max_fragment_length ${mfl.data[0]} is not 1..4 (RFC 6066 §4)`);
    const ems = ch.extensions.find((e) => e.type === EXT_EXTENDED_MASTER_SECRET);
    if (ems && ems.data.length !== 0) throw new ProtocolAlert('decode_error', 'ClientHello extended_master_secret is not empty');
    this.extendedMasterSecret = ems !== undefined && this.serverOptions.extended_master_secret;
    const etm = ch.extensions.find((e) => e.type === EXT_ENCRYPT_THEN_MAC);
    if (etm && etm.data.length !== 0) throw new ProtocolAlert('decode_error', 'ClientHello encrypt_then_mac is not empty');
    // RFC 7366 §3: never echoed for an AEAD suite.
    this.encryptThenMac = etm !== undefined && this.serverOptions.encrypt_then_mac && isCbcSuite(suite);
    this.suite = suite;
    this.clientRandom = ch.random;
    // The server's messages continue the client's numbering (RFC 6347 §4.2.2).
    this.nextSendSeq = msg.message_seq;
    this.transcript.update(msg.raw);

    this.serverRandom = this.crypto.random(RANDOM_BYTES);
    const items = [
      this.handshakeItem(
        HandshakeType.server_hello,
        encodeServerHello({
          server_version: DTLS_1_2,
          random: this.serverRandom,
          session_id: this.crypto.random(this.serverOptions.session_id_bytes),
          cipher_suite: suite.code,
          compression_method: 0,
          extensions: [
            ...(this.secureRenegotiationOffered(ch) ? [{ type: EXT_RENEGOTIATION_INFO, data: EMPTY_RENEGOTIATION_INFO }] : []),
            ...(this.extendedMasterSecret ? [{ type: EXT_EXTENDED_MASTER_SECRET, data: new Uint8Array(0) }] : []),
            ...(mfl ? [{ type: EXT_MAX_FRAGMENT_LENGTH, data: mfl.data }] : []),
            ...(this.encryptThenMac ? [{ type: EXT_ENCRYPT_THEN_MAC, data: new Uint8Array(0) }] : []),
          ],
        }),
      ),
    ];
    // From the ServerHello on, both sides keep records within the negotiated length (RFC 6066 §4).
    if (mfl) this.maxPlaintextBytes = MAX_FRAGMENT_LENGTH_CODES[mfl.data[0]!]!;
    const hint = this.serverOptions.psk_identity_hint;
    if (hint !== undefined) items.push(this.handshakeItem(HandshakeType.server_key_exchange, encodePskIdentity(hint)));
    items.push(this.handshakeItem(HandshakeType.server_hello_done, new Uint8Array(0)));
    for (const item of items) this.transcript.update(this.rawOf(item));
    this.step = 'wait_client_key_exchange';
    this.sendFlight(items, now_ms, true);
  }

  private onClientKeyExchange(msg: HandshakeMessage): void {
    const identity = decodePskIdentity(msg.body, 'ClientKeyExchange');
    const psk = this.serverOptions.psk_for_identity(identity);
    if (psk === undefined)
      throw new ProtocolAlert('unknown_psk_identity', `no key for PSK identity ${JSON.stringify(new TextDecoder().decode(identity))}`);
    this.clientIdentity = identity;
    this.transcript.update(msg.raw);
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(this.crypto, pskPremasterSecret(psk), this.transcript.digest())
      : masterSecret(this.crypto, pskPremasterSecret(psk), this.clientRandom!, this.serverRandom!);
    this.installKeys(trafficKeys(this.crypto, this.suite!, this.master, this.clientRandom!, this.serverRandom!), false);
    this.step = 'wait_change_cipher_spec';
  }

  private onFinished(msg: HandshakeMessage, now_ms: number): void {
    const got = decodeFinished(msg.body);
    const want = verifyData(this.crypto, this.master!, 'client', this.transcript.digest());
    if (!bytesEqual(got, want)) throw new ProtocolAlert('decrypt_error', 'client Finished verify_data does not match the transcript');
    this.transcript.update(msg.raw);

    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master!, 'server', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    this.step = 'done';
    // The last flight of the handshake has no timer; it is resent when the client repeats its own.
    this.sendFlight([ccs, fin], now_ms, false);
    this.finishHandshake(true);
  }
}
