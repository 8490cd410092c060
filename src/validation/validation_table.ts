import { join } from 'node:path';
import { z } from 'zod';
import { COST_GROUPS } from '../device/cost_groups.js';
import { opPricer, type Engine } from '../device/pricing.js';
import { OP_IDS } from '../crypto/ops.js';
import { loadProfile, readYamlFile } from '../scenario/load_profile.js';
import { PROFILES_DIR } from '../scenario/package_root.js';
import { parseOrThrow } from '../scenario/zod_errors.js';

/** profiles/validation.yaml: published figures, each used to build a profile or kept aside to check it. */
const entrySchema = z
  .object({
    id: z.string().min(1),
    use: z.enum(['calibration', 'validation']),
    device: z.string().min(1),
    stack: z.string().min(1),
    engines: z.partialRecord(z.enum(COST_GROUPS), z.string()).optional(),
    ops: z.array(z.object({ op: z.enum(OP_IDS), bytes: z.number().int().min(0) }).strict()).min(1),
    published_ms: z.number().positive(),
    /** Largest relative error allowed against the span the profiles' ranges give. */
    tolerance: z.number().positive(),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .strict();
const tableSchema = z.object({ kind: z.literal('validation'), entries: z.array(entrySchema).min(1) }).strict();
export type ValidationEntry = z.infer<typeof entrySchema>;

export interface ValidationRow extends ValidationEntry {
  /** The model with every figure at its value. */
  predicted_ms: number;
  /** The model with every figure at the low and the high end of its range. */
  span_ms: [number, number];
  /** (predicted - published) / published. */
  error: number;
  /** Relative distance from the published figure to the span (0 inside it). */
  error_vs_span: number;
  engines_used: string[];
}

/** Every figure `{value, range}` moved to one end of its range. */
function atRangeEnd<T>(x: T, end: 0 | 1): T {
  if (x === null || typeof x !== 'object') return x;
  if (Array.isArray(x)) return x.map((v) => atRangeEnd(v, end)) as T;
  const o = x as Record<string, unknown>;
  if (typeof o.value === 'number' && Array.isArray(o.range)) return { ...o, value: (o.range as number[])[end] } as T;
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, atRangeEnd(v, end)])) as T;
}

export function loadValidationTable(): ValidationEntry[] {
  const file = join(PROFILES_DIR, 'validation.yaml');
  return parseOrThrow(tableSchema, readYamlFile(file, 'validation table'), `validation table ${file}`).entries;
}

/** Prices each entry's ops as a handshake would and compares with the published figure. */
export function evaluateValidation(entries: ValidationEntry[] = loadValidationTable()): ValidationRow[] {
  return entries.map((e) => {
    const device = loadProfile('device', e.device, PROFILES_DIR, `${e.id}.device`);
    const stack = loadProfile('stack', e.stack, PROFILES_DIR, `${e.id}.stack`);
    const engines = e.engines as Partial<Record<(typeof COST_GROUPS)[number], Engine>> | undefined;
    const total = (d: typeof device, s: typeof stack) => {
      const price = opPricer(d, s, engines ? { engines } : {});
      const priced = e.ops.map((o) => price(o));
      return { ms: priced.reduce((n, p) => n + p.time_ms, 0), engines: priced.map((p) => p.engine) };
    };
    const mid = total(device, stack);
    const a = total(atRangeEnd(device, 0), atRangeEnd(stack, 0)).ms;
    const b = total(atRangeEnd(device, 1), atRangeEnd(stack, 1)).ms;
    const [lo, hi] = [Math.min(a, b, mid.ms), Math.max(a, b, mid.ms)];
    const p = e.published_ms;
    return {
      ...e,
      predicted_ms: mid.ms,
      span_ms: [lo, hi],
      error: (mid.ms - p) / p,
      error_vs_span: p < lo ? (lo - p) / p : p > hi ? (p - hi) / p : 0,
      engines_used: [...new Set(mid.engines)],
    };
  });
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(3));
const pct = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} %`;

/** The README table: predicted vs published per device, with the error. */
export function validationMarkdown(rows: ValidationRow[]): string {
  const head = '| device | stack | ops | engine | use | published ms | predicted ms (span) | error | tolerance | source |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |';
  const sorted = [...rows].sort((x, y) => x.device.localeCompare(y.device) || x.id.localeCompare(y.id));
  const body = sorted.map(
    (r) =>
      `| ${r.device} | ${r.stack} | ${r.ops.map((o) => o.op).join(' + ')} | ${r.engines_used.join(', ')} | ${r.use} | ${fmt(r.published_ms)} | ${fmt(r.predicted_ms)} (${fmt(r.span_ms[0])}–${fmt(r.span_ms[1])}) | ${pct(r.error)} | ${(100 * r.tolerance).toFixed(0)} % | ${r.source} |`,
  );
  return [head, ...body].join('\n');
}
