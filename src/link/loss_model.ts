import type { Prng } from '../replay/prng.js';

/** How link frames are lost in one direction. */
export type LossProcess =
  /** Each frame independently. */
  | { model: 'bernoulli'; frame_loss: number }
  /**
   * Gilbert–Elliott: a two-state Markov chain advanced once per frame sent in that direction;
   * frames are lost with loss_in_good / loss_in_bad depending on the state. Bursts come from
   * staying in the bad state (mean stay 1 / p_bad_to_good frames).
   */
  | { model: 'gilbert-elliott'; p_good_to_bad: number; p_bad_to_good: number; loss_in_good: number; loss_in_bad: number };

export interface DirectionalLoss {
  client_to_server: LossProcess;
  server_to_client: LossProcess;
}

/** Long-run fraction of frames lost. */
export function meanFrameLoss(p: LossProcess): number {
  if (p.model === 'bernoulli') return p.frame_loss;
  const bad = p.p_good_to_bad / (p.p_good_to_bad + p.p_bad_to_good);
  return (1 - bad) * p.loss_in_good + bad * p.loss_in_bad;
}

/**
 * The simple Gilbert model from a mean loss and a mean burst length: frames are lost exactly in
 * the bad state (loss_in_good 0, loss_in_bad 1), the chain stays bad for `burst_frames` frames on
 * average (p_bad_to_good = 1 / burst) and is bad a fraction `mean` of the time
 * (p_good_to_bad / (p_good_to_bad + p_bad_to_good) = mean).
 */
export function gilbertFromMeanAndBurst(mean: number, burst_frames: number): LossProcess {
  const p_bad_to_good = 1 / burst_frames;
  return { model: 'gilbert-elliott', p_good_to_bad: (mean * p_bad_to_good) / (1 - mean), p_bad_to_good, loss_in_good: 0, loss_in_bad: 1 };
}

/** A running Gilbert–Elliott chain for one direction of one trial, starting in its stationary state. */
export class GilbertElliottChain {
  private bad: boolean;

  constructor(
    private readonly p: Extract<LossProcess, { model: 'gilbert-elliott' }>,
    private readonly rng: Prng,
  ) {
    this.bad = rng.next() < p.p_good_to_bad / (p.p_good_to_bad + p.p_bad_to_good);
  }

  /** Sends one frame: the chain moves, then the frame is lost or not. */
  frameLost(): boolean {
    this.bad = this.bad ? this.rng.next() >= this.p.p_bad_to_good : this.rng.next() < this.p.p_good_to_bad;
    return this.rng.next() < (this.bad ? this.p.loss_in_bad : this.p.loss_in_good);
  }
}
