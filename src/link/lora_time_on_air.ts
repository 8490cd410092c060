/**
 * LoRa time on air, the Semtech formula (SX1276/77/78/79 datasheet section 4.1.1.7; AN1200.13
 * "LoRa Modem Designer's Guide"):
 *
 *   T_sym      = 2^SF / BW
 *   T_preamble = (n_preamble + 4.25) * T_sym
 *   n_payload  = 8 + max(ceil((8 PL - 4 SF + 28 + 16 CRC - 20 IH) / (4 (SF - 2 DE))) * (CR + 4), 0)
 *   ToA        = T_preamble + n_payload * T_sym
 *
 * PL is the PHY payload in bytes (for LoRaWAN: MHDR + MACPayload + MIC), CR 1..4 for coding rates
 * 4/5..4/8, IH 1 for implicit header, DE 1 with low-data-rate optimisation.
 */
export interface LoraModulation {
  spreading_factor: number;
  bandwidth_hz: number;
  /** 1 = 4/5, 2 = 4/6, 3 = 4/7, 4 = 4/8. */
  coding_rate: number;
  preamble_symbols: number;
  explicit_header: boolean;
  crc: boolean;
  low_data_rate_optimize: boolean;
}

export function loraSymbol_ms(m: LoraModulation): number {
  return (2 ** m.spreading_factor / m.bandwidth_hz) * 1000;
}

/** Symbols after the preamble (header and payload) for a PHY payload of `phyPayload_bytes`. */
export function loraPayloadSymbols(m: LoraModulation, phyPayload_bytes: number): number {
  const numerator = 8 * phyPayload_bytes - 4 * m.spreading_factor + 28 + 16 * (m.crc ? 1 : 0) - 20 * (m.explicit_header ? 0 : 1);
  const denominator = 4 * (m.spreading_factor - 2 * (m.low_data_rate_optimize ? 1 : 0));
  return 8 + Math.max(Math.ceil(numerator / denominator) * (m.coding_rate + 4), 0);
}

export function loraTimeOnAir_ms(m: LoraModulation, phyPayload_bytes: number): number {
  const symbol = loraSymbol_ms(m);
  return (m.preamble_symbols + 4.25) * symbol + loraPayloadSymbols(m, phyPayload_bytes) * symbol;
}
