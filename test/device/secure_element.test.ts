import { describe, expect, it } from 'vitest';
import { opPricer } from '../../src/device/pricing.js';
import { pollingWait_ms, seOpTiming } from '../../src/device/secure_element.js';
import { loadProfile } from '../../src/scenario/load_profile.js';

const se = loadProfile('secure_element', 'atecc608a', '.', 'test');
const host = loadProfile('device', 'cortex-m4-120', '.', 'test');
const stack = loadProfile('stack', 'mbedtls-2.28', '.', 'test');
const m0 = { clock_divider: 'm0' as const, i2c_clock_kHz: 400 };

describe('ATECC608A over I2C: host-observed time', () => {
  it('rounds the execution time up to CryptoAuthLib polling grid (first read after 1 ms, then every 2 ms)', () => {
    expect(pollingWait_ms(se, 0.5)).toBe(1);
    expect(pollingWait_ms(se, 20)).toBe(21); // 1 + 2 x ceil(19 / 2)
    expect(pollingWait_ms(se, 115)).toBe(115); // 1 + 2 x 57
    expect(pollingWait_ms(se, 116)).toBe(117);
  });

  it('derives ECDSA sign as Nonce then Sign, each its own wake, transfers, wait and idle', () => {
    const t = seOpTiming(se, 'p256.ecdsa_sign', m0);
    expect(t.commands.map((c) => c.command)).toEqual(['Nonce', 'Sign']);
    // I2C: 9 clocks per byte; 400 kHz -> 0.0225 ms/byte, the 100 kHz wake -> 0.09 ms/byte.
    const wake = 2 * 0.09 + 1.5 + 5 * 0.09; // pulse (address 0x00 + 1 byte), tWHI, wake token (address + 4)
    const [nonce, sign] = t.commands;
    expect(nonce!.wake_ms).toBeCloseTo(wake, 12);
    expect(nonce!.send_ms).toBeCloseTo((2 + 39) * 0.0225, 12); // address + word address 0x03 + 39-byte Nonce
    expect(nonce!.receive_ms).toBeCloseTo((4 + 4) * 0.0225, 12);
    expect(nonce!.wait_ms).toBe(21);
    expect(sign!.send_ms).toBeCloseTo((2 + 7) * 0.0225, 12);
    expect(sign!.receive_ms).toBeCloseTo((4 + 67) * 0.0225, 12);
    expect(sign!.idle_ms).toBeCloseTo(2 * 0.0225, 12);
    expect(t.datasheet_ms).toBe(20 + 115);
    const expected = 2 * wake + (41 + 8 + 2 + 9 + 71 + 2) * 0.0225 + 21 + 115;
    expect(t.host_observed_ms).toBeCloseTo(expected, 12);
    // Why the host sees more than the table: two wakes, the bus and the polling grid.
    expect(t.host_observed_ms - t.datasheet_ms).toBeCloseTo(2 * wake + 133 * 0.0225 + 1, 12);
  });

  it('is slower in the low-current clock-divider modes, and cheaper on the bus at 1 MHz', () => {
    const at = (mode: 'm0' | 'm1' | 'm2', kHz = 400) => seOpTiming(se, 'p256.ecdsa_verify', { clock_divider: mode, i2c_clock_kHz: kHz }).host_observed_ms;
    expect(at('m0')).toBeLessThan(at('m1'));
    expect(at('m1')).toBeLessThan(at('m2'));
    // The 135-byte Verify packet: 2.7 ms less at 1 MHz than at 400 kHz on the send alone.
    expect(at('m0') - at('m0', 1000)).toBeGreaterThan((137 * 9) / 400 - (137 * 9) / 1000 - 1e-9);
  });

  it('prices the op for the host with the element attached: engine, time and the charge of host plus element', () => {
    const price = opPricer(host, stack, { secure_element: { profile: se, ...m0, groups: ['p256.ecdsa_sign'] } });
    const p = price({ op: 'p256.ecdsa_sign', bytes: 0 });
    const t = seOpTiming(se, 'p256.ecdsa_sign', m0);
    expect(p.engine).toBe('secure_element:atecc608a');
    expect(p.time_ms).toBeCloseTo(t.host_observed_ms, 12);
    // Host busy-waits at 31 mA throughout; the element draws 14 mA during Sign, 3 mA otherwise.
    const bus = t.commands.reduce((n, c) => n + c.wake_ms + c.send_ms + c.receive_ms + c.idle_ms, 0);
    const want = 31 * t.host_observed_ms + 3 * bus + 3 * 21 + 14 * 115;
    expect(p.charge_mA_ms).toBeCloseTo(want, 9);
    // Software ops keep running on the host and carry the element's idle current (0.8 mA).
    const sw = price({ op: 'sha256.hash', bytes: 64 });
    expect(sw.engine).toBe('software');
    expect(sw.current_mA).toBeCloseTo(31 + 0.8, 12);
  });
});
