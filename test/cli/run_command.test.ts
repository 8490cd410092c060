import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MINIMAL_SCENARIO, runCli, tempScenario } from '../helpers/cli.js';

describe('handshake-sim run', () => {
  const scenario = tempScenario(`${MINIMAL_SCENARIO}variants:\n  - name: cookie\n  - name: no-cookie\n    cookie: false\n`);

  it('gives byte-identical JSON for the same scenario and seed', () => {
    const a = runCli(['run', scenario, '--format', 'json']);
    const b = runCli(['run', scenario, '--format', 'json']);
    expect(a.status).toBe(0);
    expect(a.stdout.length).toBeGreaterThan(1000);
    expect(a.stdout).toBe(b.stdout);
  });

  it('gives different trials for another seed, and --seed/--trials override the scenario', () => {
    const a = JSON.parse(runCli(['run', scenario, '--format', 'json']).stdout);
    const b = JSON.parse(runCli(['run', scenario, '--format', 'json', '--seed', '8', '--trials', '300']).stdout);
    expect([a.seed, a.trials]).toEqual([7, 200]);
    expect([b.seed, b.trials, b.variants[0].trials]).toEqual([8, 300, 300]);
    expect(b.variants[0].time_ms).not.toEqual(a.variants[0].time_ms);
  });

  it('prints a report with the documented shape', () => {
    const r = JSON.parse(runCli(['run', scenario, '--format', 'json']).stdout);
    expect(r).toMatchObject({ schema: 'handshake-sim/report@1', scenario: 'minimal', seed: 7, trials: 200, budgets: [] });
    expect(r.variants.map((v: { name: string }) => v.name)).toEqual(['cookie', 'no-cookie']);
    const v = r.variants[0];
    for (const key of ['mean', 'p50', 'p90', 'p95', 'p99', 'max']) expect(typeof v.time_ms[key]).toBe('number');
    expect(v).toMatchObject({ protocol: 'dtls1.2', auth: 'psk', cipher_suite: 'TLS_PSK_WITH_AES_128_CCM_8' });
    expect(Object.keys(v.energy_mAh)).toEqual(['client', 'server']);
    expect(Object.keys(v.energy_mAh.client)).toEqual(['mean', 'p95']);
    expect(Object.keys(v.bytes_on_air)).toEqual(['mean', 'p95', 'lossless']);
    expect(Object.keys(v.retransmissions)).toEqual(['mean', 'p95']);
    expect(Object.keys(v.peak_heap_bytes)).toEqual(['client', 'server']);
    expect(v.flights.map((f: { from: string }) => f.from)).toEqual(['client', 'server', 'client', 'server', 'client', 'server']);
    expect(Object.keys(v.flights[0])).toEqual(expect.arrayContaining(['index', 'from', 'messages', 'records', 'datagrams', 'bytes']));
    expect(Object.keys(v.ops[0])).toEqual(['endpoint', 'op', 'count', 'engine', 'time_ms', 'energy_mJ']);
    // Lossy trials put at least the lossless bytes on air.
    expect(v.bytes_on_air.p95).toBeGreaterThanOrEqual(v.bytes_on_air.lossless);
  });

  it('exits 0 when every budget passes and 1 naming the metric when one is exceeded', () => {
    const pass = tempScenario(`${MINIMAL_SCENARIO}budgets:\n  success_rate: 0.5\n  peak_heap_bytes.client: 100000\n`);
    const ok = runCli(['run', pass]);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('Budgets: all pass');

    const fail = tempScenario(`${MINIMAL_SCENARIO}budgets:\n  time_ms.p50: 1\n  peak_heap_bytes.client: 100000\n`);
    const bad = runCli(['run', fail]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/FAIL {2}baseline: time_ms\.p50 = [\d.]+ \(limit <= 1\)/);
    expect(bad.stdout).toMatch(/PASS {2}baseline: peak_heap_bytes\.client/);
    expect(bad.stderr).toMatch(/budget exceeded: baseline: time_ms\.p50/);
    const json = JSON.parse(runCli(['run', fail, '--format', 'json']).stdout);
    expect(json.budgets).toEqual([
      { variant: 'baseline', metric: 'time_ms.p50', limit: 1, value: expect.any(Number), pass: false },
      { variant: 'baseline', metric: 'peak_heap_bytes.client', limit: 100000, value: expect.any(Number), pass: true },
    ]);
  });

  it('exits 2 with a clear message and no stack trace for bad input', () => {
    const cases: [string[], RegExp][] = [
      [['run', tempScenario(MINIMAL_SCENARIO + 'trails: 3\n')], /trails: unknown key "trails"; did you mean "trials"\?/],
      [['run', tempScenario(MINIMAL_SCENARIO + 'budgets:\n  time_ms.p96: 10\n')], /budgets: unknown metric "time_ms.p96"; did you mean "time_ms.p95"\?/],
      [['run', 'no/such/file.yaml'], /cannot read scenario .*file\.yaml: no such file/],
      [['run', tempScenario('name: [unclosed')], /is not valid YAML/],
      [['run', scenario, '--trials', '0'], /--trials: got 0, expected a whole number from 1 to 1000000/],
      [['run', scenario, '--seed', '9', '--trials', '--format', 'json'], /Not enough arguments following: trials/],
      [['run', scenario, '--out'], /Not enough arguments following: out/],
      [['run', tempScenario(MINIMAL_SCENARIO + 'budgets:\n  time_ms.p95: .nan\n')], /budgets\.time_ms\.p95: got NaN, expected number/],
      [['run', scenario, '--seed', '1.5'], /--seed: got 1.5, expected a whole number/],
      [['run', scenario, '--format', 'xml'], /format/],
      [['run', scenario, '--no-such-flag'], /Unknown argument/],
      [[], /name a command/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args);
      expect({ args, status: r.status }).toEqual({ args, status: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout).toBe('');
    }
  });

  it('writes the report to --out', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'handshake-sim-out-')), 'report.json');
    const r = runCli(['run', scenario, '--format', 'json', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schema).toBe('handshake-sim/report@1');
  });
});
