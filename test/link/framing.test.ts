import { describe, expect, it } from 'vitest';
import { airtime_ms, frameDatagram } from '../../src/link/framing.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { loadProfile } from '../../src/scenario/load_profile.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';

/*
 * Hand arithmetic for profiles/links/ieee802154-6lowpan.yaml (all figures from that file):
 *
 *   PHY:  SHR 5 (preamble 4 + SFD 1) + PHR 1                        =   6 B, not part of the PSDU
 *   MAC:  header 21 + FCS 2                                         =  23 B of the 127-B PSDU
 *   MAC payload room: 127 - 23                                      = 104 B
 *   6LoWPAN: IPHC + UDP NHC = 9 B (compresses 40 + 8 = 48 B of IPv6 + UDP header)
 *
 * Unfragmented (RFC 6282): 9 + payload <= 104, i.e. payload <= 95.
 *   frame = 6 + 23 + 9 + payload; payload 95 -> 133 B (a full 127-B PSDU + 6 B PHY).
 *
 * Fragmented (RFC 4944 section 5.3, offsets in 8-byte units of the *uncompressed* packet):
 *   FRAG1: 4-B header + 9-B IPHC/UDP + first chunk c1, where the uncompressed coverage
 *          48 + c1 must be a multiple of 8 and 4 + 9 + c1 <= 104:
 *          c1 <= 91 and 48 + c1 = 8k  ->  48 + c1 <= 139 -> 136 -> c1 = 88.
 *          FRAG1 frame = 6 + 23 + 4 + 9 + 88 = 130 B.
 *   FRAGN: 5-B header + chunk cn, cn a multiple of 8 (except in the last fragment), 5 + cn <= 104:
 *          cn <= 99 -> 96. Full FRAGN frame = 6 + 23 + 5 + 96 = 130 B;
 *          last FRAGN frame = 6 + 23 + 5 + rest = 34 + rest.
 *
 * Airtime at 250 kb/s (O-QPSK: 32 us per octet): bytes * 8 / 250000 s = bytes * 0.032 ms.
 */
const lowpan = loadProfile('link', 'ieee802154-6lowpan', '.', 'test');
const udp = loadProfile('link', 'udp', '.', 'test');
const BITRATE = 250_000;

const PHY = 6;
const MAC = 23;
const FRAG1_OVERHEAD = PHY + MAC + 4 + 9; // 42: FRAG1 frame bytes = 42 + chunk
const FRAGN_OVERHEAD = PHY + MAC + 5; // 34: FRAGN frame bytes = 34 + chunk

const bytesOf = (payload: number) => frameDatagram(lowpan, payload, BITRATE).map((f) => f.bytes_on_air);

describe('IEEE 802.15.4 + 6LoWPAN framing', () => {
  it('uses the profile figures this arithmetic assumes', () => {
    // If the profile changes, the hand-derived numbers below must be re-derived.
    expect(lowpan.framing).toBe('ieee802154-6lowpan');
    expect(lowpan.bitrate_bps.value).toBe(BITRATE);
    const f = lowpan.frame!;
    expect({
      shr: f.shr_bytes!.value,
      phr: f.phr_bytes!.value,
      psdu: f.max_psdu_bytes!.value,
      mac: f.mac_header_bytes!.value,
      fcs: f.fcs_bytes!.value,
      iphc: f.iphc_udp_bytes!.value,
      uncompressed: f.ipv6_udp_uncompressed_bytes!.value,
      frag1: f.frag1_header_bytes!.value,
      fragn: f.fragn_header_bytes!.value,
    }).toEqual({ shr: 5, phr: 1, psdu: 127, mac: 21, fcs: 2, iphc: 9, uncompressed: 48, frag1: 4, fragn: 5 });
  });

  it('a payload of 95 B exactly fills one frame: 133 B on air (127-B PSDU), 4.256 ms', () => {
    const frames = frameDatagram(lowpan, 95, BITRATE);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.bytes_on_air).toBe(133);
    // 133 B * 32 us/B = 4256 us.
    expect(frames[0]!.airtime_ms).toBeCloseTo(4.256, 12);
  });

  it('a payload of 96 B needs FRAG1 + FRAGN', () => {
    // FRAG1 carries 88 B (130-B frame), FRAGN the remaining 8 B: 34 + 8 = 42 B.
    expect(bytesOf(96)).toEqual([130, 42]);
  });

  it.each([
    // payload, frame sizes on air (derivation in the comment at the top)
    [1, [39]], // 6 + 23 + 9 + 1
    [95, [133]], // the largest unfragmented payload
    [96, [130, 42]], // 88 + 8
    [184, [130, 130]], // 88 + 96: two full fragments, the last one exactly full
    [185, [130, 130, 35]], // 88 + 96 + 1
    [280, [130, 130, 130]], // 88 + 96 + 96
    [1232, [...new Array<number>(12).fill(130), 122]], // 88 + 11 * 96 + 88 (34 + 88 = 122)
  ] as const)('payload %i B -> frames %j', (payload, expected) => {
    const frames = frameDatagram(lowpan, payload, BITRATE);
    expect(frames.map((f) => f.bytes_on_air)).toEqual(expected);
    const total = expected.reduce((n, b) => n + b, 0);
    expect(frames.reduce((n, f) => n + f.bytes_on_air, 0)).toBe(total);
    // Every frame's airtime is its own size at 32 us per byte.
    for (const f of frames) expect(f.airtime_ms).toBeCloseTo(f.bytes_on_air * 0.032, 12);
  });

  it('payload 1232 (the profile MTU) splits into chunks 88, 11 x 96, 88 that add up to the payload', () => {
    const frames = bytesOf(1232);
    const chunks = frames.map((b, i) => (i === 0 ? b - FRAG1_OVERHEAD : b - FRAGN_OVERHEAD));
    expect(chunks).toEqual([88, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 96, 88]);
    expect(chunks.reduce((n, c) => n + c, 0)).toBe(1232);
    // Total on air: 1232 B of payload + 42 (FRAG1) + 12 * 34 (FRAGN) = 1232 + 42 + 408 = 1682.
    expect(frames.reduce((n, b) => n + b, 0)).toBe(1682);
  });

  it('for every fragmented payload up to the MTU: chunks sum to the payload, offsets stay 8-byte aligned, frames fit the PSDU', () => {
    for (let payload = 96; payload <= 1232; payload++) {
      const frames = bytesOf(payload);
      const chunks = frames.map((b, i) => (i === 0 ? b - FRAG1_OVERHEAD : b - FRAGN_OVERHEAD));
      expect(chunks.reduce((n, c) => n + c, 0)).toBe(payload);
      // Number of frames: FRAG1 takes 88, each FRAGN up to 96.
      expect(frames.length).toBe(1 + Math.ceil((payload - 88) / 96));
      // Uncompressed bytes covered before fragment i: 48 + 88 + 96 (i - 1); must be 8-aligned.
      let covered = 48;
      chunks.forEach((c, i) => {
        expect(covered % 8, `payload ${payload}: fragment ${i} offset`).toBe(0);
        covered += c;
      });
      for (const b of frames) expect(b - PHY).toBeLessThanOrEqual(127);
    }
  });

  it('an unfragmented payload costs exactly 38 B of headers', () => {
    for (let payload = 0; payload <= 95; payload++) expect(bytesOf(payload)).toEqual([payload + 38]);
  });
});

