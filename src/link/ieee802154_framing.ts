import { InputError } from '../scenario/errors.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { frameField } from './profile_fields.js';

/** One 802.15.4 PPDU carrying a PSDU (MAC header, payload, FCS) of `psdu_bytes`. */
export function ieee802154PhyFrame(profile: LinkProfile, psdu_bytes: number, bitrate_bps: number): LinkFrame {
  const bytes = frameField(profile, 'shr_bytes') + frameField(profile, 'phr_bytes') + psdu_bytes;
  return { phy_payload_bytes: psdu_bytes, bytes_on_air: bytes, airtime_ms: airtime_ms(bytes, bitrate_bps) };
}

/**
 * IEEE 802.15.4 frames carrying one UDP datagram through 6LoWPAN (RFC 4944, RFC 6282).
 * Unfragmented when IPHC + UDP NHC + payload fit one MAC payload; otherwise FRAG1 carries
 * the compressed headers and the first payload bytes, FRAGNs the rest. Fragment offsets
 * count 8-byte units of the *uncompressed* IPv6 packet, so every fragment but the last
 * covers a multiple of 8 uncompressed bytes.
 */
export function ieee802154Frames(profile: LinkProfile, payload: number, bitrate_bps: number): LinkFrame[] {
  const maxPsdu = frameField(profile, 'max_psdu_bytes');
  const mac = frameField(profile, 'mac_header_bytes') + frameField(profile, 'fcs_bytes');
  const iphc = frameField(profile, 'iphc_udp_bytes');
  const uncompressed = frameField(profile, 'ipv6_udp_uncompressed_bytes');
  const frag1 = frameField(profile, 'frag1_header_bytes');
  const fragn = frameField(profile, 'fragn_header_bytes');
  const room = maxPsdu - mac;
  const frame = (macPayload: number): LinkFrame => ieee802154PhyFrame(profile, mac + macPayload, bitrate_bps);

  if (iphc + payload <= room) return [frame(iphc + payload)];

  const firstChunk = Math.floor((room - frag1 - iphc + uncompressed) / 8) * 8 - uncompressed;
  const nextChunk = Math.floor((room - fragn) / 8) * 8;
  if (firstChunk <= 0 || nextChunk <= 0) throw new InputError(`link profile ${profile.id}: frames too small to fragment a datagram`);
  const frames = [frame(frag1 + iphc + firstChunk)];
  for (let left = payload - firstChunk; left > 0; left -= nextChunk) frames.push(frame(fragn + Math.min(left, nextChunk)));
  return frames;
}
