import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('handshake-sim link', () => {
  it('a full 802.15.4 frame: 133 B on air, 4.256 ms at 250 kb/s', () => {
    const r = runCli(['link', 'ieee802154-6lowpan', '--payload', '95', '--format', 'json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ frame_count: 1, bytes_on_air: 133, airtime_ms: 4.256 });
  });

  it('a 200-byte datagram: FRAG1 + FRAGN + FRAGN (88 + 96 + 16 payload bytes)', () => {
    const r = runCli(['link', 'ieee802154-6lowpan', '--payload', '200']);
    expect(r.status).toBe(0);
    // 6 PHY + 23 MAC + (4 + 9 + 88) = 130; 6 + 23 + (5 + 96) = 130; 6 + 23 + (5 + 16) = 50.
    expect(r.stdout).toContain('total: 3 frame(s), 310 B on air, 9.92 ms');
  });

  it('acceptance: lora-sf9, a 13-byte PHY payload (8-symbol preamble, explicit header, CRC) takes 164.864 ms', () => {
    const r = runCli(['link', 'lora-sf9', '--phy-payload', '13', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ profile: 'lora-sf9', framing: 'lorawan', from: 'client', phy_payload_bytes: 13, frame_count: 1 });
    expect(out.airtime_ms).toBeCloseTo(164.864, 9);
    // The table form prints it to the microsecond.
    expect(runCli(['link', 'lora-sf9', '--phy-payload', '13']).stdout).toContain('total: 1 frame(s), 15 B on air, 164.864 ms');
  });

  it('a datagram over LoRaWAN: 13 B of MAC overhead per frame, cut into N-byte frames above the data rate maximum', () => {
    // SF10 (DR2, N = 51): 120 B -> pieces of 50 behind a 1-byte header: 50 + 50 + 20.
    const r = runCli(['link', 'lora-sf10', '--payload', '120', '--format', 'json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.frames.map((f: { phy_payload_bytes: number }) => f.phy_payload_bytes)).toEqual([13 + 51, 13 + 51, 13 + 21]);
    // From the server (a downlink) the same frames carry no CRC: 2 bytes fewer each.
    const down = JSON.parse(runCli(['link', 'lora-sf10', '--payload', '120', '--from', 'server', '--format', 'json']).stdout);
    expect(down.bytes_on_air).toBe(out.bytes_on_air - 3 * 2);
  });

  it('rejects a payload the link cannot carry, both or neither size, and an unknown profile, with exit 2', () => {
    expect(runCli(['link', 'udp', '--payload', '5000']).stderr).toMatch(/--payload: got 5000, expected a whole number from 1 to 1472/);
    expect(runCli(['link', 'ieee802154-6lowpan', '--phy-payload', '128']).stderr).toMatch(/--phy-payload: got 128, expected a whole number from 1 to 127/);
    for (const args of [['--payload', '3', '--phy-payload', '13'], []]) {
      const r = runCli(['link', 'lora-sf9', ...args]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('give exactly one of --payload N (a datagram) and --phy-payload N (one PHY frame)');
    }
    const r = runCli(['link', 'lora-sf13', '--payload', '13']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PROFILE: got "lora-sf13", expected a link profile id .*; did you mean "lora-sf1[0-2]"\?/);
  });
});
