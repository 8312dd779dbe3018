// Byte- and character-level checks for manifest.json. V8's JSON.parse messages vary between Node
// versions and often carry no position (`Unexpected token 'x', "..." is not valid JSON`), so the
// error position comes from a small scanner of our own. It runs only after JSON.parse has failed, or
// to find where a value of a file the user wrote is (offsetOfPath), is iterative (deep nesting cannot
// overflow the stack) and its messages hold no bundle text.

export interface SyntaxProblem {
  /** Offset in UTF-16 code units of the decoded text. */
  offset: number;
  message: string;
}

/** Offset of the first byte that is not part of well-formed UTF-8, or -1 when all of it is. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    // Second-byte ranges exclude overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    let length: number;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead >= 0xe0 && lead <= 0xef) {
      length = 3;
      if (lead === 0xe0) low = 0xa0;
      if (lead === 0xed) high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      length = 4;
      if (lead === 0xf0) low = 0x90;
      if (lead === 0xf4) high = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const byte = bytes[i + k];
      if (byte === undefined) return i;
      if (k === 1 ? byte < low || byte > high : byte < 0x80 || byte > 0xbf) return i;
    }
    i += length;
  }
  return -1;
}

/** 1-based line and column (in characters) of an offset; `\n`, `\r\n` and a lone `\r` end a line. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x0a || (code === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line += 1;
      column = 1;
    } else if (code === 0x0d) {
      // first half of \r\n: the \n ends the line
    } else if (code < 0xdc00 || code > 0xdfff || i === 0 || !isHighSurrogate(text.charCodeAt(i - 1))) {
      column += 1;
    }
  }
  return { line, column };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** The first syntax error in `text` under RFC 8259 (what JSON.parse accepts), or null. */
export function findJsonSyntaxError(text: string): SyntaxProblem | null {
  return scanJson(text);
}

/**
 * Where the value at `path` is written in `text`, valid JSON: the offset of its key for a member of an
 * object, of the value itself for an element of an array or the root; null when there is no such
 * value. Like JSON.parse, the last of duplicate keys wins. For messages about a file the user wrote
 * (the policy file): `lineAndColumn` turns the offset into a position.
 */
export function offsetOfPath(text: string, path: ReadonlyArray<string | number>): number | null {
  let found: number | null = null;
  scanJson(text, (at, offset) => {
    if (at.length === path.length && at.every((segment, index) => segment === path[index])) found = offset;
  });
  return found;
}

/**
 * Scans `text` as JSON and returns its first syntax error, or null. `visit`, when given, is told the
 * path of every value and where it is written (as offsetOfPath says), in document order.
 */
function scanJson(text: string, visit?: (path: ReadonlyArray<string | number>, offset: number) => void): SyntaxProblem | null {
  const n = text.length;
  const open: Array<'{' | '['> = [];
  // Beside `open`: the key or index of the member being read in each container, and where its key starts.
  const path: Array<string | number> = [];
  let keyOffset = 0;
  let i = 0;
  let expectValue = true;
  const fail = (message: string): SyntaxProblem => ({ offset: i, message: i >= n ? 'unexpected end of input' : message });

  const skipWhitespace = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      i += 1;
    }
  };

  // Returns an error or advances `i` past the string.
  const scanString = (): SyntaxProblem | null => {
    i += 1;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i += 1;
        return null;
      }
      if (c < 0x20) return fail('control character inside a string');
      if (c === 0x5c) {
        const escape = text[i + 1];
        if (escape === undefined) break;
        if (escape === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) return fail('invalid \\u escape in a string');
          i += 6;
        } else if ('"\\/bfnrt'.includes(escape)) i += 2;
        else return fail('invalid escape in a string');
        continue;
      }
      i += 1;
    }
    return { offset: n, message: 'unterminated string' };
  };

  const scanNumber = (): SyntaxProblem | null => {
    const match = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
    match.lastIndex = i;
    const found = match.exec(text);
    // A lone `-`, `01`, `1.` or `1e` leaves the regex short of a full number.
    if (found === null) return fail('invalid number');
    i += found[0].length;
    const next = text[i];
    if (next === '.' || next === 'e' || next === 'E' || (next !== undefined && next >= '0' && next <= '9')) {
      return fail('invalid number');
    }
    return null;
  };

  // After `{` or `,` inside an object: a key, then a colon.
  const scanKey = (): SyntaxProblem | null => {
    skipWhitespace();
    if (text[i] !== '"') return fail('expected a property name in double quotes');
    keyOffset = i;
    const problem = scanString();
    if (problem) return problem;
    if (visit) path[path.length - 1] = JSON.parse(text.slice(keyOffset, i)) as string;
    skipWhitespace();
    if (text[i] !== ':') return fail("expected ':' after a property name");
    i += 1;
    return null;
  };

  for (;;) {
    skipWhitespace();
    if (expectValue) {
      const c = text[i];
      let problem: SyntaxProblem | null = null;
      if (c === undefined) return fail('unexpected end of input');
      visit?.(path, open.at(-1) === '{' ? keyOffset : i);
      if (c === '{' || c === '[') {
        i += 1;
        skipWhitespace();
        if (text[i] === (c === '{' ? '}' : ']')) {
          i += 1;
          expectValue = false;
          continue;
        }
        open.push(c);
        path.push(0);
        if (c === '{') problem = scanKey();
      } else if (c === '"') {
        problem = scanString();
        expectValue = false;
      } else if (c === '-' || (c >= '0' && c <= '9')) {
        problem = scanNumber();
        expectValue = false;
      } else {
        const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
        if (literal === undefined) return fail('unexpected character where a value was expected');
        i += literal.length;
        expectValue = false;
      }
      if (problem) return problem;
      continue;
    }
    const container = open.at(-1);
    if (container === undefined) return i < n ? fail('unexpected data after the end of the JSON value') : null;
    const c = text[i];
    if (c === ',') {
      i += 1;
      expectValue = true;
      if (container === '{') {
        const problem = scanKey();
        if (problem) return problem;
      } else {
        path[path.length - 1] = (path.at(-1) as number) + 1;
      }
    } else if (c === (container === '{' ? '}' : ']')) {
      i += 1;
      open.pop();
      path.pop();
    } else {
      return fail(container === '{' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
  }
}
