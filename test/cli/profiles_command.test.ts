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

  it('lists the ECP window table of mbedtls-2.28: the default and each size 2..6 with its factors and source', () => {
    const r = runCli(['profiles', 'show', 'mbedtls-2.28', '--format', 'json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout).figures.filter((f: { field: string }) => f.field.startsWith('ecp_window.'));
    expect(rows.map((f: { field: string }) => f.field)).toEqual([
      'ecp_window.default_size',
      ...['2', '3', '4', '5', '6'].flatMap((w) => [`ecp_window.sizes.${w}.time_factor`, `ecp_window.sizes.${w}.heap_factor`]),
    ]);
    const row = (field: string) => rows.find((f: { field: string }) => f.field === field);
    expect(row('ecp_window.default_size')).toMatchObject({ value: 4 });
    expect(row('ecp_window.default_size').provenance).toMatch(/ecp\.h of Mbed TLS 2\.28/);
    // The knowledge base's P-256 figures: ECDHE/s 53 / 44 at window 2, heap 2064 / 3592 B.
    expect(row('ecp_window.sizes.2.time_factor').value).toBe(53 / 44);
    expect(row('ecp_window.sizes.2.heap_factor').value).toBe(2064 / 3592);
    expect(row('ecp_window.sizes.2.time_factor').provenance).toMatch(/How to tune Elliptic Curves resource usage/);
    // A figure with both shows both: the documents and the formula built from them.
    expect(row('ecp_window.sizes.2.time_factor').provenance).toMatch(/; derived: ECDHE\/s at window 4 \/ ECDHE\/s at window 2 = 53 \/ 44/);
    const table = runCli(['profiles', 'show', 'mbedtls-2.28']).stdout;
    expect(table).toMatch(/^ecp_window\.sizes\.2\.time_factor = 1\.205 {2}\(range 1\.169 \.\. 1\.205\)$/m);
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

  it('issue 4: efr32mg21 and nrf5340-cc312 with wolfssl-5 show every public-key op (time, engine, current, source, stand-in) and the symmetric ops for 1 KiB', () => {
    type AsymmetricRow = { op: string; time_ms: number; engine: string; current_mA: number; source: string; stand_in?: string };
    const shown = (device: string) => {
      const r = runCli(['profiles', 'show', device, '--stack', 'wolfssl-5', '--format', 'json']);
      expect(r.status).toBe(0);
      const json = JSON.parse(r.stdout) as { ops: { op: string; bytes: number; engine: string }[]; asymmetric_ops: AsymmetricRow[] };
      return { ...json, asym: Object.fromEntries(json.asymmetric_ops.map((o) => [o.op, o])), table: runCli(['profiles', 'show', device, '--stack', 'wolfssl-5']).stdout };
    };
    /** The four P-256 ops: their times in order, each on `engine` at `mA`, with a source and (or not) a stand-in. */
    const expectP256 = (d: ReturnType<typeof shown>, want: { times_ms: number[]; engine: string; mA: number; source: RegExp; standIn: RegExp | null }) => {
      const p256 = ['p256.keygen', 'p256.ecdh', 'p256.ecdsa_sign', 'p256.ecdsa_verify'].map((op) => d.asym[op]!);
      expect(p256.map((o) => Number(o.time_ms.toFixed(9)))).toEqual(want.times_ms);
      for (const o of p256) {
        expect({ op: o.op, engine: o.engine }).toEqual({ op: o.op, engine: want.engine });
        expect(o.current_mA).toBeCloseTo(want.mA, 9);
        expect(o.source).toMatch(want.source);
        if (want.standIn) expect(o.stand_in).toMatch(want.standIn);
        else expect(o).not.toHaveProperty('stand_in');
      }
    };

    // EFR32MG21: the Secure Engine's own times (wolfSSL IDE/SimplicityStudio/README.md, xG21 at 80 MHz),
    // the CPU polling at its (stand-in) EM0 current; RSA in software.
    const efr = shown('efr32mg21');
    expectP256(efr, { times_ms: [5.837, 5.403, 5.787, 6.269], engine: 'accelerator:se', mA: 7.76, source: /IDE\/SimplicityStudio\/README\.md|same README/, standIn: null });
    expect(efr.asym['rsa2048.sign']).toMatchObject({ engine: 'software' });
    expect(efr.asym['rsa2048.sign']!.source).toMatch(/STM32L562E/);
    expect(efr.ops.find((o) => o.op === 'aes128_ccm.encrypt')).toMatchObject({ bytes: 1024, engine: 'accelerator:se' });

    // nRF5340: the CC312 priced with the CC310's times, marked as stand-ins; RSA-2048 not on the CC312 via PSA.
    const nrf = shown('nrf5340-cc312');
    expectP256(nrf, {
      times_ms: [18.5, 18.2, 20.1, 21.4],
      engine: 'accelerator:cc312',
      mA: 2.7,
      source: /IDE\/CRYPTOCELL\/README\.md|same README/,
      standIn: /CryptoCell-310 of the nRF52840/,
    });
    expect(nrf.asym['rsa2048.verify']).toMatchObject({ engine: 'software' });
    expect(nrf.ops.find((o) => o.op === 'sha256.update')).toMatchObject({ bytes: 1024, engine: 'accelerator:cc312' });
    expect(nrf.ops.find((o) => o.op === 'aes128_gcm.encrypt')).toMatchObject({ bytes: 1024, engine: 'software' });

    // The table says the same, with each public-key op's source and stand-in under it.
    expect(efr.table).toMatch(/ECDSA P-256 sign +5\.787 ms {2}accelerator:se {2}7\.76 mA .*\n {6}source: same README, "ECDSA \[ SECP256R1\] 256 sign/);
    expect(nrf.table).toMatch(/P-256 key generation +18\.5 ms {2}accelerator:cc312 {2}2\.7 mA .*\n {6}source: wolfSSL IDE\/CRYPTOCELL.*\n {6}stand-in: the CryptoCell-310 of the nRF52840/);
    expect(nrf.table).toMatch(/SHA-256 \(1 KiB absorbed\) +0\.03954 ms {2}accelerator:cc312/);
  });
});
