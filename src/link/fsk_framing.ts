import type { LinkProfile } from '../scenario/profile_schemas.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { frameField } from './profile_fields.js';

/** One proprietary FSK packet: preamble + sync word + length byte + payload + CRC. */
export function fskPhyFrame(profile: LinkProfile, payload_bytes: number, bitrate_bps: number): LinkFrame {
  const bytes = frameField(profile, 'preamble_bytes') + frameField(profile, 'sync_word_bytes') + frameField(profile, 'length_bytes') + payload_bytes + frameField(profile, 'crc_bytes');
  return { phy_payload_bytes: payload_bytes, bytes_on_air: bytes, airtime_ms: airtime_ms(bytes, bitrate_bps) };
}

/**
 * A datagram over a proprietary sub-GHz FSK link without IP: the datagram is the packet payload
 * when it fits the maximum; otherwise pieces behind a fragment header, one per packet.
 */
export function fskFrames(profile: LinkProfile, payload: number, bitrate_bps: number): LinkFrame[] {
  const max = frameField(profile, 'max_payload_bytes');
  if (payload <= max) return [fskPhyFrame(profile, payload, bitrate_bps)];
  const header = frameField(profile, 'fragment_header_bytes');
  const frames: LinkFrame[] = [];
  for (let left = payload; left > 0; left -= max - header) frames.push(fskPhyFrame(profile, header + Math.min(left, max - header), bitrate_bps));
  return frames;
}
