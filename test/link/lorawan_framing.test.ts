import { describe, expect, it } from 'vitest';
import { frameDatagram, phyFrame } from '../../src/link/framing.js';
import { loraPayloadSymbols, loraSymbol_ms, loraTimeOnAir_ms, type LoraModulation } from '../../src/link/lora_time_on_air.js';
import { loraModulation } from '../../src/link/lorawan_framing.js';
import { loadProfile } from '../../src/scenario/load_profile.js';

/*
 * Reference values: /work/shared/reference/protocols.md section 5.1 (AN1200.13 worked example)
 * and devices.md section 7.2 (the Semtech formula tabulated for BW 125 kHz, CR 4/5, 8-symbol
 * preamble, explicit header, CRC on, LDRO on SF11/12). Both were computed outside this project.
 */
const lora = (sf: number) => loadProfile('link', `lora-sf${sf}`, '.', 'test');
const modulation = (sf: number, over: Partial<LoraModulation> = {}): LoraModulation => ({
  spreading_factor: sf,
  bandwidth_hz: 125_000,
  coding_rate: 1,
  preamble_symbols: 8,
  explicit_header: true,
  crc: true,
  low_data_rate_optimize: sf >= 11,
  ...over,
});

describe('LoRa time on air (Semtech formula)', () => {
  it('AN1200.13 worked example: SF9, 13-byte PHY payload -> T_sym 4.096 ms, preamble 50.176 ms, 28 symbols, 164.864 ms', () => {
    const m = modulation(9);
    expect(loraSymbol_ms(m)).toBeCloseTo(4.096, 12);
    expect((m.preamble_symbols + 4.25) * loraSymbol_ms(m)).toBeCloseTo(50.176, 12);
    expect(loraPayloadSymbols(m, 13)).toBe(28);
    expect(loraTimeOnAir_ms(m, 13)).toBeCloseTo(164.864, 9);
  });

  // PL (bytes) -> time on air in ms for SF7 ... SF12 (devices.md 7.2, one decimal).
  const TABLE: [number, number[]][] = [
    [13, [46.3, 82.4, 164.9, 288.8, 577.5, 1155.1]],
    [51, [102.7, 184.8, 328.7, 616.4, 1314.8, 2465.8]],
    [128, [215.3, 379.4, 676.9, 1230.8, 2707.5, 4923.4]],
    [222, [348.4, 614.9, 1106.9, 2009.1, 4427.8, 8036.4]],
  ];
  for (const [pl, row] of TABLE) {
    it.each(row.map((ms, i) => [7 + i, ms] as const))(`PL ${pl} B, SF%i -> %f ms`, (sf, ms) => {
      expect(Math.abs(loraTimeOnAir_ms(modulation(sf), pl) - ms)).toBeLessThan(0.05);
    });
  }

  it('implicit header, no CRC and a higher coding rate move the symbol count as the formula says', () => {
    // SF7, PL 10: 8*10 - 28 + 28 + 16 = 96 -> ceil(96 / 28) = 4 blocks of (4 + CR) symbols.
    expect(loraPayloadSymbols(modulation(7), 10)).toBe(8 + 4 * 5);
    // Without CRC: 80 / 28 -> 3 blocks; implicit header: (96 - 20) / 28 -> 3 blocks; CR 4/8: 4 blocks of 8.
    expect(loraPayloadSymbols(modulation(7, { crc: false }), 10)).toBe(8 + 3 * 5);
    expect(loraPayloadSymbols(modulation(7, { explicit_header: false }), 10)).toBe(8 + 3 * 5);
    expect(loraPayloadSymbols(modulation(7, { coding_rate: 4 }), 10)).toBe(8 + 4 * 8);
    // A tiny payload never needs fewer than the 8 header symbols.
    expect(loraPayloadSymbols(modulation(12, { crc: false, explicit_header: false }), 0)).toBe(8);
  });
});

