/**
 * Replay throughput: trials per second for each variant of a scenario, on one thread.
 * Prints JSON. Speed targets are checked here, never in timed tests.
 *   npm run bench [-- SCENARIO [TRIALS]]
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { transcriptFor } from '../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../src/replay/replay_model.js';
import { runTrial } from '../src/replay/run_trial.js';
import { loadScenario } from '../src/scenario/load_scenario.js';
import { PACKAGE_ROOT } from '../src/scenario/package_root.js';

const file = process.argv[2] ?? resolve(PACKAGE_ROOT, 'scenarios/quickstart.yaml');
const trials = Number(process.argv[3] ?? 100_000);
const scenario = loadScenario(file);
const results = scenario.variants.map((variant) => {
  const t0 = performance.now();
  const transcript = transcriptFor(variant, scenario.seed);
  const model = buildReplayModel(variant, transcript);
  const t1 = performance.now();
  let completed = 0;
  for (let t = 0; t < trials; t++) if (runTrial(model, scenario.seed, t).completed) completed++;
  const t2 = performance.now();
  return {
    variant: variant.name,
    handshake_ms: Number((t1 - t0).toFixed(1)),
    trials,
    replay_ms: Number((t2 - t1).toFixed(1)),
    trials_per_s: Math.round(trials / ((t2 - t1) / 1000)),
    success_rate: completed / trials,
  };
});
process.stdout.write(JSON.stringify({ scenario: scenario.name, node: process.version, results }, null, 2) + '\n');
