import type { z } from 'zod';
import { closest, formatPath, InputError, showValue } from './errors.js';

/* Reading zod's schema definitions to find the keys an object accepts, for "did you mean". */
type AnyDef = { type: string; [k: string]: unknown };
const defOf = (s: unknown): AnyDef | undefined => (s as { _zod?: { def?: AnyDef } })?._zod?.def;

function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes: unknown[] = [schema];
  for (const step of [...path, null]) {
    // Unwrap wrappers until we reach objects, arrays and records.
    const expanded: AnyDef[] = [];
    const queue = [...nodes];
    while (queue.length > 0) {
      const d = defOf(queue.shift());
      if (!d) continue;
      if (['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional'].includes(d.type)) queue.push(d.innerType);
      else if (d.type === 'pipe') queue.push(d.in);
      else if (d.type === 'union') queue.push(...(d.options as unknown[]));
      else if (d.type === 'lazy') queue.push((d.getter as () => unknown)());
      else expanded.push(d);
    }
    if (step === null) {
      return [...new Set(expanded.flatMap((d) => (d.type === 'object' ? Object.keys(d.shape as object) : [])))];
    }
    nodes = expanded.flatMap((d) => {
      if (d.type === 'object') return [(d.shape as Record<string, unknown>)[String(step)]];
      if (d.type === 'array') return [d.element];
      if (d.type === 'record') return [d.valueType];
      return [];
    });
  }
  return [];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** A union branch that failed only because the value is of another type: not what the user meant. */
const wrongType = (errs: z.core.$ZodIssue[]): boolean =>
  errs.every(
    (e) => e.path.length === 0 && (e.code === 'invalid_type' || (e.code === 'invalid_union' && e.errors.every(wrongType))),
  );

/** How many problems an issue stands for, looking into nested unions (their closest branch). */
function leafCount(issue: z.core.$ZodIssue): number {
  if (issue.code === 'unrecognized_keys') return issue.keys.length;
  if (issue.code !== 'invalid_union') return 1;
  const relevant = issue.errors.filter((errs) => !wrongType(errs));
  if (relevant.length === 0) return 1;
  return Math.min(...relevant.map((errs) => errs.reduce((n, e) => n + leafCount(e), 0)));
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodType): string[] {
  const where = formatPath(issue.path);
  const got = valueAt(input, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(schema, issue.path);
      return issue.keys.map((k) => {
        const hint = closest(k, known);
        const p = formatPath([...issue.path, k]);
        return `${p}: unknown key ${JSON.stringify(k)}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''} (known keys here: ${known.join(', ')})`;
      });
    }
    case 'invalid_type':
      if (got === undefined) return [`${where}: missing; expected ${issue.expected}`];
      return [`${where}: got ${showValue(got)}, expected ${issue.expected}`];
    case 'invalid_value': {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof got === 'string' ? closest(got, issue.values.map(String)) : undefined;
      return [`${where}: got ${showValue(got)}, expected one of ${allowed.join(', ')}${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`];
    }
    case 'too_small':
      return [`${where}: got ${showValue(got)}, expected ${issue.origin === 'string' || issue.origin === 'array' ? 'length ' : ''}${issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}`];
    case 'too_big':
      return [`${where}: got ${showValue(got)}, expected ${issue.origin === 'string' || issue.origin === 'array' ? 'length ' : ''}${issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}`];
    case 'invalid_union': {
      // Keep the branches that got past the type check: the user meant one of those.
      const relevant = issue.errors.filter((errs) => !wrongType(errs));
      const branches = issue.errors.map((errs) => errs.map((e) => ({ ...e, path: [...issue.path, ...e.path] }) as z.core.$ZodIssue));
      if (relevant.length > 0) {
        const weight = (errs: z.core.$ZodIssue[]) => errs.reduce((n, e) => n + leafCount(e), 0);
        const best = relevant.reduce((a, b) => (weight(b) < weight(a) ? b : a));
        return best.map((e) => ({ ...e, path: [...issue.path, ...e.path] }) as z.core.$ZodIssue).flatMap((e) => describeIssue(e, input, schema));
      }
      const expectedTypes = (errs: z.core.$ZodIssue[]): string[] =>
        errs.flatMap((e) => (e.code === 'invalid_type' ? [e.expected] : e.code === 'invalid_union' ? e.errors.flatMap(expectedTypes) : []));
      const expected = [...new Set(branches.flatMap(expectedTypes))];
      return [`${where}: ${got === undefined ? 'missing' : `got ${showValue(got)}`}, expected ${expected.join(' or ')}`];
    }
    default:
      return [`${where}: got ${showValue(got)}: ${issue.message}`];
  }
}

/** Parses or throws an InputError listing every problem with its field path. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.flatMap((i) => describeIssue(i, input, schema));
  throw new InputError(`${what} is invalid:\n${lines.map((l) => `  - ${l}`).join('\n')}`);
}
