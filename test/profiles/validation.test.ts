import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateValidation, validationMarkdown } from '../../src/validation/validation_table.js';

const rows = evaluateValidation();
const START = '<!-- validation-table:start -->';
const END = '<!-- validation-table:end -->';

describe('validation table (profiles/validation.yaml)', () => {
  it('holds both kinds of figure: calibration (used to build profiles) and validation (kept aside)', () => {
    expect(rows.filter((r) => r.use === 'calibration').length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.use === 'validation').length).toBeGreaterThan(5);
  });

  it('reproduces every calibration figure within its tolerance', () => {
    for (const r of rows.filter((x) => x.use === 'calibration')) {
      expect({ id: r.id, error: Math.abs(r.error) <= r.tolerance }).toEqual({ id: r.id, error: true });
    }
  });

  it('reproduces every validation figure within its stated tolerance of the span the profiles allow', () => {
    for (const r of rows.filter((x) => x.use === 'validation')) {
      expect({ id: r.id, within: r.error_vs_span <= r.tolerance }).toEqual({ id: r.id, within: true });
    }
  });

  it('the README shows the current table (regenerate with UPDATE_VALIDATION_TABLE=1 npx vitest run test/profiles/validation.test.ts)', () => {
    const readme = readFileSync('README.md', 'utf8');
    const [before, rest] = readme.split(START);
    const after = rest?.split(END)[1];
    expect(after).toBeDefined();
    const fresh = `${before}${START}\n${validationMarkdown(rows)}\n${END}${after}`;
    if (process.env.UPDATE_VALIDATION_TABLE) writeFileSync('README.md', fresh);
    expect(readme).toBe(fresh);
  });
});
