import { describe, expect, it } from 'vitest';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { cappedExpiry_ms, loadScenario } from '../../src/scenario/load_scenario.js';
import { datagram, handshakeModel, lostFirst, sendCounts, SHAPES, withGiveUp } from './model_fixture.js';

/*
 * runTrial exposes no event times, so times are observed through give_up_ms: the loop stops
 * at the first event later than give_up_ms. With zero airtime, zero CPU and zero latency a
 * retransmission firing at time T is counted when give_up_ms = T + 0.001 and not when
 * give_up_ms = T - 0.001: the retransmission count must step up exactly there. Whether an
 * event at exactly give_up_ms is still handled is deliberately not pinned: runTrial handles it
 * (so with the default 123 s give-up the expiry at 123 s still retransmits), while mbedTLS
 * gives up at that expiry without retransmitting.
 */
const EPS = 0.001;
const run = (m: Parameters<typeof runTrial>[0]) => runTrial(m, 1, 0);

describe('fixture shapes match the real DTLS 1.2 PSK transcript', () => {
  it('cookie and no-cookie flights have the from / arms_timer / stateless flags the fixture uses', () => {
    const scenario = loadScenario('scenarios/quickstart.yaml');
    const shapeOf = (name: string) => {
      const v = scenario.variants.find((x) => x.name === name)!;
      return transcriptFor(v, scenario.seed)
        .flights.filter((f) => f.phase === 'handshake')
        .map((f) => ({ from: f.from, arms_timer: f.arms_timer, stateless: f.stateless }));
    };
    expect(shapeOf('cookie')).toEqual(SHAPES.cookie);
    expect(shapeOf('no-cookie')).toEqual(SHAPES['no-cookie']);
  });
});

describe('retransmission timer schedule (client flight 1, every HelloVerifyRequest lost)', () => {
  // Flight 2 (the stateless HVR) never arrives, so the client retransmits flight 1 on its
  // timer until it gives up. The HVR has no timer of its own and a fresh HVR is not counted as
  // a retransmission, so `retransmissions` counts exactly the client's timer expiries.
  const lossyHvr = (initial_ms: number, airtime_ms = 0) =>
    handshakeModel('cookie', {
      datagrams: { 1: [datagram(1, { airtime_ms })], 2: [datagram(2, { delivery_probability: 0 })] },
      client: { initial_timeout_ms: initial_ms, max_timeout_ms: 60000 },
    });

  /**
   * Asserts the k-th retransmission (k = 1, 2, ...) fires at exactly fireTimes[k-1].
   * `lastAnswered`: whether the HVR answering the k-th retransmission is out by then (with zero
   * airtime the server answers at the same instant; with airtime that ClientHello is still on
   * the air at the give-up time).
   */
  const expectSchedule = (model: ReturnType<typeof lossyHvr>, fireTimes: number[], lastAnswered = true) => {
    fireTimes.forEach((t, i) => {
      const k = i + 1;
      const before = run(withGiveUp(model, t - EPS));
      const at = run(withGiveUp(model, t + EPS));
      expect(before.retransmissions, `just before ${t} ms`).toBe(k - 1);
      expect(at.retransmissions, `at ${t} ms`).toBe(k);
      expect(at.completed).toBe(false);
      // Flight 1 went out k + 1 times; the server answered every copy that reached it with a
      // fresh (lost) HVR.
      expect(sendCounts(at, 6)).toEqual([k + 1, lastAnswered ? k + 1 : k, 0, 0, 0, 0]);
    });
  };

  it('RFC 6347 defaults (1 s doubling to 60 s): retransmissions at 1, 3, 7, 15, 31, 63, 123 s, then every 60 s', () => {
    // Timeouts 1, 2, 4, 8, 16, 32, 60 (capped), 60 ... s, each armed when the previous
    // transmission ends (here: the instant it starts, airtime being 0).
    expectSchedule(lossyHvr(1000), [1000, 3000, 7000, 15000, 31000, 63000, 123000, 183000, 243000]);
  });

  it('RFC 7925 initial timer (9 s doubling to 60 s): retransmissions at 9, 27, 63, 123 s, then every 60 s', () => {
    // Timeouts 9, 18, 36, 60 (72 capped), 60 ... s.
    expectSchedule(lossyHvr(9000), [9000, 27000, 63000, 123000, 183000]);
  });

  it('the default give-up time is the cumulative schedule at the capped timer: 123 s for both timers', () => {
    expect(cappedExpiry_ms(1000, 60000)).toBe(123000);
    expect(cappedExpiry_ms(9000, 60000)).toBe(123000);
  });

  it('the timer is armed when the transmission ends: with 8 ms of airtime the k-th retransmission fires k * 8 ms later', () => {
    // First transmission 0..8 ms, timer expires at 8 + 1000; the retransmission occupies the
    // radio 1008..1016 and the next timer expires at 1016 + 2000 = 3016, and so on:
    // t_k = k * 8 + (2^k - 1) * 1000.
    expectSchedule(lossyHvr(1000, 8), [1008, 3016, 7024, 15032, 31040], false);
  });
});

