import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { InputError } from '../../src/scenario/errors.js';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { tempScenario } from '../helpers/cli.js';

/** A lossless ECDHE-ECDSA (X.509) handshake with both ends on one device and stack. */
function certHandshakeOn(device: string, stack: string) {
  const yaml = `name: p256-on-${device}
seed: 3
trials: 5
auth: cert
cipher_suite: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
client: { device: ${device}, stack: ${stack} }
server: { device: ${device}, stack: ${stack} }
link: { profile: ieee802154-6lowpan, loss: 0 }
`;
  const s = loadScenario(tempScenario(yaml));
  return simulateVariant(s.variants[0]!, s.seed, s.trials);
}

const P256_OPS = ['p256.keygen', 'p256.ecdh', 'p256.ecdsa_sign', 'p256.ecdsa_verify'] as const;

describe('an ECDHE-ECDSA handshake puts P-256 on the part\'s crypto engine, at the profile\'s fixed times', () => {
  // The key generation each profile's figure was taken from: wolfSSL IDE/SimplicityStudio/README.md
  // (xG21, Secure Engine); for the CryptoCell-312, whose times are unpublished, the CryptoCell-310
  // stand-in of wolfSSL IDE/CRYPTOCELL/README.md (nRF52840).
  for (const [device, engine, keygen_ms] of [
    ['efr32mg21', 'se', 5.837],
    ['nrf5340-cc312', 'cc312', 18.5],
  ] as const) {
    for (const stack of ['wolfssl-5', 'wolfssl-5-sp-asm']) {
      it(`${device} with ${stack}: every P-256 op on accelerator:${engine}, count x the profile's µs, at the CPU's active current`, () => {
        const profile = loadProfile('device', device, '.', 'test');
        const accelerator = profile.accelerators![engine]!;
        expect(accelerator.cost_unit).toBe('us');
        const report = certHandshakeOn(device, stack);
        const p256 = report.ops.filter((o) => o.op.startsWith('p256.'));
        // The server signs, the client verifies the chain and the ServerKeyExchange; both generate and agree.
        expect(new Set(p256.map((o) => o.op))).toEqual(new Set(P256_OPS));
        expect(p256.find((o) => o.op === 'p256.keygen' && o.endpoint === 'client')!.time_ms).toBeCloseTo(keygen_ms, 9);
        for (const o of p256) {
          const us = accelerator.ops[o.op as (typeof P256_OPS)[number]]!.per_call!.value;
          expect({ op: o.op, engine: o.engine }).toEqual({ op: o.op, engine: `accelerator:${engine}` });
          expect(o.time_ms).toBeCloseTo((o.count * us) / 1000, 9);
          // The CPU waits for the engine (busy or halted) at the current the profile names for it.
          const wait_mA = accelerator.cpu_during_op === 'busy_waits' ? profile.current_mA.active.value : profile.current_mA.wait!.value;
          expect(o.energy_mJ).toBeCloseTo(((wait_mA + accelerator.current_mA.value) * o.time_ms * profile.supply_V.value) / 1000, 9);
        }
      });
    }
  }

  it('efr32mg21 with Mbed TLS 2.28 (no Cortex-M33 cycle table, no routes) is refused as bad input, naming the stack and the core', () => {
    const yaml = `name: mbedtls-on-efr32
seed: 1
trials: 5
client: { device: efr32mg21, stack: mbedtls-2.28 }
server: { device: cortex-m4-120, stack: mbedtls-2.28 }
link: { profile: ieee802154-6lowpan, loss: 0 }
`;
    const load = () => loadScenario(tempScenario(yaml));
    expect(load).toThrow(InputError);
    expect(load).toThrow(/client: stack mbedtls-2\.28 has no cycle table for core cortex-m33 \(device efr32mg21\); it has: cortex-m4, cortex-m3/);
  });
});
