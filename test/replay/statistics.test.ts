import { describe, expect, it } from 'vitest';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial, type FrameLogEntry, type TrialResult } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { datagram, handshakeModel, ieee802154Arq, sendCounts, tag } from './model_fixture.js';

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

describe('frame-by-frame loss, without and with the link\'s own retries', () => {
  /*
   * The same 2-flight exchange, but the link decides frame by frame (the path duty-cycled and
   * acknowledged links take): flight 1 is one datagram of 3 frames, flight 2 one of 1 frame, and
   * every frame is lost with probability p on its own (one draw per frame).
   */
  const p = 0.2;
  const q = 1 - p;
  const bernoulli = (x: number) => ({ model: 'bernoulli' as const, frame_loss: x });
  // The first frame carries the datagram's tag, so bytes on air still spell the send counts (sendCounts).
  const framed = (index: number, frames: number, airtime_ms = 0) =>
    datagram(index, { frames, frame_airtime_ms: new Array<number>(frames).fill(airtime_ms), frame_bytes: [tag(index), ...new Array<number>(frames - 1).fill(0)] });

  it(`no link retries, p = ${p}: flight 1 goes out Geometric(q^4) times, flight 2 Geometric(q) times`, () => {
    // A datagram arrives iff all its frames do: flight 1 with q^3, flight 2 with q; an exchange
    // attempt succeeds with s = q^3 x q (the 2-flight analysis above, frame by frame).
    const model = handshakeModel('two-flight', {
      datagrams: { 1: [framed(1, 3)], 2: [framed(2, 1)] },
      loss: { client_to_server: bernoulli(p), server_to_client: bernoulli(p) },
      link: { per_frame: true },
    });
    const results = trials(model);
    const counts = results.map((r) => sendCounts(r, 2));
    const s = q ** 4;
    expectMean(mean(counts.map((c) => c[0]!)), 1 / s, (1 - s) / s ** 2, TRIALS, 'E[flight 1 transmissions]');
    expectMean(mean(counts.map((c) => c[1]!)), 1 / q, (1 - q) / q ** 2, TRIALS, 'E[flight 2 transmissions]');
    // Frames: 3 per flight-1 copy, 1 per flight-2 copy.
    results.forEach((r, i) => expect(r.frames_sent).toBe(3 * counts[i]![0]! + counts[i]![1]!));
  });

  /*
   * 802.15.4-style acknowledgements with R = 3 retries; loss p only from client to server (the
   * client's data frames and the server's acknowledgements of flight 2 cross that way); data
   * airtime 1 ms, acknowledgements take no time, CSMA backoffs are 0 (min BE 0).
   *   Flight 1 (1 frame) reaches the server unless all R + 1 attempts are lost: 1 - p^(R+1). Only
   *   then is there no DTLS retransmission (flight 2 always gets through: server-to-client is
   *   lossless).
   *   K = attempts of that frame, given it arrived: P(K = k) = p^(k-1) q / (1 - p^(R+1)), k = 1..R+1.
   *   M = attempts of flight 2's frame: it always arrives, but each of its acknowledgements is lost
   *   with p, so it is sent until one gets back or R + 1 times: E[M] = (1 - p^(R+1)) / q.
   */
  const R = 3;
  const arq = ieee802154Arq({ max_frame_retries: R, turnaround_ms: 0, ack: { airtime_ms: 0, bytes: 1 }, ack_wait_ms: 0 }, { cca_ms: 0 });
  it(`${R} link retries, p = ${p} one way: delivery 1 - p^(R+1), attempts per frame truncated-geometric`, () => {
    const model = handshakeModel('two-flight', {
      datagrams: { 1: [framed(1, 1, 1)], 2: [framed(2, 1, 1)] },
      loss: { client_to_server: bernoulli(p), server_to_client: bernoulli(0) },
      link: { per_frame: true, arq },
    });
    const delivered = 1 - p ** (R + 1);
    const zero: number[] = [];
    const k: number[] = [];
    const m: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const log: FrameLogEntry[] = [];
      const r = runTrial(model, SEED, t, undefined, log);
      zero.push(r.retransmissions === 0 ? 1 : 0);
      if (r.retransmissions !== 0) continue;
      const data = log.filter((f) => f.end_ms - f.start_ms === 1);
      k.push(data.filter((f) => f.from === 'client').length);
      m.push(data.filter((f) => f.from === 'server').length);
    }
    expectMean(mean(zero), delivered, delivered * (1 - delivered), TRIALS, 'P(no DTLS retransmission)');
    const pk = Array.from({ length: R + 1 }, (_, i) => (p ** i * q) / delivered);
    const ek = pk.reduce((n, x, i) => n + (i + 1) * x, 0);
    const vk = pk.reduce((n, x, i) => n + (i + 1) ** 2 * x, 0) - ek ** 2;
    expectMean(mean(k), ek, vk, k.length, 'E[attempts of the flight-1 frame | it arrived]');
    const pm = Array.from({ length: R + 1 }, (_, i) => (i < R ? p ** i * q : p ** R));
    const em = pm.reduce((n, x, i) => n + (i + 1) * x, 0);
    expect(em).toBeCloseTo((1 - p ** (R + 1)) / q, 12);
    const vm = pm.reduce((n, x, i) => n + (i + 1) ** 2 * x, 0) - em ** 2;
    expectMean(mean(m), em, vm, m.length, 'E[attempts of the flight-2 frame]');
    expect(Math.max(...k, ...m)).toBe(R + 1);
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
