import type { EndpointRole } from '../crypto/ops.js';
import { InputError } from '../scenario/errors.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { frameField } from './profile_fields.js';

/** The rates and latency of one coverage class, from the profile (the scenario picks the class). */
export function coverageClass(profile: LinkProfile, name: string | undefined) {
  const c = profile.coverage;
  if (!c) throw new InputError(`link profile ${profile.id} has no coverage classes; framing ${profile.framing} needs them`);
  const chosen = name ?? c.default;
  const cls = c.classes[chosen];
  if (!cls) throw new InputError(`link.coverage: got ${JSON.stringify(chosen)}, expected one of ${Object.keys(c.classes).map((k) => JSON.stringify(k)).join(', ')} (link ${profile.id})`);
  return { name: chosen, uplink_bps: cls.uplink_bps.value, downlink_bps: cls.downlink_bps.value, latency_ms: cls.latency_ms.value };
}

/**
 * A datagram over NB-IoT or LTE-M, coarsely: IPv4 + UDP headers and a per-packet PDCP/RLC/MAC
 * overhead around it, sent at the coverage class's uplink (client) or downlink (server) rate as
 * one unit. Scheduling, HARQ, repetitions and transport-block segmentation are inside the rate.
 */
export function cellularFrames(profile: LinkProfile, payload: number, from: EndpointRole, coverage: string | undefined): LinkFrame[] {
  const cls = coverageClass(profile, coverage);
  const bytes = payload + frameField(profile, 'ipv4_bytes') + frameField(profile, 'udp_bytes') + frameField(profile, 'l2_overhead_bytes');
  return [{ phy_payload_bytes: bytes, bytes_on_air: bytes, airtime_ms: airtime_ms(bytes, from === 'client' ? cls.uplink_bps : cls.downlink_bps) }];
}
