import { describe, expect, it } from 'vitest';
import { simulateVariant, transcriptFor } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, tempScenario } from '../helpers/cli.js';

describe('traffic at three levels, per direction', () => {
  const s = loadScenario(tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0.2')));
  const v = s.variants[0]!;
  const transcript = transcriptFor(v, s.seed);
  const model = buildReplayModel(v, transcript);

  it('the two directions add up to the totals in every trial', () => {
    for (let t = 0; t < 300; t++) {
      const r = runTrial(model, s.seed, t);
      const { client_to_server: up, server_to_client: down } = r.traffic;
      expect(up.bytes_on_air + down.bytes_on_air).toBe(r.bytes_on_air);
      expect(up.frames + down.frames).toBe(r.frames_sent);
      expect(up.datagrams + down.datagrams).toBe(r.datagrams_sent);
      // Every datagram carries at least one record, and every byte of a datagram is in a record.
      expect(up.records).toBeGreaterThanOrEqual(up.datagrams);
      expect(up.bytes_on_air).toBeGreaterThan(up.datagram_bytes);
    }
  });

  it('lossless figures are the transcript flights, direction by direction', () => {
    const report = simulateVariant(v, s.seed, 50);
    const hs = transcript.flights.filter((f) => f.phase === 'handshake');
    for (const [dir, from] of [['client_to_server', 'client'], ['server_to_client', 'server']] as const) {
      const mine = hs.filter((f) => f.from === from);
      expect(report.traffic[dir].datagrams.lossless).toBe(mine.reduce((n, f) => n + f.datagrams.length, 0));
      expect(report.traffic[dir].datagram_bytes.lossless).toBe(mine.reduce((n, f) => n + f.bytes, 0));
      expect(report.traffic[dir].records.lossless).toBe(mine.reduce((n, f) => n + f.records, 0));
      expect(report.traffic[dir].bytes_on_air.p95).toBeGreaterThanOrEqual(report.traffic[dir].bytes_on_air.lossless);
    }
    expect(report.traffic.client_to_server.bytes_on_air.lossless + report.traffic.server_to_client.bytes_on_air.lossless).toBe(report.bytes_on_air.lossless);
  });
});

describe('lossless traffic on a link with its own acknowledgements', () => {
  it('802.15.4 with MAC ACKs: each direction also carries one 11-byte ACK per frame of the other direction', () => {
    const s = loadScenario(tempScenario(MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0.1, mac: { acks: true }') + 'cookie: false\n'));
    const v = s.variants[0]!;
    const model = buildReplayModel(v, transcriptFor(v, s.seed));
    const report = simulateVariant(v, s.seed, 20);
    const data = (from: 'client' | 'server') => model.flights.filter((f) => f.from === from).flatMap((f) => f.datagrams);
    const frames = (from: 'client' | 'server') => data(from).reduce((n, d) => n + d.frames, 0);
    const bytes = (from: 'client' | 'server') => data(from).reduce((n, d) => n + d.bytes_on_air, 0);
    expect(report.traffic.client_to_server.frames.lossless).toBe(frames('client') + frames('server'));
    expect(report.traffic.client_to_server.bytes_on_air.lossless).toBe(bytes('client') + 11 * frames('server'));
    expect(report.traffic.server_to_client.bytes_on_air.lossless).toBe(bytes('server') + 11 * frames('client'));
    expect(report.frames.lossless).toBe(2 * (frames('client') + frames('server')));
    expect(report.datagrams.lossless).toBe(data('client').length + data('server').length);
  });
});