describe('the lora-sf7 ... lora-sf12 profiles', () => {
  // LoRaWAN Regional Parameters 1.0.3revA: DR5..DR0 and the maximum application payload N.
  const DR: Record<number, { rate: number; n: number }> = {
    7: { rate: 5470, n: 242 },
    8: { rate: 3125, n: 242 },
    9: { rate: 1760, n: 115 },
    10: { rate: 980, n: 51 },
    11: { rate: 440, n: 51 },
    12: { rate: 250, n: 51 },
  };

  it.each([7, 8, 9, 10, 11, 12])('SF%i: EU868 125 kHz, CR 4/5, 8-symbol preamble, LDRO exactly when T_sym > 16 ms, N per data rate', (sf) => {
    const p = lora(sf);
    const m = loraModulation(p);
    expect(p.framing).toBe('lorawan');
    expect(m).toEqual(modulation(sf));
    expect(m.low_data_rate_optimize).toBe(loraSymbol_ms(m) > 16);
    expect(p.frame!.max_app_payload_bytes!.value).toBe(DR[sf]!.n);
    expect(p.bitrate_bps.value).toBe(DR[sf]!.rate);
    // 1 % in the uplink sub-band, RX1 in the same sub-band, RX2 in the 10 % one; windows at 1 s and 2 s.
    expect(p.duty_cycle).toMatchObject({ client_to_server: { value: 0.01 }, server_to_client: { value: 0.01 } });
    expect(p.class_a).toMatchObject({ rx1_delay_ms: { value: 1000 }, rx2_delay_ms: { value: 2000 }, rx2_duty_cycle: { value: 0.1 } });
    expect(p.radio_listen).toBe('duty-cycled');
  });

  it('the PHY frame of a 13-byte PHY payload at SF9 is the AN1200.13 example: 164.864 ms, 15 B counted (payload + CRC)', () => {
    const f = phyFrame(lora(9), 13, 0);
    expect(f.airtime_ms).toBeCloseTo(164.864, 9);
    expect(f.bytes_on_air).toBe(15);
  });
});

describe('LoRaWAN framing of a datagram', () => {
  // MHDR 1 + FHDR 7 + FPort 1 + MIC 4 = 13 B around the FRMPayload (LoRaWAN 1.0.x sections 4.2-4.4).
  const OVERHEAD = 13;

  it('a datagram up to N bytes is one frame with a PHY payload of 13 + N', () => {
    for (const sf of [7, 9, 12]) {
      const p = lora(sf);
      const n = p.frame!.max_app_payload_bytes!.value;
      for (const payload of [1, 20, n]) {
        const frames = frameDatagram(p, payload, 0, { from: 'client' });
        expect(frames).toHaveLength(1);
        expect(frames[0]!.phy_payload_bytes).toBe(OVERHEAD + payload);
        expect(frames[0]!.bytes_on_air).toBe(OVERHEAD + payload + 2); // + uplink CRC
        expect(frames[0]!.airtime_ms).toBeCloseTo(loraTimeOnAir_ms(modulation(sf), OVERHEAD + payload), 12);
      }
    }
  });

  it.each([
    // sf, datagram bytes, expected FRMPayload per frame: (N - 1)-byte pieces behind a 1-byte header
    [12, 52, [51, 3]], // N = 51: 50 + 2 data bytes (each piece also carries its header)
    [12, 100, [51, 51]], // 50 + 50: two full pieces
    [9, 116, [115, 3]], // N = 115: 114 + 2
    [9, 1232, [...new Array<number>(10).fill(115), 1 + 1232 - 10 * 114]], // 10 full pieces + 92
    [7, 243, [242, 3]], // N = 242: 241 + 2
  ] as const)('SF%i, %i B -> FRMPayloads %j', (sf, payload, frm) => {
    const frames = frameDatagram(lora(sf), payload, 0, { from: 'client' });
    const pieces = frames.map((f) => f.phy_payload_bytes - OVERHEAD);
    expect(pieces).toEqual(frm);
    // Every piece carries a 1-byte fragment header; the data adds up to the datagram.
    expect(pieces.reduce((n, x) => n + x - 1, 0)).toBe(payload);
    const n = lora(sf).frame!.max_app_payload_bytes!.value;
    expect(frames.length).toBe(Math.ceil(payload / (n - 1)));
    for (const f of frames) expect(f.phy_payload_bytes - OVERHEAD).toBeLessThanOrEqual(n);
  });

  it('downlinks carry no payload CRC (LoRaWAN 1.0.x section 3.2): fewer bytes counted, shorter or equal airtime', () => {
    const p = lora(9);
    for (const payload of [1, 13, 50, 115, 300]) {
      const up = frameDatagram(p, payload, 0, { from: 'client' });
      const down = frameDatagram(p, payload, 0, { from: 'server' });
      expect(down.map((f) => f.phy_payload_bytes)).toEqual(up.map((f) => f.phy_payload_bytes));
      down.forEach((f, i) => {
        expect(f.bytes_on_air).toBe(up[i]!.bytes_on_air - 2);
        expect(f.airtime_ms).toBeCloseTo(loraTimeOnAir_ms(modulation(9, { crc: false }), f.phy_payload_bytes), 12);
        expect(f.airtime_ms).toBeLessThanOrEqual(up[i]!.airtime_ms);
      });
    }
    // A 26-byte PHY payload at SF9: (208 - 36 + 28 + 16) / 36 -> 6 blocks with CRC and
    // (208 - 36 + 28) / 36 -> 6 without: 8 + 30 = 38 symbols either way, (12.25 + 38) x 4.096 = 205.824 ms.
    expect(frameDatagram(p, 13, 0, { from: 'server' })[0]!.airtime_ms).toBeCloseTo(205.824, 9);
  });
});
