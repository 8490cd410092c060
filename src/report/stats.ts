/** Summary statistics. Percentiles use the nearest-rank method: always an observed value. */

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function sortedCopy(xs: readonly number[]): number[] {
  return Float64Array.from(xs).sort() as unknown as number[];
}

export interface Distribution {
  mean: number | null;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

export function distribution(xs: readonly number[]): Distribution {
  const s = Array.from(sortedCopy(xs));
  return {
    mean: mean(xs),
    p50: percentile(s, 50),
    p90: percentile(s, 90),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    max: s.length ? s[s.length - 1]! : null,
  };
}

export function meanAndP95(xs: readonly number[]): { mean: number | null; p95: number | null } {
  return { mean: mean(xs), p95: percentile(Array.from(sortedCopy(xs)), 95) };
}
