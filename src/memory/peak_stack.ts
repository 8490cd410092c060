import { GROUP_OF } from '../device/cost_groups.js';
import type { EndpointRole, OpRecord } from '../crypto/ops.js';
import type { StackProfile } from '../scenario/profile_schemas.js';

export interface PeakStack {
  /** The largest published call-stack depth among the ops the endpoint ran; null when none is published. */
  peak_stack_bytes: number | null;
  peak_stack_op: string | null;
}

/** The deepest call stack of the endpoint's handshake ops, from the stack profile's published figures. */
export function peakStackEstimate(stack: StackProfile, ops: OpRecord[], endpoint: EndpointRole): PeakStack {
  let best: PeakStack = { peak_stack_bytes: null, peak_stack_op: null };
  for (const op of ops) {
    if (op.endpoint !== endpoint) continue;
    const figure = stack.stack_bytes?.[GROUP_OF[op.op]];
    if (figure !== undefined && (best.peak_stack_bytes === null || figure.value > best.peak_stack_bytes))
      best = { peak_stack_bytes: figure.value, peak_stack_op: op.op };
  }
  return best;
}
