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
 * of them is in exactly one of its states at any instant.
 * Charge: mA x ms / 3.6e6 = mAh. Energy: mA x V x ms / 1000 = mJ, at the device's supply voltage.
 */
export function endpointEnergy(m: EndpointModel, t: StateTimes_ms): EndpointEnergy {
  const current_mA: StateTimes_ms = {
    cpu_active: m.active_mA,
    cpu_sleep: m.sleep_mA,
    radio_tx: m.radio_tx_mA,
    radio_rx: m.radio_rx_mA,
    radio_idle: m.radio_idle_mA,
    radio_sleep: m.radio_sleep_mA,
  };
  const breakdown_mJ = {} as StateTimes_ms;
  let mA_ms = 0;
  for (const k of Object.keys(current_mA) as (keyof StateTimes_ms)[]) {
    const q = current_mA[k] * t[k];
    mA_ms += q;
    breakdown_mJ[k] = (q * m.supply_V) / 1000;
  }
  return { charge_mAh: mA_ms / MS_PER_HOUR, energy_mJ: (mA_ms * m.supply_V) / 1000, breakdown_mJ };
}
