import type { EndpointRole } from '../crypto/ops.js';
import type { OpMeter } from '../crypto/meter.js';
import type { MemoryEvent } from '../protocol/dtls12/endpoint.js';
import type { MemoryModel } from '../scenario/profile_schemas.js';
import type { MemoryRecord } from '../transcript/types.js';

/** Buffer content lengths a scenario may set for an endpoint (MBEDTLS_SSL_IN/OUT_CONTENT_LEN). */
export interface BufferSizes {
  in_content_len: number;
  out_content_len: number;
}

/**
 * Turns the engine's lifecycle points into the allocations an mbedTLS-like stack makes:
 * context, config, DRBG and both record buffers at setup; the handshake parameters for the
 * length of the handshake; the session's keys once derived. Sizes come from the stack profile.
 */
export function stackMemoryRecorder(
  endpoint: EndpointRole,
  model: MemoryModel,
  buffers: BufferSizes,
  meter: OpMeter,
  out: MemoryRecord[],
): (event: MemoryEvent) => void {
  const record = (label: string, bytes: number) => out.push({ endpoint, step: meter.step, label, bytes });
  const overhead = model.buffer_overhead_bytes.value;
  return (event) => {
    switch (event) {
      case 'endpoint_init':
        record('ssl_context', model.ssl_context_bytes.value);
        record('ssl_config', model.ssl_config_bytes.value);
        record('drbg_context', model.drbg_context_bytes.value);
        record('in_record_buffer', buffers.in_content_len + overhead);
        record('out_record_buffer', buffers.out_content_len + overhead);
        return;
      case 'handshake_start':
        record('handshake_params', model.handshake_params_bytes.value);
        return;
      case 'keys_derived':
        record('session_keys', model.session_bytes.value);
        return;
      case 'handshake_done':
        record('handshake_params', -model.handshake_params_bytes.value);
        return;
    }
  };
}

export interface HeapSummary {
  peak_heap_bytes: number;
  /** The step (flight index) at which the peak was first reached. */
  peak_step: number;
  /** Live allocations by label at the peak. */
  at_peak: Record<string, number>;
  steady_state_heap_bytes: number;
}

export function summariseHeap(records: MemoryRecord[], endpoint: EndpointRole): HeapSummary {
  const live: Record<string, number> = {};
  let current = 0;
  let peak = 0;
  let peakStep = 0;
  let atPeak: Record<string, number> = {};
  for (const r of records) {
    if (r.endpoint !== endpoint) continue;
    live[r.label] = (live[r.label] ?? 0) + r.bytes;
    if (live[r.label] === 0) delete live[r.label];
    current += r.bytes;
    if (current > peak) {
      peak = current;
      peakStep = r.step;
      atPeak = { ...live };
    }
  }
  return { peak_heap_bytes: peak, peak_step: peakStep, at_peak: atPeak, steady_state_heap_bytes: current };
}
