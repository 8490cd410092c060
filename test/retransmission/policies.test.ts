import { describe, expect, it } from 'vitest';
import { CoapConfirmable, coapDerivedTimes, RFC7252_DEFAULTS } from '../../src/retransmission/coap_confirmable.js';
import { schedule } from '../../src/retransmission/policy.js';
import { RFC6298_DEFAULTS, TcpRto } from '../../src/retransmission/tcp_rto.js';

describe('TCP retransmission timeout (RFC 6298)', () => {
  it('initial RTO 1 s; with no samples, expiries at 1, 3, 7, 15, 31, 63, 123 s cumulative, then every 60 s (cap)', () => {
    const r = new TcpRto();
    expect(r.timeout_ms()).toBe(1000);
    expect(schedule(new TcpRto(), 9).retransmissions_ms).toEqual([1000, 3000, 7000, 15000, 31000, 63000, 123000, 183000, 243000]);
  });

  it('first sample R: SRTT = R, RTTVAR = R/2, RTO = SRTT + 4 RTTVAR, rounded up to 1 s', () => {
    const r = new TcpRto();
    r.sample(2000);
    expect([r.srtt, r.rttvar, r.timeout_ms()]).toEqual([2000, 1000, 6000]);
    const fast = new TcpRto();
    fast.sample(100); // 100 + 4 x 50 = 300 ms -> the 1-s minimum (section 2.4)
    expect(fast.timeout_ms()).toBe(1000);
  });

  it('later samples: RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R| (old SRTT), SRTT = 7/8 SRTT + 1/8 R', () => {
    const r = new TcpRto();
    r.sample(2000);
    r.sample(1000);
    // RTTVAR = 0.75 x 1000 + 0.25 x 1000 = 1000; SRTT = 0.875 x 2000 + 0.125 x 1000 = 1875.
    expect([r.srtt, r.rttvar, r.timeout_ms()]).toEqual([1875, 1000, 5875]);
    r.sample(1000);
    // RTTVAR = 0.75 x 1000 + 0.25 x 875 = 968.75; SRTT = 0.875 x 1875 + 125 = 1765.625.
    expect([r.srtt, r.rttvar, r.timeout_ms()]).toEqual([1765.625, 968.75, 1765.625 + 4 * 968.75]);
  });

  it('back-off doubles the RTO up to the maximum; a new sample recomputes it; Karn ignores retransmitted segments', () => {
    const r = new TcpRto();
    r.sample(2000);
    expect([r.expired(), r.timeout_ms()]).toEqual([true, 12000]);
    r.expired();
    r.expired();
    r.expired();
    expect(r.timeout_ms()).toBe(60000);
    r.sample(500, true); // retransmitted: no sample (section 3)
    expect(r.timeout_ms()).toBe(60000);
    r.sample(2000);
    // RTTVAR = 0.75 x 1000 + 0 = 750; SRTT = 2000: RTO = 5000.
    expect(r.timeout_ms()).toBe(5000);
  });

  it('the clock granularity G applies when 4 RTTVAR is smaller (section 2.2)', () => {
    const r = new TcpRto({ ...RFC6298_DEFAULTS, min_ms: 0, granularity_ms: 500 });
    r.sample(1000);
    r.sample(1000);
    r.sample(1000); // RTTVAR shrinks: 500, 375, 281.25 -> 4 x 281.25 = 1125 > 500
    expect(r.timeout_ms()).toBe(1000 + 1125);
    for (let i = 0; i < 20; i++) r.sample(1000);
    expect(r.timeout_ms()).toBe(1000 + 500);
  });

  it('a SYN that timed out: data begins with an RTO of at least 3 s (section 5.7)', () => {
    const r = new TcpRto();
    r.dataBeginsAfterSynTimeout();
    expect(r.timeout_ms()).toBe(3000);
    const slow = new TcpRto();
    slow.sample(4000);
    slow.dataBeginsAfterSynTimeout();
    expect(slow.timeout_ms()).toBe(12000);
  });
});

describe('CoAP confirmable retransmission (RFC 7252 section 4.8)', () => {
  it('ACK_TIMEOUT 2 s, ACK_RANDOM_FACTOR 1.5, MAX_RETRANSMIT 4; MAX_TRANSMIT_SPAN 45 s, MAX_TRANSMIT_WAIT 93 s, EXCHANGE_LIFETIME 247 s', () => {
    expect(RFC7252_DEFAULTS).toEqual({ ack_timeout_ms: 2000, ack_random_factor: 1.5, max_retransmit: 4 });
    expect(coapDerivedTimes()).toEqual({ max_transmit_span_ms: 45000, max_transmit_wait_ms: 93000, exchange_lifetime_ms: 247000 });
  });

  it('the shortest and longest schedules: T0 = 2 s or 3 s, retransmissions at T0 x {1, 3, 7, 15}, give-up at T0 x 31', () => {
    expect(schedule(new CoapConfirmable(RFC7252_DEFAULTS, 0))).toEqual({ retransmissions_ms: [2000, 6000, 14000, 30000], give_up_ms: 62000 });
    const longest = schedule(new CoapConfirmable(RFC7252_DEFAULTS, 1 - 2 ** -53));
    expect(longest.retransmissions_ms.map((t) => Math.round(t))).toEqual([3000, 9000, 21000, 45000]);
    expect(Math.round(longest.give_up_ms!)).toBe(93000);
  });

  it('for any draw: the first timeout lies in [2, 3] s, the last retransmission by MAX_TRANSMIT_SPAN, the give-up by MAX_TRANSMIT_WAIT', () => {
    const { max_transmit_span_ms, max_transmit_wait_ms } = coapDerivedTimes();
    for (let i = 0; i < 1000; i++) {
      const u = i / 1000;
      const c = new CoapConfirmable(RFC7252_DEFAULTS, u);
      const t0 = c.timeout_ms();
      expect(t0).toBeGreaterThanOrEqual(2000);
      expect(t0).toBeLessThanOrEqual(3000);
      const s = schedule(c);
      expect(s.retransmissions_ms).toHaveLength(4);
      expect(s.retransmissions_ms[3]).toBeLessThanOrEqual(max_transmit_span_ms);
      expect(s.give_up_ms).toBeLessThanOrEqual(max_transmit_wait_ms);
      expect(s.give_up_ms).toBeCloseTo(31 * t0, 9);
    }
  });
});
