import { bytesEqual, concatBytes } from '../common/bytes.js';
import type { MeteredCrypto } from '../../crypto/metered_crypto.js';
import { ProtocolAlert } from './alerts.js';
import { CIPHER_SUITES, isCbcSuite, usesEcdhe, usesPsk, usesServerSignature, type CipherSuiteInfo, type CipherSuiteName } from './cipher_suites.js';
import {
  ClientCertificateTypeCode,
  ContentType,
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
  EXT_SIGNATURE_ALGORITHMS,
  MAX_PLAINTEXT_BYTES,
  EXT_SUPPORTED_GROUPS,
  MAX_FRAGMENT_LENGTH_CODES,
  HandshakeType,
  RANDOM_BYTES,
  TLS_EMPTY_RENEGOTIATION_INFO_SCSV,
  type CertificateTypeName,
} from './constants.js';
import type { Credential, PeerAuthenticator } from './credentials.js';
import { Dtls12Endpoint, type Dtls12Options, type HandshakeMessage } from './endpoint.js';
import type { HandshakeFragment } from './handshake_header.js';
import { encodeHandshake } from './handshake_header.js';
import {
  ephemeralKeyPair,
  groupByCode,
  NamedGroup,
  schemeFor,
  SignatureScheme,
  sharedSecret,
  signData,
  verifyDigest,
  type GroupName,
  type PublicKey,
} from './groups_and_signatures.js';
import { ecdhePskPremasterSecret, extendedMasterSecret, masterSecret, pskPremasterSecret, trafficKeys, verifyData } from './key_schedule.js';
import { decodeCertificate, encodeCertificate } from './messages/certificate.js';
import { encodeCertificateRequest } from './messages/certificate_request.js';
import { decodeClientHello, encodeClientHello, type ClientHello } from './messages/client_hello.js';
import {
  decodeDigitallySigned,
  decodeEcdheClientKeyExchange,
  encodeDigitallySigned,
  encodeServerEcdhParams,
} from './messages/ecdhe_key_exchange.js';
import type { Extension } from './messages/extensions.js';
import { decodeFinished } from './messages/finished.js';
import {
  certificateTypeChoiceExtension,
  checkEcPointFormats,
  connectionIdExtension,
  recordSizeLimitExtension,
  decodeCertificateTypeList,
  decodeConnectionId,
  decodeRecordSizeLimit,
  decodeSignatureAlgorithms,
  decodeSupportedGroups,
  ecPointFormatsExtension,
} from './messages/hello_extensions.js';
import { encodeHelloVerifyRequest } from './messages/hello_verify_request.js';
import { decodePskIdentity, encodePskIdentity } from './messages/psk_key_exchange.js';
import { encodeNewSessionTicket } from './messages/new_session_ticket.js';
import { encodeServerHello } from './messages/server_hello.js';
import { openTicket, sealTicket, type Session, type SessionCache, type TicketKey } from './session.js';

export interface Dtls12ServerOptions extends Dtls12Options {
  cipher_suites: CipherSuiteName[];
  /** Accept the extended master secret when the client offers it (RFC 7627). */
  extended_master_secret: boolean;
  /** Accept encrypt-then-MAC when the client offers it and the chosen suite is CBC (RFC 7366). */
  encrypt_then_mac: boolean;
  /** PSK and ECDHE-PSK suites: the key for a client's identity; undefined when unknown. */
  psk_for_identity?: (identity: Uint8Array) => Uint8Array | undefined;
  psk_identity_hint?: Uint8Array;
  /** ECDHE suites: the groups this server accepts; it takes the client's most preferred of them. */
  groups?: GroupName[];
  /** Certificate suites: one credential per certificate type offered (X.509 chain, raw public key). */
  credentials?: Credential[];
  /** Ask the client for a certificate or raw public key (mutual authentication). */
  request_client_certificate?: {
    /** Types accepted from the client (RFC 7250), most preferred first. */
    types: CertificateTypeName[];
    authenticate: PeerAuthenticator;
  };
  /** Sessions this server can resume by ID (RFC 5246 §7.3); shared across connections. */
  session_cache?: SessionCache;
  /** Issue and accept session tickets (RFC 5077). */
  session_tickets?: { key: TicketKey; lifetime_s: number };
  /** Accept a client's connection ID offer (RFC 9146) with this CID for the records it sends us; AEAD suites only. */
  connection_id?: Uint8Array;
  /** Answer a client's record_size_limit (RFC 8449) with this limit on the protected records we accept, 64..16384. */
  record_size_limit?: number;
  /** Answer a ClientHello without a valid cookie with a HelloVerifyRequest (RFC 6347 §4.2.1). */
  cookie: boolean;
  cookie_secret: Uint8Array;
  cookie_bytes: number;
  session_id_bytes: number;
  /** The client's transport address as the cookie binds it (RFC 6347 §4.2.1: Client-IP). */
  peer_id: Uint8Array;
}

