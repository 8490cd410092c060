import { closest, InputError } from '../scenario/errors.js';
import type { BudgetRow, VariantReport } from './report_types.js';

const dist = ['mean', 'p50', 'p90', 'p95', 'p99', 'max'];
const meanP95 = ['mean', 'p95'];
const states = ['cpu_active', 'cpu_sleep', 'radio_tx', 'radio_rx', 'radio_idle', 'radio_sleep'];
const ends = ['client', 'server'];
const under = (prefix: string, leaves: string[]) => leaves.map((l) => `${prefix}.${l}`);

/**
 * Every numeric field of a variant report a budget may name (dotted paths). A test checks this
 * list against the numeric leaves of a real report, so the two cannot drift apart.
 */
export const METRIC_PATHS: readonly string[] = [
  'success_rate',
  ...under('time_ms', dist),
  ...ends.flatMap((e) => under(`energy_mAh.${e}`, meanP95)),
  ...ends.flatMap((e) => under(`energy_mJ.${e}`, meanP95)),
  ...ends.flatMap((e) => under(`energy_breakdown_mJ.${e}`, states)),
  ...under('bytes_on_air', [...meanP95, 'lossless']),
  ...under('datagrams', [...meanP95, 'lossless']),
  ...under('frames', [...meanP95, 'lossless']),
  ...['client_to_server', 'server_to_client'].flatMap((dir) =>
    ['records', 'datagrams', 'datagram_bytes', 'frames', 'bytes_on_air'].flatMap((lvl) => under(`traffic.${dir}.${lvl}`, [...meanP95, 'lossless'])),
  ),
  ...under('retransmissions', meanP95),
  ...under('crypto_time_ms', ends),
  ...under('peak_heap_bytes', ends),
  ...ends.flatMap((e) => under(`heap.${e}`, ['peak_heap_bytes', 'steady_state_heap_bytes', 'shared_bytes', 'peak_stack_bytes'])),
  ...ends.map((e) => `footprint.${e}.flash_bytes`),
  // Scenarios with `resumption`: one resumed handshake, and the full handshake plus all resumptions.
  'resumption.count',
  'resumption.success_rate',
  ...under('resumption.time_ms', dist),
  ...ends.flatMap((e) => under(`resumption.energy_mJ.${e}`, meanP95)),
  ...under('resumption.bytes_on_air', [...meanP95, 'lossless']),
  ...under('resumption.retransmissions', meanP95),
  ...under('resumption.crypto_time_ms', ends),
  'resumption.total.success_rate',
  ...under('resumption.total.time_ms', dist),
  ...ends.flatMap((e) => under(`resumption.total.energy_mJ.${e}`, meanP95)),
];

/** Budgets are upper limits, except success_rate, which is a lower limit. */
export const LOWER_LIMIT_METRICS = new Set(['success_rate', 'resumption.success_rate', 'resumption.total.success_rate']);

export function validateBudgetMetrics(budgets: { metric: string }[]): void {
  for (const b of budgets) {
    if (!METRIC_PATHS.includes(b.metric)) {
      const hint = closest(b.metric, METRIC_PATHS);
      throw new InputError(
        `budgets: unknown metric ${JSON.stringify(b.metric)}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''} (metrics: ${METRIC_PATHS.join(', ')})`,
      );
    }
  }
}

export function metricValue(v: VariantReport, path: string): number | null {
  let x: unknown = v;
  for (const k of path.split('.')) x = x !== null && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined;
  return typeof x === 'number' ? x : null;
}

/** One row per (variant, budget). A metric with no value (no successful trial) fails. */
export function evaluateBudgets(variants: VariantReport[], budgets: { metric: string; limit: number }[]): BudgetRow[] {
  return variants.flatMap((v) =>
    budgets.map((b) => {
      const value = metricValue(v, b.metric);
      const pass = value !== null && (LOWER_LIMIT_METRICS.has(b.metric) ? value >= b.limit : value <= b.limit);
      return { variant: v.name, metric: b.metric, limit: b.limit, value, pass };
    }),
  );
}
