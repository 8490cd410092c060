import { describe, expect, it } from 'vitest';
import { opPricer } from '../../src/device/pricing.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

/**
 * What a resent flight and a repeated copy cost again is the record-layer work of the step
 * that produced or received it. For the CBC suite that is more than the cipher: the record
 * HMAC on both sides and, when sealing, the explicit IV drawn from the DRBG.
 */
describe('record-layer work charged again per copy of a record', () => {
  const s = loadScenario(tempScenario(MINIMAL_SCENARIO + 'cipher_suite: TLS_PSK_WITH_AES_128_CBC_SHA256\n'));
  const v = s.variants[0]!;
  const t = transcriptFor(v, s.seed);
  const model = buildReplayModel(v, t);

  it.each(['client', 'server'] as const)('%s: resend = its seal-side ops, duplicate = its open-side ops, step by step', (role) => {
    const price = opPricer(v[role].device, v[role].stack);
    const steps = model.flights.length;
    const sum = (side: 'seal' | 'open', step: number) =>
      t.ops.filter((o) => o.endpoint === role && o.step === step && o.record_layer === side).reduce((n, o) => n + price(o).time_ms, 0);
    for (let step = 0; step <= steps; step++) {
      expect(model[role].resend_ms[step]).toBeCloseTo(sum('seal', step), 12);
      expect(model[role].duplicate_ms[step]).toBeCloseTo(sum('open', step), 12);
    }
  });

  it('the client Finished: IV, MAC and encryption on resend; the server pays decryption and MAC per copy', () => {
    const fin = t.flights.find((f) => f.from === 'client' && f.messages.includes('Finished'))!;
    const sealed = t.ops.filter((o) => o.endpoint === 'client' && o.step === fin.index - 1 && o.record_layer === 'seal').map((o) => o.op);
    // mbedTLS 2.28 negotiates encrypt-then-MAC: encrypt, then MAC; the receiver checks the MAC first.
    expect(sealed).toEqual(['rng', 'aes128_cbc.encrypt', 'hmac_sha256']);
    const opened = t.ops.filter((o) => o.endpoint === 'server' && o.step === fin.index && o.record_layer === 'open').map((o) => o.op);
    expect(opened).toEqual(['hmac_sha256', 'aes128_cbc.decrypt']);
    expect(model.client.resend_ms[fin.index - 1]).toBeGreaterThan(0);
    expect(model.server.duplicate_ms[fin.index]).toBeGreaterThan(0);
  });
});
