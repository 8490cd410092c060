import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import type { VariantReport } from '../../src/report/report_types.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { tempScenario } from '../helpers/cli.js';

/**
 * The software working memory of a P-256 operation (mbedtls-2.28 memory.ecc_working_bytes.p256,
 * 2,250 B: comb table and bignum temporaries) belongs to the operations the host runs itself.
 * One handed to a secure element or an accelerator does not allocate it; what its driver
 * allocates instead has no published figure, so the report lists it as not modelled.
 */
const WORKING_P256 = 2250;
const OFFLOADED_GAP = 'p256 working memory of ops on an accelerator or secure element';

function run(): Map<string, VariantReport> {
  const scenario = loadScenario(
    tempScenario(`name: offloaded-working-memory
seed: 3
trials: 1
auth: ecdhe-psk
client: { device: cortex-m4-120, stack: mbedtls-2.28 }
server: { device: cortex-m4-120, stack: mbedtls-2.28 }
link: { profile: udp }
variants:
  - name: software
  - name: secure-element
    client: { secure_element: atecc608a }
  - name: ecdh-back-in-software
    client: { secure_element: atecc608a, engines: { p256.ecdh: software } }
`),
  );
  return new Map(scenario.variants.map((v) => [v.name, simulateVariant(v, scenario.seed, 1)]));
}

const workingEvents = (r: VariantReport, role: 'client' | 'server') =>
  r.heap[role].timeline.filter((e) => e.label === 'p256_working').map((e) => e.bytes);

describe('P-256 working memory follows the engine that runs the op', () => {
  const v = run();

  it('in software, key generation and ECDH each allocate and free it', () => {
    expect(workingEvents(v.get('software')!, 'client')).toEqual([WORKING_P256, -WORKING_P256, WORKING_P256, -WORKING_P256]);
    expect(v.get('software')!.heap.client.not_modelled).not.toContain(OFFLOADED_GAP);
  });

  it('on the secure element, the host allocates none of it and the report says what is missing', () => {
    const se = v.get('secure-element')!;
    expect(workingEvents(se, 'client')).toEqual([]);
    expect(se.heap.client.not_modelled).toContain(OFFLOADED_GAP);
    // The server has no secure element: its heap is the same as in the software variant.
    expect(se.heap.server).toEqual(v.get('software')!.heap.server);
  });

  it('an op moved back to software by `engines` allocates it again, the other does not', () => {
    const mixed = v.get('ecdh-back-in-software')!;
    expect(workingEvents(mixed, 'client')).toEqual([WORKING_P256, -WORKING_P256]);
    expect(mixed.heap.client.not_modelled).toContain(OFFLOADED_GAP);
  });
});
