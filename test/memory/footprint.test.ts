import { describe, expect, it } from 'vitest';
import { flashFootprint } from '../../src/memory/footprint.js';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

const KB = 1024;
const mbedtls = loadProfile('stack', 'mbedtls-2.28', '.', 'stack');

/** The resolved configuration of a one-variant scenario with these extra lines. */
function configOf(extra: string) {
  return loadScenario(tempScenario(MINIMAL_SCENARIO + extra)).variants[0]!.config;
}

describe('flash footprint from published build sizes (mbedtls-2.28)', () => {
  it('PSK with CCM_8 over DTLS: the minimal PSK build (25-35 KB) - 2 KB for CCM + DTLS (2-4 KB)', () => {
    const f = flashFootprint(mbedtls, configOf(''));
    expect(f.parts).toEqual([
      { label: 'psk key exchange', bytes: 30 * KB },
      { label: 'aes128_ccm record protection', bytes: -2 * KB },
      { label: 'DTLS', bytes: 3 * KB },
    ]);
    expect(f.flash_bytes).toBe(31 * KB);
    // Within the published spans: (25..35) - 2 + (2..4) KB.
    expect(f.flash_bytes!).toBeGreaterThanOrEqual(25 * KB);
    expect(f.flash_bytes!).toBeLessThanOrEqual(37 * KB);
  });

  it('certificates cost the minimal ECDSA build (50-65 KB); raw public keys leave X.509 out; RSA adds its 15 KB', () => {
    const cert = flashFootprint(mbedtls, configOf('auth: cert\n'));
    expect(cert.flash_bytes).toBe(57.5 * KB - 2 * KB + 3 * KB);
    const rpk = flashFootprint(mbedtls, configOf('auth: rpk\n'));
    expect(cert.flash_bytes! - rpk.flash_bytes!).toBe(17 * KB);
    expect(rpk.parts.at(-1)).toEqual({ label: 'no X.509 (raw public keys)', bytes: -17 * KB });
    const rsaServer = flashFootprint(mbedtls, configOf('auth: cert\ncertificates: { server_key: rsa2048 }\n'));
    // ECDHE_RSA with AES-GCM: the ECDSA build + RSA, no CCM saving.
    expect(rsaServer.flash_bytes).toBe(57.5 * KB + 15 * KB + 3 * KB);
    const rsaCa = flashFootprint(mbedtls, configOf('auth: cert\ncertificates: { ca_key: rsa2048 }\n'));
    expect(rsaCa.flash_bytes! - cert.flash_bytes!).toBe(15 * KB);
  });

  it('gives no number where nothing is published, and says what is missing', () => {
    const f = flashFootprint(mbedtls, configOf('auth: ecdhe-psk\ngroup: x25519\n'));
    expect(f.flash_bytes).toBeNull();
    expect(f.missing).toEqual(['ecdhe_psk key exchange', 'aes128_cbc record protection', 'Curve25519']);
    const wolfssl = flashFootprint(loadProfile('stack', 'wolfssl-5', '.', 'stack'), configOf(''));
    expect(wolfssl).toEqual({ flash_bytes: null, parts: [], missing: ['a footprint section in stack wolfssl-5'] });
  });
});
