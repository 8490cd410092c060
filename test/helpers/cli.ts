import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The built CLI (npm test builds before vitest runs). */
export const CLI = resolve('dist/src/cli/main.js');

export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, HANDSHAKE_SIM_DEBUG: '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a scenario into a fresh temporary folder and returns its path. */
export function tempScenario(yaml: string, name = 'scenario.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'handshake-sim-test-'));
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

export const MINIMAL_SCENARIO = `name: minimal
seed: 7
trials: 200
client: { device: cortex-m4-120, stack: mbedtls-2.28 }
server: { device: cortex-m4-120, stack: mbedtls-2.28 }
link: { profile: ieee802154-6lowpan, loss: 0.1 }
`;
