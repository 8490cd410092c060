import type { EndpointRole } from '../crypto/ops.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';
import { ieee802154Frames, ieee802154PhyFrame } from './ieee802154_framing.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { loraPhyFrame, lorawanFrames } from './lorawan_framing.js';
import { frameField } from './profile_fields.js';

export { airtime_ms, type LinkFrame } from './link_frame.js';

/**
 * The frames one datagram of `payload` bytes takes on the link. Framing 'none' is a plain
 * transport: the datagram itself, no link headers modelled. LoRa ignores `bitrate_bps`: its
 * airtime follows from the modulation (spreading factor, bandwidth, coding rate). `from` matters
 * where the two directions differ (LoRaWAN: the client is the end device; downlinks have no CRC).
 */
export function frameDatagram(profile: LinkProfile, payload: number, bitrate_bps: number, from: EndpointRole = 'client'): LinkFrame[] {
  switch (profile.framing) {
    case 'none':
      return [{ phy_payload_bytes: payload, bytes_on_air: payload, airtime_ms: airtime_ms(payload, bitrate_bps) }];
    case 'ieee802154-6lowpan':
      return ieee802154Frames(profile, payload, bitrate_bps);
    case 'lorawan':
      return lorawanFrames(profile, payload, from);
  }
}

/** One PHY frame whose PHY payload (PSDU, LoRa PHYPayload, ...) is `phyPayload_bytes`, whatever the upper layers. */
export function phyFrame(profile: LinkProfile, phyPayload_bytes: number, bitrate_bps: number, from: EndpointRole = 'client'): LinkFrame {
  switch (profile.framing) {
    case 'none':
      return frameDatagram(profile, phyPayload_bytes, bitrate_bps)[0]!;
    case 'ieee802154-6lowpan':
      return ieee802154PhyFrame(profile, phyPayload_bytes, bitrate_bps);
    case 'lorawan':
      return loraPhyFrame(profile, phyPayload_bytes, from);
  }
}

/** The largest PHY payload one frame of this link carries (for `phyFrame`). */
export function maxPhyPayload(profile: LinkProfile): number {
  switch (profile.framing) {
    case 'none':
      return profile.mtu_bytes.value;
    case 'ieee802154-6lowpan':
      return frameField(profile, 'max_psdu_bytes');
    case 'lorawan':
      return frameField(profile, 'max_phy_payload_bytes');
  }
}
