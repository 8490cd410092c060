import { buildReplayModel } from '../replay/replay_model.js';
import { runTrial, type TraceEntry } from '../replay/run_trial.js';
import { writePcap } from '../report/pcap.js';
import type { ResolvedVariant } from '../scenario/load_scenario.js';
import { transcriptFor } from './run_scenario.js';

/**
 * One trial of a variant as a pcap: every datagram either endpoint put on the air, lost ones
 * and retransmissions included, at its simulated send time. A retransmitted flight repeats the
 * bytes of its first transmission (a real stack would use fresh record sequence numbers).
 */
export function captureTrial(variant: ResolvedVariant, seed: number, trial: number): { pcap: Uint8Array; trace: TraceEntry[] } {
  const transcript = transcriptFor(variant, seed);
  const model = buildReplayModel(variant, transcript);
  const trace: TraceEntry[] = [];
  runTrial(model, seed, trial, trace);
  // In send-time order: a link that holds datagrams back (LoRaWAN downlinks waiting for a
  // receive window) reports them when they finally go out. The sort is stable.
  trace.sort((a, b) => a.time_ms - b.time_ms);
  const pcap = writePcap(
    trace.map((e) => ({ time_ms: e.time_ms, from: e.from, payload: transcript.flights[e.flight - 1]!.datagrams[e.datagram]! })),
  );
  return { pcap, trace };
}
