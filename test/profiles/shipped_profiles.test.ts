import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listProfileIds, loadProfile, PROFILE_FOLDER, type ProfileKind } from '../../src/scenario/load_profile.js';
import { PROFILES_DIR } from '../../src/scenario/package_root.js';
import { figuresIn } from '../../src/scenario/figure.js';

const KINDS: ProfileKind[] = ['device', 'secure_element', 'stack', 'link'];

describe('shipped profiles', () => {
  for (const kind of KINDS) {
    const ids = listProfileIds(kind);
    it(`${kind}s: at least one ships, and each loads under its own id`, () => {
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(loadProfile(kind, id, '.', 'test').id).toBe(id);
    });
    it(`${kind}s: every number carries a source or a derived formula`, () => {
      for (const id of ids) {
        const raw = parseYaml(readFileSync(join(PROFILES_DIR, PROFILE_FOLDER[kind], `${id}.yaml`), 'utf8'));
        const figs = figuresIn(raw);
        expect(figs.length).toBeGreaterThan(0);
        for (const f of figs) {
          const ok = typeof f.figure.source === 'string' || typeof f.figure.derived === 'string';
          expect({ id, path: f.path, ok }).toEqual({ id, path: f.path, ok: true });
        }
      }
    });
  }

  it('the issue-4 device, secure-element and stack profiles exist', () => {
    expect(listProfileIds('device')).toEqual(expect.arrayContaining(['cortex-m4-120', 'stm32l5-pka', 'nrf52840-cc310', 'esp32', 'efr32mg21', 'nrf5340-cc312']));
    expect(listProfileIds('secure_element')).toEqual(['atecc608a']);
    expect(listProfileIds('stack')).toEqual(expect.arrayContaining(['mbedtls-2.28', 'wolfssl-5', 'wolfssl-5-sp-asm', 'tinydtls']));
  });

  it('the issue-2 profiles exist: cortex-m4-120, mbedtls-2.28, ieee802154-6lowpan, udp', () => {
    expect(listProfileIds('device')).toContain('cortex-m4-120');
    expect(listProfileIds('stack')).toContain('mbedtls-2.28');
    expect(listProfileIds('link')).toEqual(expect.arrayContaining(['ieee802154-6lowpan', 'udp']));
  });
});
