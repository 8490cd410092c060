import type { OpId, OpRecord } from '../crypto/ops.js';
import { InputError } from '../scenario/errors.js';
import { tls12PrfHmacCalls } from '../crypto/tls12_prf.js';
import type { CycleCostId, CycleTable, DeviceProfile, StackProfile } from '../scenario/profile_schemas.js';

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

/** An op the handshake performs but the stack's cycle table cannot price. */
export class UnpricedOpError extends Error {
  constructor(
    readonly op: OpId,
    readonly figure: CycleCostId,
  ) {
    super(`the stack's cycle table has no ${figure}, which ${op} needs`);
  }
}

function required(c: CycleTable, id: CycleCostId, op: OpId): number {
  const f = c[id];
  if (f === undefined) throw new UnpricedOpError(op, id);
  return f.value;
}

/** Cycles for one op on the stack's cycle table for the device's core. */
export function opCycles(c: CycleTable, op: Pick<OpRecord, 'op' | 'bytes' | 'out_bytes'>): number {
  switch (op.op satisfies OpId) {
    case 'sha256.hash':
      // A one-shot digest: the message at the streaming rate, then the final block.
      return op.bytes * c['sha256.cycles_per_byte'].value + c['sha256.finish_cycles'].value;
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
    case 'aes128_cbc.encrypt':
    case 'aes128_cbc.decrypt':
      return op.bytes * required(c, 'aes128_cbc.cycles_per_byte', op.op);
    case 'rng':
      return op.bytes * c['rng.cycles_per_byte'].value;
    case 'p256.keygen':
      return required(c, 'p256.keygen_cycles', op.op);
    case 'p256.ecdh':
      return required(c, 'p256.ecdh_cycles', op.op);
    case 'p256.ecdsa_sign':
      return required(c, 'p256.ecdsa_sign_cycles', op.op);
    case 'p256.ecdsa_verify':
      return required(c, 'p256.ecdsa_verify_cycles', op.op);
    case 'x25519.keygen':
      return required(c, 'x25519.keygen_cycles', op.op);
    case 'x25519.ecdh':
      return required(c, 'x25519.ecdh_cycles', op.op);
    case 'rsa2048.sign':
      return required(c, 'rsa2048.private_cycles', op.op);
    case 'rsa2048.verify':
      return required(c, 'rsa2048.public_cycles', op.op);
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
    let cycles: number;
    try {
      cycles = opCycles(table, op);
    } catch (e) {
      if (!(e instanceof UnpricedOpError)) throw e;
      throw new InputError(
        `stack ${stack.id}: cycles.${device.core} has no ${e.figure}, which the handshake's ${e.op} needs on device ${device.id}; add the figure (with its source) to the stack profile or pick a stack that has it`,
      );
    }
    const time_ms = cycles / cyclesPerMs;
    return { time_ms, engine: 'software', current_mA, energy_mJ: (current_mA * volts * time_ms) / 1000 };
  };
}