type ServerStep =
  | 'wait_client_hello'
  | 'wait_client_certificate'
  | 'wait_client_key_exchange'
  | 'wait_certificate_verify'
  | 'wait_change_cipher_spec'
  | 'wait_finished'
  | 'done';

/** What the server chose from a ClientHello. */
interface Negotiated {
  suite: CipherSuiteInfo;
  group?: GroupName;
  credential?: Credential;
  /** Extensions the ServerHello answers with. */
  extensions: Extension[];
  clientCertificateType: CertificateTypeName;
}

/**
 * DTLS 1.2 server with the stateless cookie exchange: PSK (RFC 4279), ECDHE-PSK (RFC 5489),
 * ECDHE with a certificate or raw public key (RFC 8422, RFC 7250), optionally mutual.
 */
export class Dtls12Server extends Dtls12Endpoint {
  private step: ServerStep = 'wait_client_hello';
  private clientRandom: Uint8Array | undefined;
  private serverRandom: Uint8Array | undefined;
  private master: Uint8Array | undefined;
  /** Both sides agreed on the extended master secret (RFC 7627). */
  extendedMasterSecret = false;
  /** The identity the client authenticated with. */
  clientIdentity: Uint8Array | undefined;
  /** The client's authenticated key (mutual authentication). */
  clientKey: PublicKey | undefined;
  private clientCertificateType: CertificateTypeName = 'x509';
  private ephemeral: { group: GroupName; secretKey: Uint8Array } | undefined;
  /** The client's session was accepted: the abbreviated handshake runs. */
  resumed = false;
  private sessionId: Uint8Array = new Uint8Array(0);
  private issueTicket = false;
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
      case 'wait_client_certificate':
        if (msg.msg_type === HandshakeType.certificate) return this.onClientCertificate(msg);
        return this.alertOnUnexpected(msg, 'the client Certificate');
      case 'wait_client_key_exchange':
        if (msg.msg_type === HandshakeType.client_key_exchange) return this.onClientKeyExchange(msg);
        return this.alertOnUnexpected(msg, 'ClientKeyExchange');
      case 'wait_certificate_verify':
        if (msg.msg_type === HandshakeType.certificate_verify) return this.onCertificateVerify(msg);
        return this.alertOnUnexpected(msg, 'CertificateVerify');
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
    const negotiated = this.negotiate(ch);
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

    this.options.onMemoryEvent?.({ kind: 'handshake_start' });
    this.continueRecordSequenceFrom(this.helloRecordSeq);
    this.clientRandom = ch.random;
    // The server's messages continue the client's numbering (RFC 6347 §4.2.2).
    this.nextSendSeq = msg.message_seq;
    this.transcript.update(msg.raw);
    this.serverRandom = this.crypto.random(RANDOM_BYTES);

    const saved = this.resumableSession(ch);
    if (saved) return this.resume(ch, saved, negotiated, now_ms);

    const suite = negotiated.suite;
    this.suite = suite;
    this.clientCertificateType = negotiated.clientCertificateType;
    // RFC 5077 §3.2: a client that sent the extension gets a ticket; the ID is then left empty,
    // as Mbed TLS does (ssl_write_server_hello), since the ticket carries the session.
    this.issueTicket = this.serverOptions.session_tickets !== undefined && ch.extensions.some((e) => e.type === EXT_SESSION_TICKET);
    this.sessionId = this.issueTicket ? new Uint8Array(0) : this.crypto.random(this.serverOptions.session_id_bytes);
    const items = [
      this.handshakeItem(
        HandshakeType.server_hello,
        encodeServerHello({
          server_version: DTLS_1_2,
          random: this.serverRandom,
          session_id: this.sessionId,
          cipher_suite: suite.code,
          compression_method: 0,
          extensions: [...negotiated.extensions, ...(this.issueTicket ? [{ type: EXT_SESSION_TICKET, data: new Uint8Array(0) }] : [])],
        }),
      ),
    ];
    // From the ServerHello on, both sides keep records within the negotiated length (RFC 6066 §4).
    const mfl = negotiated.extensions.find((e) => e.type === EXT_MAX_FRAGMENT_LENGTH);
    if (mfl) this.maxPlaintextBytes = MAX_FRAGMENT_LENGTH_CODES[mfl.data[0]!]!;

