import { z } from 'zod';
import { figureSchema, nonNegativeFigure, positiveFigure, wholeFigure } from './figure.js';

/**
 * Profiles are YAML files under profiles/{devices,stacks,links}/. Hardware and software are
 * separate axes: a device says what the silicon does (clock, currents, memory); a stack says
 * what the library does with it (cycles per op per core family, timers, memory, wire shape);
 * a link says what the medium does (bitrate, framing, loss, radio currents).
 */

const id = z.string().regex(/^[a-z0-9][a-z0-9.+_-]*$/, 'lower-case letters, digits, ".", "+", "_" or "-"');

/** Core families a stack's cycle table is keyed by. */
export const CORE_FAMILIES = ['cortex-m3', 'cortex-m4', 'cortex-m33', 'xtensa-lx6', 'x86-64'] as const;
export const coreFamilySchema = z.enum(CORE_FAMILIES);
export type CoreFamily = z.infer<typeof coreFamilySchema>;

export const deviceProfileSchema = z
  .object({
    id,
    kind: z.literal('device'),
    name: z.string().min(1),
    description: z.string().optional(),
    core: coreFamilySchema,
    clock_MHz: positiveFigure,
    supply_V: positiveFigure,
    current_mA: z
      .object({
        /** CPU running crypto code from flash at clock_MHz. */
        active: nonNegativeFigure,
        /** CPU waiting for the radio or a timer (the sleep mode a DTLS stack waits in). */
        sleep: nonNegativeFigure,
      })
      .strict(),
    ram_bytes: nonNegativeFigure,
    flash_bytes: nonNegativeFigure,
  })
  .strict();
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;

/**
 * Cycle costs of the primitives the op vocabulary is priced from (src/device/pricing.ts).
 * Composite ops (HMAC, PRF) are priced from these, never listed separately.
 */
export const cycleTableSchema = z
  .object({
    'sha256.cycles_per_byte': nonNegativeFigure,
    /** Per finished digest: the final padded block plus the call's fixed work. */
    'sha256.finish_cycles': nonNegativeFigure,
    'aes128_ccm.cycles_per_byte': nonNegativeFigure,
    /** Per CCM call: key schedule, B0 and counter-0 blocks, AAD block. */
    'aes128_ccm.setup_cycles': nonNegativeFigure,
    'aes128_gcm.cycles_per_byte': nonNegativeFigure,
    /** Per GCM call: the counter-0 block for the tag, the AAD's GHASH block, the length block. */
    'aes128_gcm.setup_cycles': nonNegativeFigure,
    'rng.cycles_per_byte': nonNegativeFigure,
    'aes128_cbc.cycles_per_byte': nonNegativeFigure.optional(),
    /**
     * Public-key operations, whole-op cycles. Optional: a stack that lists none can still price
     * a PSK handshake; a handshake that needs one the table lacks is refused with a message.
     */
    'p256.keygen_cycles': nonNegativeFigure.optional(),
    'p256.ecdh_cycles': nonNegativeFigure.optional(),
    'p256.ecdsa_sign_cycles': nonNegativeFigure.optional(),
    'p256.ecdsa_verify_cycles': nonNegativeFigure.optional(),
    'x25519.keygen_cycles': nonNegativeFigure.optional(),
    'x25519.ecdh_cycles': nonNegativeFigure.optional(),
    'rsa2048.private_cycles': nonNegativeFigure.optional(),
    'rsa2048.public_cycles': nonNegativeFigure.optional(),
  })
  .strict();
export type CycleTable = z.infer<typeof cycleTableSchema>;
export type CycleCostId = keyof CycleTable;

export const memoryModelSchema = z
  .object({
    ssl_context_bytes: nonNegativeFigure,
    ssl_config_bytes: nonNegativeFigure,
    handshake_params_bytes: nonNegativeFigure,
    drbg_context_bytes: nonNegativeFigure,
    session_bytes: nonNegativeFigure,
    in_content_len: wholeFigure(256, 16384),
    out_content_len: wholeFigure(256, 16384),
    /** Bytes a record buffer holds beyond its content length (header, IV, MAC, padding). */
    buffer_overhead_bytes: nonNegativeFigure,
  })
  .strict();
export type MemoryModel = z.infer<typeof memoryModelSchema>;

/** When a stack abandons a handshake on its own. */
export const giveUpRuleSchema = z
  .object({
    /**
     * capped_timer_expiry: when a flight's timer expires with the timeout already at its
     * maximum, the handshake fails instead of resending (mbedTLS). never: it resends forever and
     * only the scenario's give_up_ms ends it.
     */
    rule: z.enum(['capped_timer_expiry', 'never']),
    source: z.string().min(1),
  })
  .strict();

/** A behaviour of the stack on the wire, with where it is documented. */
const wireSwitch = z.object({ enabled: z.boolean(), source: z.string().min(1) }).strict();

