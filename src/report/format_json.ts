import type { Report } from './report_types.js';

/** Non-integers keep 6 significant digits: enough for any budget, and free of float noise. */
function round(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)) return Number(value.toPrecision(6));
  return value;
}

export function formatJson(report: Report): string {
  return JSON.stringify(report, round, 2) + '\n';
}
