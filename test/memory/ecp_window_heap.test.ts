import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import type { VariantReport } from '../../src/report/report_types.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { tempScenario } from '../helpers/cli.js';
import { bothAtWindow, ecpWindowScenario } from '../helpers/ecp_window_scenario.js';

/**
 * The ECP window's effect on the mbedtls-2.28 heap: the working memory of each P-256 scalar
 * multiplication (memory.ecc_working_bytes.p256, 2,250 B) scales with the knowledge base's heap
 * bytes at the window over those at 4 ("How to tune Elliptic Curves resource usage": 2064, 2448,
 * 3592, 3624, 3680 B at window 2..6), rounded to whole bytes.
 */
const ECC_WORKING_P256 = 2250;
const HEAP_AT: Record<number, number> = { 2: 2064, 3: 2448, 4: 3592, 5: 3624, 6: 3680 };
const workingAt = (size: number) => Math.round((ECC_WORKING_P256 * HEAP_AT[size]!) / HEAP_AT[4]!);

/** Each variant simulated once (lossless, so one trial is the whole answer), by name. */
function run(variants: string, base = 'auth: cert'): Map<string, VariantReport> {
  const scenario = loadScenario(tempScenario(ecpWindowScenario(base, variants, 1)));
  return new Map(scenario.variants.map((v) => [v.name, simulateVariant(v, scenario.seed, 1)]));
}

const at = (size: number) => bothAtWindow(`w${size}`, size);

describe('ECP window: P-256 working memory (mbedtls-2.28)', () => {
  const v = run(['  - name: default\n', at(2), at(3), at(5), at(6)].join(''));

  it('every P-256 multiplication allocates and frees the working memory of its window, in whole bytes', () => {
    expect(workingAt(2)).toBe(1293);
    for (const [name, size] of [['default', 4], ['w2', 2], ['w3', 3], ['w5', 5], ['w6', 6]] as const) {
      for (const role of ['client', 'server'] as const) {
        const working = v.get(name)!.heap[role].timeline.filter((e) => e.label === 'p256_working').map((e) => e.bytes);
        // Key generation, ECDH and one signature or two verifications: each allocates, then frees.
        expect(working.length).toBeGreaterThanOrEqual(6);
        working.forEach((bytes, i) => expect(bytes).toBe(i % 2 === 0 ? workingAt(size) : -workingAt(size)));
      }
    }
  });

  it('window 2 lowers the peak heap by exactly the working-memory difference; 6 raises it by its own', () => {
    for (const role of ['client', 'server'] as const) {
      const peak = (name: string) => v.get(name)!.heap[role].peak_heap_bytes;
      // The peak of a certificate handshake falls inside a P-256 operation.
      expect(v.get('default')!.heap[role].at_peak.p256_working).toBe(ECC_WORKING_P256);
      expect(peak('default') - peak('w2')).toBe(ECC_WORKING_P256 - workingAt(2));
      expect(peak('w6') - peak('default')).toBe(workingAt(6) - ECC_WORKING_P256);
      // What stays after the handshake does not depend on the window.
      expect(v.get('w2')!.heap[role].steady_state_heap_bytes).toBe(v.get('default')!.heap[role].steady_state_heap_bytes);
    }
  });

  it('leaves a PSK handshake, which runs no P-256 operation, exactly as it was', () => {
    const psk = run(['  - name: default\n', at(2)].join(''), 'auth: psk');
    expect(psk.get('w2')!.heap).toEqual(psk.get('default')!.heap);
  });
});
