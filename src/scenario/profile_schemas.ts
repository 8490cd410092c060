import { z } from 'zod';
import { WIRE_PRESET_NAMES } from '../protocol/dtls12/wire_presets.js';
import { figureSchema, nonNegativeFigure, positiveFigure, wholeFigure } from './figure.js';
import { COST_GROUPS } from '../device/cost_groups.js';

/**
 * Profiles are YAML files under profiles/{devices,stacks,links}/. Hardware and software are
 * separate axes: a device says what the silicon does (clock, currents, memory); a stack says
 * what the library does with it (cycles per op per core family, timers, memory, wire shape);
 * a link says what the medium does (bitrate, framing, loss, radio currents).
 */

/** A profile id: what scenarios name a shipped profile by (its file name). */
export const profileIdSchema = z.string().regex(/^[a-z0-9][a-z0-9.+_-]*$/, 'lower-case letters, digits, ".", "+", "_" or "-"');
const id = profileIdSchema;

/** Core families a stack's cycle table is keyed by. */
export const CORE_FAMILIES = ['cortex-m3', 'cortex-m4', 'cortex-m33', 'xtensa-lx6', 'x86-64'] as const;
export const coreFamilySchema = z.enum(CORE_FAMILIES);
export type CoreFamily = z.infer<typeof coreFamilySchema>;

/** Where the CPU is while an accelerator works: spinning on a status flag, or halted until its interrupt. */
export const cpuDuringOpSchema = z.enum(['busy_waits', 'sleeps']);
export type CpuDuringOp = z.infer<typeof cpuDuringOpSchema>;

/** The figures one cost group has on an engine; at least one part. */
const groupCostSchema = z
  .object({ per_call: nonNegativeFigure.optional(), per_byte: nonNegativeFigure.optional() })
  .strict()
  .refine((c) => c.per_call !== undefined || c.per_byte !== undefined, { message: 'give per_call, per_byte or both' });

/**
 * An on-chip crypto engine. Its costs are cycles of its clock (the core clock unless it has its
 * own) or fixed microseconds; nothing assumes it is faster than software: the figures decide.
 */
export const acceleratorSchema = z
  .object({
    name: z.string().min(1),
    /** `cycles`: of clock_MHz (default: the core clock), so they scale with it; `us`: fixed time. */
    cost_unit: z.enum(['cycles', 'us']),
    clock_MHz: positiveFigure.optional(),
    /** Whether the CPU polls the engine (active current) or sleeps until it is done (wait current). */
    cpu_during_op: cpuDuringOpSchema,
    cpu_during_op_source: z.string().min(1),
    /** Current the engine adds to the CPU's (active or wait) while it runs. */
    current_mA: nonNegativeFigure,
    /** Cost per group it can run; a stack routes groups here in its `routes`. */
    ops: z.partialRecord(z.enum(COST_GROUPS), groupCostSchema),
  })
  .strict();
export type Accelerator = z.infer<typeof acceleratorSchema>;

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
        /** CPU halted (WFI) with clocks and peripherals running: while an accelerator or a bus transfer works. */
        wait: nonNegativeFigure.optional(),
      })
      .strict(),
    ram_bytes: nonNegativeFigure,
    flash_bytes: nonNegativeFigure,
    /** On-chip crypto engines by name (`pka`, `cc310`, ...); a stack's routes decide what runs on them. */
    accelerators: z.record(z.string().regex(/^[a-z0-9_-]+$/, 'lower-case letters, digits, "_" or "-"'), acceleratorSchema).optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    for (const [name, a] of Object.entries(d.accelerators ?? {})) {
      if (a.cpu_during_op === 'sleeps' && d.current_mA.wait === undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['accelerators', name, 'cpu_during_op'],
          message: 'the CPU sleeps while this accelerator works, so the device needs current_mA.wait',
        });
    }
  });
export type DeviceProfile = z.infer<typeof deviceProfileSchema>;

export const CLOCK_DIVIDER_MODES = ['m0', 'm1', 'm2'] as const;
export type ClockDividerMode = (typeof CLOCK_DIVIDER_MODES)[number];

/** One command the host sends the secure element, and how its execution time is looked up. */
const seCommandSchema = z
  .object({
    /** The device's command (Nonce, Sign, ...): a key of execution_ms.<mode>. */
    command: z.string().min(1),
    /** Command packet: count, opcode, param1, param2, data, CRC (not the I2C address or word address). */
    tx_bytes: wholeFigure(1, 255),
    /** Response packet: count, data or status, CRC. */
    rx_bytes: wholeFigure(1, 255),
    /** Runs the ECC engine (draws current_mA.ecc_active) rather than only I/O and SHA logic. */
    ecc: z.boolean(),
  })
  .strict();

