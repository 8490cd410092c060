import { bytesEqual, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { ProtocolAlert } from './alerts.js';
import { CIPHER_SUITES, cipherSuiteByCode, isCbcSuite, usesEcdhe, usesPsk, usesServerSignature, type CipherSuiteName } from './cipher_suites.js';
import {
  ClientCertificateTypeCode,
  DTLS_1_0,
  DTLS_1_2,
  EMPTY_RENEGOTIATION_INFO,
  EXT_CLIENT_CERTIFICATE_TYPE,
  EXT_CONNECTION_ID,
  EXT_EC_POINT_FORMATS,
  EXT_ENCRYPT_THEN_MAC,
  EXT_EXTENDED_MASTER_SECRET,
  EXT_MAX_FRAGMENT_LENGTH,
  EXT_RENEGOTIATION_INFO,
  EXT_RECORD_SIZE_LIMIT,
  EXT_SERVER_CERTIFICATE_TYPE,
  EXT_SESSION_TICKET,
  MAX_FRAGMENT_LENGTH_CODES,
  HandshakeType,
  RANDOM_BYTES,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  type CertificateTypeName,
} from './constants.js';
import type { Credential, PeerAuthenticator } from './credentials.js';
import { Dtls12Endpoint, type Dtls12Options, type HandshakeMessage } from './endpoint.js';
import {
  ephemeralKeyPair,
  groupByCode,
  NamedGroup,
  schemeFor,
  SignatureScheme,
  sharedSecret,
  signDigest,
  verifyDigest,
  type GroupName,
  type PublicKey,
} from './groups_and_signatures.js';
import { ecdhePskPremasterSecret, extendedMasterSecret, masterSecret, pskPremasterSecret, trafficKeys, verifyData } from './key_schedule.js';
import { decodeCertificate, encodeCertificate } from './messages/certificate.js';
import { decodeCertificateRequest, type CertificateRequest } from './messages/certificate_request.js';
import { encodeClientHello, type ClientHello } from './messages/client_hello.js';
import { decodeEcdheServerKeyExchange, encodeDigitallySigned, encodeEcdheClientKeyExchange } from './messages/ecdhe_key_exchange.js';
import type { Extension } from './messages/extensions.js';
import { decodeFinished, decodeServerHelloDone } from './messages/finished.js';
import {
  certificateTypeByCode,
  certificateTypeListExtension,
  checkEcPointFormats,
  connectionIdExtension,
  decodeCertificateTypeChoice,
  decodeConnectionId,
  decodeRecordSizeLimit,
  ecPointFormatsExtension,
  recordSizeLimitExtension,
  signatureAlgorithmsExtension,
  supportedGroupsExtension,
} from './messages/hello_extensions.js';
import { decodeHelloVerifyRequest } from './messages/hello_verify_request.js';
import { decodePskIdentity, encodePskIdentity } from './messages/psk_key_exchange.js';
import { decodeNewSessionTicket } from './messages/new_session_ticket.js';
import { decodeServerHello } from './messages/server_hello.js';
import type { Session } from './session.js';
import { WIRE_PRESETS, type WireShape } from './wire_presets.js';

export interface Dtls12ClientOptions extends Dtls12Options {
  cipher_suites: CipherSuiteName[];
  /** Offer the extended master secret (RFC 7627). */
  extended_master_secret: boolean;
  /** Offer encrypt-then-MAC (RFC 7366); it is sent only when a CBC suite is offered. */
  encrypt_then_mac: boolean;
  /** Ask for a smaller record plaintext limit (RFC 6066 §4): 512, 1024, 2048 or 4096 bytes. */
  max_fragment_length?: number;
  /** PSK and ECDHE-PSK suites. */
  psk?: { identity: Uint8Array; key: Uint8Array };
  /** ECDHE suites: the groups offered, most preferred first. */
  groups?: GroupName[];
  /** Certificate suites: how the server's certificate or raw public key is checked. */
  authenticate_server?: PeerAuthenticator;
  /** Certificate types accepted from the server, most preferred first (RFC 7250); default X.509. */
  server_certificate_types?: CertificateTypeName[];
  /** Sent when the server asks for a certificate (mutual authentication). */
  credential?: Credential;
  /** Ask for a session ticket (RFC 5077) with an empty SessionTicket extension. */
  session_tickets?: boolean;
  /** A session from an earlier connection to resume (abbreviated handshake, RFC 5246 §7.3). */
  resume?: Session;
  /**
   * Offer a connection ID (RFC 9146): the CID the server is to put in the records it sends us;
   * empty means "I will send with yours but need none". Only AEAD suites carry it here.
   */
  connection_id?: Uint8Array;
  /** Advertise record_size_limit (RFC 8449): the largest protected record plaintext we accept, 64..16384. */
  record_size_limit?: number;
  /** The stack's ClientHello shape (src/protocol/dtls12/wire_presets.ts); default: minimal. */
  wire?: WireShape;
}

type ClientStep = 'idle' | 'wait_server_hello' | 'wait_server_flight' | 'wait_change_cipher_spec' | 'wait_finished' | 'done';

/** What has arrived of the server's flight after its ServerHello (RFC 5246 §7.3 order). */
interface ServerFlight {
  certificate?: PublicKey;
  key_exchange?: { group: GroupName; point: Uint8Array };
  certificate_request?: CertificateRequest;
  hint_seen: boolean;
}

/** DTLS 1.2 client: PSK (RFC 4279), ECDHE-PSK (RFC 5489), ECDHE with certificates or raw public keys (RFC 8422, RFC 7250). */
export class Dtls12Client extends Dtls12Endpoint {
  private step: ClientStep = 'idle';
  private hello: ClientHello | undefined;
  private serverRandom: Uint8Array | undefined;
  private master: Uint8Array | undefined;
  private serverCertificateType: CertificateTypeName = 'x509';
  private clientCertificateType: CertificateTypeName = 'x509';
  private flight: ServerFlight = { hint_seen: false };
  /** Both sides agreed on the extended master secret (RFC 7627). */
  extendedMasterSecret = false;
  /** The server's PSK identity hint, when it sent one. */
  serverIdentityHint: Uint8Array | undefined;
  /** The server accepted the offered session: the abbreviated handshake ran. */
  resumed = false;
  /** The session this connection established or resumed, for a later resumption. */
  session: Session | undefined;
  private serverSessionId: Uint8Array = new Uint8Array(0);
  private readonly wire: WireShape;
  private ticketAcknowledged = false;
  private newTicket: Uint8Array | undefined;

  constructor(
    crypto: MeteredCrypto,
    private readonly clientOptions: Dtls12ClientOptions,
  ) {
    super(crypto, clientOptions);
    this.wire = clientOptions.wire ?? WIRE_PRESETS.minimal;
    const kinds = clientOptions.cipher_suites.map((n) => CIPHER_SUITES[n].key_exchange);
    if (kinds.some(usesPsk) && !clientOptions.psk) throw new Error('a PSK suite is offered but no psk is configured');
    if (kinds.some(usesEcdhe) && !clientOptions.groups?.length) throw new Error('an ECDHE suite is offered but no groups are configured');
    if (kinds.some(usesServerSignature) && !clientOptions.authenticate_server) throw new Error('a certificate suite is offered but no authenticate_server is configured');
  }

  /** Sends the first ClientHello. */
  start(now_ms: number): void {
    if (this.step !== 'idle') throw new Error('client already started');
    this.options.onMemoryEvent?.({ kind: 'handshake_start' });
    const resume = this.clientOptions.resume;
    this.hello = {
      client_version: DTLS_1_2,
      random: this.crypto.random(RANDOM_BYTES),
      // RFC 5077 §3.4: with a ticket and no ID, a random ID lets the server's echo say "resumed".
      session_id: resume ? (resume.id.length > 0 ? resume.id : resume.ticket ? this.crypto.random(32) : new Uint8Array(0)) : new Uint8Array(0),
      cookie: new Uint8Array(0),
      // The SCSV tells the server we support secure renegotiation without sending the
      // extension, as mbedTLS clients do on an initial handshake (RFC 5746 §3.3).
      cipher_suites: [
        ...this.clientOptions.cipher_suites.map((n) => CIPHER_SUITES[n].code),
        ...(this.wire.renegotiation_scsv ? [TLS_EMPTY_RENEGOTIATION_INFO_SCSV] : []),
      ],
      compression_methods: [0],
      extensions: this.helloExtensions(),
    };
    this.sendClientHello(now_ms);
  }

  private helloExtensions(): Extension[] {
    const o = this.clientOptions;
    const kinds = o.cipher_suites.map((n) => CIPHER_SUITES[n].key_exchange);
    const exts: Extension[] = [];
    const wire = this.wire;
    if (kinds.some(usesEcdhe)) {
      const configured: number[] = this.offeredGroups().map((g) => NamedGroup[g]);
      const groups = [...configured, ...wire.extra_groups.filter((g) => !configured.includes(g))];
      exts.push(supportedGroupsExtension(groups), ecPointFormatsExtension(wire.point_formats));
    }
    // The list the stack sends; this engine verifies ECDSA P-256 and RSA PKCS#1 v1.5 with
    // SHA-256, which every preset lists, and our server signs with one of those.
    if (wire.signature_algorithms.always || kinds.some(usesServerSignature)) exts.push(signatureAlgorithmsExtension(wire.signature_algorithms.schemes));
    if (kinds.some(usesServerSignature)) {
      // RFC 7250 §4.1: send the lists only when they say more than "X.509".
      const serverTypes = o.server_certificate_types ?? ['x509'];
      if (serverTypes.some((t) => t !== 'x509')) exts.push(certificateTypeListExtension('server', serverTypes));
      if (o.credential && o.credential.type !== 'x509') exts.push(certificateTypeListExtension('client', [o.credential.type]));
    }
    if (o.extended_master_secret) exts.push({ type: EXT_EXTENDED_MASTER_SECRET, data: new Uint8Array(0) });
    if (o.session_tickets || o.resume?.ticket || wire.always_session_ticket) exts.push({ type: EXT_SESSION_TICKET, data: o.resume?.ticket ?? new Uint8Array(0) });
    if (this.mflCode() !== undefined) exts.push({ type: EXT_MAX_FRAGMENT_LENGTH, data: Uint8Array.of(this.mflCode()!) });
    if (this.offersEncryptThenMac()) exts.push({ type: EXT_ENCRYPT_THEN_MAC, data: new Uint8Array(0) });
    if (o.connection_id) exts.push(connectionIdExtension(o.connection_id));
    if (o.record_size_limit !== undefined) exts.push(recordSizeLimitExtension(o.record_size_limit));
    return exts;
  }

  /**
   * Only with a CBC suite on offer: the extension means nothing to an AEAD suite (RFC 7366 §3).
   * Mbed TLS 2.28 sends it in every ClientHello while enabled (library/ssl_cli.c
   * ssl_write_encrypt_then_mac_ext checks only the option and the version); this client does not.
   */
  private offersEncryptThenMac(): boolean {
    if (!this.clientOptions.encrypt_then_mac) return false;
    return this.wire.always_encrypt_then_mac || this.clientOptions.cipher_suites.some((n) => isCbcSuite(CIPHER_SUITES[n]));
  }

  /**
   * The ECDHE groups asked for, plus secp256r1 when an ECDSA suite is offered: supported_groups
   * also names the curves the client accepts in the server's certificate (RFC 8422 §5.1.1, §5.3),
   * and every ECDSA key here is P-256. OpenSSL refuses a P-256 certificate otherwise.
   */
  private offeredGroups(): GroupName[] {
    const groups = this.clientOptions.groups!;
    const ecdsa = this.clientOptions.cipher_suites.some((n) => CIPHER_SUITES[n].key_exchange === 'ecdhe_ecdsa');
    return ecdsa && !groups.includes('secp256r1') ? [...groups, 'secp256r1'] : groups;
  }

  private sendClientHello(now_ms: number): void {
    const item = this.handshakeItem(HandshakeType.client_hello, encodeClientHello(this.hello!));
    this.transcript.update(this.rawOf(item));
    this.step = 'wait_server_hello';
    this.sendFlight([item], now_ms, true);
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
      case 'wait_server_flight':
        return this.onServerFlightMessage(msg, now_ms);
      case 'wait_change_cipher_spec':
        // RFC 5077 §3.3: the ticket comes just before the server's ChangeCipherSpec.
        if (msg.msg_type === HandshakeType.new_session_ticket && this.ticketAcknowledged && this.newTicket === undefined) {
          this.newTicket = decodeNewSessionTicket(msg.body).ticket;
          this.options.onMemoryEvent?.({ kind: 'ticket_received', ticket_bytes: this.newTicket.length });
          this.transcript.update(msg.raw);
          return;
        }
        return this.alertOnUnexpected(msg, 'ChangeCipherSpec');
      case 'wait_finished':
        if (msg.msg_type === HandshakeType.finished && msg.epoch === 1) return this.onFinished(msg, now_ms);
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
    const offered = new Set(this.hello!.extensions.map((e) => e.type));
    for (const ext of sh.extensions) {
      // RFC 5246 §7.4.1.4: a server may only answer extensions the client sent.
      if (ext.type !== EXT_RENEGOTIATION_INFO && !offered.has(ext.type))
        throw new ProtocolAlert('unsupported_extension', `ServerHello carries extension ${ext.type}, which was not offered`);
      switch (ext.type) {
        case EXT_EXTENDED_MASTER_SECRET:
          if (ext.data.length !== 0) throw new ProtocolAlert('decode_error', 'ServerHello extended_master_secret is not empty');
          this.extendedMasterSecret = true;
          break;
        case EXT_MAX_FRAGMENT_LENGTH:
          // RFC 6066 §4: the server echoes the requested value or the client aborts.
          if (ext.data.length !== 1 || ext.data[0] !== this.mflCode())
            throw new ProtocolAlert('illegal_parameter', `ServerHello max_fragment_length ${ext.data[0]} differs from the requested ${this.mflCode()}`);
          this.maxPlaintextBytes = this.clientOptions.max_fragment_length!;
          break;
        case EXT_EC_POINT_FORMATS:
          checkEcPointFormats(ext.data);
          break;
        case EXT_ENCRYPT_THEN_MAC:
          if (ext.data.length !== 0) throw new ProtocolAlert('decode_error', 'ServerHello encrypt_then_mac is not empty');
          // RFC 7366 §3: a server that selects an AEAD suite MUST NOT send the extension back. The
          // RFC names no alert; the echo contradicts the chosen suite, so illegal_parameter
          // (RFC 5246 §7.2.2: a field inconsistent with other fields).
          if (!isCbcSuite(suite))
            throw new ProtocolAlert('illegal_parameter', `ServerHello echoes encrypt_then_mac with ${suite.name}, which is not a CBC suite (RFC 7366 §3)`);
          this.encryptThenMac = true;
          break;
        case EXT_SESSION_TICKET:
          // RFC 5077 §3.2: the server's extension is empty and promises a NewSessionTicket.
          if (ext.data.length !== 0) throw new ProtocolAlert('decode_error', 'ServerHello SessionTicket extension is not empty');
          this.ticketAcknowledged = true;
          break;
        case EXT_CONNECTION_ID: {
          // RFC 9146 §3: the server's CID, which our protected records are to carry.
          const theirs = decodeConnectionId(ext.data, 'ServerHello connection_id');
          if (isCbcSuite(suite)) throw new ProtocolAlert('illegal_parameter', `ServerHello negotiates a connection ID with ${suite.name}; only AEAD suites carry one here`);
          if (theirs.length > 0) this.sendCid = theirs;
          if (this.clientOptions.connection_id!.length > 0) this.receiveCid = this.clientOptions.connection_id;
          break;
        }
        case EXT_RECORD_SIZE_LIMIT:
          // RFC 8449 §4: the server's limit binds our protected records; ours binds its.
          this.protectedSendLimit = decodeRecordSizeLimit(ext.data, 'ServerHello record_size_limit');
          this.protectedReceiveLimit = this.clientOptions.record_size_limit!;
          break;
        case EXT_SERVER_CERTIFICATE_TYPE:
          this.serverCertificateType = this.chosenType(ext.data, this.clientOptions.server_certificate_types ?? ['x509'], 'server_certificate_type');
          break;
        case EXT_CLIENT_CERTIFICATE_TYPE:
          this.clientCertificateType = this.chosenType(ext.data, [this.clientOptions.credential!.type], 'client_certificate_type');
          break;
        case EXT_RENEGOTIATION_INFO:
          // RFC 5746 §3.4: on an initial handshake the server's renegotiated_connection must be empty.
          if (!bytesEqual(ext.data, EMPTY_RENEGOTIATION_INFO))
            throw new ProtocolAlert('handshake_failure', 'ServerHello renegotiation_info is not empty on an initial handshake');
          break;
        default:
          throw new ProtocolAlert('unsupported_extension', `ServerHello answers extension ${ext.type}, which this client cannot use`);
      }
    }
    this.suite = suite;
    this.serverRandom = sh.random;
    this.serverSessionId = sh.session_id;
    this.transcript.update(msg.raw);
    const resume = this.clientOptions.resume;
    if (resume && sh.session_id.length > 0 && bytesEqual(sh.session_id, this.hello!.session_id)) return this.onResumed(resume);
    this.step = 'wait_server_flight';
  }

  /** RFC 5246 §7.3: the server echoed our session ID: keys from the saved master secret, then its CCS and Finished. */
  private onResumed(resume: Session): void {
    if (this.suite!.code !== resume.cipher_suite)
      throw new ProtocolAlert('illegal_parameter', `resumed session with suite 0x${this.suite!.code.toString(16)}, not the session's 0x${resume.cipher_suite.toString(16)}`);
    // RFC 7627 §5.3: a session with the extended master secret resumes only with it.
    if (resume.extended_master_secret !== this.extendedMasterSecret)
      throw new ProtocolAlert('handshake_failure', 'the server resumed a session without matching its extended master secret use (RFC 7627 §5.3)');
    this.resumed = true;
    this.master = resume.master_secret;
    this.installKeys(trafficKeys(this.crypto, this.suite!, this.master, this.hello!.random, this.serverRandom!), true);
    this.step = 'wait_change_cipher_spec';
  }

  /** RFC 7250 §4.2: the server picks one of the types we listed. */
  private chosenType(data: Uint8Array, offered: readonly CertificateTypeName[], what: string): CertificateTypeName {
    const chosen = certificateTypeByCode(decodeCertificateTypeChoice(data, `ServerHello ${what}`));
    if (chosen === undefined || !offered.includes(chosen))
      throw new ProtocolAlert('illegal_parameter', `ServerHello ${what} ${data[0]} was not offered`);
    return chosen;
  }

  /**
   * The server's flight after ServerHello, in the order RFC 5246 §7.3 fixes:
   * Certificate (certificate suites), ServerKeyExchange (ECDHE suites; optional hint for
   * plain PSK), CertificateRequest (optional, certificate suites), ServerHelloDone.
   */
  private onServerFlightMessage(msg: HandshakeMessage, now_ms: number): void {
    const kx = this.suite!.key_exchange;
    const f = this.flight;
    const needsCertificate = usesServerSignature(kx) && f.certificate === undefined;
    const needsKeyExchange = usesEcdhe(kx) && f.key_exchange === undefined;
    if (needsCertificate) {
      if (msg.msg_type !== HandshakeType.certificate) return this.alertOnUnexpected(msg, 'the server Certificate');
      const entries = decodeCertificate(this.serverCertificateType, msg.body);
      if (entries.length === 0) throw new ProtocolAlert('bad_certificate', 'the server sent an empty certificate list');
      this.options.onMemoryEvent?.({ kind: 'peer_certificates', type: this.serverCertificateType, entries });
      f.certificate = this.clientOptions.authenticate_server!(this.serverCertificateType, entries);
      const wantKind = kx === 'ecdhe_ecdsa' ? 'p256' : 'rsa2048';
      if (f.certificate.kind !== wantKind)
        throw new ProtocolAlert('unsupported_certificate', `the server's ${f.certificate.kind} key does not suit ${this.suite!.name}`);
      this.transcript.update(msg.raw);
      return;
    }
    if (needsKeyExchange) {
      if (msg.msg_type !== HandshakeType.server_key_exchange) return this.alertOnUnexpected(msg, 'ServerKeyExchange');
      this.onEcdheServerKeyExchange(msg);
      return;
    }
    if (kx === 'psk' && msg.msg_type === HandshakeType.server_key_exchange && !f.hint_seen) {
      this.serverIdentityHint = decodePskIdentity(msg.body, 'ServerKeyExchange');
      f.hint_seen = true;
      this.transcript.update(msg.raw);
      return;
    }
    if (usesServerSignature(kx) && msg.msg_type === HandshakeType.certificate_request && f.certificate_request === undefined) {
      f.certificate_request = decodeCertificateRequest(msg.body);
      this.transcript.update(msg.raw);
      return;
    }
    if (msg.msg_type === HandshakeType.server_hello_done) return this.onServerHelloDone(msg, now_ms);
    return this.alertOnUnexpected(msg, 'ServerHelloDone');
  }

  private onEcdheServerKeyExchange(msg: HandshakeMessage): void {
    const kx = this.suite!.key_exchange;
    const ske = decodeEcdheServerKeyExchange(msg.body, kx === 'ecdhe_psk' ? 'psk' : 'signed');
    const group = groupByCode(ske.params.group);
    if (group === undefined || !this.offeredGroups().includes(group))
      throw new ProtocolAlert('illegal_parameter', `ServerKeyExchange uses group ${ske.params.group}, which was not offered`);
    if (ske.signed) {
      // RFC 8422 §5.4: the signature covers ClientHello.random + ServerHello.random + ServerECDHParams.
      const digest = this.crypto.sha256(concatBytes(this.hello!.random, this.serverRandom!, ske.params_bytes));
      verifyDigest(this.crypto, this.flight.certificate!, ske.signed.scheme, digest, ske.signed.signature, 'ServerKeyExchange');
    }
    if (ske.psk_identity_hint) this.serverIdentityHint = ske.psk_identity_hint;
    this.flight.key_exchange = { group, point: ske.params.point };
    this.transcript.update(msg.raw);
  }

  private onServerHelloDone(msg: HandshakeMessage, now_ms: number): void {
    decodeServerHelloDone(msg.body);
    this.options.onMemoryEvent?.({ kind: 'peer_flight_received' });
    this.transcript.update(msg.raw);
    const kx = this.suite!.key_exchange;
    const items = [];

    // RFC 5246 §7.4.6: answer a CertificateRequest with our certificate, or an empty list.
    const request = this.flight.certificate_request;
    const credential = request ? this.usableCredential(request) : undefined;
    // An X.509 list may be empty, but an RFC 7250 Certificate carries exactly one key
    // (opaque ASN.1_subjectPublicKeyInfo<1..2^24-1>): a client whose raw public key the request
    // does not allow has nothing it may send, so it cannot continue.
    if (request && !credential && this.clientCertificateType === 'raw_public_key')
      throw new ProtocolAlert('handshake_failure', 'the CertificateRequest does not allow our raw public key, and a raw public key Certificate cannot be empty (RFC 7250 §3)');
    if (request) {
      const cert = this.handshakeItem(HandshakeType.certificate, encodeCertificate(this.clientCertificateType, credential?.entries ?? []));
      this.transcript.update(this.rawOf(cert));
      items.push(cert);
    }

    let premaster: Uint8Array;
    let ckeBody: Uint8Array;
    if (kx === 'psk') {
      premaster = pskPremasterSecret(this.clientOptions.psk!.key);
      ckeBody = encodePskIdentity(this.clientOptions.psk!.identity);
    } else {
      const { group, point } = this.flight.key_exchange!;
      const ours = ephemeralKeyPair(this.crypto, group);
      const z = sharedSecret(this.crypto, group, ours.secretKey, point);
      premaster = kx === 'ecdhe_psk' ? ecdhePskPremasterSecret(z, this.clientOptions.psk!.key) : z;
      ckeBody = encodeEcdheClientKeyExchange(ours.publicKey, kx === 'ecdhe_psk' ? this.clientOptions.psk!.identity : undefined);
    }
    const cke = this.handshakeItem(HandshakeType.client_key_exchange, ckeBody);
    this.transcript.update(this.rawOf(cke));
    items.push(cke);

    const sessionHash = this.transcript.digest();
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(this.crypto, premaster, sessionHash)
      : masterSecret(this.crypto, premaster, this.hello!.random, this.serverRandom!);

    if (credential) {
      // RFC 5246 §7.4.8: sign the handshake messages so far; with SHA-256 that is the transcript hash.
      const cv = this.handshakeItem(HandshakeType.certificate_verify, encodeDigitallySigned(signDigest(this.crypto, credential.key, sessionHash)));
      this.transcript.update(this.rawOf(cv));
      items.push(cv);
    }

    this.installKeys(trafficKeys(this.crypto, this.suite!, this.master, this.hello!.random, this.serverRandom!), true);
    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master, 'client', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    this.step = 'wait_change_cipher_spec';
    this.sendFlight([...items, ccs, fin], now_ms, true);
  }

  /** Our credential when the request accepts its key type and signature scheme; otherwise none. */
  private usableCredential(request: CertificateRequest): Credential | undefined {
    const c = this.clientOptions.credential;
    if (!c) return undefined;
    const typeCode = c.key.kind === 'p256' ? ClientCertificateTypeCode.ecdsa_sign : ClientCertificateTypeCode.rsa_sign;
    const scheme = SignatureScheme[schemeFor(c.key)];
    if (!request.certificate_types.includes(typeCode) || !request.signature_schemes.includes(scheme)) return undefined;
    return c;
  }

  protected override onChangeCipherSpecAccepted(): void {
    this.step = 'wait_finished';
  }

  private onFinished(msg: HandshakeMessage, now_ms: number): void {
    const got = decodeFinished(msg.body);
    const want = verifyData(this.crypto, this.master!, 'server', this.transcript.digest());
    if (!bytesEqual(got, want)) throw new ProtocolAlert('decrypt_error', 'server Finished verify_data does not match the transcript');
    this.transcript.update(msg.raw);
    this.step = 'done';
    const previous = this.clientOptions.resume;
    this.session = {
      id: this.serverSessionId,
      ...(this.newTicket ? { ticket: this.newTicket } : this.resumed && previous?.ticket ? { ticket: previous.ticket } : {}),
      master_secret: this.master!,
      cipher_suite: this.suite!.code,
      extended_master_secret: this.extendedMasterSecret,
    };
    if (!this.resumed) return this.finishHandshake(false);
    // Abbreviated handshake: our CCS and Finished close it, and we answer the server's repeats.
    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master!, 'client', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    this.sendFlight([ccs, fin], now_ms, false);
    this.finishHandshake(true);
  }
}