describe('RFC 6347 section 4.2.4: a receiver answers a repeated flight by resending its own', () => {
  it('a lost server final flight (4-flight handshake): the client resends flight 3 on its timer, the server answers with flight 4', () => {
    const fin = lostFirst(1, 4);
    const r = run(handshakeModel('no-cookie', { datagrams: { 4: [fin] } }));
    // t = 0: flights 1..3 arrive, flight 4 is lost. t = 1000: the client's timer resends
    // flight 3 (retransmission 1); the server sees a repeated flight 3 and resends flight 4
    // (retransmission 2), which arrives: done at 1000 ms.
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(1000);
    expect(r.retransmissions).toBe(2);
    expect(sendCounts(r, 4)).toEqual([1, 1, 2, 2]);
    expect(fin.reads).toBe(2);
    expect(r.datagrams_sent).toBe(6);
  });

  it('a lost server final flight (6-flight cookie handshake), with the record-layer costs of the repeat', () => {
    const fin = lostFirst(1, 6);
    const m = handshakeModel('cookie', {
      datagrams: { 6: [fin] },
      // Server: decrypting the repeated flight 5 costs 0.25 ms, re-encrypting flight 6 0.5 ms.
      server: { duplicate_ms: [0, 0, 0, 0, 0, 0.25, 0], resend_ms: [0, 0, 0, 0, 0, 0.5, 0] },
    });
    const r = run(m);
    // Timer at 1000 -> flight 5 again -> server: 0.25 (duplicate) + 0.5 (resend) -> flight 6 at 1000.75.
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(1000.75);
    expect(r.retransmissions).toBe(2);
    expect(sendCounts(r, 6)).toEqual([1, 1, 1, 1, 2, 2]);
    expect(r.states.server.cpu_active).toBe(0.75);
  });

  it('when the final flight is always lost, the server answers every repeated flight 5', () => {
    const m = handshakeModel('cookie', { datagrams: { 6: [datagram(6, { delivery_probability: 0 })] }, give_up_ms: 63000 + EPS });
    const r = run(m);
    // Client timer: flight 5 again at 1, 3, 7, 15, 31, 63 s (6 retransmissions); the server
    // resends flight 6 for each (6 more).
    expect(r.completed).toBe(false);
    expect(r.time_ms).toBe(63000 + EPS);
    expect(r.retransmissions).toBe(12);
    expect(sendCounts(r, 6)).toEqual([1, 1, 1, 1, 7, 7]);
  });

  it("the client, too, answers the server's repeated flight 2 by resending its flight 3", () => {
    // Server timer 500 ms, client 1000 ms; the client's flight 3 is lost once.
    const f3 = lostFirst(1, 3);
    const m = handshakeModel('no-cookie', { datagrams: { 3: [f3] }, server: { initial_timeout_ms: 500 } });
    const r = run(m);
    // t = 500: the server's timer resends flight 2 (retransmission 1); the client sees its
    // peer's flight 2 again and resends flight 3 (retransmission 2), which arrives; the server
    // sends flight 4 and the handshake ends at 500 ms, before the client's own timer (1000).
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(500);
    expect(r.retransmissions).toBe(2);
    expect(sendCounts(r, 4)).toEqual([1, 2, 2, 1]);
    expect(f3.reads).toBe(2);
  });

  /*
   * RFC 6347 section 4.2.4, WAITING state, exit 2: "The implementation reads a retransmitted
   * flight from the peer: the implementation transitions to the SENDING state, where it
   * retransmits the flight, resets the retransmit timer, and returns to the WAITING state."
   * mbedTLS (mbedtls_ssl_resend -> mbedtls_ssl_flight_transmit) re-arms the timer with the
   * current, undoubled value.
   */
  it('a resend triggered by the peer restarts the retransmission timer', () => {
    // 4-flight handshake, server timer 500 ms, client 1000 ms, flight 3 always lost.
    // t = 500: the server's timer resends flight 2; the client answers with flight 3 and
    // restarts its timer (500 + 1000 = 1500), so its original expiry at 1000 must not fire.
    const m = handshakeModel('no-cookie', {
      datagrams: { 3: [datagram(3, { delivery_probability: 0 })] },
      server: { initial_timeout_ms: 500 },
    });
    const r = run(withGiveUp(m, 1500 - EPS));
    expect(sendCounts(r, 4)).toEqual([1, 2, 2, 0]);
    expect(r.retransmissions).toBe(2);
  });

  it('the restarted timer keeps its current (already doubled) value', () => {
    // Client timer 1000, server timer 1500, flight 3 always lost.
    //   t = 1000: client timer: flight 3 again (retransmission 1); client timeout 1000 -> 2000,
    //             next expiry 3000.
    //   t = 1500: server timer: flight 2 again (2); the client answers with flight 3 (3) and
    //             restarts its timer at the current 2000 ms: expiry 3500, and 3000 is cancelled.
    // Restarting from the initial 1000 would fire at 2500; doubling first would fire at 5500.
    const m = handshakeModel('no-cookie', {
      datagrams: { 3: [datagram(3, { delivery_probability: 0 })] },
      server: { initial_timeout_ms: 1500 },
    });
    expect(run(withGiveUp(m, 1500 + EPS)).retransmissions).toBe(3);
    expect(run(withGiveUp(m, 3500 - EPS)).retransmissions).toBe(3);
    const r = run(withGiveUp(m, 3500 + EPS));
    expect(r.retransmissions).toBe(4);
    expect(sendCounts(r, 4)).toEqual([1, 2, 4, 0]);
  });
});

