/**
 * A regulatory duty cycle (ETSI EN 300 220: the fraction of any hour a device may transmit in a
 * sub-band), applied as LoRaWAN stacks do: after a frame of airtime T the sender stays silent in
 * that sub-band for T x (1 / dutyCycle - 1), so the next frame starts T / dutyCycle after this
 * one started (LoRaWAN 1.0.x; protocols.md 5.1 "time off"). A duty cycle of 1 means no limit.
 */
export function silentUntil(frameEnd_ms: number, airtime_ms: number, dutyCycle: number): number {
  return dutyCycle >= 1 ? frameEnd_ms : frameEnd_ms + airtime_ms * (1 / dutyCycle - 1);
}
