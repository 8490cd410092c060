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

  it('rejects a payload the link cannot carry, and an unknown profile, with exit 2', () => {
    expect(runCli(['link', 'udp', '--payload', '5000']).stderr).toMatch(/--payload: got 5000, expected a whole number from 1 to 1472/);
    const r = runCli(['link', 'lora-sf9', '--payload', '13']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/PROFILE: got "lora-sf9", expected a link profile id/);
  });
});
