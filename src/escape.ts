// Bundle-controlled text must never reach a terminal or a rendered report as-is: ANSI escapes can
// rewrite the screen, bidi controls reorder what a reviewer reads, and invisible characters hide
// instructions. Everything that is not plainly visible becomes a visible escape.

// DEL and C1 controls, soft hyphen, Arabic letter mark, Mongolian vowel separator, zero-width and
// joiner characters, line and paragraph separators, bidi embeddings, overrides and isolates,
// invisible operators, variation selectors, BOM, interlinear annotation and object replacement
// characters, Unicode tag characters, and any lone surrogate half.
const INVISIBLE_SOURCE =
  '[\\u007f-\\u009f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u206f\\ufe00-\\ufe0f\\ufeff\\ufff9-\\ufffc]' +
  '|[\\u{e0000}-\\u{e007f}\\u{e0100}-\\u{e01ef}]' +
  '|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const INVISIBLE = new RegExp(INVISIBLE_SOURCE, 'gu');
const INVISIBLE_OR_C0 = new RegExp(`[\\u0000-\\u001f]|${INVISIBLE_SOURCE}`, 'gu');

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Replaces every control and invisible character with `\n`, `\t`, `\r` or `\u{XXXX}`. */
export function escapeText(text: string): string {
  return text.replace(INVISIBLE_OR_C0, (ch) => NAMED[ch] ?? `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`);
}

/** Escapes and shortens a value for a one-line message or an evidence excerpt. */
export function shown(text: string, maxLength = 200): string {
  const escaped = escapeText(text);
  return escaped.length > maxLength ? `${escaped.slice(0, maxLength - 1)}…` : escaped;
}

/**
 * Makes serialised JSON safe to print. JSON.stringify already escapes C0 controls inside strings;
 * what it leaves (DEL, C1 controls, bidi and zero-width characters, tag characters) becomes a
 * `\uXXXX` escape, so the parsed values are unchanged while the printed text hides nothing.
 */
export function jsonForDisplay(json: string): string {
  return json.replace(INVISIBLE, (ch) =>
    Array.from({ length: ch.length }, (_, index) => `\\u${ch.charCodeAt(index).toString(16).padStart(4, '0')}`).join(''),
  );
}
