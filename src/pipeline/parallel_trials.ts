import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ReplayModel } from '../replay/replay_model.js';
import { runTrial, type TrialResult } from '../replay/run_trial.js';
import type { ResolvedVariant } from '../scenario/load_scenario.js';
import { PACKAGE_ROOT } from '../scenario/package_root.js';
import type { ProgressListener } from './run_scenario.js';
import { decodeTrial, TRIAL_FIELDS, WORKER_DONE } from './trial_codec.js';

/**
 * Trial-connections a worker must get to pay for itself: it loads the tool and rebuilds the
 * transcripts first (about 0.3 s here), while a trial takes 4–6 µs. Measured on this 2-core
 * machine: 100k trials replay no faster on two threads, 400k take 1.6 s instead of 2.3 s.
 */
export const MIN_TRIALS_PER_WORKER = 150_000;

/** The built worker; it runs the compiled code, so only a built tool (dist/) hands trials to it. */
const WORKER_SCRIPT = join(PACKAGE_ROOT, 'dist', 'src', 'pipeline', 'trial_worker.js');

/**
 * Replays trials 0..trials-1 of each connection model and returns, per connection, the results
 * in trial order. With `threads` > 1 and enough trials, the last share of the trials goes to
 * worker threads, which write into shared memory while this thread runs the first share; trial
 * t draws the same random streams wherever it runs, so the results equal a single-threaded run.
 * The API stays synchronous: this thread waits on the workers' done flags (Atomics.wait).
 */
export function replayTrials(
  variant: ResolvedVariant,
  seed: number,
  trials: number,
  models: ReplayModel[],
  threads: number,
  onProgress?: ProgressListener,
  minTrialsPerWorker = MIN_TRIALS_PER_WORKER,
  /** Filled in with how many trials the workers ran (a failed worker's trials run here instead). */
  stats: { trials_by_workers: number } = { trials_by_workers: 0 },
): TrialResult[][] {
  const perTrial = models.length;
  const workers = Math.min(threads - 1, Math.floor((trials * perTrial) / minTrialsPerWorker) - 1);
  const useWorkers = workers > 0 && existsSync(WORKER_SCRIPT);
  const ownShare = useWorkers ? Math.ceil(trials / (workers + 1)) : trials;

  const jobs = useWorkers ? startWorkers(variant, seed, trials, ownShare, workers, perTrial) : [];
  const out: TrialResult[][] = models.map(() => new Array<TrialResult>(trials));
  for (let t = 0; t < ownShare; t++) {
    models.forEach((m, k) => (out[k]![t] = runTrial(m, seed, t, undefined, undefined, k)));
    if (onProgress && (t + 1) % 1000 === 0) onProgress(variant.name, Math.min(trials, Math.round(((t + 1) * trials) / ownShare)), trials);
  }
  for (const job of jobs) if (collect(job, models, seed, out)) stats.trials_by_workers += job.to - job.from;
  return out;
}

interface Job {
  worker: Worker;
  from: number;
  to: number;
  results: SharedArrayBuffer[];
  done: Int32Array;
}

function startWorkers(variant: ResolvedVariant, seed: number, trials: number, ownShare: number, workers: number, perTrial: number): Job[] {
  const share = Math.ceil((trials - ownShare) / workers);
  const jobs: Job[] = [];
  for (let from = ownShare; from < trials; from += share) {
    const to = Math.min(trials, from + share);
    const results = Array.from({ length: perTrial }, () => new SharedArrayBuffer((to - from) * TRIAL_FIELDS * 8));
    const done = new SharedArrayBuffer(4);
    const worker = new Worker(WORKER_SCRIPT, { workerData: { variant, seed, from, to, results, done } });
    worker.unref();
    jobs.push({ worker, from, to, results, done: new Int32Array(done) });
  }
  return jobs;
}

/** Waits for a worker's trials (it always raises its flag); if it failed, runs them here instead (same results). */
function collect(job: Job, models: ReplayModel[], seed: number, out: TrialResult[][]): boolean {
  Atomics.wait(job.done, 0, 0);
  const finished = Atomics.load(job.done, 0) === WORKER_DONE;
  void job.worker.terminate();
  const data = job.results.map((b) => new Float64Array(b));
  for (let t = job.from; t < job.to; t++) {
    models.forEach((m, k) => {
      out[k]![t] = finished ? decodeTrial(data[k]!, (t - job.from) * TRIAL_FIELDS) : runTrial(m, seed, t, undefined, undefined, k);
    });
  }
  return finished;
}