/**
 * A secure element on a bus next to a host device (profiles/devices/, kind secure_element). The
 * host observes wake-up, every command's transfers, its execution and the polling that waits
 * for it (src/device/secure_element.ts), not just the datasheet's execution time.
 */
export const secureElementProfileSchema = z
  .object({
    id,
    kind: z.literal('secure_element'),
    name: z.string().min(1),
    description: z.string().optional(),
    bus: z
      .object({
        kind: z.literal('i2c'),
        clock_kHz: positiveFigure,
        max_clock_kHz: positiveFigure,
        /** The clock the host drops to for the wake pulse. */
        wake_clock_kHz: positiveFigure,
        /** Clock cycles per byte on the bus: 8 data bits and the ACK bit. */
        clocks_per_byte: positiveFigure,
      })
      .strict(),
    wake: z
      .object({
        /** Bytes the host writes at the wake clock to hold SDA low (address 0x00 and one byte). */
        pulse_bytes: wholeFigure(1, 16),
        /** Wait after the pulse before talking to the device (tWHI). */
        delay_us: nonNegativeFigure,
        /** Bytes read to check the wake token: the address byte and the 4-byte response. */
        response_bytes: wholeFigure(1, 16),
      })
      .strict(),
    /** Bytes on the bus besides the packets: the address byte of every transfer, word-address bytes. */
    framing: z
      .object({
        /** Per command: address + word address 0x03 before the packet. */
        send_overhead_bytes: wholeFigure(0, 16),
        /** Per response: address + word address 0x00, address + count byte, address before the rest. */
        receive_overhead_bytes: wholeFigure(0, 16),
        /** Per command: the idle command after the response (address + 0x02). */
        idle_bytes: wholeFigure(0, 16),
      })
      .strict(),
    polling: z
      .object({
        /** `polling`: first read after initial_ms, then every period_ms; `no_poll`: wait the execution time once. */
        mode: z.enum(['polling', 'no_poll']),
        initial_ms: nonNegativeFigure,
        period_ms: positiveFigure,
        source: z.string().min(1),
      })
      .strict(),
    /** While a command executes, the host sleeps between polls or spins in its delay loop. */
    host_cpu_during_wait: cpuDuringOpSchema,
    host_cpu_during_wait_source: z.string().min(1),
    clock_divider: z.enum(CLOCK_DIVIDER_MODES),
    /** Command execution times per clock-divider mode. */
    execution_ms: z.partialRecord(z.enum(CLOCK_DIVIDER_MODES), z.record(z.string(), nonNegativeFigure)),
    current_mA: z
      .object({
        ecc_active: z.partialRecord(z.enum(CLOCK_DIVIDER_MODES), nonNegativeFigure),
        /** During I/O and non-ECC commands. */
        io: nonNegativeFigure,
        /** Between commands: CryptoAuthLib puts the device in idle after each one. */
        idle: nonNegativeFigure,
        sleep: nonNegativeFigure,
      })
      .strict(),
    /** The command sequence for each cost group the element can run. */
    ops: z.partialRecord(z.enum(COST_GROUPS), z.array(seCommandSchema).min(1)),
  })
  .strict()
  .superRefine((se, ctx) => {
    const modeTimes = se.execution_ms[se.clock_divider];
    if (!modeTimes) {
      ctx.addIssue({ code: 'custom', path: ['execution_ms'], message: `no execution times for the clock_divider ${se.clock_divider}` });
      return;
    }
    for (const [group, steps] of Object.entries(se.ops)) {
      (steps ?? []).forEach((step, i) => {
        for (const mode of CLOCK_DIVIDER_MODES) {
          const times = se.execution_ms[mode];
          if (times && times[step.command] === undefined)
            ctx.addIssue({ code: 'custom', path: ['ops', group, i, 'command'], message: `execution_ms.${mode} has no ${step.command}` });
        }
      });
    }
  });
export type SecureElementProfile = z.infer<typeof secureElementProfileSchema>;

/**
 * Cycle costs of the primitives the op vocabulary is priced from (src/device/op_work.ts).
 * Composite ops (HMAC, PRF, HKDF) are priced from these, never listed separately. Every figure
 * is optional: where nothing is published a stack leaves it out, and a handshake that needs
 * it is refused with a message naming the figure.
 */
