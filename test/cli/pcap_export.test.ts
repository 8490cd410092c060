import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureTrial } from '../../src/pipeline/trial_capture.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { runTrial } from '../../src/replay/run_trial.js';
import { transcriptFor } from '../../src/pipeline/run_scenario.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, runCli, tempScenario } from '../helpers/cli.js';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const tshark = (args: string[]) => spawnSync('tshark', args, { encoding: 'utf8' });
// 30 % frame loss: trials with retransmissions and lost datagrams.
const lossy = tempScenario(
  MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0.3') + 'variants:\n  - name: cookie\n  - name: gcm-no-cookie\n    cookie: false\n    cipher_suite: TLS_PSK_WITH_AES_128_GCM_SHA256\n',
);

describe('--pcap: one trial as a capture', () => {
  const scenario = loadScenario(lossy);

  it('holds every transmission of the trial, lost ones and retransmissions included, in time order', () => {
    for (let trial = 0; trial < 20; trial++) {
      const v = scenario.variants[0]!;
      const { trace } = captureTrial(v, scenario.seed, trial);
      const result = runTrial(buildReplayModel(v, transcriptFor(v, scenario.seed)), scenario.seed, trial);
      expect(trace.length).toBe(result.datagrams_sent);
      for (let i = 1; i < trace.length; i++) expect(trace[i]!.time_ms).toBeGreaterThanOrEqual(trace[i - 1]!.time_ms);
    }
  });

  it('writes the same bytes for the same seed and trial', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handshake-sim-pcap-'));
    for (const name of ['a.pcap', 'b.pcap']) expect(runCli(['run', lossy, '--trials', '20', '--pcap', join(dir, name), '--pcap-trial', '3']).status).toBe(0);
    expect(readFileSync(join(dir, 'a.pcap')).equals(readFileSync(join(dir, 'b.pcap')))).toBe(true);
  });

  it.skipIf(!hasTshark)('is dissected by tshark as DTLS with no malformed packet and no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handshake-sim-pcap-'));
    let sawRetransmission = false;
    for (const variant of ['cookie', 'gcm-no-cookie']) {
      for (let trial = 0; trial < 6; trial++) {
        const file = join(dir, `${variant}-${trial}.pcap`);
        const r = runCli(['run', lossy, '--trials', '20', '--pcap', file, '--pcap-variant', variant, '--pcap-trial', String(trial)]);
        expect(r.status).toBe(0);
        const v = scenario.variants.find((x) => x.name === variant)!;
        const { trace } = captureTrial(v, scenario.seed, trial);
        sawRetransmission ||= trace.length > (variant === 'cookie' ? 6 : 4);
        const protocols = tshark(['-r', file, '-T', 'fields', '-e', 'frame.protocols']).stdout.trim().split('\n');
        expect(protocols.length).toBe(trace.length);
        for (const p of protocols) expect(p).toMatch(/^raw:ip:udp:dtls$/);
        const problems = tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= "Warning"', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message']);
        expect(problems.status).toBe(0);
        expect(problems.stdout.trim()).toBe('');
        // Every handshake message is whole (tshark does not flag a length it is still waiting for).
        const lengths = tshark(['-r', file, '-Y', 'dtls.handshake', '-T', 'fields', '-e', 'dtls.handshake.length', '-e', 'dtls.handshake.fragment_length']).stdout.trim().split('\n');
        for (const line of lengths) {
          const [len, frag] = line.split('\t');
          expect(frag).toBe(len);
        }
      }
    }
    expect(sawRetransmission).toBe(true);
  });

  it.skipIf(!hasTshark)('dissects every mode cleanly: certificates, raw public keys, ECDHE-PSK, connection IDs, record_size_limit', () => {
    const modes = tempScenario(
      MINIMAL_SCENARIO.replace('loss: 0.1', 'loss: 0.05') +
        'variants:\n' +
        '  - name: cert\n    auth: cert\n    mutual: true\n    certificates: { chain_depth: 2 }\n' +
        '  - name: rpk\n    auth: rpk\n    mutual: true\n    group: x25519\n' +
        '  - name: ecdhe-psk\n    auth: ecdhe-psk\n' +
        '  - name: cid\n    connection_id: { client_bytes: 4, server_bytes: 2 }\n    record_size_limit: 256\n',
    );
    const dir = mkdtempSync(join(tmpdir(), 'handshake-sim-pcap-'));
    for (const variant of ['cert', 'rpk', 'ecdhe-psk', 'cid']) {
      for (const trial of [0, 1]) {
        const file = join(dir, `${variant}-${trial}.pcap`);
        const r = runCli(['run', modes, '--trials', '5', '--pcap', file, '--pcap-variant', variant, '--pcap-trial', String(trial)]);
        expect(r.status, r.stderr).toBe(0);
        const protocols = tshark(['-r', file, '-T', 'fields', '-e', 'frame.protocols']).stdout.trim().split('\n');
        for (const p of protocols) expect(p).toMatch(/^raw:ip:udp:dtls/);
        const problems = tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= "Warning"', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message']);
        expect(problems.status).toBe(0);
        expect(problems.stdout.trim(), `${variant} trial ${trial}`).toBe('');
        const types = tshark(['-r', file, '-T', 'fields', '-e', 'dtls.handshake.type']).stdout;
        if (variant === 'cert' || variant === 'rpk') expect(types).toMatch(/\b11\b/); // Certificate
        // tshark reads the tls12_cid records and their connection IDs (it learns their lengths from the hellos).
        if (variant === 'cid') expect(tshark(['-r', file, '-T', 'fields', '-e', 'dtls.record.connection_id']).stdout).toMatch(/[0-9a-f]{4}/);
      }
    }
  });

  it('rejects an unknown --pcap-variant and an out-of-range --pcap-trial with exit 2', () => {
    const a = runCli(['run', lossy, '--pcap', '/tmp/x.pcap', '--pcap-variant', 'cookies']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/--pcap-variant: got "cookies", expected one of "cookie", "gcm-no-cookie"; did you mean "cookie"\?/);
    const b = runCli(['run', lossy, '--trials', '5', '--pcap', '/tmp/x.pcap', '--pcap-trial', '5']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--pcap-trial: got 5, expected a whole number from 0 to 4/);
  });
});
