import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

/**
 * p256-m's published stack use (mpg/p256-m README, copied from devices.md section 2.2): the
 * report's peak stack estimate is the deepest op an endpoint ran. The fixture is a copy of the
 * mbedtls-2.28 profile with these figures added; Mbed TLS 2.28 itself publishes none.
 */
const P256M_STACK = { 'p256.keygen': 664, 'p256.ecdh': 672, 'p256.ecdsa_sign': 720, 'p256.ecdsa_verify': 784 };

function withStackFigures(): string {
  const dir = dirname(tempScenario('unused: 1'));
  const stack = parseYaml(readFileSync('profiles/stacks/mbedtls-2.28.yaml', 'utf8'));
  stack.id = 'mbedtls-with-p256m-stack';
  stack.stack_bytes = Object.fromEntries(
    Object.entries(P256M_STACK).map(([group, value]) => [group, { value, source: 'p256-m README (https://github.com/mpg/p256-m), test fixture' }]),
  );
  writeFileSync(join(dir, 'stack.yaml'), stringifyYaml(stack));
  return dir;
}

function report(dir: string, stack: string, extra: string) {
  const yaml = MINIMAL_SCENARIO.replaceAll('stack: mbedtls-2.28', `stack: ${stack}`) + extra;
  writeFileSync(join(dir, 's.yaml'), yaml);
  const scenario = loadScenario(join(dir, 's.yaml'));
  return simulateVariant(scenario.variants[0]!, scenario.seed, 1);
}

describe('peak stack estimate where published', () => {
  const dir = withStackFigures();

  it('is the deepest published op each endpoint ran', () => {
    // Non-mutual certificates: the client generates a key, agrees and verifies (deepest: verify, 784);
    // the server generates, signs and agrees but verifies nothing (deepest: sign, 720).
    const cert = report(dir, './stack.yaml', 'auth: cert\n');
    expect(cert.heap.client).toMatchObject({ peak_stack_bytes: 784, peak_stack_op: 'p256.ecdsa_verify' });
    expect(cert.heap.server).toMatchObject({ peak_stack_bytes: 720, peak_stack_op: 'p256.ecdsa_sign' });
    const ecdhePsk = report(dir, './stack.yaml', 'auth: ecdhe-psk\n');
    expect(ecdhePsk.heap.client).toMatchObject({ peak_stack_bytes: 672, peak_stack_op: 'p256.ecdh' });
  });

  it('is null when no op the endpoint ran has a figure, or the stack publishes none', () => {
    expect(report(dir, './stack.yaml', '').heap.client).toMatchObject({ peak_stack_bytes: null, peak_stack_op: null });
    expect(report(dir, 'mbedtls-2.28', 'auth: cert\n').heap.client).toMatchObject({ peak_stack_bytes: null, peak_stack_op: null });
  });
});
