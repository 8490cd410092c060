/** Exit codes, as documented in README "Exit codes". */
export const EXIT = {
  ok: 0,
  /** run: a budget is exceeded; interop: the handshake or the message round trip failed. */
  check_failed: 1,
  invalid_input: 2,
  internal_error: 3,
} as const;
