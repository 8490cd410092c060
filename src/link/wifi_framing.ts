import type { LinkProfile } from '../scenario/profile_schemas.js';
import type { LinkFrame } from './link_frame.js';
import { frameField } from './profile_fields.js';

/**
 * One 802.11 OFDM (HT-mixed) PPDU carrying an MPDU of `mpdu_bytes`: the PHY preamble, then the
 * SERVICE field (16 bits), the MPDU and 6 tail bits in whole OFDM symbols (IEEE 802.11-2016
 * section 19.4.3: N_SYM = ceil((16 + 8 L + 6) / N_DBPS), N_DBPS = bit rate x symbol time).
 * Bytes on air count the MPDU; the preamble is time, not bytes.
 */
export function wifiPhyFrame(profile: LinkProfile, mpdu_bytes: number, bitrate_bps: number): LinkFrame {
  const symbol_us = frameField(profile, 'ofdm_symbol_us');
  const bitsPerSymbol = (bitrate_bps * symbol_us) / 1e6;
  const symbols = Math.ceil((16 + 8 * mpdu_bytes + 6) / bitsPerSymbol);
  const us = frameField(profile, 'phy_preamble_us') + symbols * symbol_us;
  return { phy_payload_bytes: mpdu_bytes, bytes_on_air: mpdu_bytes, airtime_ms: us / 1000 };
}

/** A UDP datagram from a Wi-Fi station: QoS data MAC header, CCMP, LLC/SNAP, IPv4, UDP, FCS around it; never fragmented below the MTU. */
export function wifiFrames(profile: LinkProfile, payload: number, bitrate_bps: number): LinkFrame[] {
  const headers = ['mac_header_bytes', 'ccmp_bytes', 'llc_snap_bytes', 'ipv4_bytes', 'udp_bytes', 'fcs_bytes'].reduce((n, k) => n + frameField(profile, k), 0);
  return [wifiPhyFrame(profile, headers + payload, bitrate_bps)];
}
