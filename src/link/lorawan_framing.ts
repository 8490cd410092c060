import type { EndpointRole } from '../crypto/ops.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';
import type { LinkFrame } from './link_frame.js';
import { loraTimeOnAir_ms, type LoraModulation } from './lora_time_on_air.js';
import { frameField, frameFlag } from './profile_fields.js';

/**
 * The modulation a frame from `from` uses. The client is the end device: its uplinks carry the
 * payload CRC when the profile says so; downlinks never do (LoRaWAN 1.0.x section 3.2).
 */
export function loraModulation(profile: LinkProfile, from: EndpointRole = 'client'): LoraModulation {
  return {
    spreading_factor: frameField(profile, 'spreading_factor'),
    bandwidth_hz: frameField(profile, 'bandwidth_hz'),
    coding_rate: frameField(profile, 'coding_rate'),
    preamble_symbols: frameField(profile, 'preamble_symbols'),
    explicit_header: frameFlag(profile, 'explicit_header'),
    crc: from === 'client' && frameFlag(profile, 'crc'),
    low_data_rate_optimize: frameFlag(profile, 'low_data_rate_optimize'),
  };
}

/**
 * One LoRa PHY frame with a PHY payload of `phyPayload_bytes`. Bytes on air count the PHY
 * payload and its 16-bit CRC; the preamble and the explicit header are symbols, not bytes, and
 * show up in the airtime only.
 */
export function loraPhyFrame(profile: LinkProfile, phyPayload_bytes: number, from: EndpointRole = 'client'): LinkFrame {
  const m = loraModulation(profile, from);
  const crc = m.crc ? frameField(profile, 'payload_crc_bytes') : 0;
  return { phy_payload_bytes: phyPayload_bytes, bytes_on_air: phyPayload_bytes + crc, airtime_ms: loraTimeOnAir_ms(m, phyPayload_bytes) };
}

/** MHDR + FHDR (no FOpts) + MIC: what every LoRaWAN data frame carries besides FPort and FRMPayload. */
export function lorawanFrameOverhead(profile: LinkProfile): number {
  return frameField(profile, 'mhdr_bytes') + frameField(profile, 'fhdr_bytes') + frameField(profile, 'mic_bytes');
}

/**
 * The LoRaWAN data frames one datagram takes. A datagram that fits the data rate's maximum
 * application payload N goes as the FRMPayload of one frame (PHY payload = MHDR + FHDR + FPort
 * + datagram + MIC). A larger one is cut into consecutive pieces, each behind a fragment header
 * in its own frame, so that each frame's FRMPayload is at most N (see the profile's
 * fragment_header_bytes for the assumption).
 */
export function lorawanFrames(profile: LinkProfile, payload: number, from: EndpointRole): LinkFrame[] {
  const perFrame = lorawanFrameOverhead(profile) + frameField(profile, 'fport_bytes');
  const maxApp = frameField(profile, 'max_app_payload_bytes');
  if (payload <= maxApp) return [loraPhyFrame(profile, perFrame + payload, from)];
  const header = frameField(profile, 'fragment_header_bytes');
  const chunk = maxApp - header;
  const frames: LinkFrame[] = [];
  for (let left = payload; left > 0; left -= chunk) frames.push(loraPhyFrame(profile, perFrame + header + Math.min(left, chunk), from));
  return frames;
}
