import type { DirectionalLoss } from '../link/loss_model.js';
import type { FootprintReport } from '../memory/footprint.js';
import type { HeapSummary } from '../memory/heap_summary.js';
import type { PeakStack } from '../memory/peak_stack.js';
import type { Distribution } from './stats.js';

/** JSON report, schema "handshake-sim/report@1". README "Report (JSON)" documents every field. */
export const REPORT_SCHEMA = 'handshake-sim/report@1';

export interface MeanP95 {
  mean: number | null;
  p95: number | null;
}

export interface StateBreakdown_mJ {
  cpu_active: number | null;
  cpu_sleep: number | null;
  radio_tx: number | null;
  radio_rx: number | null;
  radio_idle: number | null;
  radio_sleep: number | null;
}

export interface FlightReport {
  index: number;
  from: 'client' | 'server';
  messages: string[];
  records: number;
  datagrams: number;
  bytes: number;
  frames: number;
  bytes_on_air: number;
}

export interface OpReport {
  endpoint: 'client' | 'server';
  op: string;
  count: number;
  engine: string;
  time_ms: number;
  energy_mJ: number;
}

/** One endpoint's stack memory: src/memory/heap_summary.ts and peak_stack.ts document each field. */
export type HeapReport = HeapSummary & PeakStack;

export interface EndpointReport {
  device: string;
  stack: string;
  /** Record buffer content lengths used (stack_options, else the stack's defaults). */
  in_content_len: number;
  out_content_len: number;
  /** The negotiated maximum fragment length (RFC 6066), or null when none was negotiated. */
  mfl: number | null;
  /** Record buffers shrink to the fragment length after the handshake. */
  variable_buffer_length: boolean;
  /** MBEDTLS_ECP_WINDOW_SIZE used (stack_options, else the stack's default); null for a stack without the setting. */
  ecp_window_size: number | null;
  ram_reserve_bytes: number;
  flash_reserve_bytes: number;
}

/** One direction's traffic per trial at three levels; `lossless` is a trial without loss. */
export interface TrafficReport {
  records: { mean: number | null; p95: number | null; lossless: number };
  datagrams: { mean: number | null; p95: number | null; lossless: number };
  datagram_bytes: { mean: number | null; p95: number | null; lossless: number };
  frames: { mean: number | null; p95: number | null; lossless: number };
  bytes_on_air: { mean: number | null; p95: number | null; lossless: number };
}

export interface VariantReport {
  name: string;
  protocol: string;
  auth: string;
  cipher_suite: string;
  client: EndpointReport;
  server: EndpointReport;
  link: {
    profile: string;
    /** The loss process per direction, as resolved from the scenario. */
    loss: DirectionalLoss;
    /** Long-run fraction of frames lost, per direction. */
    mean_frame_loss: { client_to_server: number; server_to_client: number };
    latency_ms: number;
    jitter_ms: number;
    bitrate_bps: number;
    mtu_bytes: number;
    /** How the radios listen: always-on, or duty-cycled (README "Energy"). */
    radio_listen: 'always-on' | 'duty-cycled';
    /** Fraction of time each direction's sender may transmit (1: no limit). */
    duty_cycle: { client_to_server: number; server_to_client: number };
    /** The link's own acknowledgements and retries: null when off, else how it gets the channel and how often it retries. */
    mac: { access: string; max_frame_retries: number | null; connection_interval_ms: number | null } | null;
    /** BLE Data Length Extension (null: not BLE). */
    data_length_extension: boolean | null;
    /** Cellular coverage class (null: not cellular). */
    coverage: string | null;
  };
  timers: {
    client: { initial_ms: number; max_ms: number; give_up_ms: number | null; gives_up_at_capped_expiry: boolean };
    server: { initial_ms: number; max_ms: number; gives_up_at_capped_expiry: boolean };
  };
  trials: number;
  success_rate: number;
  /** Handshake completion time of the successful trials. */
  time_ms: Distribution;
  energy_mAh: { client: MeanP95; server: MeanP95 };
  energy_mJ: { client: MeanP95; server: MeanP95 };
  /** Mean energy per state over all trials. */
  energy_breakdown_mJ: { client: StateBreakdown_mJ; server: StateBreakdown_mJ };
  supply_V: { client: number; server: number };
  bytes_on_air: { mean: number | null; p95: number | null; lossless: number };
  datagrams: { mean: number | null; p95: number | null; lossless: number };
  frames: { mean: number | null; p95: number | null; lossless: number };
  /** Per direction: DTLS records, datagrams and link frames sent, every retransmission included. */
  traffic: { client_to_server: TrafficReport; server_to_client: TrafficReport };
  retransmissions: MeanP95;
  /** CPU time of the handshake's crypto on each endpoint (lossless run). */
  crypto_time_ms: { client: number; server: number };
  peak_heap_bytes: { client: number; server: number };
  heap: { client: HeapReport; server: HeapReport };
  /** Estimated code size of each endpoint's stack for the features this variant uses. */
  footprint: { client: FootprintReport; server: FootprintReport };
  /** Things the engineer should know, e.g. the heap plus ram_reserve_bytes not fitting the device's RAM. */
  warnings: string[];
  flights: FlightReport[];
  ops: OpReport[];
  /** Present when the scenario asks for resumptions: null otherwise. */
  resumption: ResumptionReport | null;
}

/** A full handshake followed by `count` resumptions of its session. */
export interface ResumptionReport {
  mode: 'session_id' | 'ticket';
  count: number;
  /** One abbreviated handshake, over every trial and every resumption. */
  success_rate: number;
  time_ms: Distribution;
  energy_mJ: { client: MeanP95; server: MeanP95 };
  bytes_on_air: { mean: number | null; p95: number | null; lossless: number };
  retransmissions: MeanP95;
  crypto_time_ms: { client: number; server: number };
  flights: FlightReport[];
  ops: OpReport[];
  /** Per trial, the full handshake plus its resumptions; time counts trials where all completed. */
  total: { success_rate: number; time_ms: Distribution; energy_mJ: { client: MeanP95; server: MeanP95 } };
}

export interface BudgetRow {
  variant: string;
  metric: string;
  limit: number;
  value: number | null;
  pass: boolean;
}

export interface Report {
  schema: typeof REPORT_SCHEMA;
  tool: { name: 'handshake-sim'; version: string };
  scenario: string;
  seed: number;
  trials: number;
  variants: VariantReport[];
  budgets: BudgetRow[];
}
