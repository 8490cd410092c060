import { describe, expect, it } from 'vitest';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial, type TrialResult } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { datagram, handshakeModel, sendCounts } from './model_fixture.js';

/*
 * Statistical checks against closed forms. Setting: every flight is one single-frame datagram
 * delivered with probability q = 1 - p, independently (runTrial draws one uniform per
 * transmitted datagram from the trial's loss stream); zero CPU, zero airtime, zero latency;
 * timers 1 s doubling to 60 s. With zero delays every exchange triggered by a transmission
 * completes at the instant of that transmission, long before the next timer expiry.
 *
 * Each check asserts |observed - expected| <= 4 standard errors, with the standard error
 * computed from the exact variance of the derived distribution (a false alarm rate of about
 * 6e-5 per check for a correct model; with a fixed seed the outcome is reproducible).
 */
const TRIALS = 20000;
const SEED = 20240611;

function trials(model: Parameters<typeof runTrial>[0], seed = SEED): TrialResult[] {
  const out: TrialResult[] = [];
  for (let t = 0; t < TRIALS; t++) out.push(runTrial(model, seed, t));
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Asserts a sample mean is within 4 standard errors of `expected`, given the exact variance. */
function expectMean(observed: number, expected: number, variance: number, n: number, what: string) {
  const se = Math.sqrt(variance / n);
  expect(se, `${what}: standard error`).toBeGreaterThan(0);
  expect(Math.abs(observed - expected), `${what}: observed ${observed}, expected ${expected} +- 4 x ${se}`).toBeLessThanOrEqual(4 * se);
}

const lossy = (flights: number, p: number) =>
  Object.fromEntries(Array.from({ length: flights }, (_, i) => [i + 1, [datagram(i + 1, { delivery_probability: 1 - p })]]));

describe('4-flight handshake, Bernoulli loss per flight', () => {
  /*
   * P(no retransmission) = (1 - p)^4.
   * If the first copy of all four flights arrives, the handshake ends at t = 0 and no timer
   * (>= 1000 ms) ever fires: 0 retransmissions. If the first copy of flight i is lost, flight
   * i + 1 is never sent on its own: the handshake can only continue after a timer expiry (the
   * client's timer after flights 1 and 3, the server's after flight 2) or a resend caused by
   * one, i.e. at least one retransmission. The four first-copy draws are independent, each
   * a success with probability q, so P(0 retransmissions) = q^4; the indicator is Bernoulli(q^4)
   * with variance q^4 (1 - q^4).
   */
  it.each([0.1, 0.3])('p = %s: the fraction of trials without retransmission is (1-p)^4', (p) => {
    const results = trials(handshakeModel('no-cookie', { datagrams: lossy(4, p) }));
    const expected = (1 - p) ** 4;
    const zero = results.map((r) => (r.retransmissions === 0 ? 1 : 0));
    expectMean(mean(zero), expected, expected * (1 - expected), TRIALS, `P(no retransmission), p = ${p}`);
    // The default give-up (1e7 ms, ~170 attempts) is never reached: every trial completes.
    expect(results.every((r) => r.completed)).toBe(true);
    // Sanity that the trials are not all alike: some did retransmit.
    expect(zero.includes(0)).toBe(true);
  });
});

describe('2-flight exchange (client request with timer, server final answer)', () => {
  /*
   * Attempt k: the client sends copy k of flight 1 (at 0, 1, 3, 7, ... s). If it arrives
   * (probability q), the server sends flight 2 at once: the first time as its answer, later as
   * a resend answering the repeated flight 1 (RFC 6347 4.2.4). If that arrives (q), the
   * exchange is over at that instant. Draws are independent, so each attempt succeeds with
   * s = q^2 independently of the others:
   *
   *   N = client transmissions of flight 1 ~ Geometric(s) on {1, 2, ...}:
   *       E[N] = 1 / q^2, Var[N] = (1 - q^2) / q^4, P(N = 1) = q^2.
   *   M = server transmissions of flight 2: every server transmission is delivered with
   *       probability q independently and the exchange stops at the first delivered one, so
   *       M ~ Geometric(q): E[M] = 1 / q, Var[M] = (1 - q) / q^2.
   *   retransmissions = (N - 1) + (M - 1) in every trial.
   * (The fixture's 1e7-ms give-up truncates N at about 170 attempts: probability 0.51^170, nil.)
   *
   * With a give-up time of 10 s the client transmits at 0, 1, 3 and 7 s only (the next expiry
   * would be 15 s), so P(success) = 1 - (1 - q^2)^4.
   */
  const p = 0.3;
  const q = 1 - p;

  it(`p = ${p}: flight-1 and flight-2 transmission counts are geometric with means 1/q^2 and 1/q`, () => {
    const results = trials(handshakeModel('two-flight', { datagrams: lossy(2, p) }));
    const counts = results.map((r) => sendCounts(r, 2));
    const n = counts.map((c) => c[0]!);
    const m = counts.map((c) => c[1]!);
    results.forEach((r, i) => {
      expect(r.completed).toBe(true);
      expect(r.retransmissions).toBe(n[i]! - 1 + (m[i]! - 1));
    });
    const s = q * q;
    expectMean(mean(n), 1 / s, (1 - s) / s ** 2, TRIALS, 'E[N]');
    expectMean(mean(m), 1 / q, (1 - q) / q ** 2, TRIALS, 'E[M]');
    const first = n.map((x) => (x === 1 ? 1 : 0));
    expectMean(mean(first), s, s * (1 - s), TRIALS, 'P(N = 1)');
  });

  it('p = 0.5, give-up 10 s: success rate is 1 - (1 - q^2)^4 = 0.68359375', () => {
    const half = 0.5;
    const results = trials(handshakeModel('two-flight', { datagrams: lossy(2, half), give_up_ms: 10000 }));
    const expected = 1 - (1 - (1 - half) ** 2) ** 4;
    expect(expected).toBe(0.68359375);
    const ok = results.map((r) => (r.completed ? 1 : 0));
    expectMean(mean(ok), expected, expected * (1 - expected), TRIALS, 'success rate');
    // No trial transmits flight 1 more than 4 times, and failures stop at the give-up time.
    for (const r of results) {
      expect(sendCounts(r, 2)[0]).toBeLessThanOrEqual(4);
      if (!r.completed) {
        expect(r.time_ms).toBe(10000);
        expect(sendCounts(r, 2)[0]).toBe(4);
      }
    }
  });
});

describe('determinism', () => {
  const scenario = loadScenario('scenarios/quickstart.yaml');
  const variant = scenario.variants[0]!;
  const real = buildReplayModel(variant, transcriptFor(variant, scenario.seed));
  const many = (model: typeof real, seed: number, n = 200) => Array.from({ length: n }, (_, t) => runTrial(model, seed, t));

  it('the same (seed, trial) gives an identical TrialResult, whatever ran before', () => {
    const a = many(real, 1);
    const b = many(real, 1);
    expect(b).toEqual(a);
    // Trial 37 alone, and trials in reverse order, reproduce the same results.
    expect(runTrial(real, 1, 37)).toEqual(a[37]);
    const reversed = Array.from({ length: 200 }, (_, i) => runTrial(real, 1, 199 - i)).reverse();
    expect(reversed).toEqual(a);
  });

  it('different seeds or trials give different results for a lossy model', () => {
    // The real model: 5 % frame loss and CSMA jitter, so times differ almost surely.
    const base = many(real, 1);
    expect(many(real, 2)).not.toEqual(base);
    expect(runTrial(real, 1, 0)).not.toEqual(runTrial(real, 1, 1));
    // Without jitter only the loss stream varies: retransmission patterns differ by seed.
    const noJitter = handshakeModel('no-cookie', { datagrams: lossy(4, 0.3) });
    const retx = (seed: number) => many(noJitter, seed).map((r) => r.retransmissions);
    expect(retx(2)).not.toEqual(retx(1));
    expect(retx(1)).toEqual(retx(1));
  });

  it('variants share the random draws of each trial (common random numbers)', () => {
    // Two variants that differ only in the client's currents: trial t of each sees the same
    // losses and delays (the draws do not depend on which variant runs), so the handshakes are
    // identical; only the energy would differ.
    const a = handshakeModel('no-cookie', { datagrams: lossy(4, 0.3), jitter_ms: 2 });
    const b = handshakeModel('no-cookie', { datagrams: lossy(4, 0.3), jitter_ms: 2, client: { sleep_mA: 9 } });
    expect(many(b, 3)).toEqual(many(a, 3));
    expect(many(a, 3).some((r) => r.retransmissions > 0)).toBe(true);
    expect(many(a, 4)).not.toEqual(many(a, 3));
  });

  it('jitter draws come from their own stream: adding jitter changes times, not which transmissions are lost', () => {
    // Two-flight exchange: one timer, so a 1-ms jitter (far below the 1-s timer) cannot reorder
    // anything; with separate loss and jitter streams every trial loses the same copies.
    const plain = handshakeModel('two-flight', { datagrams: lossy(2, 0.3) });
    const jittered = { ...plain, jitter_ms: 1 };
    const a = many(plain, 7);
    const b = many(jittered, 7);
    expect(b.map((r) => r.bytes_on_air)).toEqual(a.map((r) => r.bytes_on_air));
    expect(b.map((r) => r.retransmissions)).toEqual(a.map((r) => r.retransmissions));
    expect(b.map((r) => r.time_ms)).not.toEqual(a.map((r) => r.time_ms));
    expect(a.some((r) => r.retransmissions > 0)).toBe(true);
  });
});
