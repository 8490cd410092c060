import { describe, expect, it } from 'vitest';
import { listProfileIds, loadProfile } from '../../src/scenario/load_profile.js';

const ISSUE_5_LINKS = ['ieee802154-6lowpan', 'ble-1m', 'ble-2m', 'lora-sf7', 'lora-sf8', 'lora-sf9', 'lora-sf10', 'lora-sf11', 'lora-sf12', 'nbiot', 'ltem', 'subghz-fsk', 'wifi', 'udp'];

describe('the link profiles of issue 5', () => {
  it('all ship', () => {
    expect(listProfileIds('link')).toEqual(expect.arrayContaining(ISSUE_5_LINKS));
  });

  it.each(ISSUE_5_LINKS)('%s: TX, RX/listen, idle and sleep currents, each with its provenance', (id) => {
    const p = loadProfile('link', id, '.', 'test');
    for (const state of ['tx', 'rx', 'idle', 'sleep'] as const) {
      const f = p.radio_current_mA[state];
      expect(f.value, `${id} ${state}`).toBeGreaterThanOrEqual(0);
      expect(Boolean(f.source ?? f.derived), `${id} ${state} provenance`).toBe(true);
    }
  });

  it('the cellular profiles say they are coarse', () => {
    for (const id of ['nbiot', 'ltem']) expect(loadProfile('link', id, '.', 'test').description).toMatch(/coarse/i);
  });
});
