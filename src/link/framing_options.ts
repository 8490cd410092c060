import type { EndpointRole } from '../crypto/ops.js';

/** What else decides how a datagram is framed, besides the profile and the bit rate. */
export interface FramingOptions {
  /** The sender (default client). LoRaWAN: downlinks have no CRC; cellular: uplink and downlink rates differ. */
  from?: EndpointRole;
  /** BLE: LL data PDUs of up to 251 payload bytes (Data Length Extension) instead of 27; default on. */
  data_length_extension?: boolean;
  /** Cellular: the coverage class whose rates apply; default: the profile's. */
  coverage?: string;
}
