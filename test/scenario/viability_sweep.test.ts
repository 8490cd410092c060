import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';

/*
 * scenarios/viability-sweep.yaml must show where the handshake stops being viable: these are the
 * qualitative findings it exists for, checked on fewer trials.
 */
describe('scenarios/viability-sweep.yaml', () => {
  const report = runScenario(loadScenario('scenarios/viability-sweep.yaml', { trials: 200 }));
  const v = (name: string) => {
    const found = report.variants.find((x) => x.name === name);
    if (!found) throw new Error(`no variant ${name}`);
    return found;
  };

  it('802.15.4: success falls and the p95 time grows with frame loss; below 95 % success at 40 %', () => {
    const losses = ['0', '0.1', '0.2', '0.3', '0.4'].map((l) => v(`802154 loss ${l}`));
    for (let i = 1; i < losses.length; i++) {
      expect(losses[i]!.success_rate).toBeLessThanOrEqual(losses[i - 1]!.success_rate);
      expect(losses[i]!.time_ms.p95!).toBeGreaterThan(losses[i - 1]!.time_ms.p95!);
    }
    expect(losses[0]!.success_rate).toBe(1);
    expect(losses[4]!.success_rate).toBeLessThan(0.95);
    expect(report.budgets.find((b) => b.variant === '802154 loss 0.4' && b.metric === 'success_rate')!.pass).toBe(false);
  });

  it('802.15.4 with MAC retries keeps the handshake viable at 30 and 40 % frame loss, with fewer DTLS retransmissions', () => {
    for (const loss of ['0.3', '0.4']) {
      const mac = v(`802154+mac loss ${loss}`);
      expect(mac.success_rate).toBe(1);
      expect(mac.retransmissions.mean!).toBeLessThan(v(`802154 loss ${loss}`).retransmissions.mean!);
      expect(mac.time_ms.p95!).toBeLessThan(v(`802154 loss ${loss}`).time_ms.p95!);
    }
  });

  it('LoRaWAN: longer initial timers make the handshake faster; SF9 fails with 1 s and 9 s timers', () => {
    const sf7 = ['1s', '9s', '30s'].map((t) => v(`lora-sf7 timer ${t}`));
    for (const x of sf7) expect(x.success_rate).toBe(1);
    expect(sf7[1]!.time_ms.p50!).toBeLessThan(sf7[0]!.time_ms.p50!);
    expect(sf7[2]!.time_ms.p50!).toBeLessThan(sf7[1]!.time_ms.p50!);
    expect(v('lora-sf9 timer 1s').success_rate).toBe(0);
    expect(v('lora-sf9 timer 9s').success_rate).toBe(0);
    expect(v('lora-sf9 timer 30s').success_rate).toBe(1);
    // Even the lossless SF7 handshake takes tens of seconds: the 1 % duty cycle and class A windows.
    expect(sf7[2]!.time_ms.p50!).toBeGreaterThan(30_000);
  });
});
