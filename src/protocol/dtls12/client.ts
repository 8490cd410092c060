import { bytesEqual } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { ProtocolAlert } from './alerts.js';
import { CIPHER_SUITES, cipherSuiteByCode, isCbcSuite, type CipherSuiteName } from './cipher_suites.js';
import {
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
import { extendedMasterSecret, masterSecret, pskPremasterSecret, trafficKeys, verifyData } from './key_schedule.js';
import { encodeClientHello, type ClientHello } from './messages/client_hello.js';
import { decodeFinished, decodeServerHelloDone } from './messages/finished.js';
import { decodeHelloVerifyRequest } from './messages/hello_verify_request.js';
import { decodePskIdentity, encodePskIdentity } from './messages/psk_key_exchange.js';
import { decodeServerHello } from './messages/server_hello.js';

export interface Dtls12ClientOptions extends Dtls12Options {
  cipher_suites: CipherSuiteName[];
  /** Offer the extended master secret (RFC 7627). */
  extended_master_secret: boolean;
  /** Offer encrypt-then-MAC (RFC 7366); it is sent only when a CBC suite is offered. */
  encrypt_then_mac: boolean;
  /** Ask for a smaller record plaintext limit (RFC 6066 §4): 512, 1024, 2048 or 4096 bytes. */
  max_fragment_length?: number;
  psk_identity: Uint8Array;
  psk: Uint8Array;
}

type ClientStep = 'idle' | 'wait_server_hello' | 'wait_server_hello_done' | 'wait_change_cipher_spec' | 'wait_finished' | 'done';

/** DTLS 1.2 client, PSK key exchange (RFC 6347, RFC 4279). */
export class Dtls12Client extends Dtls12Endpoint {
  private step: ClientStep = 'idle';
  private hello: ClientHello | undefined;
  private serverRandom: Uint8Array | undefined;
  private master: Uint8Array | undefined;
  /** Both sides agreed on the extended master secret (RFC 7627). */
  extendedMasterSecret = false;
  /** The server's PSK identity hint, when it sent a ServerKeyExchange. */
  serverIdentityHint: Uint8Array | undefined;

  constructor(
    crypto: MeteredCrypto,
    private readonly clientOptions: Dtls12ClientOptions,
  ) {
    super(crypto, clientOptions);
  }

  /** Sends the first ClientHello. */
  start(now_ms: number): void {
    if (this.step !== 'idle') throw new Error('client already started');
    this.options.onMemoryEvent?.('handshake_start');
    this.hello = {
      client_version: DTLS_1_2,
      random: this.crypto.random(RANDOM_BYTES),
      session_id: new Uint8Array(0),
      cookie: new Uint8Array(0),
      // The SCSV tells the server we support secure renegotiation without sending the
      // extension, as mbedTLS clients do on an initial handshake (RFC 5746 §3.3).
      cipher_suites: [...this.clientOptions.cipher_suites.map((n) => CIPHER_SUITES[n].code), TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
      compression_methods: [0],
      extensions: [
        ...(this.clientOptions.extended_master_secret ? [{ type: EXT_EXTENDED_MASTER_SECRET, data: new Uint8Array(0) }] : []),
        ...(this.mflCode() !== undefined ? [{ type: EXT_MAX_FRAGMENT_LENGTH, data: Uint8Array.of(this.mflCode()!) }] : []),
        ...(this.offersEncryptThenMac() ? [{ type: EXT_ENCRYPT_THEN_MAC, data: new Uint8Array(0) }] : []),
      ],
    };
    this.sendClientHello(now_ms);
  }

  private sendClientHello(now_ms: number): void {
    const item = this.handshakeItem(HandshakeType.client_hello, encodeClientHello(this.hello!));
    this.transcript.update(this.rawOf(item));
    this.step = 'wait_server_hello';
    this.sendFlight([item], now_ms, true);
  }

  /**
   * Only with a CBC suite on offer: the extension means nothing to an AEAD suite (RFC 7366 §3).
   * Mbed TLS 2.28 sends it in every ClientHello while enabled (library/ssl_cli.c
   * ssl_write_encrypt_then_mac_ext checks only the option and the version); this client does not.
   */
  private offersEncryptThenMac(): boolean {
    return this.clientOptions.encrypt_then_mac && this.clientOptions.cipher_suites.some((n) => isCbcSuite(CIPHER_SUITES[n]));
  }

  private mflCode(): number | undefined {
    const want = this.clientOptions.max_fragment_length;
    if (want === undefined) return undefined;
    const code = Object.entries(MAX_FRAGMENT_LENGTH_CODES).find(([, bytes]) => bytes === want)?.[0];
    if (code === undefined) throw new RangeError(`max_fragment_length ${want} is not one of 512, 1024, 2048, 4096`);
    return Number(code);
  }

  protected override acceptsRecordVersion(version: number): boolean {
    // The HelloVerifyRequest may come in a DTLS 1.0 record (RFC 6347 §4.2.1).
    return version === DTLS_1_0 && this.step === 'wait_server_hello';
  }

  protected override expectsChangeCipherSpec(): boolean {
    return this.step === 'wait_change_cipher_spec';
  }

  protected override onHandshakeMessage(msg: HandshakeMessage, now_ms: number): void {
    switch (this.step) {
      case 'wait_server_hello':
        if (msg.msg_type === HandshakeType.hello_verify_request) return this.onHelloVerifyRequest(msg, now_ms);
        if (msg.msg_type === HandshakeType.server_hello) return this.onServerHello(msg);
        return this.alertOnUnexpected(msg, 'HelloVerifyRequest or ServerHello');
      case 'wait_server_hello_done':
        if (msg.msg_type === HandshakeType.server_key_exchange && this.serverIdentityHint === undefined) {
          this.serverIdentityHint = decodePskIdentity(msg.body, 'ServerKeyExchange');
          this.transcript.update(msg.raw);
          return;
        }
        if (msg.msg_type === HandshakeType.server_hello_done) return this.onServerHelloDone(msg, now_ms);
        return this.alertOnUnexpected(msg, 'ServerKeyExchange or ServerHelloDone');
      case 'wait_finished':
        if (msg.msg_type === HandshakeType.finished && msg.epoch === 1) return this.onFinished(msg);
        return this.alertOnUnexpected(msg, 'an encrypted Finished');
      default:
        return this.alertOnUnexpected(msg, `nothing (client is in ${this.step})`);
    }
  }

  private onHelloVerifyRequest(msg: HandshakeMessage, now_ms: number): void {
    const hvr = decodeHelloVerifyRequest(msg.body);
    if (hvr.server_version !== DTLS_1_2 && hvr.server_version !== DTLS_1_0)
      throw new ProtocolAlert('protocol_version', `HelloVerifyRequest server_version 0x${hvr.server_version.toString(16)}`);
    // The first ClientHello and the HelloVerifyRequest stay out of the transcript (RFC 6347 §4.2.1).
    this.restartTranscript();
    this.hello = { ...this.hello!, cookie: hvr.cookie };
    this.sendClientHello(now_ms);
  }

  private onServerHello(msg: HandshakeMessage): void {
    const sh = decodeServerHello(msg.body);
    if (sh.server_version !== DTLS_1_2)
      throw new ProtocolAlert('protocol_version', `ServerHello server_version 0x${sh.server_version.toString(16)}`);
    const suite = cipherSuiteByCode(sh.cipher_suite);
    if (!suite || !this.hello!.cipher_suites.includes(sh.cipher_suite))
      throw new ProtocolAlert('illegal_parameter', `ServerHello chose cipher suite 0x${sh.cipher_suite.toString(16)}, which was not offered`);
    if (sh.compression_method !== 0)
      throw new ProtocolAlert('illegal_parameter', `ServerHello chose compression method ${sh.compression_method}`);
    for (const ext of sh.extensions) {
      if (ext.type === EXT_EXTENDED_MASTER_SECRET && this.clientOptions.extended_master_secret) {
        if (ext.data.length !== 0) throw new ProtocolAlert('decode_error', 'ServerHello extended_master_secret is not empty');
        this.extendedMasterSecret = true;
        continue;
      }
      if (ext.type === EXT_ENCRYPT_THEN_MAC && this.offersEncryptThenMac()) {
        if (ext.data.length !== 0) throw new ProtocolAlert('decode_error', 'ServerHello encrypt_then_mac is not empty');
        // RFC 7366 §3: a server that selects an AEAD suite MUST NOT send the extension back. The
        // RFC names no alert; the echo contradicts the chosen suite, so illegal_parameter
        // (RFC 5246 §7.2.2: a field inconsistent with other fields).
        if (!isCbcSuite(suite))
          throw new ProtocolAlert('illegal_parameter', `ServerHello echoes encrypt_then_mac with ${suite.name}, which is not a CBC suite (RFC 7366 §3)`);
        this.encryptThenMac = true;
        continue;
      }
      if (ext.type === EXT_MAX_FRAGMENT_LENGTH && this.mflCode() !== undefined) {
        // RFC 6066 §4: the server echoes the requested value or the client aborts.
        if (ext.data.length !== 1 || ext.data[0] !== this.mflCode())
          throw new ProtocolAlert('illegal_parameter', `ServerHello max_fragment_length ${ext.data[0]} differs from the requested ${this.mflCode()}`);
        this.maxPlaintextBytes = this.clientOptions.max_fragment_length!;
        continue;
      }
      if (ext.type !== EXT_RENEGOTIATION_INFO)
        throw new ProtocolAlert('unsupported_extension', `ServerHello carries extension ${ext.type}, which was not offered`);
      // RFC 5746 §3.4: on an initial handshake the server's renegotiated_connection must be empty.
      if (!bytesEqual(ext.data, EMPTY_RENEGOTIATION_INFO))
        throw new ProtocolAlert('handshake_failure', 'ServerHello renegotiation_info is not empty on an initial handshake');
    }
    this.suite = suite;
    this.serverRandom = sh.random;
    this.transcript.update(msg.raw);
    this.step = 'wait_server_hello_done';
  }

  private onServerHelloDone(msg: HandshakeMessage, now_ms: number): void {
    decodeServerHelloDone(msg.body);
    this.transcript.update(msg.raw);

    const cke = this.handshakeItem(HandshakeType.client_key_exchange, encodePskIdentity(this.clientOptions.psk_identity));
    this.transcript.update(this.rawOf(cke));

    const pms = pskPremasterSecret(this.clientOptions.psk);
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(this.crypto, pms, this.transcript.digest())
      : masterSecret(this.crypto, pms, this.hello!.random, this.serverRandom!);
    this.installKeys(trafficKeys(this.crypto, this.suite!, this.master, this.hello!.random, this.serverRandom!), true);

    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master, 'client', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    this.step = 'wait_change_cipher_spec';
    this.sendFlight([cke, ccs, fin], now_ms, true);
  }

  protected override onChangeCipherSpecAccepted(): void {
    this.step = 'wait_finished';
  }

  private onFinished(msg: HandshakeMessage): void {
    const got = decodeFinished(msg.body);
    const want = verifyData(this.crypto, this.master!, 'server', this.transcript.digest());
    if (!bytesEqual(got, want)) throw new ProtocolAlert('decrypt_error', 'server Finished verify_data does not match the transcript');
    this.transcript.update(msg.raw);
    this.step = 'done';
    this.finishHandshake(false);
  }
}
