import type { OpId, OpRecord } from '../crypto/ops.js';
import { tls12PrfHmacCalls } from '../crypto/tls12_prf.js';
import type { CycleTable, DeviceProfile, StackProfile } from '../scenario/profile_schemas.js';

/** Where an op runs. Only software exists so far; accelerators and secure elements come with their profiles. */
export type Engine = 'software';

export interface PricedOp {
  time_ms: number;
  engine: Engine;
  /** Current drawn by the device while the op runs. */
  current_mA: number;
  energy_mJ: number;
}

/** SHA-256 block size; HMAC pads its key to one block (RFC 2104). */
const SHA256_BLOCK_BYTES = 64;
const SHA256_DIGEST_BYTES = 32;

/** HMAC-SHA256 = inner hash over (key^ipad block + message) and outer hash over (key^opad block + digest). */
function hmacCycles(c: CycleTable, messageBytes: number): number {
  const perByte = c['sha256.cycles_per_byte'].value;
  const finish = c['sha256.finish_cycles'].value;
  return (SHA256_BLOCK_BYTES + messageBytes) * perByte + finish + (SHA256_BLOCK_BYTES + SHA256_DIGEST_BYTES) * perByte + finish;
}

/** Cycles for one op on the stack's cycle table for the device's core. */
export function opCycles(c: CycleTable, op: Pick<OpRecord, 'op' | 'bytes' | 'out_bytes'>): number {
  switch (op.op satisfies OpId) {
    case 'sha256.update':
      return op.bytes * c['sha256.cycles_per_byte'].value;
    case 'sha256.finish':
      return c['sha256.finish_cycles'].value;
    case 'hmac_sha256':
      return hmacCycles(c, op.bytes);
    case 'tls12_prf':
      // P_SHA256 is a chain of HMAC calls; price each call it makes.
      return tls12PrfHmacCalls(op.bytes, op.out_bytes ?? 0).hmacInputBytes.reduce((sum, n) => sum + hmacCycles(c, n), 0);
    case 'aes128_ccm.encrypt':
    case 'aes128_ccm.decrypt':
      return c['aes128_ccm.setup_cycles'].value + op.bytes * c['aes128_ccm.cycles_per_byte'].value;
    case 'aes128_gcm.encrypt':
    case 'aes128_gcm.decrypt':
      return c['aes128_gcm.setup_cycles'].value + op.bytes * c['aes128_gcm.cycles_per_byte'].value;
    case 'rng':
      return op.bytes * c['rng.cycles_per_byte'].value;
  }
}

/**
 * Prices ops for one endpoint: cycles on the core scale with the clock; the current is the
 * device's active current; energy = I x V x t.
 */
export function opPricer(device: DeviceProfile, stack: StackProfile): (op: Pick<OpRecord, 'op' | 'bytes' | 'out_bytes'>) => PricedOp {
  const table = stack.cycles[device.core];
  if (!table) throw new Error(`stack ${stack.id} has no cycle table for ${device.core}`);
  const cyclesPerMs = device.clock_MHz.value * 1000;
  const current_mA = device.current_mA.active.value;
  const volts = device.supply_V.value;
  return (op) => {
    const time_ms = opCycles(table, op) / cyclesPerMs;
    return { time_ms, engine: 'software', current_mA, energy_mJ: (current_mA * volts * time_ms) / 1000 };
  };
}
