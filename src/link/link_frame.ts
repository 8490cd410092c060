/** One link-layer frame of a datagram: every header counted. */
export interface LinkFrame {
  /** What the PHY carries as its payload (802.15.4 PSDU, LoRa PHYPayload, BLE LL PDU, ...). */
  phy_payload_bytes: number;
  /** Everything on the air that is counted in bytes: PHY headers, MAC headers, payload, checksums. */
  bytes_on_air: number;
  airtime_ms: number;
}

export function airtime_ms(bytes: number, bitrate_bps: number): number {
  return (bytes * 8 * 1000) / bitrate_bps;
}
