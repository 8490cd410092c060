import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding package.json, profiles/ and scenarios/. Found by walking up from this
 * module, so it is the same whether the code runs from src/ (tests) or dist/src/ (the CLI).
 */
export const PACKAGE_ROOT: string = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'handshake-sim') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('handshake-sim: cannot find the package root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
})();

export const PROFILES_DIR = join(PACKAGE_ROOT, 'profiles');

export const PACKAGE_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
