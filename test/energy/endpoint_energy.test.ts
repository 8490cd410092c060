import { describe, expect, it } from 'vitest';
import { endpointEnergy } from '../../src/energy/endpoint_energy.js';
import { runScenario, transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';
import { endpoint } from '../replay/model_fixture.js';

describe('energy of one endpoint from its state times', () => {
  it('each state: current x time x supply voltage (crypto work: its charge, priced per engine); charge in mAh = sum of mA x ms / 3.6e6', () => {
    const m = endpoint(1, { sleep_mA: 0.05, radio_tx_mA: 6, radio_rx_mA: 7, radio_idle_mA: 2, radio_sleep_mA: 0.001, supply_V: 3 });
    const t = { cpu_active: 10, cpu_sleep: 990, radio_tx: 4, radio_rx: 20, radio_idle: 6, radio_sleep: 970 };
    // 10 ms of work at 30 mA, as the replay sums it from the ops' engine currents.
    const e = endpointEnergy(m, t, 30 * 10);
    const expected = {
      cpu_active: (30 * 10 * 3) / 1000,
      cpu_sleep: (0.05 * 990 * 3) / 1000,
      radio_tx: (6 * 4 * 3) / 1000,
      radio_rx: (7 * 20 * 3) / 1000,
      radio_idle: (2 * 6 * 3) / 1000,
      radio_sleep: (0.001 * 970 * 3) / 1000,
    };
    expect(Object.keys(e.breakdown_mJ).sort()).toEqual(Object.keys(expected).sort());
    for (const [k, v] of Object.entries(expected)) expect(e.breakdown_mJ[k as keyof typeof expected], k).toBeCloseTo(v, 15);
    const mA_ms = 30 * 10 + 0.05 * 990 + 6 * 4 + 7 * 20 + 2 * 6 + 0.001 * 970;
    expect(e.charge_mAh).toBeCloseTo(mA_ms / 3_600_000, 15);
    expect(e.energy_mJ).toBeCloseTo(Object.values(e.breakdown_mJ).reduce((n, x) => n + x, 0), 12);
  });
});

describe('listen modes in a lossless 802.15.4 handshake', () => {
  const scenario = (listen: string) =>
    loadScenario(tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', `loss: 0, jitter_ms: 0, radio_listen: ${listen}`) + 'cookie: false\n'));

  it('always-on: the radio receives whenever it does not send; duty-cycled: only while the peer\'s frames are on the air, asleep otherwise', () => {
    for (const listen of ['always-on', 'duty-cycled']) {
      const s = scenario(listen);
      const v = s.variants[0]!;
      const model = buildReplayModel(v, transcriptFor(v, s.seed));
      const r = runTrial(model, s.seed, 0);
      const airtime = (from: 'client' | 'server') => model.flights.filter((f) => f.from === from).reduce((n, f) => n + f.datagrams.reduce((m, d) => m + d.airtime_ms, 0), 0);
      for (const [me, peer] of [['client', 'server'], ['server', 'client']] as const) {
        const st = r.states[me];
        expect(st.radio_tx).toBeCloseTo(airtime(me), 9);
        expect(st.radio_idle).toBe(0);
        if (listen === 'always-on') {
          expect(st.radio_rx).toBeCloseTo(r.time_ms - airtime(me), 9);
          expect(st.radio_sleep).toBe(0);
        } else {
          expect(st.radio_rx).toBeCloseTo(airtime(peer), 9);
          expect(st.radio_sleep).toBeCloseTo(r.time_ms - airtime(me) - airtime(peer), 9);
        }
        // Every instant of the trial is in exactly one radio state and one CPU state.
        expect(st.radio_tx + st.radio_rx + st.radio_idle + st.radio_sleep).toBeCloseTo(r.time_ms, 9);
        expect(st.cpu_active + st.cpu_sleep).toBeCloseTo(r.time_ms, 9);
      }
    }
  });

  it('the report: energy_breakdown_mJ adds up to energy_mJ.mean, and mAh x supply x 3600 is mJ', () => {
    for (const listen of ['always-on', 'duty-cycled']) {
      const report = runScenario(scenario(listen));
      const v = report.variants[0]!;
      for (const role of ['client', 'server'] as const) {
        const sum = Object.values(v.energy_breakdown_mJ[role]).reduce((n: number, x) => n + (x ?? 0), 0);
        expect(sum).toBeCloseTo(v.energy_mJ[role].mean!, 9);
        expect(v.energy_mAh[role].mean! * v.supply_V[role] * 3600).toBeCloseTo(v.energy_mJ[role].mean!, 9);
      }
    }
    // Listening only when addressed never costs more than listening all the time (here the
    // handshake is short and busy, so the difference is the CPU-bound gaps only).
    const on = runScenario(scenario('always-on')).variants[0]!;
    const dc = runScenario(scenario('duty-cycled')).variants[0]!;
    expect(dc.energy_breakdown_mJ.client.radio_rx!).toBeLessThan(on.energy_breakdown_mJ.client.radio_rx!);
    expect(dc.energy_mJ.client.mean!).toBeLessThan(on.energy_mJ.client.mean!);
  });
});
