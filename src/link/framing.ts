import { InputError } from '../scenario/errors.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';

/** One link-layer frame of a datagram: every header counted. */
export interface LinkFrame {
  bytes_on_air: number;
  airtime_ms: number;
}

export function airtime_ms(bytes: number, bitrate_bps: number): number {
  return (bytes * 8 * 1000) / bitrate_bps;
}

function frameField(profile: LinkProfile, key: string): number {
  const f = profile.frame?.[key];
  if (!f) throw new InputError(`link profile ${profile.id}: frame.${key} is missing; framing ${profile.framing} needs it`);
  return f.value;
}

/**
 * IEEE 802.15.4 frames carrying one UDP datagram through 6LoWPAN (RFC 4944, RFC 6282).
 * Unfragmented when IPHC + UDP NHC + payload fit one MAC payload; otherwise FRAG1 carries
 * the compressed headers and the first payload bytes, FRAGNs the rest. Fragment offsets
 * count 8-byte units of the *uncompressed* IPv6 packet, so every fragment but the last
 * covers a multiple of 8 uncompressed bytes.
 */
function ieee802154Frames(profile: LinkProfile, payload: number, bitrate: number): LinkFrame[] {
  const phy = frameField(profile, 'shr_bytes') + frameField(profile, 'phr_bytes');
  const maxPsdu = frameField(profile, 'max_psdu_bytes');
  const mac = frameField(profile, 'mac_header_bytes') + frameField(profile, 'fcs_bytes');
  const iphc = frameField(profile, 'iphc_udp_bytes');
  const uncompressed = frameField(profile, 'ipv6_udp_uncompressed_bytes');
  const frag1 = frameField(profile, 'frag1_header_bytes');
  const fragn = frameField(profile, 'fragn_header_bytes');
  const room = maxPsdu - mac;
  const frame = (macPayload: number): LinkFrame => {
    const bytes = phy + mac + macPayload;
    return { bytes_on_air: bytes, airtime_ms: airtime_ms(bytes, bitrate) };
  };

  if (iphc + payload <= room) return [frame(iphc + payload)];

  const firstChunk = Math.floor((room - frag1 - iphc + uncompressed) / 8) * 8 - uncompressed;
  const nextChunk = Math.floor((room - fragn) / 8) * 8;
  if (firstChunk <= 0 || nextChunk <= 0) throw new InputError(`link profile ${profile.id}: frames too small to fragment a datagram`);
  const frames = [frame(frag1 + iphc + firstChunk)];
  for (let left = payload - firstChunk; left > 0; left -= nextChunk) frames.push(frame(fragn + Math.min(left, nextChunk)));
  return frames;
}

/**
 * The frames one datagram of `payload` bytes takes on the link. Framing 'none' is a plain
 * transport: the datagram itself, no link headers modelled.
 */
export function frameDatagram(profile: LinkProfile, payload: number, bitrate_bps: number): LinkFrame[] {
  switch (profile.framing) {
    case 'none':
      return [{ bytes_on_air: payload, airtime_ms: airtime_ms(payload, bitrate_bps) }];
    case 'ieee802154-6lowpan':
      return ieee802154Frames(profile, payload, bitrate_bps);
  }
}