export const cycleTableSchema = z
  .object({
    'sha256.cycles_per_byte': nonNegativeFigure.optional(),
    /** Per finished digest: the final padded block plus the call's fixed work. */
    'sha256.finish_cycles': nonNegativeFigure.optional(),
    'aes128_ccm.cycles_per_byte': nonNegativeFigure.optional(),
    /** Per CCM call: B0 and counter-0 blocks, AAD block. */
    'aes128_ccm.setup_cycles': nonNegativeFigure.optional(),
    'aes128_gcm.cycles_per_byte': nonNegativeFigure.optional(),
    /** Per GCM call: the counter-0 block for the tag, the AAD's GHASH block, the length block. */
    'aes128_gcm.setup_cycles': nonNegativeFigure.optional(),
    'rng.cycles_per_byte': nonNegativeFigure.optional(),
    'aes128_cbc.cycles_per_byte': nonNegativeFigure.optional(),
    /** One 16-byte block through the AES-128 block cipher. */
    'aes128.block_cycles': nonNegativeFigure.optional(),
    'chacha20_poly1305.cycles_per_byte': nonNegativeFigure.optional(),
    'chacha20_poly1305.setup_cycles': nonNegativeFigure.optional(),
    /** Public-key operations, whole-op cycles. */
    'p256.keygen_cycles': nonNegativeFigure.optional(),
    'p256.ecdh_cycles': nonNegativeFigure.optional(),
    'p256.ecdsa_sign_cycles': nonNegativeFigure.optional(),
    'p256.ecdsa_verify_cycles': nonNegativeFigure.optional(),
    'x25519.keygen_cycles': nonNegativeFigure.optional(),
    'x25519.ecdh_cycles': nonNegativeFigure.optional(),
    'ed25519.sign_cycles': nonNegativeFigure.optional(),
    'ed25519.verify_cycles': nonNegativeFigure.optional(),
    'rsa2048.private_cycles': nonNegativeFigure.optional(),
    'rsa2048.public_cycles': nonNegativeFigure.optional(),
    'x509.parse_cycles_per_cert': nonNegativeFigure.optional(),
    'x509.parse_cycles_per_byte': nonNegativeFigure.optional(),
    /** Encoding or decoding one DER Ecdsa-Sig-Value. */
    'der.ecdsa_sig_cycles': nonNegativeFigure.optional(),
  })
  .strict();
export type CycleTable = z.infer<typeof cycleTableSchema>;
export type CycleCostId = keyof CycleTable;

/**
 * Which cost groups a stack hands to which accelerator, per device id: the stack's driver
 * wiring (e.g. an `_ALT` implementation or a crypto callback), with where it is documented.
 */
export const routesSchema = z.record(
  id,
  z
    .object({
      source: z.string().min(1),
      note: z.string().optional(),
      groups: z.partialRecord(z.enum(COST_GROUPS), z.string().min(1)),
    })
    .strict(),
);
export type Routes = z.infer<typeof routesSchema>;

/** A build-time behaviour of the stack, on or off, with where it is documented. */
const switchSchema = z.object({ enabled: z.boolean(), source: z.string().min(1) }).strict();

/** Key types a certificate or raw public key carries here. */
const keyKindFigures = z.partialRecord(z.enum(['p256', 'rsa2048']), nonNegativeFigure);
/** ECDHE groups. */
const curveFigures = z.partialRecord(z.enum(['p256', 'x25519']), nonNegativeFigure);

/**
 * What the stack allocates, event by event (src/memory/stack_memory.ts). The first block is
 * required; the rest is optional: where a stack has no figure the allocation is left out and
 * the report lists it under `heap.*.not_modelled`, so the peak is then a lower bound.
 */
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
    /** The running transcript hashes; a part of handshake_params_bytes, labelled apart. */
    transcript_hash_bytes: nonNegativeFigure.optional(),
    /** Per message kept for retransmission, besides the message's own bytes. */
    flight_item_bytes: nonNegativeFigure.optional(),
    /** A fragmented handshake message is reassembled in header + body + one bit per body byte. */
    reassembly: z.object({ rule: z.literal('header_body_bitmap'), source: z.string().min(1) }).strict().optional(),
    /** A parsed X.509 certificate's structure; its DER copy and public key are added. */
    x509_crt_bytes: nonNegativeFigure.optional(),
    /** Each name attribute after the first of an issuer or subject name (a linked list entry). */
    x509_name_entry_bytes: nonNegativeFigure.optional(),
    /** A parsed public key (context and numbers), per key type. */
    public_key_bytes: keyKindFigures.optional(),
    /** A parsed private key (context and numbers), per key type. */
    private_key_bytes: keyKindFigures.optional(),
    /** The ephemeral ECDHE key pair, kept until the handshake ends. */
    ecdhe_key_bytes: curveFigures.optional(),
    /** The peer's ECDHE point and the shared secret, kept until the handshake ends. */
    ecdh_result_bytes: curveFigures.optional(),
    /** Working memory of one scalar multiplication (key generation, ECDH, ECDSA), freed after it. */
    ecc_working_bytes: curveFigures.optional(),
    /** Working memory of one RSA-2048 operation. */
    rsa_working_bytes: z.partialRecord(z.enum(['public', 'private']), nonNegativeFigure).optional(),
    /** A server's session cache entry (session ID resumption). */
    session_cache_entry_bytes: nonNegativeFigure.optional(),
    /** The peer's certificate chain stays with the session after the handshake. */
    keeps_peer_certificate: switchSchema.optional(),
    /** Record buffers shrink to the negotiated max_fragment_length after the handshake. */
    variable_buffer_length: switchSchema.optional(),
  })
  .strict();
