import { z } from 'zod';
import { CIPHER_SUITE_NAMES } from '../protocol/dtls12/cipher_suites.js';
import { GROUP_NAMES } from '../protocol/dtls12/groups_and_signatures.js';
import { COST_GROUPS } from '../device/cost_groups.js';
import { CLOCK_DIVIDER_MODES, LISTEN_MODES } from './profile_schemas.js';

/**
 * The scenario file (YAML). Every object is strict: an unknown key is an error with a
 * "did you mean". Defaults are listed in README "Scenario reference".
 */

const profileRef = z.string().min(1);

/** The max_fragment_length values RFC 6066 §4 defines. */
const maxFragmentLength = z.union([z.literal(512), z.literal(1024), z.literal(2048), z.literal(4096)]);

/** Build-time settings of the stack (the mbedTLS names in comments). Default: the stack profile's. */
export const stackOptionsSchema = z
  .object({
    /** Input record buffer content length (MBEDTLS_SSL_IN_CONTENT_LEN). */
    in_content_len: z.number().int().min(256).max(16384).optional(),
    /** Output record buffer content length (MBEDTLS_SSL_OUT_CONTENT_LEN). */
    out_content_len: z.number().int().min(256).max(16384).optional(),
    /**
     * The negotiated maximum fragment length (RFC 6066 §4): the client asks for it
     * (mbedtls_ssl_conf_max_frag_len). The same as the scenario's max_fragment_length.
     */
    mfl: maxFragmentLength.optional(),
    /** Record buffers shrink to the negotiated fragment length after the handshake (MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH). */
    variable_buffer_length: z.boolean().optional(),
    /** Mbed TLS's MBEDTLS_ECP_WINDOW_SIZE: time and working memory of software P-256 ops (stacks with an ecp_window only). */
    ecp_window_size: z.number().int().min(2).max(6).optional(),
  })
  .strict();

const engineSchema = z
  .string()
  .regex(/^(software|accelerator:[a-z0-9_-]+|secure_element:[a-z0-9][a-z0-9.+_-]*)$/, 'software, accelerator:NAME or secure_element:ID');

export const secureElementRefSchema = z
  .object({
    profile: profileRef,
    /** ChipMode clock divider (ATECC608A: m0 fastest, m2 lowest current); default: the profile's. */
    clock_divider: z.enum(CLOCK_DIVIDER_MODES).optional(),
    /** I2C clock for commands; default: the profile's (CryptoAuthLib: 400 kHz). */
    i2c_clock_kHz: z.number().positive().optional(),
    /** Which of its ops the element runs; default: every op its profile has a command sequence for. */
    ops: z.array(z.enum(COST_GROUPS)).min(1).optional(),
  })
  .strict();

export const endpointSchema = z
  .object({
    /** A device profile id (profiles/devices/ID.yaml) or a path to a profile file. */
    device: profileRef,
    /** A stack profile id (profiles/stacks/ID.yaml) or a path. */
    stack: profileRef,
    stack_options: stackOptionsSchema.optional(),
    /** RAM the application needs besides the DTLS stack's heap; the report warns when both do not fit. */
    ram_reserve_bytes: z.number().int().min(0).optional(),
    /** Flash the application needs besides the DTLS stack's code; the report warns when both do not fit. */
    flash_reserve_bytes: z.number().int().min(0).optional(),
    /** A secure element next to the host device (a profile id or path), or that with settings. */
    secure_element: z.union([profileRef, secureElementRefSchema]).optional(),
    /** Engine per cost group, over the stack's routes: software, accelerator:NAME or secure_element:ID. */
    engines: z.partialRecord(z.enum(COST_GROUPS), engineSchema).optional(),
  })
  .strict();

const probability = z.number().min(0).max(1);

