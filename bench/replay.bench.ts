/**
 * Replay throughput: trials per second for each variant of a scenario, on one thread; then the
 * wall time of `handshake-sim run scenarios/quickstart.yaml --trials 10000`, start-up included.
 * Prints JSON with issue 5's targets next to the measurements. Speed targets are checked here,
 * never in timed tests.
 *   npm run bench [-- SCENARIO [TRIALS]]
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { transcriptFor } from '../src/pipeline/run_scenario.js';
import { buildReplayModel } from '../src/replay/replay_model.js';
import { runTrial } from '../src/replay/run_trial.js';
import { loadScenario } from '../src/scenario/load_scenario.js';
import { PACKAGE_ROOT } from '../src/scenario/package_root.js';

const file = process.argv[2] ?? resolve(PACKAGE_ROOT, 'bench/psk-802154-10pct.yaml');
const trials = Number(process.argv[3] ?? 100_000);
const scenario = loadScenario(file);
const WARM_UP_TRIALS = 20_000;
const results = scenario.variants.map((variant) => {
  const t0 = performance.now();
  const transcript = transcriptFor(variant, scenario.seed);
  const model = buildReplayModel(variant, transcript);
  const handshake_ms = performance.now() - t0;
  // Untimed warm-up, so the figure is the steady-state rate rather than the JIT's first pass.
  for (let t = 0; t < WARM_UP_TRIALS; t++) runTrial(model, scenario.seed, t);
  const t1 = performance.now();
  let completed = 0;
  for (let t = 0; t < trials; t++) if (runTrial(model, scenario.seed, t).completed) completed++;
  const t2 = performance.now();
  return {
    variant: variant.name,
    handshake_ms: Number(handshake_ms.toFixed(1)),
    warm_up_trials: WARM_UP_TRIALS,
    trials,
    replay_ms: Number((t2 - t1).toFixed(1)),
    trials_per_s: Math.round(trials / ((t2 - t1) / 1000)),
    success_rate: completed / trials,
  };
});

// The whole CLI on a 3-variant scenario: process start, loading, handshakes, replay, report.
const cliStart = performance.now();
execFileSync(process.execPath, [resolve(PACKAGE_ROOT, 'dist/src/cli/main.js'), 'run', resolve(PACKAGE_ROOT, 'scenarios/quickstart.yaml'), '--trials', '10000'], {
  stdio: 'ignore',
});
const cli_ms = Number((performance.now() - cliStart).toFixed(0));

process.stdout.write(
  JSON.stringify(
    {
      scenario: scenario.name,
      node: process.version,
      results,
      targets: {
        replay_trials_per_s: { target: 200_000, measured_min: Math.min(...results.map((r) => r.trials_per_s)) },
        cli_quickstart_10000_trials_ms: { target: 2000, measured: cli_ms },
      },
    },
    null,
    2,
  ) + '\n',
);
