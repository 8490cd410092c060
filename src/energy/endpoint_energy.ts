import type { EndpointModel } from '../replay/replay_model.js';
import type { StateTimes_ms } from '../replay/run_trial.js';

export interface EndpointEnergy {
  charge_mAh: number;
  energy_mJ: number;
  breakdown_mJ: StateTimes_ms;
}

const MS_PER_HOUR = 3_600_000;

/**
 * Charge and energy of one endpoint over a trial from its state times. The CPU and the radio
 * draw at the same time (the radio listens while the CPU computes), so their charges add.
 * Crypto work comes as a charge already (`work_mA_ms`), because its current depends on the
 * engine each op ran on. Charge: mA x ms / 3.6e6 = mAh. Energy: mA x V x ms / 1000 = mJ.
 */
export function endpointEnergy(m: EndpointModel, t: StateTimes_ms, work_mA_ms: number): EndpointEnergy {
  const mJ = (mA: number, ms: number) => (mA * m.supply_V * ms) / 1000;
  const breakdown_mJ: StateTimes_ms = {
    cpu_active: (work_mA_ms * m.supply_V) / 1000,
    cpu_sleep: mJ(m.sleep_mA, t.cpu_sleep),
    radio_tx: mJ(m.radio_tx_mA, t.radio_tx),
    radio_rx: mJ(m.radio_rx_mA, t.radio_rx),
  };
  const mA_ms = work_mA_ms + m.sleep_mA * t.cpu_sleep + m.radio_tx_mA * t.radio_tx + m.radio_rx_mA * t.radio_rx;
  return {
    charge_mAh: mA_ms / MS_PER_HOUR,
    energy_mJ: breakdown_mJ.cpu_active + breakdown_mJ.cpu_sleep + breakdown_mJ.radio_tx + breakdown_mJ.radio_rx,
    breakdown_mJ,
  };
}