describe('the stateless HelloVerifyRequest', () => {
  it('when the HVR is lost, the retransmitted ClientHello gets a fresh HVR (new processing, not a resend)', () => {
    const hvr = lostFirst(1, 2);
    const m = handshakeModel('cookie', {
      datagrams: { 2: [hvr] },
      // Producing an HVR costs the server 0.5 ms; resending it (were it stateful) would cost
      // 100 ms and count as a retransmission, so the wrong path shows in time and counts.
      server: { step_ms: [0, 0.5, 0, 0, 0, 0, 0], resend_ms: [0, 100, 0, 0, 0, 0, 0] },
    });
    const r = run(m);
    // t = 0: CH; HVR ready at 0.5, lost. t = 1000: client timer resends CH (retransmission 1);
    // the server processes it afresh (0.5 ms) and the new HVR arrives at 1000.5; the rest is
    // lossless and free: done at 1000.5.
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(1000.5);
    expect(r.retransmissions).toBe(1);
    expect(sendCounts(r, 6)).toEqual([2, 2, 1, 1, 1, 1]);
    expect(hvr.reads).toBe(2);
    expect(r.states.server.cpu_active).toBe(1); // two HVRs of 0.5 ms each
  });

  it('every retransmitted ClientHello gets its own HVR while the server waits for the cookie', () => {
    const m = handshakeModel('cookie', {
      datagrams: { 2: [datagram(2, { delivery_probability: 0 })] },
      server: { step_ms: [0, 0.5, 0, 0, 0, 0, 0] },
      give_up_ms: 100000,
    });
    const r = run(m);
    // CH at 0, 1, 3, 7, 15, 31, 63 s: 7 copies, 7 HVRs, 6 retransmissions (all the client's).
    expect(r.completed).toBe(false);
    expect(r.retransmissions).toBe(6);
    expect(sendCounts(r, 6)).toEqual([7, 7, 0, 0, 0, 0]);
    expect(r.states.server.cpu_active).toBe(3.5);
  });

  it("after the HVR, the client's next flight starts again from the initial timeout", () => {
    // HVR lost once (client timer 1 s -> 2 s), then the client's flight 3 is always lost.
    // mbedTLS resets the timer for every new flight (mbedtls_ssl_send_flight_completed ->
    // ssl_reset_retransmit_timeout), and so does runTrial: flight 3 goes out at 1000 and is
    // retransmitted at 2000, not 3000.
    const model = () =>
      handshakeModel('cookie', { datagrams: { 2: [lostFirst(1, 2)], 3: [datagram(3, { delivery_probability: 0 })] } });
    expect(run(withGiveUp(model(), 2000 - EPS)).retransmissions).toBe(1);
    const r = run(withGiveUp(model(), 2000 + EPS));
    expect(r.retransmissions).toBe(2);
    expect(sendCounts(r, 6)).toEqual([2, 2, 2, 0, 0, 0]);
  });
});

