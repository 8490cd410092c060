import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

const report = runScenario(loadScenario('scenarios/crypto-engines.yaml', { trials: 50 }));
const variant = (name: string) => report.variants.find((v) => v.name === name)!;

describe('the report names the engine of every op, per endpoint', () => {
  it('software on the Cortex-M4; hash and AES engines on the STM32L5 client, its DRBG in software', () => {
    const client = (name: string) => variant(name).ops.filter((o) => o.endpoint === 'client');
    expect(new Set(client('m4-software').map((o) => o.engine))).toEqual(new Set(['software']));
    const l5 = Object.fromEntries(client('stm32l5-pka').map((o) => [o.op, o.engine]));
    expect(l5).toMatchObject({ 'sha256.update': 'accelerator:hash', tls12_prf: 'accelerator:hash', 'aes128_gcm.encrypt': 'accelerator:aes', rng: 'software' });
    for (const o of report.variants.flatMap((v) => v.ops)) expect(o.energy_mJ).toBeGreaterThan(0);
  });

  it('an attached secure element idles at 0.8 mA: the same handshake costs the client more charge', () => {
    const plain = variant('m4-software');
    const withSe = variant('m4-atecc608a');
    expect(withSe.time_ms).toEqual(plain.time_ms); // PSK: no op runs on the element
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
