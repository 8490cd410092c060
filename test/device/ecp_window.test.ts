import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { runScenario } from '../../src/pipeline/run_scenario.js';
import type { OpReport, VariantReport } from '../../src/report/report_types.js';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { stackProfileSchema } from '../../src/scenario/profile_schemas.js';
import { runCli, tempScenario } from '../helpers/cli.js';
import { bothAtWindow, ecpWindowScenario } from '../helpers/ecp_window_scenario.js';
import { scenarioErrorOf } from '../helpers/scenario_error.js';

/**
 * MBEDTLS_ECP_WINDOW_SIZE as a scenario setting (stack_options.ecp_window_size). The expected
 * factors are the Mbed TLS knowledge base's P-256 figures ("How to tune Elliptic Curves resource
 * usage", Mbed TLS 2.2, fixed-point optimisation off): ECDHE/s 44/50/53/53/53 at window 2..6.
 */
const ECDHE_PER_S: Record<number, number> = { 2: 44, 3: 50, 4: 53, 5: 53, 6: 53 };

const stack = loadProfile('stack', 'mbedtls-2.28', '.', 'test');
const device = loadProfile('device', 'cortex-m4-120', '.', 'test');
const m4 = stack.cycles['cortex-m4']!;
const CYCLES: Record<string, number> = {
  'p256.keygen': m4['p256.keygen_cycles']!.value,
  'p256.ecdh': m4['p256.ecdh_cycles']!.value,
  'p256.ecdsa_sign': m4['p256.ecdsa_sign_cycles']!.value,
  'p256.ecdsa_verify': m4['p256.ecdsa_verify_cycles']!.value,
};
const P256_OPS = Object.keys(CYCLES);

/** The scenario's report, by variant name. */
function run(base: string, variants: string, trials = 3): Map<string, VariantReport> {
  const report = runScenario(loadScenario(tempScenario(ecpWindowScenario(base, variants, trials))));
  return new Map(report.variants.map((v) => [v.name, v]));
}

const opsOf = (v: VariantReport, pick: (o: OpReport) => boolean) => v.ops.filter(pick);
const isP256 = (o: OpReport) => P256_OPS.includes(o.op);

describe('ECP window: software P-256 ops on mbedtls-2.28', () => {
  // Mutual certificates: each side generates, derives, signs and verifies.
  const v = run('auth: cert\nmutual: true', ['  - name: default\n', bothAtWindow('w2', 2), bothAtWindow('w3', 3), bothAtWindow('w4', 4), bothAtWindow('w5', 5), bothAtWindow('w6', 6)].join(''));

  it('window 2 makes every keygen, ECDH, sign and verify take cycles x 53/44 at the clock, and nothing else change', () => {
    const w2 = v.get('w2')!;
    const p256 = opsOf(w2, isP256);
    expect(new Set(p256.map((o) => `${o.endpoint} ${o.op}`))).toEqual(
      new Set(['client', 'server'].flatMap((e) => P256_OPS.map((op) => `${e} ${op}`))),
    );
    for (const o of p256) {
      expect(o.engine).toBe('software');
      const expected = (o.count * CYCLES[o.op]! * (53 / 44)) / (device.clock_MHz.value * 1000);
      expect(o.time_ms).toBeCloseTo(expected, 9);
    }
    // Hashing, the PRF, record protection, the DRBG and DER coding stay as they were.
    expect(opsOf(w2, (o) => !isP256(o))).toEqual(opsOf(v.get('default')!, (o) => !isP256(o)));
    expect(w2.crypto_time_ms.client).toBeGreaterThan(v.get('default')!.crypto_time_ms.client);
  });

  it('each window scales P-256 time by ECDHE/s at 4 over ECDHE/s at it; 5 and 6 equal 4 (the code caps P-256 at 4)', () => {
    const base = opsOf(v.get('default')!, isP256);
    for (const size of [2, 3, 4, 5, 6]) {
      const at = opsOf(v.get(`w${size}`)!, isP256);
      at.forEach((o, i) => expect(o.time_ms / base[i]!.time_ms).toBeCloseTo(ECDHE_PER_S[4]! / ECDHE_PER_S[size]!, 12));
    }
    for (const size of [5, 6]) expect(v.get(`w${size}`)!.ops).toEqual(v.get('w4')!.ops);
    expect(v.get('w3')!.time_ms.p50!).toBeLessThan(v.get('w2')!.time_ms.p50!);
  });

  it('reports the window each endpoint ran with; unset is the stack default, 4', () => {
    expect(v.get('default')!.client.ecp_window_size).toBe(4);
    expect(v.get('default')!.server.ecp_window_size).toBe(4);
    expect(v.get('w2')!.client.ecp_window_size).toBe(2);
    expect(v.get('w6')!.server.ecp_window_size).toBe(6);
    expect(v.get('default')!.ops).toEqual(v.get('w4')!.ops);
  });
});

