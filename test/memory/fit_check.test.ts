import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, runCli, tempScenario } from '../helpers/cli.js';

describe('record buffer sizes (stack_options) and the RAM fit check', () => {
  it('smaller record buffers lower the peak heap by exactly the bytes saved', () => {
    const base = loadScenario(tempScenario(MINIMAL_SCENARIO));
    const small = loadScenario(
      tempScenario(MINIMAL_SCENARIO.replace('client: { device: cortex-m4-120, stack: mbedtls-2.28 }', 'client: { device: cortex-m4-120, stack: mbedtls-2.28, stack_options: { in_content_len: 4096, out_content_len: 2048 } }')),
    );
    const a = simulateVariant(base.variants[0]!, base.seed, 20);
    const b = simulateVariant(small.variants[0]!, small.seed, 20);
    expect(a.client).toMatchObject({ in_content_len: 16384, out_content_len: 16384 });
    expect(b.client).toMatchObject({ in_content_len: 4096, out_content_len: 2048 });
    expect(a.peak_heap_bytes.client - b.peak_heap_bytes.client).toBe(16384 - 4096 + (16384 - 2048));
    expect(b.heap.client.at_peak.in_record_buffer! - 4096).toBe(a.heap.client.at_peak.in_record_buffer! - 16384); // same overhead
    expect(b.peak_heap_bytes.server).toBe(a.peak_heap_bytes.server);
    // The handshake still completes: PSK messages are far below 2 KB.
    expect(b.success_rate).toBeGreaterThan(0.9);
  });

  it('warns when peak heap plus ram_reserve_bytes exceeds the device RAM, and not otherwise', () => {
    const { dir, file, report } = runWithDevice(
      { id: 'tiny', ram_bytes: { value: 40960, derived: 'test fixture: a 40 KB part' } },
      'ram_reserve_bytes: 8192',
      'variants:\n  - name: default-buffers\n  - name: small-buffers\n    client: { stack_options: { in_content_len: 4096, out_content_len: 4096 } }\n',
    );
    const [big, small] = report.variants;
    expect(big.warnings).toEqual([
      `client: peak heap ${big.peak_heap_bytes.client} B + reserve 8192 B = ${big.peak_heap_bytes.client + 8192} B exceeds the RAM of tiny (40960 B)`,
    ]);
    expect(small.warnings).toEqual([]);
    expect(runCli(['run', join(dir, file)]).stdout).toMatch(/warning: client: peak heap \d+ B \+ reserve 8192 B/);
  });

  it('warns when the stack code plus flash_reserve_bytes exceeds the device flash, and not otherwise', () => {
    const { dir, file, report } = runWithDevice(
      { id: 'small-flash', flash_bytes: { value: 131072, derived: 'test fixture: a 128 KB part' } },
      'flash_reserve_bytes: 80000',
      'variants:\n  - name: psk\n  - name: cert\n    auth: cert\n',
    );
    const [psk, cert] = report.variants;
    expect(psk.warnings).toEqual([]);
    const code = cert.footprint.client.flash_bytes;
    expect(cert.warnings).toEqual([
      `client: stack code ${code} B + flash reserve 80000 B = ${code + 80000} B exceeds the flash of small-flash (131072 B)`,
    ]);
    expect(cert.client).toMatchObject({ flash_reserve_bytes: 80000 });
    // A budget can name the estimate too.
    writeFileSync(join(dir, 'b.yaml'), readFileSync(join(dir, file), 'utf8') + `budgets:\n  footprint.client.flash_bytes: ${code - 1}\n`);
    expect(runCli(['run', join(dir, 'b.yaml')]).stderr).toMatch(/budget exceeded: cert: footprint\.client\.flash_bytes = \d+ \(limit \d+\)/);
  });

  it('takes stack_options.mfl as the negotiated max_fragment_length and refuses two different ones', () => {
    const ok = loadScenario(tempScenario(MINIMAL_SCENARIO.replace('stack: mbedtls-2.28 }', 'stack: mbedtls-2.28, stack_options: { mfl: 1024 } }')));
    expect(ok.variants[0]!.config.max_fragment_length).toBe(1024);
    const report = simulateVariant(ok.variants[0]!, ok.seed, 5);
    expect(report.client.mfl).toBe(1024);
    // The client asks for it: its ClientHello carries the 5-byte max_fragment_length extension (RFC 6066 §4).
    const plain = loadScenario(tempScenario(MINIMAL_SCENARIO));
    expect(report.flights[0]!.bytes - simulateVariant(plain.variants[0]!, plain.seed, 5).flights[0]!.bytes).toBe(5);
    const clash = runCli(['run', tempScenario(MINIMAL_SCENARIO.replace('stack: mbedtls-2.28 }', 'stack: mbedtls-2.28, stack_options: { mfl: 1024 } }') + 'max_fragment_length: 2048\n')]);
    expect(clash.status).toBe(2);
    expect(clash.stderr).toMatch(/client\.stack_options\.mfl: got 1024, but max_fragment_length is 2048; a connection negotiates one maximum fragment length/);
    const bad = runCli(['run', tempScenario(MINIMAL_SCENARIO.replace('stack: mbedtls-2.28 }', 'stack: mbedtls-2.28, stack_options: { mfl: 1000 } }'))]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/client\.stack_options\.mfl/);
    expect(bad.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it('rejects buffer sizes outside 256..16384', () => {
    const r = runCli(['run', tempScenario(MINIMAL_SCENARIO.replace('stack: mbedtls-2.28 }', 'stack: mbedtls-2.28, stack_options: { in_content_len: 100 } }'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/client\.stack_options\.in_content_len: got 100, expected >= 256/);
  });
});

/**
 * Runs the minimal scenario with the client on a copy of cortex-m4-120 whose fields are
 * replaced by `device`, with `clientField` added to the client and `rest` appended; JSON report.
 */
function runWithDevice(device: Record<string, unknown>, clientField: string, rest: string) {
  const dir = dirname(tempScenario('unused: 1'));
  const profile = { ...parseYaml(readFileSync('profiles/devices/cortex-m4-120.yaml', 'utf8')), ...device };
  writeFileSync(join(dir, 'device.yaml'), stringifyYaml(profile));
  const yaml = MINIMAL_SCENARIO.replace(
    'client: { device: cortex-m4-120, stack: mbedtls-2.28 }',
    `client: { device: ./device.yaml, stack: mbedtls-2.28, ${clientField} }`,
  ) + rest;
  writeFileSync(join(dir, 's.yaml'), yaml);
  return { dir, file: 's.yaml', report: JSON.parse(runCli(['run', join(dir, 's.yaml'), '--format', 'json']).stdout) };
}