describe('a repeated HelloVerifyRequest', () => {
  it('is not answered by the client (mbedTLS: "No sane server ever retransmits HelloVerifyRequest")', () => {
    // The first HVR is slow (latency 300 ms each way, 500 ms to produce), so the client's
    // 1 s timer resends the ClientHello and the server answers that copy with a second HVR,
    // which reaches the client while it waits for flight 4. Client CPU 100 ms per HVR,
    // server 50 ms for flight 3, everything else free; no loss.
    //   0     CH -> server at 300; HVR ready at 800 -> client at 1100
    //   1000  client timer: CH again (retransmission 1) -> server at 1300
    //   1100  client: HVR, 100 ms -> CH+cookie at 1200 -> server at 1500; timer at 2200
    //   1300  server: fresh HVR, CPU 1300..1800 -> client at 2100
    //   1500  server: CH+cookie waits for the CPU until 1800, 50 ms -> flight 4 at 1850 -> client at 2150
    //   2100  client: the second HVR, a repeat of flight 2: ignored (answering it would resend flight 3)
    //   2150  client: flight 4 -> flight 5 -> server at 2450 -> flight 6 -> client at 2750: done
    const m = handshakeModel('cookie', {
      latency_ms: 300,
      client: { step_ms: [0, 0, 100, 0, 0, 0, 0] },
      server: { step_ms: [0, 500, 0, 50, 0, 0, 0] },
    });
    const r = run(m);
    expect(r.completed).toBe(true);
    expect(r.time_ms).toBe(2750);
    expect(r.retransmissions).toBe(1);
    expect(sendCounts(r, 6)).toEqual([2, 2, 1, 1, 1, 1]);
  });
});

describe('give-up and busy receivers (as mbedTLS 2.28 behaves)', () => {
  it('mbedTLS gives up when a capped timer expires: 6 retransmissions (1, 3, 7, 15, 31, 63 s), failed at 123 s', () => {
    // ssl_double_retransmit_timeout fails once the timeout is at its maximum, so the expiry at
    // 123 s ends the handshake (MBEDTLS_ERR_SSL_TIMEOUT) instead of resending.
    const model = handshakeModel('cookie', {
      datagrams: { 2: [datagram(2, { delivery_probability: 0 })] },
      client: { gives_up_at_capped_expiry: true },
    });
    const r = run(model);
    expect(r).toMatchObject({ completed: false, time_ms: cappedExpiry_ms(1000, 60000), retransmissions: 6 });
    expect(r.time_ms).toBe(123000);
    expect(sendCounts(r, 6)).toEqual([7, 7, 0, 0, 0, 0]);
  });

  it('the rule applies per flight: a later flight gets its own 123 s', () => {
    // Flight 4 (server) is lost 7 times; the client's flight 3 timer restarted at 1 s when
    // flight 3 went out, so the client gives up 123 s after sending flight 3, not after t = 0.
    const lateLoss = handshakeModel('cookie', {
      datagrams: { 1: [datagram(1, { airtime_ms: 500 })], 4: [datagram(4, { delivery_probability: 0 })] },
      client: { gives_up_at_capped_expiry: true },
      server: { gives_up_at_capped_expiry: true },
    });
    const r = run(lateLoss);
    // Flight 1 leaves at 0..500 ms; HVR and flight 3 follow at 500 ms; flight 3's timer runs out at 500 + 123000.
    expect(r).toMatchObject({ completed: false, time_ms: 123500 });
  });

  it('a deadline in the scenario ends the trial first', () => {
    const model = handshakeModel('cookie', {
      datagrams: { 2: [datagram(2, { delivery_probability: 0 })] },
      client: { gives_up_at_capped_expiry: true },
      give_up_ms: 10000,
    });
    expect(run(model)).toMatchObject({ completed: false, time_ms: 10000, retransmissions: 3 });
  });

  it('a repeated flight that arrives while the receiver computes is answered once it has sent its own', () => {
    // No cookie. The client spends 1500 ms on flight 2 (think: a slow ECDHE); the server's
    // timer resends flight 2 at 1000 ms, while the client is still computing. The client reads
    // that copy at 1500 ms, right after sending flight 3, sees a repeat of flight 2 and sends
    // flight 3 again (RFC 6347 §4.2.4): flight 3 goes out twice.
    const r = run(handshakeModel('no-cookie', { client: { step_ms: [0, 0, 1500, 0, 0] } }));
    expect(r.completed).toBe(true);
    expect(r.retransmissions).toBe(2);
    expect(sendCounts(r, 4)).toEqual([1, 2, 2, 1]);
  });
});
