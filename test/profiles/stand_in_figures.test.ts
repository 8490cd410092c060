import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { figureSchema, standInPaths } from '../../src/scenario/figure.js';
import { loadProfile, type ProfileKind } from '../../src/scenario/load_profile.js';
import { MINIMAL_SCENARIO, runCli, tempScenario } from '../helpers/cli.js';

/** cortex-m4-120's figures with supply_V and current_mA.active marked as measured on another part. */
const FIXTURE = resolve('test/fixtures/stand_in_device.yaml');

/** The JSON report of the minimal scenario with the client's `device` (and more) replaced. */
function reportWithClient(client: string, dir = dirname(tempScenario('unused: 1'))) {
  const file = join(dir, 's.yaml');
  writeFileSync(file, MINIMAL_SCENARIO.replace('client: { device: cortex-m4-120, stack: mbedtls-2.28 }', `client: { ${client}, stack: mbedtls-2.28 }`));
  const r = runCli(['run', file, '--format', 'json', '--trials', '20']);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { variants: { warnings: string[] }[] };
}

describe('stand-in figures (measured on another part, used because the part has no published figure)', () => {
  it('a figure keeps its stand_in text, and still needs a source or a derivation', () => {
    const f = { value: 2.7, source: 'nRF9160 PS, CPU running CoreMark at 64 MHz', stand_in: 'measured on the nRF9160 application core' };
    expect(figureSchema.parse(f)).toEqual(f);
    expect(figureSchema.safeParse({ value: 2.7, stand_in: 'measured on the nRF9160' }).success).toBe(false);
    expect(figureSchema.safeParse({ value: 2.7, source: 'x', stand_in: '' }).success).toBe(false);
  });

  it('standInPaths lists a profile\'s stand-in figures by path, sorted, and nothing for a profile without any', () => {
    // File order is supply_V, then current_mA.active; the list is sorted.
    expect(standInPaths(loadProfile('device', FIXTURE, '.', 'test'))).toEqual(['current_mA.active', 'supply_V']);
    expect(standInPaths(loadProfile('device', 'cortex-m4-120', '.', 'test'))).toEqual([]);
  });

  it('profiles show prints the stand-in text under each figure that has one (table and JSON)', () => {
    const table = runCli(['profiles', 'show', FIXTURE]);
    expect(table.status).toBe(0);
    expect(table.stdout).toContain(
      "current_mA.active = 31\n    derived: test fixture: cortex-m4-120's run current\n    stand-in: test fixture: the run current of another part at the same clock\n",
    );
    expect(table.stdout).toContain("current_mA.sleep = 0.057\n    derived: test fixture: cortex-m4-120's sleep current\n");
    expect(table.stdout.match(/stand-in:/g)).toHaveLength(2);
    const json = JSON.parse(runCli(['profiles', 'show', FIXTURE, '--format', 'json']).stdout);
    const field = (name: string) => json.figures.find((f: { field: string }) => f.field === name);
    expect(field('supply_V')).toMatchObject({ value: 3, stand_in: 'test fixture: the supply of another board' });
    expect(field('current_mA.sleep')).not.toHaveProperty('stand_in');
  });

  it('profiles show takes a profile file path and refuses a file of no known kind', () => {
    const dir = dirname(tempScenario('unused: 1'));
    writeFileSync(join(dir, 'odd.yaml'), 'kind: gadget\n');
    const r = runCli(['profiles', 'show', join(dir, 'odd.yaml')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/ID: .*odd\.yaml declares kind "gadget", expected a top-level `kind:` of device, secure_element, stack, link/);
    const missing = runCli(['profiles', 'show', join(dir, 'none.yaml')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/ID: got ".*none\.yaml", but no profile file exists/);
  });

  it('profiles list says which shipped profiles hold stand-in figures', () => {
    const rows = JSON.parse(runCli(['profiles', 'list', '--format', 'json']).stdout).profiles as { kind: ProfileKind; id: string; has_stand_ins: boolean }[];
    const hasStandIns = (r: (typeof rows)[number]) => standInPaths(loadProfile(r.kind, r.id, '.', 'test')).length > 0;
    expect(rows.map((r) => [r.id, r.has_stand_ins])).toEqual(rows.map((r) => [r.id, hasStandIns(r)]));
    expect(rows.find((r) => r.id === 'cortex-m4-120')).toMatchObject({ has_stand_ins: false });
    expect(rows.filter((r) => r.id === 'efr32mg21' || r.id === 'nrf5340-cc312').map((r) => r.has_stand_ins)).toEqual([true, true]);
    const table = runCli(['profiles', 'list']).stdout.split('\n');
    for (const r of rows) expect({ id: r.id, marked: table.find((l) => l.split(/\s+/)[1] === r.id)!.endsWith(' (stand-in figures)') }).toEqual({ id: r.id, marked: r.has_stand_ins });
  });

  it('a run warns for each endpoint whose device has stand-in figures, naming the device and the paths', () => {
    const [v] = reportWithClient(`device: ${FIXTURE}`).variants;
    expect(v!.warnings).toEqual(['client: device stand-in-fixture uses stand-in figures measured on other parts: current_mA.active, supply_V']);
    const [plain] = reportWithClient('device: cortex-m4-120').variants;
    expect(plain!.warnings).toEqual([]);
  });

  it("and for a stack's stand-in cycle figures, only those of ops the run priced in software on that core", () => {
    // mbedtls-2.28's Cortex-M3 public-key cycles are its Cortex-M4 ones scaled (stand_in).
    const r = runCli(['run', 'scenarios/cortex-m3-64k-fit.yaml', '--format', 'json']);
    const variants = (JSON.parse(r.stdout) as { variants: { name: string; warnings: string[] }[] }).variants;
    const standIns = (name: string) => variants.find((v) => v.name === name)!.warnings.filter((w) => w.includes('stand-in'));
    // A PSK handshake runs no public-key op, so the Cortex-M3 P-256 figures do not touch it.
    expect(standIns('psk-4k')).toEqual([]);
    // An RPK client generates its ECDHE key, computes the secret and verifies the server's
    // signature; it signs nothing, and the Cortex-M4 server's table has no stand-ins.
    expect(standIns('rpk-4k')).toEqual([
      'client: stack mbedtls-2.28 uses stand-in figures measured on other parts: cycles.cortex-m3.p256.ecdh_cycles, cycles.cortex-m3.p256.ecdsa_verify_cycles, cycles.cortex-m3.p256.keygen_cycles',
    ]);
  });

  it('and for an attached secure element with stand-in figures', () => {
    const dir = dirname(tempScenario('unused: 1'));
    const se = parseYaml(readFileSync('profiles/devices/atecc608a.yaml', 'utf8'));
    se.current_mA.idle.stand_in = 'test fixture: the idle current of another element';
    writeFileSync(join(dir, 'se.yaml'), stringifyYaml(se));
    const [v] = reportWithClient('device: cortex-m4-120, secure_element: ./se.yaml', dir).variants;
    expect(v!.warnings).toEqual(['client: secure element atecc608a uses stand-in figures measured on other parts: current_mA.idle']);
  });
});
