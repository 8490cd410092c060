import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

const report = runScenario(loadScenario('scenarios/crypto-engines.yaml', { trials: 50 }));
const variant = (name: string) => report.variants.find((v) => v.name === name)!;

describe('the report names the engine of every op, per endpoint', () => {
  it('software on the Cortex-M4; hash and AES engines on the STM32L5 client, its DRBG in software; the EFR32MG21 Secure Engine for all of them', () => {
    const client = (name: string) => variant(name).ops.filter((o) => o.endpoint === 'client');
    expect(new Set(client('m4-software').map((o) => o.engine))).toEqual(new Set(['software']));
    const l5 = Object.fromEntries(client('stm32l5-pka').map((o) => [o.op, o.engine]));
    expect(l5).toMatchObject({
      'sha256.update': 'accelerator:hash',
      tls12_prf: 'accelerator:hash',
      'aes128_cbc.encrypt': 'accelerator:aes',
      rng: 'software',
      'p256.keygen': 'accelerator:pka',
      'p256.ecdh': 'accelerator:pka',
    });
    const efr = Object.fromEntries(client('efr32mg21-se').map((o) => [o.op, o.engine]));
    expect(efr).toMatchObject({
      'sha256.update': 'accelerator:se',
      tls12_prf: 'accelerator:se',
      'aes128_cbc.encrypt': 'accelerator:se',
      rng: 'accelerator:se',
      'p256.keygen': 'accelerator:se',
      'p256.ecdh': 'accelerator:se',
    });
    // Its currents are borrowed from other EFR32 parts, and the report says so; the others' are their own.
    expect(variant('efr32mg21-se').warnings).toEqual([
      'client: device efr32mg21 uses stand-in figures measured on other parts: current_mA.active, current_mA.sleep, supply_V',
    ]);
    expect(variant('stm32l5-pka').warnings).toEqual([]);
    const se = Object.fromEntries(client('m4-atecc608a').map((o) => [o.op, o.engine]));
    expect(se).toMatchObject({ 'p256.keygen': 'secure_element:atecc608a', 'p256.ecdh': 'secure_element:atecc608a', 'sha256.update': 'software' });
    for (const o of report.variants.flatMap((v) => v.ops)) expect(o.energy_mJ).toBeGreaterThan(0);
  });

  it('the secure element does the P-256 work faster than Mbed TLS in software, so the client spends less time and charge', () => {
    const plain = variant('m4-software');
    const withSe = variant('m4-atecc608a');
    const p256 = (v: typeof plain) => v.ops.filter((o) => o.endpoint === 'client' && o.op.startsWith('p256.')).reduce((n, o) => n + o.time_ms, 0);
    // Mbed TLS 2.28 on the M4: 365 + 365 ms; the ATECC608A (GenKey, ECDH, with wake, I2C and polling) well under that.
    expect(p256(plain)).toBeCloseTo(730, 6);
    expect(p256(withSe)).toBeLessThan(p256(plain) / 2);
    expect(withSe.time_ms.p50!).toBeLessThan(plain.time_ms.p50!);
    expect(withSe.energy_mAh.client.mean!).toBeLessThan(plain.energy_mAh.client.mean!);
  });

  it('an attached secure element idles at its idle current: with PSK (no op on it) the client only pays more charge', () => {
    const base = MINIMAL_SCENARIO + 'cipher_suite: TLS_PSK_WITH_AES_128_GCM_SHA256\n';
    const plain = runScenario(loadScenario(tempScenario(base), { trials: 50 })).variants[0]!;
    const withSe = runScenario(
      loadScenario(tempScenario(base.replace('client: { device: cortex-m4-120, stack: mbedtls-2.28 }', 'client: { device: cortex-m4-120, stack: mbedtls-2.28, secure_element: atecc608a }')), { trials: 50 }),
    ).variants[0]!;
    expect(withSe.time_ms).toEqual(plain.time_ms);
    expect(withSe.energy_mAh.client.mean!).toBeGreaterThan(plain.energy_mAh.client.mean!);
    expect(withSe.energy_mAh.server.mean).toBe(plain.energy_mAh.server.mean);
  });

  it('rejects a device id given as secure_element, and an unsupported I2C clock, naming the field', () => {
    const bad = (client: string) => () => loadScenario(tempScenario(MINIMAL_SCENARIO.replace('client: { device: cortex-m4-120, stack: mbedtls-2.28 }', client)));
    expect(bad('client: { device: cortex-m4-120, stack: mbedtls-2.28, secure_element: esp32 }')).toThrow(
      /client\.secure_element: got "esp32", which is a device profile; expected a secure element \(atecc608a\)/,
    );
    expect(bad('client: { device: atecc608a, stack: mbedtls-2.28 }')).toThrow(/client\.device: got "atecc608a", which is a secure element profile/);
    expect(bad('client: { device: cortex-m4-120, stack: mbedtls-2.28, secure_element: { profile: atecc608a, i2c_clock_kHz: 3400 } }')).toThrow(
      /client\.secure_element\.i2c_clock_kHz: got 3400, expected at most 1000/,
    );
  });
});
