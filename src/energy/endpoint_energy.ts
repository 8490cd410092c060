import type { EndpointModel } from '../replay/replay_model.js';
import type { StateTimes_ms } from '../replay/run_trial.js';

export interface EndpointEnergy {
  charge_mAh: number;
  energy_mJ: number;
  /** Energy per state, in the same keys as the state times. */
  breakdown_mJ: StateTimes_ms;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Charge and energy of one endpoint over a trial from its state times. The CPU and the radio
 * draw at the same time (the radio listens while the CPU computes), so their charges add; each
 * of them is in exactly one of its states at any instant. Crypto work comes as a charge already
 * (`work_mA_ms`), because its current depends on the engine each op ran on.
 * Charge: mA x ms / 3.6e6 = mAh. Energy: mA x V x ms / 1000 = mJ, at the device's supply voltage.
 */
export function endpointEnergy(m: EndpointModel, t: StateTimes_ms, work_mA_ms: number): EndpointEnergy {
  // Written out state by state: this runs twice per trial.
  const q = {
    cpu_active: work_mA_ms,
    cpu_sleep: m.sleep_mA * t.cpu_sleep,
    radio_tx: m.radio_tx_mA * t.radio_tx,
    radio_rx: m.radio_rx_mA * t.radio_rx,
    radio_idle: m.radio_idle_mA * t.radio_idle,
    radio_sleep: m.radio_sleep_mA * t.radio_sleep,
  };
  const mA_ms = q.cpu_active + q.cpu_sleep + q.radio_tx + q.radio_rx + q.radio_idle + q.radio_sleep;
  const mJ = m.supply_V / 1000;
  return {
    charge_mAh: mA_ms / MS_PER_HOUR,
    energy_mJ: mA_ms * mJ,
    breakdown_mJ: {
      cpu_active: q.cpu_active * mJ,
      cpu_sleep: q.cpu_sleep * mJ,
      radio_tx: q.radio_tx * mJ,
      radio_rx: q.radio_rx * mJ,
      radio_idle: q.radio_idle * mJ,
      radio_sleep: q.radio_sleep * mJ,
    },
  };
}
