import type { EndpointRole } from '../crypto/ops.js';
import type { MemoryRecord } from '../transcript/types.js';

export interface HeapSummary {
  /** Everything live at the worst moment: per-connection and shared allocations. */
  peak_heap_bytes: number;
  /** The step (flight index) at which the peak was first reached. */
  peak_step: number;
  /** Live allocations by label at the peak. */
  at_peak: Record<string, number>;
  /** Per-connection memory still live after the handshake (what one more session costs). */
  steady_state_heap_bytes: number;
  /** Held once for all connections (configuration, DRBG, credentials, session cache), live after the handshake. */
  shared_bytes: number;
  /** Allocations the stack profile has no figure for; the peak leaves them out. */
  not_modelled: string[];
  /** Every allocation (bytes > 0) and free (bytes < 0) in order. */
  timeline: { step: number; label: string; bytes: number }[];
}

export function summariseHeap(records: MemoryRecord[], endpoint: EndpointRole): HeapSummary {
  const live: Record<string, number> = {};
  let current = 0;
  let shared = 0;
  let peak = 0;
  let peakStep = 0;
  let atPeak: Record<string, number> = {};
  const notModelled: string[] = [];
  const timeline: HeapSummary['timeline'] = [];
  for (const r of records) {
    if (r.endpoint !== endpoint) continue;
    if (r.not_modelled) {
      notModelled.push(r.label);
      continue;
    }
    timeline.push({ step: r.step, label: r.label, bytes: r.bytes });
    live[r.label] = (live[r.label] ?? 0) + r.bytes;
    if (live[r.label] === 0) delete live[r.label];
    current += r.bytes;
    if (r.scope === 'shared') shared += r.bytes;
    if (current > peak) {
      peak = current;
      peakStep = r.step;
      atPeak = { ...live };
    }
  }
  return {
    peak_heap_bytes: peak,
    peak_step: peakStep,
    at_peak: atPeak,
    steady_state_heap_bytes: current - shared,
    shared_bytes: shared,
    not_modelled: notModelled,
    timeline,
  };
}
