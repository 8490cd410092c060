import { describe, expect, it } from 'vitest';
import { opPricer } from '../../src/device/pricing.js';
import { frameDatagram } from '../../src/link/framing.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

/**
 * On a lossless link without jitter a trial is a straight line: each step's CPU time, then the
 * flight's airtime and the link latency. Recompute it from the profiles and the transcript
 * without the replay, and compare.
 */
describe('lossless handshake time, recomputed by hand', () => {
  it.each([true, false])('cookie %s: time = sum of CPU steps + airtime + latency per flight', (cookie) => {
    const s = loadScenario(
      tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0, jitter_ms: 0, latency_ms: 5') + `cookie: ${cookie}\n`),
    );
    const v = s.variants[0]!;
    const t = transcriptFor(v, s.seed);
    const hs = t.flights.filter((f) => f.phase === 'handshake');
    const price = { client: opPricer(v.client.device, v.client.stack), server: opPricer(v.server.device, v.server.stack) };
    const cpu = (role: 'client' | 'server', step: number) =>
      t.ops.filter((o) => o.endpoint === role && o.step === step).reduce((n, o) => n + price[role](o).time_ms, 0);

    let expected = cpu('client', 0);
    for (const f of hs) {
      const airtime = f.datagrams.reduce((n, d) => n + frameDatagram(v.link.profile, d.length, v.link.bitrate_bps).reduce((m, fr) => m + fr.airtime_ms, 0), 0);
      const receiver = f.from === 'client' ? 'server' : 'client';
      expected += airtime + 5 + cpu(receiver, f.index);
    }
    const r = runTrial(buildReplayModel(v, t), s.seed, 0);
    expect(r.completed).toBe(true);
    expect(r.retransmissions).toBe(0);
    expect(r.time_ms).toBeCloseTo(expected, 9);
    // Sanity of scale: 802.15.4 frames of a few ms each, 5 ms latency per flight, ms of crypto.
    expect(expected).toBeGreaterThan(hs.length * 5);
    expect(expected).toBeLessThan(hs.length * 30);
  });
});