describe('ECP window: what it leaves alone', () => {
  it('X25519 (the Montgomery ladder) keeps its time; the ECDSA P-256 signatures of the same handshake do not', () => {
    const v = run('auth: cert\ngroup: x25519', ['  - name: default\n', bothAtWindow('w2', 2)].join(''));
    const x25519 = (name: string) => opsOf(v.get(name)!, (o) => o.op.startsWith('x25519.'));
    expect(x25519('default').length).toBe(4);
    expect(x25519('w2')).toEqual(x25519('default'));
    const sign = (name: string) => v.get(name)!.ops.find((o) => o.endpoint === 'server' && o.op === 'p256.ecdsa_sign')!.time_ms;
    expect(sign('w2') / sign('default')).toBeCloseTo(53 / 44, 12);
  });

  it('a secure element (ATECC608A on the Cortex-M4) runs its ops as before; only software P-256 ops scale', () => {
    // The element takes key generation and ECDH; verification stays with Mbed TLS in software.
    const se = '{ profile: atecc608a, ops: [p256.keygen, p256.ecdh] }';
    const v = run('auth: cert', [
      `  - name: se-default\n    client: { secure_element: ${se} }\n`,
      `  - name: se-w2\n    client: { secure_element: ${se}, stack_options: { ecp_window_size: 2 } }\n`,
    ].join(''));
    const client = (name: string) => opsOf(v.get(name)!, (o) => o.endpoint === 'client' && isP256(o));
    const onSe = (name: string) => client(name).filter((o) => o.engine === 'secure_element:atecc608a');
    expect(onSe('se-default').map((o) => o.op)).toEqual(['p256.keygen', 'p256.ecdh']);
    expect(onSe('se-w2')).toEqual(onSe('se-default'));
    const verify = (name: string) => client(name).find((o) => o.op === 'p256.ecdsa_verify')!;
    expect(verify('se-w2').engine).toBe('software');
    expect(verify('se-w2').time_ms / verify('se-default').time_ms).toBeCloseTo(53 / 44, 12);
  });
});

describe('ECP window: bad input', () => {
  const wolfServer = (options: string) => `name: bad
seed: 1
trials: 1
auth: cert
timers: { give_up_ms: 60000 }
client: { device: cortex-m4-120, stack: mbedtls-2.28 }
server: { device: esp32, stack: wolfssl-5, stack_options: { ${options} } }
link: { profile: udp }
`;

  it('refuses the setting on a stack without it (wolfssl-5), naming the field, the value, the stack and which stacks take it', () => {
    expect(scenarioErrorOf(wolfServer('ecp_window_size: 3'))).toMatch(
      /^server\.stack_options\.ecp_window_size: got 3, but stack wolfssl-5 has no ECP window setting \(MBEDTLS_ECP_WINDOW_SIZE\); only stacks with one \(mbedtls-2\.28\) take it$/,
    );
    const r = runCli(['run', tempScenario(wolfServer('ecp_window_size: 3'))]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/server\.stack_options\.ecp_window_size: got 3, but stack wolfssl-5/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('refuses sizes without a published figure, and fractions, as schema errors naming the field', () => {
    const mbed = (size: string) => wolfServer('').replace('{ device: esp32, stack: wolfssl-5, stack_options: {  } }', `{ device: cortex-m4-120, stack: mbedtls-2.28, stack_options: { ecp_window_size: ${size} } }`);
    expect(scenarioErrorOf(mbed('7'))).toMatch(/server\.stack_options\.ecp_window_size: got 7, expected <= 6/);
    expect(scenarioErrorOf(mbed('1'))).toMatch(/server\.stack_options\.ecp_window_size: got 1, expected >= 2/);
    expect(scenarioErrorOf(mbed('2.5'))).toMatch(/server\.stack_options\.ecp_window_size: got 2\.5, expected int/);
  });
});

describe('ECP window: the report', () => {
  it('the same scenario and seed give byte-identical JSON; a stack without the setting reports null', () => {
    const file = tempScenario(`name: ecp-json
seed: 9
trials: 40
auth: cert
timers: { give_up_ms: 60000 }
client: { device: cortex-m4-120, stack: mbedtls-2.28, stack_options: { ecp_window_size: 2 } }
server: { device: cortex-m4-120, stack: wolfssl-5 }
cipher_suite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
link: { profile: ieee802154-6lowpan, loss: 0.1 }
`);
    const a = runCli(['run', file, '--format', 'json']);
    const b = runCli(['run', file, '--format', 'json']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const variant = JSON.parse(a.stdout).variants[0];
    expect(variant.client.ecp_window_size).toBe(2);
    expect(variant.server.ecp_window_size).toBeNull();
  });
});

describe("the profile's ecp_window block", () => {
  const raw = () => parseYaml(readFileSync('profiles/stacks/mbedtls-2.28.yaml', 'utf8'));

  it('mbedtls-2.28 has one (default 4, sizes 2 to 6); the wolfSSL and tinydtls profiles have none', () => {
    expect(stack.ecp_window?.default_size.value).toBe(4);
    expect(Object.keys(stack.ecp_window!.sizes).sort()).toEqual(['2', '3', '4', '5', '6']);
    for (const id of ['wolfssl-5', 'wolfssl-5-sp-asm', 'tinydtls']) expect(loadProfile('stack', id, '.', 'test').ecp_window).toBeUndefined();
  });

  it('refuses a block whose default size has a factor other than 1, or that lacks a size', () => {
    const skewed = raw();
    skewed.ecp_window.sizes['4'].heap_factor.value = 1.1;
    const bad = stackProfileSchema.safeParse(skewed);
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toMatch(/must be 1 at the default size 4/);
    const gap = raw();
    delete gap.ecp_window.sizes['3'];
    expect(stackProfileSchema.safeParse(gap).success).toBe(false);
  });
});