/** Bursty loss: by mean and burst length, or by the chain's own parameters. */
const gilbertElliottSchema = z.union([
  z
    .object({
      model: z.literal('gilbert-elliott'),
      /** Long-run fraction of frames lost. */
      mean: z.number().min(0).max(0.999),
      /** Mean number of consecutive frames lost in a burst. */
      burst_frames: z.number().min(1),
    })
    .strict(),
  z
    .object({
      model: z.literal('gilbert-elliott'),
      p_good_to_bad: probability,
      p_bad_to_good: z.number().gt(0).max(1),
      loss_in_good: probability.default(0),
      loss_in_bad: probability.default(1),
    })
    .strict(),
]);

/** One direction: a per-frame loss probability, or a Gilbert–Elliott chain. */
const directionLossSchema = z.union([probability, gilbertElliottSchema]);

export const lossSchema = z.union([
  directionLossSchema,
  z.object({ client_to_server: directionLossSchema, server_to_client: directionLossSchema }).strict(),
]);
export type LossSpec = z.infer<typeof lossSchema>;

/** A fraction of time in (0, 1]; 1 lifts the limit. */
const dutyFraction = z.number().gt(0).max(1);

export const linkSchema = z
  .object({
    /** A link profile id (profiles/links/ID.yaml) or a path. */
    profile: profileRef,
    /**
     * Frame loss: a probability per frame (both directions, independent), a Gilbert–Elliott
     * chain for bursts, or {client_to_server, server_to_client} with either in each direction.
     */
    loss: lossSchema.optional(),
    latency_ms: z.number().min(0).optional(),
    /** Extra one-way delay drawn uniformly from [0, jitter_ms] per datagram. */
    jitter_ms: z.number().min(0).optional(),
    bitrate_bps: z.number().positive().optional(),
    /** Largest datagram (UDP payload) the endpoints send; handshake messages are fragmented to fit. */
    mtu: z.number().int().min(64).max(65507).optional(),
    /** always-on: the radio listens whenever it does not send; duty-cycled: only for what is addressed to it. Default: the profile's. */
    radio_listen: z.enum(LISTEN_MODES).optional(),
    /** Transmit duty cycle, both directions or per direction (1: no limit). Default: the profile's, else none. */
    duty_cycle: z.union([dutyFraction, z.object({ client_to_server: dutyFraction, server_to_client: dutyFraction }).strict()]).optional(),
    /** The link layer's own acknowledgements and retries (802.15.4 MAC; BLE and Wi-Fi have them on). Default: the profile's. */
    mac: z
      .object({
        acks: z.boolean(),
        /** Retries after the first attempt (802.15.4 macMaxFrameRetries, 0..7). Default: the profile's. */
        max_frame_retries: z.number().int().min(0).max(7).optional(),
        /** Probability that a CSMA-CA clear channel assessment finds the channel busy. Default: the profile's (0). */
        cca_busy: z.number().min(0).max(1).optional(),
      })
      .strict()
      .optional(),
    /** BLE connection interval: 7.5 ms to 4 s in steps of 1.25 ms. Default: the profile's. */
    connection_interval_ms: z.number().min(7.5).max(4000).optional(),
    /** BLE Data Length Extension: LL payloads of up to 251 bytes instead of 27. Default: on. */
    data_length_extension: z.boolean().optional(),
    /** Cellular coverage class (the profile lists them). Default: the profile's. */
    coverage: z.string().min(1).optional(),
  })
  .strict();

const hexKey = z
  .string()
  .regex(/^([0-9a-fA-F]{2})+$/, 'an even number of hex digits')
  .refine((s) => s.length >= 2 * 8 && s.length <= 2 * 64, 'between 8 and 64 bytes (16 to 128 hex digits)');

export const pskSchema = z
  .object({
    identity: z.string().min(1).max(128),
    /** The key in hex. */
    key: hexKey,
    /** When set, the server sends a ServerKeyExchange carrying this hint (RFC 4279 §2). */
    hint: z.string().max(128).optional(),
  })
  .strict();

