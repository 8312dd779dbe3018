import { isSensitivePath } from './sensitive-paths.js';

// Which string constants in code are worth keeping as facts: endpoints (URLs, IP addresses), mail
// addresses (hard-coded recipients), sensitive paths, and long encoded blobs (payloads). The rest
// of a bundle's strings are dropped at extraction, so facts stay small on megabytes of code.

export type StringKind = 'url' | 'ip' | 'email' | 'sensitive-path' | 'blob';

/** A blob is at least this long: shorter encoded strings are hashes, ids and small icons. */
export const MIN_BLOB_LENGTH = 256;

const URL_START = /^(?:https?|wss?|ftp):\/\/[^\s/]/i;
const IP = /^(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?$/;
const EMAIL = /^[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const ENCODED = /^[A-Za-z0-9+/=_-]+$/;

export function notableKind(value: string): StringKind | null {
  if (value.length >= MIN_BLOB_LENGTH) return ENCODED.test(value) ? 'blob' : null;
  if (URL_START.test(value)) return 'url';
  if (IP.test(value) || value === '::') return 'ip';
  if (EMAIL.test(value)) return 'email';
  if (isSensitivePath(value)) return 'sensitive-path';
  return null;
}

/** Shannon entropy in bits per character: about 6 for base64 of random bytes, about 4 for English. */
export function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const character of value) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const share = count / value.length;
    bits -= share * Math.log2(share);
  }
  return bits;
}
