/** Exit codes, as documented in README "Exit codes". */
export const EXIT = {
  ok: 0,
  budget_exceeded: 1,
  invalid_input: 2,
  internal_error: 3,
} as const;
