/**
 * Errors the CLI turns into exit codes (README "Exit codes"). Anything else is an internal
 * fault (exit 3).
 */

/** Bad input: a scenario, a profile or a flag. Exit 2. The message names field, value, expectation. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Renders a value for an error message: short, one line. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v); // NaN and Infinity too, which JSON would print as null
  let s: string;
  try {
    s = typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** A dotted path with array indices in brackets: variants[1].link.loss */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/** How far apart two strings are at their first differing character (a tie-breaker: p96 is nearer p95 than p90). */
function firstDifference(a: string, b: string): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return Math.abs(a.charCodeAt(i) - b.charCodeAt(i));
  return Math.abs(a.length - b.length);
}

/** The closest candidate within a distance that still looks like a typo, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD || (d === bestD && best !== undefined && firstDifference(word, c) < firstDifference(word, best))) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestD <= limit ? best : undefined;
}
