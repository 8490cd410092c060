import { InputError } from '../scenario/errors.js';
import type { LinkProfile } from '../scenario/profile_schemas.js';

/** A header size or PHY parameter from the profile's `frame:` section; the framing cannot work without it. */
export function frameField(profile: LinkProfile, key: string): number {
  const f = profile.frame?.[key];
  if (!f) throw new InputError(`link profile ${profile.id}: frame.${key} is missing; framing ${profile.framing} needs it`);
  return f.value;
}

/** A 0/1 switch from the `frame:` section (explicit header, CRC, ...). */
export function frameFlag(profile: LinkProfile, key: string): boolean {
  const v = frameField(profile, key);
  if (v !== 0 && v !== 1) throw new InputError(`link profile ${profile.id}: frame.${key}: got ${v}, expected 0 or 1`);
  return v === 1;
}
