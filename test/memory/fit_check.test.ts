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
    const dir = dirname(tempScenario('unused: 1'));
    const device = parseYaml(readFileSync('profiles/devices/cortex-m4-120.yaml', 'utf8'));
    device.id = 'tiny';
    device.ram_bytes = { value: 40960, derived: 'test fixture: a 40 KB part' };
    writeFileSync(join(dir, 'tiny.yaml'), stringifyYaml(device));
    const yaml = MINIMAL_SCENARIO.replace(
      'client: { device: cortex-m4-120, stack: mbedtls-2.28 }',
      'client: { device: ./tiny.yaml, stack: mbedtls-2.28, ram_reserve_bytes: 8192 }',
    ) + 'variants:\n  - name: default-buffers\n  - name: small-buffers\n    client: { stack_options: { in_content_len: 4096, out_content_len: 4096 } }\n';
    writeFileSync(join(dir, 's.yaml'), yaml);
    const r = JSON.parse(runCli(['run', join(dir, 's.yaml'), '--format', 'json']).stdout);
    const [big, small] = r.variants;
    expect(big.warnings).toEqual([
      `client: peak heap ${big.peak_heap_bytes.client} B + reserve 8192 B = ${big.peak_heap_bytes.client + 8192} B exceeds the RAM of tiny (40960 B)`,
    ]);
    expect(small.warnings).toEqual([]);
    expect(runCli(['run', join(dir, 's.yaml')]).stdout).toMatch(/warning: client: peak heap \d+ B \+ reserve 8192 B/);
  });

  it('rejects buffer sizes outside 256..16384', () => {
    const r = runCli(['run', tempScenario(MINIMAL_SCENARIO.replace('stack: mbedtls-2.28 }', 'stack: mbedtls-2.28, stack_options: { in_content_len: 100 } }'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/client\.stack_options\.in_content_len: got 100, expected >= 256/);
  });
});
