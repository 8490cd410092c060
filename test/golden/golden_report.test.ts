import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

/**
 * The whole pipeline against a stored report: any change to the handshake bytes, the op
 * pricing, the replay or the report format shows up here as a diff to review. After an
 * intended change, regenerate with UPDATE_GOLDEN=1 and commit the new file with the change.
 */
const dir = join('test', 'golden');
const scenario = join(dir, 'small.yaml');
const golden = join(dir, 'small.report.json');

describe('golden report', () => {
  it('scenario test/golden/small.yaml gives exactly the stored JSON', () => {
    const r = runCli(['run', scenario, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, r.stdout);
    expect(existsSync(golden), `${golden} is missing; create it with UPDATE_GOLDEN=1`).toBe(true);
    expect(r.stdout).toBe(readFileSync(golden, 'utf8'));
  });
});
