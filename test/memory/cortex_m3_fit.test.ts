import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';

/**
 * scenarios/cortex-m3-64k-fit.yaml answers "which record buffer size and authentication mode fit
 * a Cortex-M3 with 64 KB SRAM and 256 KB flash?" with the fit warnings. With its application
 * reserves (28 KB RAM, 200 KB flash): no 16 KB-buffer variant fits the RAM, every 4 KB one
 * does, and the certificate build does not fit the flash.
 */
describe('scenarios/cortex-m3-64k-fit.yaml', () => {
  const scenario = loadScenario('scenarios/cortex-m3-64k-fit.yaml', { trials: 1 });
  const reports = scenario.variants.map((v) => simulateVariant(v, scenario.seed, 1));
  const byName = Object.fromEntries(reports.map((r) => [r.name, r]));

  it('runs the Cortex-M3 client on the cortex-m3-72 profile with Mbed TLS 2.28', () => {
    expect(reports.map((r) => r.name)).toEqual(['psk-16k', 'psk-4k', 'cert-16k', 'cert-4k', 'rpk-16k', 'rpk-4k']);
    for (const r of reports) {
      expect(r.client).toMatchObject({ device: 'cortex-m3-72', stack: 'mbedtls-2.28', ram_reserve_bytes: 28672, flash_reserve_bytes: 204800 });
      expect(r.success_rate).toBe(1);
    }
  });

  it('says which variants do not fit: 16 KB buffers never fit the RAM, the certificate build never fits the flash', () => {
    const ram = (r: (typeof reports)[number]) => r.warnings.some((w) => /^client: peak heap .* exceeds the RAM of cortex-m3-72 \(65536 B\)$/.test(w));
    const flash = (r: (typeof reports)[number]) => r.warnings.some((w) => /^client: stack code .* exceeds the flash of cortex-m3-72 \(262144 B\)$/.test(w));
    expect(reports.filter(ram).map((r) => r.name)).toEqual(['psk-16k', 'cert-16k', 'rpk-16k']);
    expect(reports.filter(flash).map((r) => r.name)).toEqual(['cert-16k', 'cert-4k']);
    expect(reports.filter((r) => !ram(r) && !flash(r)).map((r) => r.name)).toEqual(['psk-4k', 'rpk-4k']);
    // Each warning agrees with the numbers next to it.
    for (const r of reports) {
      expect(ram(r)).toBe(r.heap.client.peak_heap_bytes + 28672 > 65536);
      expect(flash(r)).toBe(r.footprint.client.flash_bytes! + 204800 > 262144);
    }
    expect(byName['psk-16k']!.heap.client.peak_heap_bytes - byName['psk-4k']!.heap.client.peak_heap_bytes).toBe(2 * (16384 - 4096));
  });
});
