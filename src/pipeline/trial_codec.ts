import type { EndpointRole } from '../crypto/ops.js';
import type { DirectionTraffic, StateTimes_ms, TrialResult } from '../replay/run_trial.js';

/**
 * A trial's result as a fixed run of float64s, so worker threads can write results straight
 * into shared memory instead of cloning objects (which cost more than the work it saved).
 * Float64 holds every field exactly, so a decoded result equals the original.
 */
const ROLES: readonly EndpointRole[] = ['client', 'server'];
const DIRECTIONS = ['client_to_server', 'server_to_client'] as const;
const TRAFFIC: readonly (keyof DirectionTraffic)[] = ['records', 'datagrams', 'datagram_bytes', 'frames', 'bytes_on_air'];
const STATES: readonly (keyof StateTimes_ms)[] = ['cpu_active', 'cpu_sleep', 'radio_tx', 'radio_rx', 'radio_idle', 'radio_sleep'];

export const TRIAL_FIELDS = 6 + DIRECTIONS.length * TRAFFIC.length + ROLES.length * STATES.length + ROLES.length;

export function encodeTrial(r: TrialResult, out: Float64Array, at: number): void {
  let i = at;
  out[i++] = r.completed ? 1 : 0;
  out[i++] = r.time_ms;
  out[i++] = r.retransmissions;
  out[i++] = r.datagrams_sent;
  out[i++] = r.frames_sent;
  out[i++] = r.bytes_on_air;
  for (const d of DIRECTIONS) for (const k of TRAFFIC) out[i++] = r.traffic[d][k];
  for (const role of ROLES) for (const k of STATES) out[i++] = r.states[role][k];
  for (const role of ROLES) out[i++] = r.work_mA_ms[role];
}

export function decodeTrial(data: Float64Array, at: number): TrialResult {
  let i = at;
  const next = () => data[i++]!;
  const completed = next() === 1;
  const time_ms = next();
  const retransmissions = next();
  const datagrams_sent = next();
  const frames_sent = next();
  const bytes_on_air = next();
  const direction = (): DirectionTraffic => ({ records: next(), datagrams: next(), datagram_bytes: next(), frames: next(), bytes_on_air: next() });
  const traffic = { client_to_server: direction(), server_to_client: direction() };
  const states = (): StateTimes_ms => ({ cpu_active: next(), cpu_sleep: next(), radio_tx: next(), radio_rx: next(), radio_idle: next(), radio_sleep: next() });
  const client = states();
  const server = states();
  const work = { client: next(), server: next() };
  return { completed, time_ms, retransmissions, datagrams_sent, frames_sent, bytes_on_air, traffic, states: { client, server }, work_mA_ms: work };
}

/** The done flag a worker raises in shared memory: 0 while it runs. */
export const WORKER_DONE = 1;
export const WORKER_FAILED = 2;
