import type { LinkProfile } from '../scenario/profile_schemas.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { frameField } from './profile_fields.js';

/**
 * One BLE LL data PDU on an uncoded PHY: preamble + access address + PDU header + payload +
 * MIC (encrypted link) + CRC (Bluetooth Core Spec Vol 6 Part B section 2.1).
 */
export function blePhyFrame(profile: LinkProfile, llPayload_bytes: number, bitrate_bps: number): LinkFrame {
  const pdu = frameField(profile, 'pdu_header_bytes') + llPayload_bytes + frameField(profile, 'mic_bytes');
  const bytes = frameField(profile, 'preamble_bytes') + frameField(profile, 'access_address_bytes') + pdu + frameField(profile, 'crc_bytes');
  return { phy_payload_bytes: pdu, bytes_on_air: bytes, airtime_ms: airtime_ms(bytes, bitrate_bps) };
}

export function maxLlPayload(profile: LinkProfile, dataLengthExtension: boolean): number {
  return frameField(profile, dataLengthExtension ? 'max_ll_payload_dle_bytes' : 'max_ll_payload_bytes');
}

/**
 * IPv6 over BLE (RFC 7668, IPSP): the datagram behind 6LoWPAN IPHC + UDP NHC is one L2CAP SDU on
 * an LE credit-based channel; its K-frame (basic L2CAP header + SDU length + SDU) is cut by the
 * link layer into data PDUs of at most 27 bytes, or 251 with Data Length Extension. RFC 7668
 * uses no 6LoWPAN fragmentation: L2CAP carries the whole SDU.
 */
export function bleFrames(profile: LinkProfile, payload: number, bitrate_bps: number, dataLengthExtension: boolean): LinkFrame[] {
  const kFrame = frameField(profile, 'l2cap_header_bytes') + frameField(profile, 'l2cap_sdu_length_bytes') + frameField(profile, 'iphc_udp_bytes') + payload;
  const max = maxLlPayload(profile, dataLengthExtension);
  const frames: LinkFrame[] = [];
  for (let left = kFrame; left > 0; left -= max) frames.push(blePhyFrame(profile, Math.min(left, max), bitrate_bps));
  return frames;
}
