// The formats manifest schemas use, written to the reference validator's semantics (zod 3 accepts
// what `new URL()` parses, and its own email pattern); ajv's built-in formats differ. The
// precompiled validators (validators.ts) call them by these names.

/** A string's length in code points, as JSON Schema's minLength and maxLength count it. */
export function codePointLength(text: string): number {
  let length = 0;
  for (const _ of text) length += 1;
  return length;
}

export const MANIFEST_FORMATS = {
  uri: (value: string): boolean => URL.canParse(value),
  email: isEmail,
};

/**
 * The reference (zod 3 `.email()`) accepts a local part of letters, digits and _ ' + - . that
 * neither starts with a dot nor ends with a dot or apostrophe, no `..` anywhere, and a domain of
 * dot-separated labels (letter or digit first, then letters, digits, hyphens) ending in a
 * TLD of two or more letters, all ASCII and case-insensitive.
 */
function isEmail(value: string): boolean {
  const at = value.indexOf('@');
  if (at <= 0) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return (
    /^[A-Za-z0-9_'+.-]+$/.test(local) &&
    !local.startsWith('.') &&
    !/['.]$/.test(local) &&
    !local.includes('..') &&
    /^(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/.test(domain)
  );
}
