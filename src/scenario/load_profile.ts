import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { closest, InputError } from './errors.js';
import { PROFILES_DIR } from './package_root.js';
import {
  deviceProfileSchema,
  linkProfileSchema,
  secureElementProfileSchema,
  stackProfileSchema,
  type DeviceProfile,
  type LinkProfile,
  type SecureElementProfile,
  type StackProfile,
} from './profile_schemas.js';
import { parseOrThrow } from './zod_errors.js';

/** Secure elements are hardware too: they live in profiles/devices/ with `kind: secure_element`. */
export type ProfileKind = 'device' | 'secure_element' | 'stack' | 'link';
export const PROFILE_FOLDER: Record<ProfileKind, string> = { device: 'devices', secure_element: 'devices', stack: 'stacks', link: 'links' };
const SCHEMA: Record<ProfileKind, z.ZodType> = {
  device: deviceProfileSchema,
  secure_element: secureElementProfileSchema,
  stack: stackProfileSchema,
  link: linkProfileSchema,
};

type ProfileOf<K extends ProfileKind> = K extends 'device'
  ? DeviceProfile
  : K extends 'secure_element'
    ? SecureElementProfile
    : K extends 'stack'
      ? StackProfile
      : LinkProfile;

/** The `kind:` a profile file declares (a top-level line), without parsing the whole file. */
function declaredKind(file: string): string | undefined {
  return /^kind:\s*([a-z_]+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
}

/** Ids of the profiles shipped under profiles/<folder>/ that declare this kind. */
export function listProfileIds(kind: ProfileKind): string[] {
  const dir = join(PROFILES_DIR, PROFILE_FOLDER[kind]);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && declaredKind(join(dir, f)) === kind)
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A profile reference that names a file rather than a shipped id. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.endsWith('.yaml') || ref.endsWith('.yml');
}

/** The kind a profile file given by path declares, so that it can be loaded without being told. */
export function kindOfProfileFile(ref: string, baseDir: string, field: string): ProfileKind {
  const file = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  if (!existsSync(file)) throw new InputError(`${field}: got ${JSON.stringify(ref)}, but no profile file exists at ${file}`);
  const kinds = Object.keys(PROFILE_FOLDER) as ProfileKind[];
  const kind = declaredKind(file);
  if (kinds.includes(kind as ProfileKind)) return kind as ProfileKind;
  throw new InputError(`${field}: ${file} declares kind ${JSON.stringify(kind ?? null)}, expected a top-level \`kind:\` of ${kinds.join(', ')}`);
}

/** Reads and parses a YAML file, turning I/O and syntax errors into InputErrors. */
export function readYamlFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(`cannot read ${what} ${file}: ${why}`);
  }
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (e) {
    throw new InputError(`${what} ${file} is not valid YAML: ${(e as Error).message}`);
  }
}

/**
 * Loads a profile by id (shipped under profiles/) or by path (relative to `baseDir`, the
 * scenario's folder). `field` names the scenario field that referenced it, for messages.
 */
export function loadProfile<K extends ProfileKind>(kind: K, ref: string, baseDir: string, field: string): ProfileOf<K> {
  let file: string;
  if (looksLikePath(ref)) {
    file = isAbsolute(ref) ? ref : resolve(baseDir, ref);
    if (!existsSync(file)) throw new InputError(`${field}: got ${JSON.stringify(ref)}, but no ${kind} profile file exists at ${file}`);
  } else {
    const ids = listProfileIds(kind);
    const other = (['device', 'secure_element'] as const).find((k) => k !== kind && PROFILE_FOLDER[k] === PROFILE_FOLDER[kind] && listProfileIds(k).includes(ref));
    if (other !== undefined)
      throw new InputError(`${field}: got ${JSON.stringify(ref)}, which is a ${other.replace('_', ' ')} profile; expected a ${kind.replace('_', ' ')} (${ids.join(', ')})`);
    if (!ids.includes(ref)) {
      const hint = closest(ref, ids);
      throw new InputError(
        `${field}: got ${JSON.stringify(ref)}, expected a ${kind} profile id (${ids.join(', ')}) or a path to a profile file${hint ? `; did you mean ${JSON.stringify(hint)}?` : ''}`,
      );
    }
    file = join(PROFILES_DIR, PROFILE_FOLDER[kind], `${ref}.yaml`);
  }
  const profile = parseOrThrow(SCHEMA[kind], readYamlFile(file, `${kind} profile`), `${kind} profile ${file}`) as ProfileOf<K>;
  if (!looksLikePath(ref) && profile.id !== ref)
    throw new InputError(`${kind} profile ${file}: id ${JSON.stringify(profile.id)} does not match its file name ${JSON.stringify(ref)}`);
  return profile;
}
