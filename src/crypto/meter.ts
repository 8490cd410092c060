import type { EndpointRole, OpId, OpRecord, RecordLayerWork } from './ops.js';

/**
 * Collects the ops both endpoints perform. The transcript builder moves `step` forward as it
 * delivers each flight, so every op lands at the step that triggered it.
 */
export class OpMeter {
  step = 0;
  readonly ops: OpRecord[] = [];
  /** Called with each op as it is recorded, in order (the stack memory model sizes its working memory). */
  readonly listeners: ((op: OpRecord) => void)[] = [];

  record(endpoint: EndpointRole, op: OpId, sizes: { bytes: number; aad_bytes?: number; out_bytes?: number }, record_layer: RecordLayerWork | false = false): void {
    const entry: OpRecord = { endpoint, op, step: this.step, record_layer, ...sizes };
    this.ops.push(entry);
    for (const listener of this.listeners) listener(entry);
  }
}
