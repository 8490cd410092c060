import { describe, expect, it } from 'vitest';
import { frameDatagram, phyFrame } from '../../src/link/framing.js';
import { loadProfile } from '../../src/scenario/load_profile.js';

/*
 * Hand arithmetic for the BLE, sub-GHz FSK, Wi-Fi and cellular framings, from the figures of
 * their profiles (each test first pins the figures it relies on) and the published reference
 * values in protocols.md 5.3 (BLE packet airtimes).
 */
const profile = (id: string) => loadProfile('link', id, '.', 'test');
const frame = (id: string, key: string) => profile(id).frame![key]!.value;

describe('BLE (LE 1M and 2M, IPSP)', () => {
  it('reference airtimes: 2120 us for a 251-byte payload with MIC on 1M; 80 us (1M) and 44 us (2M) for an empty packet', () => {
    // 1 + 4 + (2 + 251 + 4) + 3 = 265 B x 8 us.
    expect(phyFrame(profile('ble-1m'), 2 + 251 + 4, 1e6).airtime_ms).toBeCloseTo(2.12, 12);
    // Empty PDUs are the link's acknowledgements (mac.timing.ack_frame_bytes): 10 B x 8 us, 11 B x 4 us.
    expect(profile('ble-1m').mac!.timing.ack_frame_bytes!.value * 8).toBe(80);
    expect(profile('ble-2m').mac!.timing.ack_frame_bytes!.value * 4).toBe(44);
  });

  it('a datagram is one L2CAP K-frame (4 + 2 + IPHC 9 + payload), cut into 251-byte LL payloads, or 27 without DLE', () => {
    expect([frame('ble-1m', 'l2cap_header_bytes'), frame('ble-1m', 'l2cap_sdu_length_bytes'), frame('ble-1m', 'iphc_udp_bytes')]).toEqual([4, 2, 9]);
    const p = profile('ble-1m');
    const llPayloads = (payload: number, dle: boolean) => frameDatagram(p, payload, 1e6, { data_length_extension: dle }).map((f) => f.phy_payload_bytes - 2 - 4);
    // 100 + 15 = 115 B of K-frame.
    expect(llPayloads(100, true)).toEqual([115]);
    expect(llPayloads(100, false)).toEqual([27, 27, 27, 27, 7]);
    // 1232 + 15 = 1247 = 4 x 251 + 243.
    expect(llPayloads(1232, true)).toEqual([251, 251, 251, 251, 243]);
    // On air around each PDU (header + payload + MIC) on 1M: preamble 1 + access address 4 + CRC 3.
    for (const f of frameDatagram(p, 1232, 1e6, {})) expect(f.bytes_on_air - f.phy_payload_bytes).toBe(1 + 4 + 3);
    // 2M: one more preamble byte per packet, half the time per byte.
    const two = frameDatagram(profile('ble-2m'), 100, 2e6, {});
    expect(two[0]!.bytes_on_air).toBe(2 + 4 + 2 + 115 + 4 + 3);
    expect(two[0]!.airtime_ms).toBeCloseTo((two[0]!.bytes_on_air * 4) / 1000, 12);
  });
});

describe('proprietary sub-GHz FSK', () => {
  it('preamble 4 + sync 4 + length 1 + payload + CRC 2 at 50 kb/s; above 255 B, 254-byte pieces behind a 1-byte header', () => {
    const p = profile('subghz-fsk');
    expect(p.bitrate_bps.value).toBe(50_000);
    const one = frameDatagram(p, 100, 50_000);
    expect(one.map((f) => f.bytes_on_air)).toEqual([111]);
    expect(one[0]!.airtime_ms).toBeCloseTo((111 * 8) / 50, 12); // 17.76 ms
    expect(frameDatagram(p, 255, 50_000).map((f) => f.phy_payload_bytes)).toEqual([255]);
    // 600 = 254 + 254 + 92.
    expect(frameDatagram(p, 600, 50_000).map((f) => f.phy_payload_bytes)).toEqual([255, 255, 93]);
  });
});

describe('Wi-Fi (802.11n HT20, ESP32 station)', () => {
  it('MPDU = 26 + 16 + 8 + 20 + 8 + payload + 4; airtime = 36 us + 4 us x ceil((16 + 8 L + 6) / 260) at MCS7', () => {
    const p = profile('wifi');
    const f = frameDatagram(p, 100, 65e6);
    expect(f).toHaveLength(1);
    expect(f[0]!.bytes_on_air).toBe(182);
    // (16 + 1456 + 6) / 260 = 5.68 -> 6 symbols: 36 + 24 = 60 us.
    expect(f[0]!.airtime_ms).toBeCloseTo(0.06, 12);
    // The largest datagram: 1472 + 82 = 1554 B -> ceil(12454 / 260) = 48 symbols -> 228 us.
    expect(frameDatagram(p, 1472, 65e6)[0]!.airtime_ms).toBeCloseTo(0.228, 12);
    // At MCS0 (6.5 Mb/s, 26 bits per symbol): ceil(1478 / 26) = 57 symbols -> 264 us.
    expect(frameDatagram(p, 100, 6.5e6)[0]!.airtime_ms).toBeCloseTo(0.264, 12);
  });
});

describe('cellular (NB-IoT, LTE-M)', () => {
  it('IPv4 + UDP + 5 B of L2 headers at the coverage class rate, uplink for the client and downlink for the server', () => {
    const nb = profile('nbiot');
    const bytes = 100 + 20 + 8 + 5;
    expect(frameDatagram(nb, 100, 0, { from: 'client' })[0]).toMatchObject({ bytes_on_air: bytes });
    expect(frameDatagram(nb, 100, 0, { from: 'client' })[0]!.airtime_ms).toBeCloseTo((bytes * 8 * 1000) / 28_000, 9);
    expect(frameDatagram(nb, 100, 0, { from: 'server' })[0]!.airtime_ms).toBeCloseTo((bytes * 8 * 1000) / 26_000, 9);
    expect(frameDatagram(nb, 100, 0, { from: 'client', coverage: 'bad' })[0]!.airtime_ms).toBeCloseTo((bytes * 8 * 1000) / 370, 9);
    expect(frameDatagram(profile('ltem'), 100, 0, { from: 'server', coverage: 'deep' })[0]!.airtime_ms).toBeCloseTo((bytes * 8 * 1000) / 1400, 9);
  });
});
