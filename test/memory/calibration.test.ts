import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import type { VariantReport } from '../../src/report/report_types.js';
import { tempScenario } from '../helpers/cli.js';

/**
 * The mbedtls-2.28 memory model against the published figures it is calibrated to, from "TLS &
 * DTLS on Constrained Devices" (applied-ee.github.io, the RAM tables copied into
 * profiles/stacks/mbedtls-2.28.yaml) and Mbed TLS's own ssl-opt.sh MFL memory test (PR #2946).
 * Both endpoints run Mbed TLS 2.28; the handshake is lossless, so one trial suffices.
 */
function run(variants: string): VariantReport[] {
  const yaml = `name: calibration
seed: 5
trials: 1
client: { device: cortex-m4-120, stack: mbedtls-2.28 }
server: { device: cortex-m4-120, stack: mbedtls-2.28 }
link: { profile: udp }
variants:
${variants}`;
  const scenario = loadScenario(tempScenario(yaml));
  return scenario.variants.map((v) => simulateVariant(v, scenario.seed, 1));
}

const buffers = (kb: number) => `{ stack_options: { in_content_len: ${kb * 1024}, out_content_len: ${kb * 1024} } }`;
/** The per-buffer overhead the article leaves out: it counts a 16 KB buffer as 16,384 bytes. */
const OVERHEAD = 333;

describe('memory calibration (mbedtls-2.28)', () => {
  const [psk16, psk4, cert16, cert16depth2, rpk16] = run(`  - name: psk-16k
  - name: psk-4k
    client: ${buffers(4)}
    server: ${buffers(4)}
  - name: cert-16k
    auth: cert
  - name: cert-16k-depth-2
    auth: cert
    certificates: { chain_depth: 2 }
  - name: rpk-16k
    auth: rpk
`);

  it('16 KB buffers with certificate authentication peak within the published 40-50 KB (40,000-50,000 B, no tolerance)', () => {
    for (const v of [cert16!, cert16depth2!]) {
      for (const role of ['client', 'server'] as const) {
        expect(v.heap[role].peak_heap_bytes).toBeGreaterThanOrEqual(40_000);
        expect(v.heap[role].peak_heap_bytes).toBeLessThanOrEqual(50_000);
      }
    }
    // A longer chain costs more (each certificate is parsed and kept).
    expect(cert16depth2!.heap.client.peak_heap_bytes).toBeGreaterThan(cert16!.heap.client.peak_heap_bytes);
  });

  it('4 KB buffers with PSK peak within the published 10-15 KB (10,000-15,000 B, no tolerance)', () => {
    for (const role of ['client', 'server'] as const) {
      expect(psk4!.heap[role].peak_heap_bytes).toBeGreaterThanOrEqual(10_000);
      expect(psk4!.heap[role].peak_heap_bytes).toBeLessThanOrEqual(15_000);
    }
  });

  it('steady state is 33-34 KB with 16 KB buffers and 8.5-9 KB with 4 KB buffers, buffers counted at their content length as published (tolerance: the 2 x 333 B record overhead)', () => {
    for (const role of ['client', 'server'] as const) {
      const steady16 = psk16!.heap[role].steady_state_heap_bytes;
      const steady4 = psk4!.heap[role].steady_state_heap_bytes;
      // As the article counts it: context, session state and two buffers of 16,384 (4,096) bytes.
      expect(steady16 - 2 * OVERHEAD).toBeGreaterThanOrEqual(33_000);
      expect(steady16 - 2 * OVERHEAD).toBeLessThanOrEqual(34_000);
      expect(steady4 - 2 * OVERHEAD).toBeGreaterThanOrEqual(8_500);
      expect(steady4 - 2 * OVERHEAD).toBeLessThanOrEqual(9_000);
      // And as allocated, with MBEDTLS_SSL_IN/OUT_BUFFER_LEN = content + 333 bytes each.
      expect(steady16).toBeLessThanOrEqual(34_000 + 2 * OVERHEAD);
      expect(steady4).toBeLessThanOrEqual(9_000 + 2 * OVERHEAD);
      // Shrinking both buffers by 12 KB saves exactly that, at the peak and after.
      expect(psk16!.heap[role].peak_heap_bytes - psk4!.heap[role].peak_heap_bytes).toBe(2 * (16384 - 4096));
      expect(steady16 - steady4).toBe(2 * (16384 - 4096));
    }
  });

  it('certificates and raw public keys cost more than PSK at the peak; the shared setup holds the credentials', () => {
    expect(cert16!.heap.client.peak_heap_bytes).toBeGreaterThan(rpk16!.heap.client.peak_heap_bytes);
    expect(rpk16!.heap.client.peak_heap_bytes).toBeGreaterThan(psk16!.heap.client.peak_heap_bytes);
    expect(cert16!.heap.server.shared_bytes).toBeGreaterThan(psk16!.heap.server.shared_bytes);
  });

  it('lowering the fragment length saves 2 x (16384 - MFL) after the handshake with variable buffers (ssl-opt.sh: within 110 %), nothing by default', () => {
    const mfls = [4096, 2048, 1024, 512] as const;
    const variable = `{ stack_options: { variable_buffer_length: true } }`;
    const [reference, ...withMfl] = run(
      [`  - name: reference\n    client: ${variable}\n    server: ${variable}`, ...mfls.map((m) => `  - name: mfl-${m}\n    max_fragment_length: ${m}\n    client: ${variable}\n    server: ${variable}`)].join('\n') + '\n',
    );
    mfls.forEach((mfl, i) => {
      const v = withMfl[i]!;
      for (const role of ['client', 'server'] as const) {
        const saved = reference!.heap[role].steady_state_heap_bytes - v.heap[role].steady_state_heap_bytes;
        expect(saved).toBe(2 * (16384 - mfl));
        // tests/ssl-opt.sh run_test_memory_after_handshake_with_mfl: usage <= 110 % of (usage at 16 KB - 2 x (16384 - MFL)).
        expect(v.heap[role].steady_state_heap_bytes).toBeLessThanOrEqual((1.1 * (reference!.heap[role].steady_state_heap_bytes - 2 * (16384 - mfl))) | 0);
        // The buffers are full size during the handshake, so the peak does not move.
        expect(v.heap[role].peak_heap_bytes).toBeGreaterThanOrEqual(reference!.heap[role].peak_heap_bytes);
      }
    });
    // MBEDTLS_SSL_VARIABLE_BUFFER_LENGTH is off in the default 2.28 configuration: MFL then saves no RAM.
    const [plain, plainMfl] = run(`  - name: plain\n  - name: plain-mfl\n    max_fragment_length: 1024\n`);
    expect(plainMfl!.heap.client.steady_state_heap_bytes).toBe(plain!.heap.client.steady_state_heap_bytes);
    expect(plainMfl!.client).toMatchObject({ mfl: 1024, variable_buffer_length: false });
  });
});