export const timersSchema = z
  .object({
    /** Initial retransmission timeout (RFC 6347 §4.2.4.1: 1 s). Default: the stack's. */
    initial_ms: z.number().positive().max(3_600_000).optional(),
    /** Cap of the doubling timeout (RFC 6347: at least 60 s). Default: the stack's. */
    max_ms: z.number().positive().max(3_600_000).optional(),
    /** The client abandons the handshake at this time. Default: when the capped timer expires once more. */
    give_up_ms: z.number().positive().max(86_400_000).optional(),
  })
  .strict();

/** How the endpoints authenticate: a pre-shared key, a PSK with ECDHE, certificates, raw public keys. */
export const AUTH_MODES = ['psk', 'ecdhe-psk', 'cert', 'rpk'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const keyKind = z.enum(['p256', 'rsa2048']);

/** The X.509 chains built for `auth: cert` (and the key of `auth: rpk`). */
export const certificatesSchema = z
  .object({
    /** Certificates each side sends: 1 = its own, issued by the root; 2 and 3 add intermediates. The root is never sent. */
    chain_depth: z.number().int().min(1).max(3).default(1),
    /** The server's key: ECDSA P-256, or RSA-2048 (which needs an ECDHE_RSA suite). */
    server_key: keyKind.default('p256'),
    /** The CAs' keys (they sign the chain); default: the same kind as the server's key. */
    ca_key: keyKind.optional(),
    /**
     * What the leaf certificates carry beyond the defaults (O and CN, one DNS name), so their
     * size matches the deployment's: more names, an OU and a country, policies, a CRL URL.
     */
    subject: z
      .object({
        common_name: z.string().min(1).max(64).optional(),
        organization: z.string().min(1).max(64).optional(),
        organizational_unit: z.string().min(1).max(64).optional(),
        country: z.string().regex(/^[A-Z]{2}$/, 'two capital letters (ISO 3166)').optional(),
        dns_names: z.array(z.string().min(1).max(253)).max(32).optional(),
        certificate_policies: z
          .object({ policy_oids: z.array(z.string().regex(/^[0-2](\.\d+)+$/, 'a dotted OID')).min(1), cps_uri: z.string().url().optional() })
          .strict()
          .optional(),
        crl_distribution_point: z.string().url().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** One full handshake, then `count` abbreviated ones resuming its session (RFC 5246 §7.3, RFC 5077). */
export const resumptionSchema = z
  .object({
    /** session_id: the server keeps a session cache; ticket: it seals the session into a ticket. */
    mode: z.enum(['session_id', 'ticket']),
    count: z.number().int().min(1).max(100),
  })
  .strict();

/** Connection IDs (RFC 9146): how many bytes of CID each side asks the other to put in its records. */
export const connectionIdSchema = z
  .object({
    /** The CID in records the server sends to the client; 0: the client needs none but sends with the server's. */
    client_bytes: z.number().int().min(0).max(255),
    server_bytes: z.number().int().min(0).max(255),
  })
  .strict();

/** Everything a variant may override. */
export const configSchema = z
  .object({
    protocol: z.literal('dtls1.2').default('dtls1.2'),
    auth: z.enum(AUTH_MODES).default('psk'),
    /** Default: the mandatory suite of the mode (README "Scenario reference"). */
    cipher_suite: z.enum(CIPHER_SUITE_NAMES).optional(),
    /** The ECDHE group (ecdhe-psk, cert, rpk). */
    group: z.enum(GROUP_NAMES).default('secp256r1'),
    /** cert and rpk: the client authenticates too (CertificateRequest, Certificate, CertificateVerify). */
    mutual: z.boolean().default(false),
    certificates: certificatesSchema.default({ chain_depth: 1, server_key: 'p256' }),
    client: endpointSchema,
    server: endpointSchema,
    link: linkSchema,
    /** HelloVerifyRequest cookie exchange (RFC 6347 §4.2.1). */
    cookie: z.boolean().default(true),
    /** Extended master secret (RFC 7627) on both sides; default: what each stack does. */
    extended_master_secret: z.boolean().optional(),
    /** Encrypt-then-MAC (RFC 7366) on both sides, for the CBC suites; default: what each stack does. */
    encrypt_then_mac: z.boolean().optional(),
    /** The client asks for this record plaintext limit (RFC 6066 §4); default: none (2^14). */
    max_fragment_length: maxFragmentLength.optional(),
    psk: pskSchema.default({ identity: 'handshake-sim-client', key: '000102030405060708090a0b0c0d0e0f' }),
    resumption: resumptionSchema.optional(),
    /** Both sides advertise this record_size_limit (RFC 8449): the largest protected record plaintext each accepts. */
    record_size_limit: z.number().int().min(64).max(16384).optional(),
    /** Negotiate connection IDs (RFC 9146; AEAD suites only); default: none. */
    connection_id: connectionIdSchema.optional(),
    timers: timersSchema.default({}),
    /** Application data each side sends once after the handshake (checks the keys; not timed). */
    application_data_bytes: z.number().int().min(1).max(16384).default(32),
  })
  .strict();
export type ScenarioConfig = z.infer<typeof configSchema>;

const variantName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._+-]*$/, 'letters, digits, space, ".", "_", "+" or "-"');

/** A variant: a name and a partial override of any config field, merged over the base. */
export const variantSchema = z
  .object({
    name: variantName,
    description: z.string().optional(),
    protocol: z.literal('dtls1.2').optional(),
    auth: z.enum(AUTH_MODES).optional(),
    cipher_suite: z.enum(CIPHER_SUITE_NAMES).optional(),
    group: z.enum(GROUP_NAMES).optional(),
    mutual: z.boolean().optional(),
    certificates: certificatesSchema.partial().optional(),
    client: endpointSchema.partial().optional(),
    server: endpointSchema.partial().optional(),
    link: linkSchema.partial().optional(),
    cookie: z.boolean().optional(),
    extended_master_secret: z.boolean().optional(),
    encrypt_then_mac: z.boolean().optional(),
    max_fragment_length: maxFragmentLength.optional(),
    psk: pskSchema.partial().optional(),
    resumption: resumptionSchema.partial().optional(),
    connection_id: connectionIdSchema.partial().optional(),
    record_size_limit: z.number().int().min(64).max(16384).optional(),
    timers: timersSchema.optional(),
    application_data_bytes: z.number().int().min(1).max(16384).optional(),
  })
  .strict();
export type VariantOverride = z.infer<typeof variantSchema>;

export const scenarioSchema = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    /** Results are kept per trial; a million is about 1.2 GB at most. */
    trials: z.number().int().min(1).max(1_000_000),
    protocol: configSchema.shape.protocol,
    auth: configSchema.shape.auth,
    cipher_suite: configSchema.shape.cipher_suite,
    group: configSchema.shape.group,
    mutual: configSchema.shape.mutual,
    certificates: configSchema.shape.certificates,
    client: configSchema.shape.client,
    server: configSchema.shape.server,
    link: configSchema.shape.link,
    cookie: configSchema.shape.cookie,
    extended_master_secret: configSchema.shape.extended_master_secret,
    encrypt_then_mac: configSchema.shape.encrypt_then_mac,
    max_fragment_length: configSchema.shape.max_fragment_length,
    psk: configSchema.shape.psk,
    resumption: configSchema.shape.resumption,
    connection_id: configSchema.shape.connection_id,
    record_size_limit: configSchema.shape.record_size_limit,
    timers: configSchema.shape.timers,
    application_data_bytes: configSchema.shape.application_data_bytes,
    variants: z.array(variantSchema).optional(),
    /** Metric path (into a report variant, e.g. "energy_mAh.client.p95") -> upper limit. */
    budgets: z.record(z.string(), z.number()).optional(),
  })
  .strict();
export type ScenarioFile = z.infer<typeof scenarioSchema>;