    const kx = suite.key_exchange;
    if (negotiated.credential) items.push(this.handshakeItem(HandshakeType.certificate, encodeCertificate(negotiated.credential.type, negotiated.credential.entries)));
    const hint = this.serverOptions.psk_identity_hint;
    if (usesEcdhe(kx)) {
      const group = negotiated.group!;
      const pair = ephemeralKeyPair(this.crypto, group);
      this.ephemeral = { group, secretKey: pair.secretKey };
      const params = encodeServerEcdhParams({ group: NamedGroup[group], point: pair.publicKey });
      let body: Uint8Array;
      if (kx === 'ecdhe_psk') {
        // RFC 5489 §2: the hint is always present, empty when the server has none.
        body = concatBytes(encodePskIdentity(hint ?? new Uint8Array(0)), params);
      } else {
        // RFC 8422 §5.4: sign ClientHello.random + ServerHello.random + ServerECDHParams.
        const signed = signData(this.crypto, negotiated.credential!.key, concatBytes(this.clientRandom, this.serverRandom, params));
        body = concatBytes(params, encodeDigitallySigned(signed));
      }
      items.push(this.handshakeItem(HandshakeType.server_key_exchange, body));
    } else if (hint !== undefined) {
      items.push(this.handshakeItem(HandshakeType.server_key_exchange, encodePskIdentity(hint)));
    }
    const request = this.serverOptions.request_client_certificate;
    if (request && usesServerSignature(kx)) {
      items.push(
        this.handshakeItem(
          HandshakeType.certificate_request,
          encodeCertificateRequest({
            certificate_types: [ClientCertificateTypeCode.ecdsa_sign, ClientCertificateTypeCode.rsa_sign],
            signature_schemes: [SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.rsa_pkcs1_sha256],
            certificate_authorities: [],
          }),
        ),
      );
    }
    items.push(this.handshakeItem(HandshakeType.server_hello_done, new Uint8Array(0)));
    for (const item of items) this.transcript.update(this.rawOf(item));
    this.step = request && usesServerSignature(kx) ? 'wait_client_certificate' : 'wait_client_key_exchange';
    this.sendFlight(items, now_ms, true);
  }

  /**
   * The session the client asks to resume, by ticket (RFC 5077 §3.4) or by ID (RFC 5246 §7.3),
   * when this server still has it and can serve its suite; otherwise a full handshake.
   */
  private resumableSession(ch: ClientHello): Omit<Session, 'id'> | undefined {
    const o = this.serverOptions;
    const ticket = ch.extensions.find((e) => e.type === EXT_SESSION_TICKET);
    const saved =
      ticket && ticket.data.length > 0 && o.session_tickets
        ? openTicket(this.crypto, o.session_tickets.key, ticket.data)
        : o.session_cache?.find(ch.session_id);
    if (!saved) return undefined;
    const servable = o.cipher_suites.some((n) => CIPHER_SUITES[n].code === saved.cipher_suite) && ch.cipher_suites.includes(saved.cipher_suite);
    if (!servable) return undefined;
    const clientEms = ch.extensions.some((e) => e.type === EXT_EXTENDED_MASTER_SECRET);
    // RFC 7627 §5.3: abort if the session had the extended master secret and the hello lacks it;
    // run a full handshake if the session lacked it and the hello has it.
    if (saved.extended_master_secret && !clientEms)
      throw new ProtocolAlert('handshake_failure', 'the session used the extended master secret; the ClientHello resuming it does not offer it');
    if (!saved.extended_master_secret && clientEms) return undefined;
    return saved;
  }

  /** Abbreviated handshake (RFC 5246 §7.3): ServerHello echoing the ID, then our CCS and Finished. */
  private resume(ch: ClientHello, saved: Omit<Session, 'id'>, negotiated: Negotiated, now_ms: number): void {
    this.resumed = true;
    this.suite = Object.values(CIPHER_SUITES).find((s) => s.code === saved.cipher_suite)!;
    this.extendedMasterSecret = saved.extended_master_secret;
    this.master = saved.master_secret;
    this.sessionId = ch.session_id;
    const extensions = negotiated.extensions.filter(
      (e) =>
        e.type === EXT_RENEGOTIATION_INFO ||
        e.type === EXT_MAX_FRAGMENT_LENGTH ||
        e.type === EXT_CONNECTION_ID ||
        e.type === EXT_RECORD_SIZE_LIMIT ||
        (e.type === EXT_EXTENDED_MASTER_SECRET && saved.extended_master_secret),
    );
    const hello = this.handshakeItem(
      HandshakeType.server_hello,
      encodeServerHello({ server_version: DTLS_1_2, random: this.serverRandom!, session_id: ch.session_id, cipher_suite: saved.cipher_suite, compression_method: 0, extensions }),
    );
    const mfl = extensions.find((e) => e.type === EXT_MAX_FRAGMENT_LENGTH);
    if (mfl) this.maxPlaintextBytes = MAX_FRAGMENT_LENGTH_CODES[mfl.data[0]!]!;
    this.transcript.update(this.rawOf(hello));
    this.installKeys(trafficKeys(this.crypto, this.suite, this.master, this.clientRandom!, this.serverRandom!), false);
    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master, 'server', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    this.step = 'wait_change_cipher_spec';
    this.sendFlight([hello, ccs, fin], now_ms, true);
  }

  /**
   * Picks the suite (the client's most preferred one this server can serve), the group, the
   * credential and the certificate types, and the ServerHello extensions that answer the hello.
   */
  private negotiate(ch: ClientHello): Negotiated {
    const o = this.serverOptions;
    const ext = (type: number) => ch.extensions.find((e) => e.type === type);
    // Settled afresh by each ClientHello (the one after a cookie exchange may differ).
    this.sendCid = undefined;
    this.receiveCid = undefined;
    const groupsExt = ext(EXT_SUPPORTED_GROUPS);
    // RFC 8422 §4: without the extension the client is taken to support secp256r1.
    const clientGroups = groupsExt ? decodeSupportedGroups(groupsExt.data).map(groupByCode) : ['secp256r1' as const];
    const group = clientGroups.find((g): g is GroupName => g !== undefined && (o.groups ?? []).includes(g));
    const pointFormats = ext(EXT_EC_POINT_FORMATS);
    if (pointFormats) checkEcPointFormats(pointFormats.data);
    const sigAlgsExt = ext(EXT_SIGNATURE_ALGORITHMS);
    // Without the extension RFC 5246 §7.4.1.4.1 implies SHA-1, which this server does not sign with.
    const clientSchemes = sigAlgsExt ? decodeSignatureAlgorithms(sigAlgsExt.data) : [];
    const serverTypesExt = ext(EXT_SERVER_CERTIFICATE_TYPE);
    const acceptedServerTypes = serverTypesExt ? decodeCertificateTypeList(serverTypesExt.data, 'server_certificate_type') : (['x509'] as const);
    const credential = acceptedServerTypes.map((t) => o.credentials?.find((c) => c.type === t)).find((c) => c !== undefined);

    const canServe = (s: CipherSuiteInfo): boolean => {
      const kx = s.key_exchange;
      if (usesPsk(kx) && !o.psk_for_identity) return false;
      if (usesEcdhe(kx) && group === undefined) return false;
      if (!usesServerSignature(kx)) return true;
      const want = kx === 'ecdhe_ecdsa' ? 'p256' : 'rsa2048';
      // RFC 8422 §5.3: an ECDSA certificate's curve must be one the client listed.
      if (kx === 'ecdhe_ecdsa' && !clientGroups.includes('secp256r1')) return false;
      return credential?.key.kind === want && clientSchemes.includes(SignatureScheme[schemeFor(credential.key)]);
    };
    const offered = o.cipher_suites.map((n) => CIPHER_SUITES[n]);
    const suite = ch.cipher_suites.map((c) => offered.find((s) => s.code === c)).find((s) => s !== undefined && canServe(s));
    if (!suite) {
      if (serverTypesExt && !credential && ch.cipher_suites.some((c) => offered.some((s) => s.code === c && usesServerSignature(s.key_exchange))))
        throw new ProtocolAlert('unsupported_certificate', 'none of the server certificate types the client accepts is available (RFC 7250 §4.2)');
      throw new ProtocolAlert('handshake_failure', 'no cipher suite in common that this server can serve');
    }

    const rsl = ext(EXT_RECORD_SIZE_LIMIT);
    const clientLimit = rsl ? decodeRecordSizeLimit(rsl.data, 'ClientHello record_size_limit') : undefined;
    const useRsl = clientLimit !== undefined && o.record_size_limit !== undefined;
    // RFC 8449 §5: a server that negotiates record_size_limit ignores max_fragment_length.
    const mfl = useRsl ? undefined : ext(EXT_MAX_FRAGMENT_LENGTH);
    if (mfl && (mfl.data.length !== 1 || MAX_FRAGMENT_LENGTH_CODES[mfl.data[0]!] === undefined))
      throw new ProtocolAlert('illegal_parameter', `ClientHello max_fragment_length ${mfl.data[0]} is not 1..4 (RFC 6066 §4)`);
    const ems = ext(EXT_EXTENDED_MASTER_SECRET);
    if (ems && ems.data.length !== 0) throw new ProtocolAlert('decode_error', 'ClientHello extended_master_secret is not empty');
    this.extendedMasterSecret = ems !== undefined && o.extended_master_secret;
    const etm = ext(EXT_ENCRYPT_THEN_MAC);
    if (etm && etm.data.length !== 0) throw new ProtocolAlert('decode_error', 'ClientHello encrypt_then_mac is not empty');
    // RFC 7366 §3: never echoed for an AEAD suite.
    this.encryptThenMac = etm !== undefined && o.encrypt_then_mac && isCbcSuite(suite);

    const extensions: Extension[] = [];
    if (this.secureRenegotiationOffered(ch)) extensions.push({ type: EXT_RENEGOTIATION_INFO, data: EMPTY_RENEGOTIATION_INFO });
    if (this.extendedMasterSecret) extensions.push({ type: EXT_EXTENDED_MASTER_SECRET, data: new Uint8Array(0) });
    if (mfl) extensions.push({ type: EXT_MAX_FRAGMENT_LENGTH, data: mfl.data });
    if (this.encryptThenMac) extensions.push({ type: EXT_ENCRYPT_THEN_MAC, data: new Uint8Array(0) });
    this.protectedSendLimit = useRsl ? Math.min(clientLimit, MAX_PLAINTEXT_BYTES) : MAX_PLAINTEXT_BYTES;
    this.protectedReceiveLimit = useRsl ? o.record_size_limit! : MAX_PLAINTEXT_BYTES;
    if (useRsl) extensions.push(recordSizeLimitExtension(o.record_size_limit!));
    const cid = ext(EXT_CONNECTION_ID);
    if (cid) {
      const theirs = decodeConnectionId(cid.data, 'ClientHello connection_id');
      if (o.connection_id && !isCbcSuite(suite)) {
        extensions.push(connectionIdExtension(o.connection_id));
        if (theirs.length > 0) this.sendCid = theirs;
        if (o.connection_id.length > 0) this.receiveCid = o.connection_id;
      }
    }
    // RFC 8422 §5.2: answer ec_point_formats for an ECC suite when the client sent it.
    if (usesEcdhe(suite.key_exchange) && pointFormats) extensions.push(ecPointFormatsExtension());
    let clientCertificateType: CertificateTypeName = 'x509';
    if (usesServerSignature(suite.key_exchange)) {
      if (serverTypesExt) extensions.push(certificateTypeChoiceExtension('server', credential!.type));
      const clientTypesExt = ext(EXT_CLIENT_CERTIFICATE_TYPE);
      const request = o.request_client_certificate;
      if (request && clientTypesExt) {
        // RFC 7250 §4.2: pick one the client can send; none in common is unsupported_certificate.
        const clientTypes = decodeCertificateTypeList(clientTypesExt.data, 'client_certificate_type');
        const chosen = request.types.find((t) => clientTypes.includes(t));
        if (chosen === undefined) throw new ProtocolAlert('unsupported_certificate', 'none of the client certificate types offered is accepted');
        clientCertificateType = chosen;
        extensions.push(certificateTypeChoiceExtension('client', chosen));
      } else if (request && !request.types.includes('x509')) {
        throw new ProtocolAlert('unsupported_certificate', 'the client can only send X.509 certificates, which this server does not accept');
      }
    }
    return { suite, ...(group ? { group } : {}), ...(usesServerSignature(suite.key_exchange) ? { credential: credential! } : {}), extensions, clientCertificateType };
  }

  private onClientCertificate(msg: HandshakeMessage): void {
    const entries = decodeCertificate(this.clientCertificateType, msg.body);
    // RFC 5246 §7.4.6: an empty list means no certificate; this server requires one.
    if (entries.length === 0) throw new ProtocolAlert('handshake_failure', 'the client sent no certificate, and this server requires one');
    this.options.onMemoryEvent?.({ kind: 'peer_certificates', type: this.clientCertificateType, entries });
    this.clientKey = this.serverOptions.request_client_certificate!.authenticate(this.clientCertificateType, entries);
    this.transcript.update(msg.raw);
    this.step = 'wait_client_key_exchange';
  }

  private onClientKeyExchange(msg: HandshakeMessage): void {
    const kx = this.suite!.key_exchange;
    let premaster: Uint8Array;
    if (kx === 'psk') {
      premaster = pskPremasterSecret(this.pskFor(decodePskIdentity(msg.body, 'ClientKeyExchange')));
    } else {
      const cke = decodeEcdheClientKeyExchange(msg.body, kx === 'ecdhe_psk');
      const z = sharedSecret(this.crypto, this.ephemeral!.group, this.ephemeral!.secretKey, cke.point);
      premaster = kx === 'ecdhe_psk' ? ecdhePskPremasterSecret(z, this.pskFor(cke.psk_identity!)) : z;
    }
    this.transcript.update(msg.raw);
    this.master = this.extendedMasterSecret
      ? extendedMasterSecret(this.crypto, premaster, this.transcript.digest())
      : masterSecret(this.crypto, premaster, this.clientRandom!, this.serverRandom!);
    this.installKeys(trafficKeys(this.crypto, this.suite!, this.master, this.clientRandom!, this.serverRandom!), false);
    this.step = this.clientKey ? 'wait_certificate_verify' : 'wait_change_cipher_spec';
  }

  private pskFor(identity: Uint8Array): Uint8Array {
    const psk = this.serverOptions.psk_for_identity!(identity);
    if (psk === undefined)
      throw new ProtocolAlert('unknown_psk_identity', `no key for PSK identity ${JSON.stringify(new TextDecoder().decode(identity))}`);
    this.clientIdentity = identity;
    return psk;
  }

  /** RFC 5246 §7.4.8: the client's signature over the handshake messages before this one. */
  private onCertificateVerify(msg: HandshakeMessage): void {
    const signed = decodeDigitallySigned(msg.body, 'CertificateVerify');
    verifyDigest(this.crypto, this.clientKey!, signed.scheme, this.transcript.digest(), signed.signature, 'CertificateVerify');
    this.transcript.update(msg.raw);
    this.step = 'wait_change_cipher_spec';
  }

  private onFinished(msg: HandshakeMessage, now_ms: number): void {
    const got = decodeFinished(msg.body);
    const want = verifyData(this.crypto, this.master!, 'client', this.transcript.digest());
    if (!bytesEqual(got, want)) throw new ProtocolAlert('decrypt_error', 'client Finished verify_data does not match the transcript');
    this.transcript.update(msg.raw);
    this.step = 'done';
    // Abbreviated handshake: the client's Finished was the last message.
    if (this.resumed) return this.finishHandshake(false);

    const session: Session = { id: this.sessionId, master_secret: this.master!, cipher_suite: this.suite!.code, extended_master_secret: this.extendedMasterSecret };
    this.serverOptions.session_cache?.store(session);
    if (this.serverOptions.session_cache) this.options.onMemoryEvent?.({ kind: 'session_cached' });
    const items = [];
    if (this.issueTicket) {
      const t = this.serverOptions.session_tickets!;
      const ticket = this.handshakeItem(
        HandshakeType.new_session_ticket,
        encodeNewSessionTicket({ lifetime_hint_s: t.lifetime_s, ticket: sealTicket(this.crypto, t.key, session) }),
      );
      this.transcript.update(this.rawOf(ticket));
      items.push(ticket);
    }
    const ccs = this.changeCipherSpecItem();
    const fin = this.handshakeItem(HandshakeType.finished, verifyData(this.crypto, this.master!, 'server', this.transcript.digest()));
    this.transcript.update(this.rawOf(fin));
    // The last flight of the handshake has no timer; it is resent when the client repeats its own.
    this.sendFlight([...items, ccs, fin], now_ms, false);
    this.finishHandshake(true);
  }
}
