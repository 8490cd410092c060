import type { ClockDividerMode, SecureElementProfile } from '../scenario/profile_schemas.js';
import type { CostGroup } from './cost_groups.js';

/** What the host can change about a secure element without editing its profile. */
export interface SecureElementSettings {
  clock_divider: ClockDividerMode;
  i2c_clock_kHz: number;
}

/** One command as the host sees it, every phase in ms. */
export interface SeCommandTiming {
  command: string;
  ecc: boolean;
  /** Wake pulse at the wake clock, tWHI, then the 4-byte wake token read back. */
  wake_ms: number;
  /** Address, word address and command packet at the bus clock. */
  send_ms: number;
  /** The datasheet's (library's) execution time of the command. */
  execution_ms: number;
  /** How long the host waits before the response can be read: execution rounded up to the polling grid. */
  wait_ms: number;
  /** Reading the response: word-address write, count byte, the rest. */
  receive_ms: number;
  /** The idle command that ends the exchange (the device keeps TempKey in idle). */
  idle_ms: number;
}

export interface SeOpTiming {
  commands: SeCommandTiming[];
  /** Sum of the commands' execution times: what a datasheet table adds up to. */
  datasheet_ms: number;
  /** Everything the host waits for: wakes, transfers, waits and idles. */
  host_observed_ms: number;
}

/** Time on the bus for `bytes` bytes at `kHz`: each byte is clocks_per_byte clock cycles. */
function busMs(se: SecureElementProfile, bytes: number, kHz: number): number {
  return (bytes * se.bus.clocks_per_byte.value) / kHz;
}

/**
 * CryptoAuthLib in polling mode reads after initial_ms, then every period_ms until the device
 * answers (calib_execute_command), so the host sees the execution time rounded up to that
 * grid; without polling it waits the table time once.
 */
export function pollingWait_ms(se: SecureElementProfile, execution_ms: number): number {
  if (se.polling.mode === 'no_poll') return execution_ms;
  const first = se.polling.initial_ms.value;
  const period = se.polling.period_ms.value;
  return execution_ms <= first ? first : first + period * Math.ceil((execution_ms - first) / period);
}

/**
 * The host-observed time of one cost group on the element: every command of its sequence is
 * its own wake, send, wait, receive and idle (CryptoAuthLib idles the device after each
 * command, so the next one wakes it again).
 */
export function seOpTiming(se: SecureElementProfile, group: CostGroup, settings: SecureElementSettings): SeOpTiming {
  const steps = se.ops[group];
  if (!steps) throw new Error(`secure element ${se.id} has no command sequence for ${group}`);
  const times = se.execution_ms[settings.clock_divider];
  if (!times) throw new Error(`secure element ${se.id} has no execution times for ${settings.clock_divider}`);
  const wakeKHz = se.bus.wake_clock_kHz.value;
  const kHz = settings.i2c_clock_kHz;
  const commands = steps.map((step): SeCommandTiming => {
    const execution_ms = times[step.command]!.value;
    return {
      command: step.command,
      ecc: step.ecc,
      wake_ms: busMs(se, se.wake.pulse_bytes.value, wakeKHz) + se.wake.delay_us.value / 1000 + busMs(se, se.wake.response_bytes.value, wakeKHz),
      send_ms: busMs(se, se.framing.send_overhead_bytes.value + step.tx_bytes.value, kHz),
      execution_ms,
      wait_ms: pollingWait_ms(se, execution_ms),
      receive_ms: busMs(se, se.framing.receive_overhead_bytes.value + step.rx_bytes.value, kHz),
      idle_ms: busMs(se, se.framing.idle_bytes.value, kHz),
    };
  });
  const sum = (f: (c: SeCommandTiming) => number) => commands.reduce((n, c) => n + f(c), 0);
  return {
    commands,
    datasheet_ms: sum((c) => c.execution_ms),
    host_observed_ms: sum((c) => c.wake_ms + c.send_ms + c.wait_ms + c.receive_ms + c.idle_ms),
  };
}

/**
 * Charge (mA x ms) the host and the element draw during one op. The host drives the bus at its
 * active current and waits at `hostWait_mA`; the element draws its ECC current while an ECC
 * command executes and its I/O current otherwise.
 */
export function seOpCharge_mA_ms(se: SecureElementProfile, timing: SeOpTiming, settings: SecureElementSettings, hostActive_mA: number, hostWait_mA: number): number {
  const io = se.current_mA.io.value;
  const ecc = se.current_mA.ecc_active[settings.clock_divider]?.value ?? io;
  return timing.commands.reduce((n, c) => {
    const busy = c.wake_ms + c.send_ms + c.receive_ms + c.idle_ms;
    const executing = (c.ecc ? ecc : io) * c.execution_ms + io * (c.wait_ms - c.execution_ms);
    return n + (hostActive_mA + io) * busy + hostWait_mA * c.wait_ms + executing;
  }, 0);
}