/** What the stack sends by default (the start of its wire shape). */
export const wireSchema = z
  .object({
    /** Offers / accepts the extended master secret (RFC 7627). */
    extended_master_secret: wireSwitch,
  })
  .strict();

export const stackProfileSchema = z
  .object({
    id,
    kind: z.literal('stack'),
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    cycles: z.partialRecord(coreFamilySchema, cycleTableSchema),
    dtls: z
      .object({
        initial_timeout_ms: positiveFigure,
        max_timeout_ms: positiveFigure,
        give_up: giveUpRuleSchema,
        /** HelloVerifyRequest cookie length (RFC 6347: at most 255). */
        cookie_bytes: wholeFigure(1, 255),
        /** ServerHello.session_id length (RFC 5246: at most 32). */
        session_id_bytes: wholeFigure(0, 32),
      })
      .strict(),
    wire: wireSchema,
    memory: memoryModelSchema,
  })
  .strict();
export type StackProfile = z.infer<typeof stackProfileSchema>;

export const FRAMINGS = ['none', 'ieee802154-6lowpan', 'lorawan', 'ble', 'fsk', 'wifi', 'cellular'] as const;

/**
 * How a sender gets the channel for each attempt when the link acknowledges and retries its own
 * frames: unslotted CSMA-CA (IEEE 802.15.4), BLE connection events, or the 802.11 DCF.
 */
export const MAC_ACCESS = ['csma-ca', 'connection-events', 'dcf'] as const;
export type MacAccess = (typeof MAC_ACCESS)[number];

/** A fraction of time in (0, 1]: 1 means no limit. */
const fractionFigure = figureSchema.refine((f) => f.value > 0 && f.value <= 1, { message: 'a fraction in (0, 1]', path: ['value'] });

/** How the radio listens when it is not transmitting (README "Energy"). */
export const LISTEN_MODES = ['always-on', 'duty-cycled'] as const;
export type ListenMode = (typeof LISTEN_MODES)[number];

export const linkProfileSchema = z
  .object({
    id,
    kind: z.literal('link'),
    name: z.string().min(1),
    description: z.string().optional(),
    framing: z.enum(FRAMINGS),
    bitrate_bps: positiveFigure,
    /** Largest UDP payload (DTLS datagram) the link carries. */
    mtu_bytes: wholeFigure(64, 65507),
    latency_ms: nonNegativeFigure,
    jitter_ms: nonNegativeFigure,
    loss: figureSchema.refine((f) => f.value >= 0 && f.value <= 1, { message: 'a probability in [0, 1]', path: ['value'] }),
    radio_current_mA: z
      .object({
        tx: nonNegativeFigure,
        /** Receiving or listening. */
        rx: nonNegativeFigure,
        /** Powered between frames (turnarounds, backoffs) but neither sending nor receiving. */
        idle: nonNegativeFigure,
        /** Off, between what the listen mode keeps it awake for. */
        sleep: nonNegativeFigure,
      })
      .strict(),
    /** The default listen mode; a scenario may override it (link.radio_listen). */
    radio_listen: z.enum(LISTEN_MODES),
    /**
     * Regulatory duty cycle per direction (ETSI EN 300 220 sub-bands): after a frame of airtime
     * T the sender may not transmit in that sub-band for T x (1 / duty_cycle - 1).
     */
    duty_cycle: z.object({ client_to_server: fractionFigure, server_to_client: fractionFigure }).strict().optional(),
    /**
     * LoRaWAN class A: the client is the end device; the server can reach it only in the two
     * receive windows after each of its uplinks (README "LoRa and LoRaWAN").
     */
    class_a: z
      .object({
        rx1_delay_ms: positiveFigure,
        rx2_delay_ms: positiveFigure,
        /** How long a window stays open when no downlink starts in it, in symbols. */
        rx_window_symbols: positiveFigure,
        /** Duty cycle of the sub-band RX2 uses (EU868: 869.525 MHz, 10 %). */
        rx2_duty_cycle: fractionFigure,
      })
      .strict()
      .optional(),
    /**
     * The link layer's own acknowledgements and retries (README "Link"): how a sender gets the
     * channel, whether it is on unless a scenario says otherwise, and its timing figures.
     */
    mac: z
      .object({
        access: z.enum(MAC_ACCESS),
        on_by_default: z.boolean(),
        timing: z.record(z.string(), nonNegativeFigure),
      })
      .strict()
      .optional(),
    /** Cellular: rates and latency per coverage class; the scenario picks one (link.coverage). */
    coverage: z
      .object({
        default: z.string().min(1),
        classes: z.record(z.string(), z.object({ uplink_bps: positiveFigure, downlink_bps: positiveFigure, latency_ms: nonNegativeFigure }).strict()),
      })
      .strict()
      .optional(),
    /** Header sizes and PHY parameters of the framing (present when framing is not 'none'). */
    frame: z.record(z.string(), nonNegativeFigure).optional(),
  })
  .strict();
export type LinkProfile = z.infer<typeof linkProfileSchema>;