describe("framing 'none' (udp profile)", () => {
  it('one frame, bytes on air = payload, airtime = bytes * 8 / bitrate', () => {
    expect(udp.framing).toBe('none');
    const bitrate = udp.bitrate_bps.value; // 100 Mb/s
    expect(bitrate).toBe(100_000_000);
    const frames = frameDatagram(udp, 1232, bitrate);
    expect(frames).toHaveLength(1);
    expect(frames[0]!.bytes_on_air).toBe(1232);
    // 1232 * 8 bit / 1e8 bit/s = 98.56 us.
    expect(frames[0]!.airtime_ms).toBeCloseTo(0.09856, 14);
    // The bitrate argument, not the profile's, is used (scenarios override it).
    expect(frameDatagram(udp, 1000, 1_000_000)[0]!.airtime_ms).toBeCloseTo(8, 12);
  });

  it('airtime_ms is bytes * 8000 / bitrate', () => {
    expect(airtime_ms(133, 250_000)).toBeCloseTo(4.256, 12);
    expect(airtime_ms(125, 1_000)).toBe(1000);
  });
});

describe('the replay model uses these frames', () => {
  it('quickstart (5 % frame loss): each datagram has frameDatagram frames and delivery (1 - loss)^frames', () => {
    const scenario = loadScenario('scenarios/quickstart.yaml');
    const variant = scenario.variants[0]!;
    const transcript = transcriptFor(variant, scenario.seed);
    const model = buildReplayModel(variant, transcript);
    expect(variant.link.loss.client_to_server).toEqual({ model: 'bernoulli', frame_loss: 0.05 });
    expect(variant.link.loss.server_to_client).toEqual({ model: 'bernoulli', frame_loss: 0.05 });
    let checked = 0;
    for (const f of model.flights) {
      const tf = transcript.flights[f.index - 1]!;
      f.datagrams.forEach((d, i) => {
        const length = tf.datagrams[i]!.length;
        const frames = frameDatagram(lowpan, length, BITRATE);
        expect(d.bytes).toBe(length);
        expect(d.frames).toBe(frames.length);
        // Hand formula: unfragmented iff length <= 95; then 38 B of headers per datagram.
        if (length <= 95) expect(d.bytes_on_air).toBe(length + 38);
        expect(d.bytes_on_air).toBe(frames.reduce((n, x) => n + x.bytes_on_air, 0));
        expect(d.airtime_ms).toBeCloseTo(d.bytes_on_air * 0.032, 9);
        expect(d.delivery_probability).toBeCloseTo(0.95 ** frames.length, 15);
        checked++;
      });
    }
    // The handshake carries at least one fragmented datagram, so the product rule is exercised.
    expect(model.flights.some((f) => f.datagrams.some((d) => d.frames > 1))).toBe(true);
    expect(checked).toBeGreaterThanOrEqual(6);
  });
});
