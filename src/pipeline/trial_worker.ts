import { workerData } from 'node:worker_threads';
import { buildReplayModel } from '../replay/replay_model.js';
import { runTrial } from '../replay/run_trial.js';
import type { ResolvedVariant } from '../scenario/load_scenario.js';
import { variantTranscripts } from './run_scenario.js';
import { encodeTrial, TRIAL_FIELDS, WORKER_DONE, WORKER_FAILED } from './trial_codec.js';

/**
 * A worker thread that replays trials [from, to) of one variant and writes each connection's
 * results into shared memory, then raises the done flag. It rebuilds the same transcripts from
 * the same seed, so its trials are the ones the main thread would have run.
 */
interface Job {
  variant: ResolvedVariant;
  seed: number;
  from: number;
  to: number;
  /** One float64 array per connection (full handshake, then each resumption), TRIAL_FIELDS per trial. */
  results: SharedArrayBuffer[];
  done: SharedArrayBuffer;
}

const job = workerData as Job;
const flag = new Int32Array(job.done);
let outcome = WORKER_FAILED;
try {
  const { full, resumptions } = variantTranscripts(job.variant, job.seed);
  const models = [full, ...resumptions].map((t) => buildReplayModel(job.variant, t));
  const outputs = job.results.map((b) => new Float64Array(b));
  for (let t = job.from; t < job.to; t++) {
    models.forEach((m, k) => encodeTrial(runTrial(m, job.seed, t, undefined, undefined, k), outputs[k]!, (t - job.from) * TRIAL_FIELDS));
  }
  outcome = WORKER_DONE;
} finally {
  // The main thread waits on this flag; it runs the trials itself when the worker failed.
  Atomics.store(flag, 0, outcome);
  Atomics.notify(flag, 0);
}