export type MemoryModel = z.infer<typeof memoryModelSchema>;

/**
 * Code size (flash) of the stack for the enabled features, from published build sizes: a
 * build with one key exchange, AES-128-GCM and SHA-256 for TLS 1.2, then what DTLS, another
 * record protection, RSA, X.509 and other groups add or remove (src/memory/footprint.ts).
 */
export const footprintSchema = z
  .object({
    key_exchange_bytes: z.partialRecord(z.enum(['psk', 'ecdhe_psk', 'ecdhe_ecdsa', 'ecdhe_rsa']), nonNegativeFigure),
    /** Change when the suite's record protection replaces AES-GCM (negative: smaller); aes128_gcm is 0. */
    record_protection_bytes: z.partialRecord(z.enum(['aes128_gcm', 'aes128_ccm', 'aes128_cbc']), figureSchema),
    /** DTLS on top of TLS: retransmission, reassembly, replay window, cookies. */
    dtls_bytes: nonNegativeFigure,
    /** X.509 parsing and verification, which a raw-public-key build leaves out. */
    x509_bytes: nonNegativeFigure.optional(),
    /** RSA, when any certificate in the handshake carries an RSA key. */
    rsa_bytes: nonNegativeFigure.optional(),
    /** Curve25519, when it is the ECDHE group. */
    x25519_bytes: nonNegativeFigure.optional(),
  })
  .strict();
export type FootprintModel = z.infer<typeof footprintSchema>;

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

/** What the stack sends by default (the start of its wire shape). */
export const wireSchema = z
  .object({
    /** Offers / accepts the extended master secret (RFC 7627). */
    extended_master_secret: switchSchema,
    /** Offers / accepts encrypt-then-MAC for CBC suites (RFC 7366). */
    encrypt_then_mac: switchSchema,
    /** The ClientHello and datagram shape (src/protocol/dtls12/wire_presets.ts), and why this stack has it. */
    preset: z.object({ name: z.enum(WIRE_PRESET_NAMES), source: z.string().min(1) }).strict(),
  })
  .strict();

/** The MBEDTLS_ECP_WINDOW_SIZE values with published figures (Mbed TLS accepts 2 to 7; 7 has none). */
export const ECP_WINDOW_SIZES = ['2', '3', '4', '5', '6'] as const;

/**
 * Mbed TLS's ECP window (MBEDTLS_ECP_WINDOW_SIZE): its default, and for every size what it does
 * to a software P-256 operation relative to the default (src/device/ecp_window.ts applies it).
 * The profile's cycles and ecc_working_bytes are figures at the default, so its factors must be 1.
 */
export const ecpWindowSchema = z
  .object({
    default_size: wholeFigure(2, 6),
    sizes: z.record(
      z.enum(ECP_WINDOW_SIZES),
      z.object({ time_factor: positiveFigure, heap_factor: positiveFigure }).strict(),
    ),
  })
  .strict()
  .superRefine((w, ctx) => {
    const size = String(w.default_size.value) as (typeof ECP_WINDOW_SIZES)[number];
    const atDefault = w.sizes[size];
    for (const factor of ['time_factor', 'heap_factor'] as const)
      if (atDefault && atDefault[factor].value !== 1)
        ctx.addIssue({ code: 'custom', path: ['sizes', size, factor, 'value'], message: `must be 1 at the default size ${size}: the profile's figures are taken at the default` });
  });
export type EcpWindow = z.infer<typeof ecpWindowSchema>;

export const stackProfileSchema = z
  .object({
    id,
    kind: z.literal('stack'),
    name: z.string().min(1),
    version: z.string().min(1),
    description: z.string().optional(),
    cycles: z.partialRecord(coreFamilySchema, cycleTableSchema),
    /** Groups the stack runs on a device's accelerators; everything else runs in software. */
    routes: routesSchema.optional(),
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
    footprint: footprintSchema.optional(),
    /** The ECP window setting, for stacks that have one (Mbed TLS); scenarios may then pick a size. */
    ecp_window: ecpWindowSchema.optional(),
    /** Peak stack (call stack, not heap) of an op, where published; the report takes the largest. */
    stack_bytes: z.partialRecord(z.enum(COST_GROUPS), nonNegativeFigure).optional(),
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
