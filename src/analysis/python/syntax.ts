import type { Node } from 'web-tree-sitter';

// Small helpers over tree-sitter's Python tree, shared by the extractor (python/extract.ts), value
// tracking (python/values.ts) and registration recognition (python/registrations.ts).

/** Expressions nested deeper than this are not looked into: their labels and calls are lost, the audit goes on. */
export const MAX_DEPTH = 200;
/** Longest excerpt of code a fact keeps. */
export const EXCERPT_LENGTH = 160;

/** The value of a string literal without interpolation (prefixes r, b, u honoured; escapes decoded loosely). */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  // A node's type is a call into the parser's WebAssembly: read once per node.
  const type = node.type;
  if (type === 'concatenated_string') {
    let value = '';
    for (const part of node.namedChildren) {
      const piece = stringValue(part);
      if (piece === undefined) return undefined;
      value += piece;
    }
    return value;
  }
  if (type !== 'string') return undefined;
  // Most strings are plain, `"…"` or `'''…'''` with no prefix and no backslash: their value is the
  // text between the quotes (nothing to decode, no interpolation outside f-strings), read without
  // making a node for each part, unless a syntax error may have left a part out.
  const text = node.text;
  const quote = text.charCodeAt(0);
  if ((quote === 34 || quote === 39) && !text.includes('\\') && !node.hasError) {
    const delimiter = text.length >= 6 && text.charCodeAt(1) === quote && text.charCodeAt(2) === quote ? 3 : 1;
    return text.slice(delimiter, text.length - delimiter);
  }
  let value = '';
  let raw = false;
  for (const child of node.namedChildren) {
    if (!child) continue;
    const part = child.type;
    if (part === 'string_start') raw = /r/i.test(child.text);
    else if (part === 'interpolation') return undefined;
    else if (part === 'string_content') value += raw ? child.text : contentText(child);
    else if (part === 'escape_sequence') value += raw ? child.text : unescape(child.text);
  }
  return value;
}

/**
 * The interpolations in a string (`f"{x}"`, nested ones too), in source order. Each is written with
 * its `{`: a string without one, and without a syntax error (where a `{` could be missing), has
 * none, told by a look at its text and one call into the parser instead of a walk of its nodes.
 */
export function interpolations(node: Node): Array<Node | null> {
  if (!node.text.includes('{') && !node.hasError) return [];
  return node.descendantsOfType('interpolation');
}

/** The literal text before the first interpolation of an f-string. */
export function stringPrefix(node: Node): string | undefined {
  if (node.type !== 'string') return undefined;
  let value = '';
  let raw = false;
  for (const child of node.namedChildren) {
    if (!child) continue;
    const part = child.type;
    if (part === 'string_start') raw = /r/i.test(child.text);
    else if (part === 'interpolation') return value;
    else if (part === 'string_content') value += raw ? child.text : contentText(child);
    else if (part === 'escape_sequence') value += unescape(child.text);
  }
  return value;
}

/** Python's escapes: `\n`, `\x65`, `\145`, `\u0065`, `\U00000065`, a backslash before a line break. */
const ESCAPE = /\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g;

/** A string's content with its escapes decoded (the grammar nests escape sequences in the content node). */
export function contentText(content: Node): string {
  const text = content.text;
  return text.includes('\\') ? text.replace(ESCAPE, unescape) : text;
}

export function unescape(sequence: string): string {
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
  const body = sequence.slice(1);
  if (Object.hasOwn(simple, body)) return simple[body]!;
  if (/^x[0-9a-f]{2}$/i.test(body) || /^u[0-9a-f]{4}$/i.test(body) || /^U[0-9a-f]{8}$/.test(body)) {
    const point = Number.parseInt(body.slice(1), 16);
    return point <= 0x10ffff ? String.fromCodePoint(point) : '';
  }
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(Number.parseInt(body, 8));
  return sequence;
}
