import { describe, expect, it } from 'vitest';
import { opPricer } from '../../src/device/pricing.js';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { runCli } from '../helpers/cli.js';

describe('handshake-sim profiles', () => {
  it('lists every shipped profile with its kind', () => {
    const r = runCli(['profiles', 'list', '--format', 'json']);
    expect(r.status).toBe(0);
    const ids = JSON.parse(r.stdout).profiles.map((p: { kind: string; id: string }) => `${p.kind}:${p.id}`);
    expect(ids).toEqual(expect.arrayContaining(['device:cortex-m4-120', 'stack:mbedtls-2.28', 'link:ieee802154-6lowpan', 'link:udp']));
  });

  it('shows every figure with its provenance', () => {
    const r = runCli(['profiles', 'show', 'ieee802154-6lowpan', '--format', 'json']);
    expect(r.status).toBe(0);
    const shown = JSON.parse(r.stdout);
    const tx = shown.figures.find((f: { field: string }) => f.field === 'radio_current_mA.tx');
    expect(tx).toMatchObject({ value: 6.4, range: [4.8, 6.4] });
    expect(tx.provenance).toMatch(/^source: nRF52840 Product Specification/);
    for (const f of shown.figures) expect(f.provenance).toMatch(/^(source|derived): \S/);
  });

  it('prices the ops of a device with a stack, for 1 KiB each, as the simulator does', () => {
    const r = runCli(['profiles', 'show', 'cortex-m4-120', '--stack', 'mbedtls-2.28', '--format', 'json']);
    expect(r.status).toBe(0);
    const { ops } = JSON.parse(r.stdout);
    const price = opPricer(loadProfile('device', 'cortex-m4-120', '.', 't'), loadProfile('stack', 'mbedtls-2.28', '.', 't'));
    const ccm = ops.find((o: { op: string }) => o.op === 'aes128_ccm.encrypt');
    expect(ccm).toMatchObject({ engine: 'software', current_mA: 31, bytes: 1024 });
    expect(ccm.time_ms).toBeCloseTo(price({ op: 'aes128_ccm.encrypt', bytes: 1024 }).time_ms, 12);
    const table = runCli(['profiles', 'show', 'cortex-m4-120', '--stack', 'mbedtls-2.28']).stdout;
    expect(table).toMatch(/AES-128-CCM encrypt \(1 KiB\) +1\.878 ms {2}software {2}31 mA/);
  });

  it('prices each public-key op whole, with the source of its figure', () => {
    const r = runCli(['profiles', 'show', 'cortex-m4-120', '--stack', 'mbedtls-2.28', '--format', 'json']);
    const { asymmetric_ops } = JSON.parse(r.stdout);
    const sign = asymmetric_ops.find((o: { op: string }) => o.op === 'p256.ecdsa_sign');
    // 387 ms: mbed TLS benchmark on FRDM-K64F at 120 MHz (the profile's value), so 46.44 M cycles.
    expect(sign).toMatchObject({ engine: 'software', current_mA: 31 });
    expect(sign.time_ms).toBeCloseTo(387, 9);
    expect(sign.source).toMatch(/FRDM-K64F/);
    expect(asymmetric_ops.map((o: { op: string }) => o.op)).toEqual([
      'p256.keygen', 'p256.ecdh', 'p256.ecdsa_sign', 'p256.ecdsa_verify', 'x25519.keygen', 'x25519.ecdh', 'rsa2048.sign', 'rsa2048.verify',
    ]);
  });

  it('exits 2 with a suggestion for an unknown id, and for --stack with a non-device', () => {
    const r = runCli(['profiles', 'show', 'cortex-m4-12']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/did you mean "cortex-m4-120"\?/);
    const s = runCli(['profiles', 'show', 'udp', '--stack', 'mbedtls-2.28']);
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/--stack: only with a device profile; udp is a link/);
  });

  it('shows, for every device, each public-key op with its engine, current and the source of the figure that priced it', () => {
    for (const [device, stack] of [['cortex-m4-120', 'mbedtls-2.28'], ['stm32l5-pka', 'wolfssl-5'], ['nrf52840-cc310', 'wolfssl-5-sp-asm'], ['esp32', 'wolfssl-5'], ['efr32mg21', 'wolfssl-5'], ['nrf5340-cc312', 'wolfssl-5']]) {
      const r = runCli(['profiles', 'show', device!, '--stack', stack!, '--format', 'json']);
      expect(r.status).toBe(0);
      const shown = JSON.parse(r.stdout);
      expect(shown.asymmetric_ops.length).toBeGreaterThan(3);
      for (const o of shown.asymmetric_ops) {
        expect(o.engine).toMatch(/^(software|accelerator:\w+)$/);
        expect(o.source).not.toBe('');
        expect(o.current_mA).toBeGreaterThan(0);
      }
      expect(shown.ops.find((o: { op: string }) => o.op === 'sha256.update')).toMatchObject({ bytes: 1024 });
    }
    const pka = JSON.parse(runCli(['profiles', 'show', 'stm32l5-pka', '--stack', 'wolfssl-5', '--format', 'json']).stdout);
    const keygen = pka.asymmetric_ops.find((o: { op: string }) => o.op === 'p256.keygen');
    expect(keygen).toMatchObject({ engine: 'accelerator:pka' });
    expect(keygen.time_ms).toBeCloseTo(97, 9);
    expect(keygen.source).toMatch(/STM32L562E \(STM PKA/);
    const se = runCli(['profiles', 'show', 'atecc608a']);
    expect(se.status).toBe(0);
    expect(se.stdout).toMatch(/^secure_element atecc608a/);
  });
});
