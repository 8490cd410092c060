/**
 * A scenario for the ECP window tests: both endpoints Mbed TLS 2.28 on the Cortex-M4 over a
 * lossless UDP link, the given base settings, and one variant per entry of `variants` (YAML).
 */
export function ecpWindowScenario(base: string, variants: string, trials: number): string {
  return `name: ecp-window
seed: 11
trials: ${trials}
client: { device: cortex-m4-120, stack: mbedtls-2.28 }
server: { device: cortex-m4-120, stack: mbedtls-2.28 }
link: { profile: udp }
${base}
variants:
${variants}`;
}

/** A variant that runs both endpoints at one window size. */
export const bothAtWindow = (name: string, size: number) => `  - name: ${name}
    client: { stack_options: { ecp_window_size: ${size} } }
    server: { stack_options: { ecp_window_size: ${size} } }
`;
