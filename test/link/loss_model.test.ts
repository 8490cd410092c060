import { describe, expect, it } from 'vitest';
import { GilbertElliottChain, gilbertFromMeanAndBurst, meanFrameLoss, type LossProcess } from '../../src/link/loss_model.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { Prng } from '../../src/replay/prng.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { InputError } from '../../src/scenario/errors.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

const N = 200_000;
/** Within 5 standard errors of a proportion q estimated from n samples. */
const near = (observed: number, q: number, n: number) => expect(Math.abs(observed - q)).toBeLessThan(5 * Math.sqrt((q * (1 - q)) / n));

describe('Gilbert–Elliott chain', () => {
  it('simple Gilbert from mean and burst length: stationary loss = mean, mean burst = burst_frames', () => {
    const p = gilbertFromMeanAndBurst(0.1, 4) as Extract<LossProcess, { model: 'gilbert-elliott' }>;
    expect(p.p_bad_to_good).toBeCloseTo(0.25, 15);
    expect(meanFrameLoss(p)).toBeCloseTo(0.1, 15);
    const chain = new GilbertElliottChain(p, new Prng(1, 0, 9));
    let lost = 0;
    let bursts = 0;
    let afterLoss = 0;
    let lossAfterLoss = 0;
    let prev = false;
    for (let i = 0; i < N; i++) {
      const l = chain.frameLost();
      if (l) lost++;
      if (l && !prev) bursts++;
      if (prev) {
        afterLoss++;
        if (l) lossAfterLoss++;
      }
      prev = l;
    }
    near(lost / N, 0.1, N);
    // In the simple Gilbert model a loss follows a loss with probability 1 - p_bad_to_good = 0.75,
    // and bursts last 1 / p_bad_to_good = 4 frames on average.
    near(lossAfterLoss / afterLoss, 0.75, afterLoss);
    expect(lost / bursts).toBeGreaterThan(3.8);
    expect(lost / bursts).toBeLessThan(4.2);
  });

  it('general chain: stationary loss = pi_good * loss_in_good + pi_bad * loss_in_bad', () => {
    const p: LossProcess = { model: 'gilbert-elliott', p_good_to_bad: 0.02, p_bad_to_good: 0.2, loss_in_good: 0.01, loss_in_bad: 0.6 };
    const want = (0.2 / 0.22) * 0.01 + (0.02 / 0.22) * 0.6;
    expect(meanFrameLoss(p)).toBeCloseTo(want, 15);
    const chain = new GilbertElliottChain(p, new Prng(2, 0, 9));
    let lost = 0;
    for (let i = 0; i < N; i++) if (chain.frameLost()) lost++;
    // Correlated samples: a looser bound than for independent ones.
    expect(Math.abs(lost / N - want)).toBeLessThan(0.01);
  });
});

describe('bursty and per-direction loss in the replay', () => {
  const scenario = (loss: string) => loadScenario(tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', `loss: ${loss}, jitter_ms: 0`) + 'cookie: false\n'));
  const trials = (loss: string, n = 20000) => {
    const s = scenario(loss);
    const v = s.variants[0]!;
    const model = buildReplayModel(v, transcriptFor(v, s.seed));
    return { model, results: Array.from({ length: n }, (_, t) => runTrial(model, s.seed, t)) };
  };

  it('P(no retransmission) matches the closed form of two independent simple-Gilbert chains', () => {
    // Each direction sends k frames in a row on its own chain. All k arrive with probability
    // pi_good * (1 - p_good_to_bad)^(k - 1); the two directions are independent.
    const { model, results } = trials('{ model: gilbert-elliott, mean: 0.1, burst_frames: 3 }');
    const frames = (from: 'client' | 'server') => model.flights.filter((f) => f.from === from).reduce((n, f) => n + f.datagrams.reduce((m, d) => m + d.frames, 0), 0);
    const g = gilbertFromMeanAndBurst(0.1, 3) as Extract<LossProcess, { model: 'gilbert-elliott' }>;
    const clean = (k: number) => (1 - 0.1) * (1 - g.p_good_to_bad) ** (k - 1);
    const q = clean(frames('client')) * clean(frames('server'));
    near(results.filter((r) => r.retransmissions === 0).length / results.length, q, results.length);
    // Bursts at the same mean loss leave more handshakes untouched than independent losses do.
    const bernoulli = trials('0.1').results.filter((r) => r.retransmissions === 0).length / 20000;
    expect(q).toBeGreaterThan(bernoulli + 0.05);
  });

  it('loss in one direction only: a dead downlink fails every trial, a clean one almost never does', () => {
    expect(trials('{ client_to_server: 0, server_to_client: 1 }', 50).results.every((r) => !r.completed)).toBe(true);
    const up = trials('{ client_to_server: 0.2, server_to_client: 0 }', 2000).results;
    // Only the uplink loses: a client flight of two 802.15.4 frames is lost with 1 - 0.8^2 = 0.36,
    // and Mbed TLS gives up on it after 7 losses in a row (0.36^7 = 0.08 %), so a handful of 2000 fail.
    expect(up.filter((r) => !r.completed).length).toBeLessThan(20);
    expect(up.some((r) => r.retransmissions > 0)).toBe(true);
  });

  it('rejects a malformed loss with the field and what was expected', () => {
    const message = (loss: string) => {
      try {
        scenario(loss);
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      return '';
    };
    expect(message('{ model: gilbert-elliott, mean: 0.1 }')).toContain('link.loss.burst_frames: missing; expected number');
    expect(message('{ client_to_server: 0.1, server_to_clent: 0.2 }')).toContain('unknown key "server_to_clent"; did you mean "server_to_client"?');
    expect(message('"high"')).toContain('link.loss: got "high", expected number or object');
    expect(message('{ model: gilbert-elliott, mean: 1.2, burst_frames: 3 }')).toContain('link.loss.mean: got 1.2, expected <= 0.999');
  });
});
