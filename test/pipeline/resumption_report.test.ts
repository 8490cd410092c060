import { describe, expect, it } from 'vitest';
import { simulateVariant } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

describe('a full handshake followed by K resumptions, reported side by side', () => {
  const run = (extra: string, trials = 300) => {
    const scenario = loadScenario(tempScenario(MINIMAL_SCENARIO + extra));
    return simulateVariant(scenario.variants[0]!, scenario.seed, trials);
  };

  it.each(['session_id', 'ticket'] as const)('by %s: a resumed handshake is shorter, cheaper and adds up to the total', (mode) => {
    const report = run(`resumption: { mode: ${mode}, count: 3 }\n`);
    const r = report.resumption!;
    expect(r).toMatchObject({ mode, count: 3 });
    expect(r.flights.map((f) => f.messages.join('+'))).toEqual([
      'ClientHello',
      'HelloVerifyRequest',
      'ClientHello',
      'ServerHello+ChangeCipherSpec+Finished',
      'ChangeCipherSpec+Finished',
    ]);
    // The resuming ClientHello carries the 32-byte session ID and, by ticket, the ticket itself:
    // key name 4 + IV 12 + length 2 + state (suite 2, EMS flag 1, master secret 48) + tag 16 = 85 bytes.
    const grown = mode === 'ticket' ? 32 + 85 : 32;
    expect(r.flights[0]!.bytes - report.flights[0]!.bytes).toBe(grown);
    // So for PSK a ticket resumption can cost more bytes than the full handshake; by ID it costs fewer.
    if (mode === 'session_id') expect(r.bytes_on_air.lossless).toBeLessThan(report.bytes_on_air.lossless);
    expect(r.crypto_time_ms.client).toBeLessThan(report.crypto_time_ms.client);
    // The total per trial is the full handshake plus three resumptions, each at least as long as a lossless one.
    expect(r.total.time_ms.mean!).toBeGreaterThan(report.time_ms.mean! + 3 * r.time_ms.p50! * 0.99);
    expect(r.total.energy_mJ.client.mean!).toBeCloseTo(report.energy_mJ.client.mean! + 3 * r.energy_mJ.client.mean!, 6);
    expect(r.total.success_rate).toBeLessThanOrEqual(Math.min(report.success_rate, r.success_rate));
  });

  it('a ticket costs the server a seal in the full handshake and an open in each resumption', () => {
    const report = run('resumption: { mode: ticket, count: 1 }\n', 20);
    const serverOps = (ops: { endpoint: string; op: string; count: number }[]) => ops.filter((o) => o.endpoint === 'server').map((o) => `${o.op} x${o.count}`);
    expect(serverOps(report.ops)).toContain('aes128_gcm.encrypt x1');
    expect(serverOps(report.resumption!.ops)).toContain('aes128_gcm.decrypt x1');
  });

  it('leaves resumption null when the scenario does not ask for it', () => {
    expect(run('', 10).resumption).toBeNull();
  });
});
