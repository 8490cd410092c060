/** Alerts (RFC 5246 §7.2, RFC 4279 §2 for unknown_psk_identity). */

export const AlertDescription = {
  close_notify: 0,
  unexpected_message: 10,
  bad_record_mac: 20,
  record_overflow: 22,
  handshake_failure: 40,
  bad_certificate: 42,
  unsupported_certificate: 43,
  certificate_expired: 45,
  certificate_unknown: 46,
  illegal_parameter: 47,
  unknown_ca: 48,
  decode_error: 50,
  decrypt_error: 51,
  protocol_version: 70,
  internal_error: 80,
  unsupported_extension: 110,
  unknown_psk_identity: 115,
} as const;

export type AlertName = keyof typeof AlertDescription;

export const ALERT_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(AlertDescription).map(([name, code]) => [code, name]),
);

/**
 * A fatal protocol error. The endpoint that raises it sends the alert (when it can) and
 * stops; `reason` says what was wrong, for reports and tests.
 */
export class ProtocolAlert extends Error {
  constructor(
    readonly alert: AlertName,
    readonly reason: string,
  ) {
    super(`${alert}: ${reason}`);
    this.name = 'ProtocolAlert';
  }
}
