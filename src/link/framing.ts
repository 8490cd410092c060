import { InputError } from '../scenario/errors.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';
import { bleFrames, blePhyFrame, maxLlPayload } from './ble_framing.js';
import { cellularFrames } from './cellular_framing.js';
import type { FramingOptions } from './framing_options.js';
import { fskFrames, fskPhyFrame } from './fsk_framing.js';
import { ieee802154Frames, ieee802154PhyFrame } from './ieee802154_framing.js';
import { airtime_ms, type LinkFrame } from './link_frame.js';
import { loraPhyFrame, lorawanFrames } from './lorawan_framing.js';
import { frameField } from './profile_fields.js';
import { wifiFrames, wifiPhyFrame } from './wifi_framing.js';

export { airtime_ms, type LinkFrame } from './link_frame.js';
export type { FramingOptions } from './framing_options.js';

/**
 * The frames one datagram of `payload` bytes takes on the link. Framing 'none' is a plain
 * transport: the datagram itself, no link headers modelled. LoRa ignores `bitrate_bps`: its
 * airtime follows from the modulation (spreading factor, bandwidth, coding rate), and cellular
 * links' from the coverage class. `opts.from` matters where the two directions differ.
 */
export function frameDatagram(profile: LinkProfile, payload: number, bitrate_bps: number, opts: FramingOptions = {}): LinkFrame[] {
  const from = opts.from ?? 'client';
  switch (profile.framing) {
    case 'none':
      return [{ phy_payload_bytes: payload, bytes_on_air: payload, airtime_ms: airtime_ms(payload, bitrate_bps) }];
    case 'ieee802154-6lowpan':
      return ieee802154Frames(profile, payload, bitrate_bps);
    case 'lorawan':
      return lorawanFrames(profile, payload, from);
    case 'ble':
      return bleFrames(profile, payload, bitrate_bps, opts.data_length_extension ?? true);
    case 'fsk':
      return fskFrames(profile, payload, bitrate_bps);
    case 'wifi':
      return wifiFrames(profile, payload, bitrate_bps);
    case 'cellular':
      return cellularFrames(profile, payload, from, opts.coverage);
  }
}

/** One PHY frame whose PHY payload (PSDU, LoRa PHYPayload, ...) is `phyPayload_bytes`, whatever the upper layers. */
export function phyFrame(profile: LinkProfile, phyPayload_bytes: number, bitrate_bps: number, opts: FramingOptions = {}): LinkFrame {
  switch (profile.framing) {
    case 'none':
    case 'cellular':
      return { phy_payload_bytes: phyPayload_bytes, bytes_on_air: phyPayload_bytes, airtime_ms: airtime_ms(phyPayload_bytes, bitrate_bps) };
    case 'ieee802154-6lowpan':
      return ieee802154PhyFrame(profile, phyPayload_bytes, bitrate_bps);
    case 'lorawan':
      return loraPhyFrame(profile, phyPayload_bytes, opts.from ?? 'client');
    case 'ble': {
      // The PHY payload of a BLE packet is its PDU: header + LL payload + MIC.
      const fixed = frameField(profile, 'pdu_header_bytes') + frameField(profile, 'mic_bytes');
      if (phyPayload_bytes < fixed) throw new InputError(`--phy-payload: got ${phyPayload_bytes}, but a PDU of ${profile.id} has ${fixed} bytes of header and MIC at least`);
      return blePhyFrame(profile, phyPayload_bytes - fixed, bitrate_bps);
    }
    case 'fsk':
      return fskPhyFrame(profile, phyPayload_bytes, bitrate_bps);
    case 'wifi':
      return wifiPhyFrame(profile, phyPayload_bytes, bitrate_bps);
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
    case 'ble':
      return frameField(profile, 'pdu_header_bytes') + maxLlPayload(profile, true) + frameField(profile, 'mic_bytes');
    case 'fsk':
      return frameField(profile, 'max_payload_bytes');
    case 'wifi':
    case 'cellular':
      return profile.mtu_bytes.value;
  }
}
