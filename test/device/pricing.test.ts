import { describe, expect, it } from 'vitest';
import { opCycles, opPricer } from '../../src/device/pricing.js';
import { tls12PrfHmacCalls } from '../../src/crypto/tls12_prf.js';
import { loadProfile } from '../../src/scenario/load_profile.js';

const device = loadProfile('device', 'cortex-m4-120', '.', 'test');
const stack = loadProfile('stack', 'mbedtls-2.28', '.', 'test');
const table = stack.cycles['cortex-m4']!;
const cpb = table['sha256.cycles_per_byte']!.value;
const finish = table['sha256.finish_cycles']!.value;

describe('op pricing (cycles on the core, scaled by the clock)', () => {
  it('prices SHA-256 updates per byte and HMAC as two hashes over padded key blocks', () => {
    expect(opCycles(table, { op: 'sha256.update', bytes: 1000 })).toBe(1000 * cpb);
    // inner: 64-byte ipad block + message, outer: 64-byte opad block + 32-byte digest (RFC 2104).
    expect(opCycles(table, { op: 'hmac_sha256', bytes: 100 })).toBe((64 + 100) * cpb + finish + (64 + 32) * cpb + finish);
  });

  it('prices the PRF as the HMAC calls P_SHA256 makes', () => {
    const calls = tls12PrfHmacCalls(77, 48).hmacInputBytes;
    expect(calls.length).toBe(4); // two output blocks: A(1), out(1), A(2), out(2)
    const want = calls.reduce((n, m) => n + opCycles(table, { op: 'hmac_sha256', bytes: m }), 0);
    expect(opCycles(table, { op: 'tls12_prf', bytes: 77, out_bytes: 48 })).toBe(want);
  });

  it('turns cycles into time at the device clock and energy at its active current and voltage', () => {
    const price = opPricer(device, stack);
    const p = price({ op: 'aes128_ccm.encrypt', bytes: 1024 });
    const cycles = table['aes128_ccm.setup_cycles']!.value + 1024 * table['aes128_ccm.cycles_per_byte']!.value;
    expect(p.time_ms).toBeCloseTo(cycles / (device.clock_MHz.value * 1000), 12);
    expect(p.energy_mJ).toBeCloseTo((device.current_mA.active.value * device.supply_V.value * p.time_ms) / 1000, 12);
    expect(p.engine).toBe('software');
    // At the published 216 cycles/byte (mbed TLS benchmark, FRDM-K64F), 1 KiB of CCM costs about 1.9 ms at 120 MHz.
    expect(p.time_ms).toBeGreaterThan(1.8);
    expect(p.time_ms).toBeLessThan(2.0);
  });

  it('prices a public-key op from its cycle figure and refuses, naming the figure, when the stack lacks it', () => {
    expect(opPricer(device, stack)({ op: 'p256.ecdsa_verify', bytes: 32 }).time_ms).toBeCloseTo(751, 9);
    const { ['p256.ecdsa_verify_cycles']: _dropped, ...rest } = table;
    const bare = { ...stack, cycles: { 'cortex-m4': rest } };
    expect(() => opPricer(device, bare)({ op: 'p256.ecdsa_verify', bytes: 32 })).toThrow(
      /stack mbedtls-2\.28: cycles\.cortex-m4 has no p256\.ecdsa_verify_cycles, which the handshake's p256\.ecdsa_verify needs on device cortex-m4-120/,
    );
  });

  it('prices a one-shot hash as the message at the streaming rate plus one final block', () => {
    expect(opCycles(table, { op: 'sha256.hash', bytes: 100 })).toBe(100 * cpb + finish);
  });
});

describe('accelerators: routed by the stack per device, never assumed faster', () => {
  const l5 = loadProfile('device', 'stm32l5-pka', '.', 'test');
  const spAsm = loadProfile('stack', 'wolfssl-5-sp-asm', '.', 'test');
  const generic = loadProfile('stack', 'wolfssl-5', '.', 'test');

  it('STM32L5: the PKA does P-256 keygen and ECDH slower than SP-ASM software on the same core (wolfSSL benchmarks)', () => {
    const sw = opPricer(l5, spAsm);
    const pka = opPricer(l5, spAsm, { engines: { 'p256.keygen': 'accelerator:pka', 'p256.ecdh': 'accelerator:pka' } });
    // 97.0 vs 28.1 ms for keygen, 94.2 vs 60.3 ms for ECDH (STM32L562E-DK at 110 MHz).
    for (const [op, atLeast] of [['p256.keygen', 3], ['p256.ecdh', 1.5]] as const) {
      expect(sw({ op, bytes: 0 }).engine).toBe('software');
      expect(pka({ op, bytes: 0 }).engine).toBe('accelerator:pka');
      expect(pka({ op, bytes: 0 }).time_ms).toBeGreaterThan(atLeast * sw({ op, bytes: 0 }).time_ms);
    }
    // ... while the generic-math build is far slower still, which is why it routes to the PKA.
    const viaRoute = opPricer(l5, generic)({ op: 'p256.keygen', bytes: 0 });
    expect(viaRoute.engine).toBe('accelerator:pka');
    expect(viaRoute.time_ms).toBeCloseTo(97.0, 9);
  });

  it('prices accelerator cycles at the core clock and charges the CPU current the accelerator leaves it in', () => {
    const p = opPricer(l5, spAsm)({ op: 'sha256.hash', bytes: 1024 });
    const hash = l5.accelerators!.hash!;
    const cycles = 1024 * hash.ops.sha256!.per_byte!.value + hash.ops.sha256!.per_call!.value;
    expect(p.engine).toBe('accelerator:hash');
    expect(p.time_ms).toBeCloseTo(cycles / 110_000, 12);
    expect(p.current_mA).toBeCloseTo(l5.current_mA.active.value + hash.current_mA.value, 12); // busy-waits
    const cc310 = opPricer(loadProfile('device', 'nrf52840-cc310', '.', 'test'), spAsm)({ op: 'p256.ecdsa_sign', bytes: 0 });
    expect(cc310.engine).toBe('accelerator:cc310');
    expect(cc310.time_ms).toBeCloseTo(20.1, 9); // wolfSSL CRYPTOCELL README
  });

  it('refuses an engine override naming an accelerator the device lacks, or one without that op', () => {
    expect(() => opPricer(device, stack, { engines: { 'p256.keygen': 'accelerator:pka' } })).toThrow(/engines\.p256\.keygen: device cortex-m4-120 has no accelerator "pka"/);
    expect(() => opPricer(l5, spAsm, { engines: { 'x25519.ecdh': 'accelerator:pka' } })).toThrow(/accelerator pka of device stm32l5-pka lists no cost for x25519\.ecdh/);
  });

  it('refuses a stack with no cycle table for the core when an op needs software', () => {
    const tiny = loadProfile('stack', 'tinydtls', '.', 'test');
    expect(() => opPricer(device, tiny)({ op: 'sha256.hash', bytes: 1 })).toThrow(/stack tinydtls has no cycle table for core cortex-m4/);
  });
});
