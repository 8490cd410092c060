import { InputError } from '../scenario/errors.js';
import type { MemoryModel, StackProfile } from '../scenario/profile_schemas.js';
import type { CostGroup } from './cost_groups.js';

/**
 * Mbed TLS's ECP window (MBEDTLS_ECP_WINDOW_SIZE) as an endpoint setting: the factors the stack
 * profile lists for the chosen size (`ecp_window.sizes`), and what they scale. The window caps
 * the comb multiplication (library/ecp.c ecp_mul_comb) that Mbed TLS's software P-256 key
 * generation, ECDH and ECDSA run. X25519 uses the Montgomery ladder, which has no window, and an
 * accelerator or secure element does not run Mbed TLS's comb code, so only software P-256 ops
 * change. The profile's figures are taken at its default size, whose factors are 1.
 */

/** The cost groups whose software implementation is Mbed TLS's comb multiplication. */
const COMB_GROUPS: ReadonlySet<CostGroup> = new Set<CostGroup>(['p256.keygen', 'p256.ecdh', 'p256.ecdsa_sign', 'p256.ecdsa_verify']);

export interface EcpWindowFactors {
  /** Multiplies the cycles of a software P-256 op. */
  time_factor: number;
  /** Multiplies the working memory of a P-256 scalar multiplication. */
  heap_factor: number;
}

const UNCHANGED: EcpWindowFactors = { time_factor: 1, heap_factor: 1 };

/** The factors of a window size on a stack; null (a stack without the setting) changes nothing. */
export function ecpWindowFactors(stack: StackProfile, size: number | null): EcpWindowFactors {
  if (size === null) return UNCHANGED;
  const sizes = stack.ecp_window?.sizes;
  const at = sizes?.[String(size) as keyof typeof sizes];
  if (!at) {
    const has = sizes ? `lists sizes ${Object.keys(sizes).join(', ')}` : 'has no ECP window setting';
    throw new InputError(`ecp_window_size: got ${size}, but stack ${stack.id} ${has}`);
  }
  return { time_factor: at.time_factor.value, heap_factor: at.heap_factor.value };
}

/** Whether the software cost of a group follows the ECP window. */
export function scalesWithEcpWindow(group: CostGroup): boolean {
  return COMB_GROUPS.has(group);
}

/**
 * The stack's memory model with the P-256 working memory at a window size, rounded to whole
 * bytes (Math.round: the same bytes on every run). Unchanged at the default or without a figure.
 */
export function memoryModelAtEcpWindow(stack: StackProfile, size: number | null): MemoryModel {
  const { heap_factor } = ecpWindowFactors(stack, size);
  const working = stack.memory.ecc_working_bytes;
  const p256 = working?.p256;
  if (heap_factor === 1 || !p256) return stack.memory;
  const bytes = Math.round(p256.value * heap_factor);
  const derived = `memory.ecc_working_bytes.p256 ${p256.value} B x ecp_window.sizes.${size}.heap_factor ${heap_factor} = ${bytes} B, rounded`;
  return { ...stack.memory, ecc_working_bytes: { ...working, p256: { value: bytes, derived } } };
}
