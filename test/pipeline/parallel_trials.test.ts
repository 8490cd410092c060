import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayTrials } from '../../src/pipeline/parallel_trials.js';
import { variantTranscripts } from '../../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../../src/replay/replay_model.js';
import { loadScenario } from '../../src/scenario/load_scenario.js';
import { MINIMAL_SCENARIO, runCli, tempScenario } from '../helpers/cli.js';

// The workers run the built code; `npm test` builds first.
const built = existsSync(join('dist', 'src', 'pipeline', 'trial_worker.js'));

describe.skipIf(!built)('trials spread over worker threads', () => {
  it('give exactly the results of one thread, trial by trial, for every connection (full handshake and resumptions)', () => {
    const s = loadScenario(tempScenario(MINIMAL_SCENARIO + 'resumption: { mode: ticket, count: 2 }\n'));
    const v = s.variants[0]!;
    const { full, resumptions } = variantTranscripts(v, s.seed);
    const models = [full, ...resumptions].map((t) => buildReplayModel(v, t));
    const trials = 3000;
    const one = replayTrials(v, s.seed, trials, models, 1);
    // A low threshold so three threads share this small run: this thread and two workers.
    const stats = { trials_by_workers: 0 };
    const three = replayTrials(v, s.seed, trials, models, 3, undefined, 1000, stats);
    expect(stats.trials_by_workers).toBe(2000); // the workers ran two thirds; this thread the first 1000
    expect(three).toEqual(one);
    expect(one[0]!.some((r) => r.retransmissions > 0)).toBe(true);
  });

  it('the report is byte-identical with --threads 1 and --threads 2', () => {
    const file = tempScenario(MINIMAL_SCENARIO.replace('trials: 200', 'trials: 320000') + 'cookie: false\n');
    const a = runCli(['run', file, '--threads', '1', '--format', 'json']);
    const b = runCli(['run', file, '--threads', '2', '--format', 'json']);
    expect(a.status).toBe(0);
    expect(b.status).toBe(0);
    expect(b.stdout).toBe(a.stdout);
  });

  it('refuses --threads 0 naming the flag', () => {
    const r = runCli(['run', tempScenario(MINIMAL_SCENARIO), '--threads', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--threads: got 0, expected a whole number from 1 to 64/);
  });
});
