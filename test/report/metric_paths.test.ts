import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { evaluateBudgets, METRIC_PATHS, metricValue } from '../../src/report/budgets.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

/** Dotted paths of every number (or null) in an object, outside arrays. */
function numericLeaves(x: unknown, prefix = ''): string[] {
  if (x === null || typeof x === 'number') return [prefix];
  if (typeof x !== 'object' || Array.isArray(x)) return [];
  return Object.entries(x as Record<string, unknown>).flatMap(([k, v]) => numericLeaves(v, prefix ? `${prefix}.${k}` : k));
}

describe('budget metric paths', () => {
  // With resumption, so the resumption section's numbers are in the report too.
  const scenario = loadScenario(tempScenario(MINIMAL_SCENARIO + 'resumption: { mode: ticket, count: 2 }\n'));
  const report = simulateVariant(scenario.variants[0]!, scenario.seed, 50);

  it('lists exactly the per-trial and per-variant numbers of a real report (no drift)', () => {
    const leaves = numericLeaves(report).filter(
      // Scenario inputs echoed back are not results, and at_peak labels vary with the stack.
      (p) => !/^(link|timers|supply_V|trials|client|server)\b/.test(p) && !p.includes('.at_peak.') && !p.endsWith('.peak_step') && !p.endsWith('.peak_stack_op'),
    );
    expect([...leaves].sort()).toEqual([...METRIC_PATHS].sort());
  });

  it('reads the value a path names and compares against upper limits (success_rate: lower)', () => {
    expect(metricValue(report, 'peak_heap_bytes.client')).toBe(report.peak_heap_bytes.client);
    expect(metricValue(report, 'time_ms.p95')).toBe(report.time_ms.p95);
    const rows = evaluateBudgets([report], [
      { metric: 'peak_heap_bytes.client', limit: report.peak_heap_bytes.client },
      { metric: 'peak_heap_bytes.client', limit: report.peak_heap_bytes.client - 1 },
      { metric: 'success_rate', limit: 1.01 },
      { metric: 'success_rate', limit: 0 },
    ]);
    expect(rows.map((r) => r.pass)).toEqual([true, false, false, true]);
  });
});
