import type { Node } from '@babel/types';

// Strings whose value is known without running anything: literals, templates and `+` of constants,
// and the tricks that hide a name from a text search (`String.fromCharCode(...)`, `[...].join('')`,
// `'...'.split('').reverse().join('')`, `atob('...')`, `Buffer.from('...', 'base64').toString()`,
// `Buffer.from([99, 104]).toString()`, `decodeURIComponent('%63hild_process')`).
// Folding them lets `require(atob('Y2hpbGRfcHJvY2Vzcw=='))` bind to child_process like a plain
// `require('child_process')`; `foldConstant` also tells rules that the name was hidden (`built`),
// and whether it was hidden by encoding (`encoded`: base64, hex, char codes, escapes, reversal)
// rather than merely split, which no ordinary program does to a module name or to code it runs.
// Lookups in a string table fold to what string-tables.ts evaluated them to.

/** A string-table lookup's value (see string-tables.ts), and whether the table was an obfuscator's. */
export interface Lookup {
  value: string;
  encoded: boolean;
  /** A call of the bundle's own small decoder function (string-tables.ts decodeLocalCalls), not a table lookup. */
  decoder?: true;
}

const lookups = new WeakMap<Node, Lookup>();
/** Whether any lookup was ever recorded: until then, folding a call or a member asks nothing of the map. */
let anyLookup = false;

/** string-tables.ts: the string a lookup written at this node yields. */
export function recordLookup(node: Node, lookup: Lookup): void {
  anyLookup = true;
  lookups.set(node, lookup);
}

function recordedLookup(node: Node): Lookup | undefined {
  return anyLookup ? lookups.get(node) : undefined;
}

/** What a call of the bundle's own decoder (decodeLocalCalls) yields, when it was evaluated. */
export function decodedByBundle(node: Node): string | undefined {
  const found = recordedLookup(node);
  return found?.decoder ? found.value : undefined;
}

/** What a variable of the code being folded holds, when it is one constant (see constantOf in values.ts). */
export type ConstantLookup = (name: string) => string | undefined;

/** The value of a string made only of constants, folded through the transformations above. */
export function constantString(node: Node | null | undefined, lookup?: ConstantLookup): string | undefined {
  return fold(node, lookup)?.value;
}

/** A folded constant, and whether decoding was on its way (see isEncodedString). */
interface Folded {
  value: string;
  encoded: boolean;
}

const plain = (value: string): Folded => ({ value, encoded: false });

function fold(node: Node | null | undefined, lookup?: ConstantLookup): Folded | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'Identifier': {
      const held = lookup?.(node.name);
      return held === undefined ? undefined : plain(held);
    }
    case 'StringLiteral':
      return { value: node.value, encoded: hasEscapedLetters(literalRaw(node)) };
    case 'NumericLiteral':
      return plain(String(node.value));
    case 'TemplateLiteral': {
      const parts = node.expressions.map((expression) => fold(expression as Node, lookup));
      if (parts.some((part) => part === undefined)) return undefined;
      return {
        value: node.quasis.map((quasi, index) => (quasi.value.cooked ?? quasi.value.raw) + (parts[index]?.value ?? '')).join(''),
        encoded: node.quasis.some((quasi) => hasEscapedLetters(quasi.value.raw)) || parts.some((part) => part!.encoded),
      };
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return undefined;
      const left = fold(node.left, lookup);
      const right = left === undefined ? undefined : fold(node.right, lookup);
      return left === undefined || right === undefined ? undefined : { value: left.value + right.value, encoded: left.encoded || right.encoded };
    }
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return fold(node.expression, lookup);
    case 'CallExpression': {
      return recordedLookup(node) ?? foldedCall(node.callee as Node, node.arguments as Node[], lookup);
    }
    case 'MemberExpression':
      return recordedLookup(node);
    default:
      return undefined;
  }
}

/** A folded constant and how it was written. */
export interface ConstantString {
  value: string;
  /** Not written as one plain literal: assembled, encoded or reversed (escaped letters count). */
  built: boolean;
  /**
   * Decoding was on the way: base64 or hex (`atob`, `Buffer.from(…, 'base64').toString()`), char
   * codes, letters written as escapes, or reversal. Splitting and joining (`'child_' + 'process'`,
   * `['a', 'b'].join('')`) is assembly, not encoding.
   */
  encoded: boolean;
}

/** The folded value and how it was written, in one fold. */
export function foldConstant(node: Node | null | undefined, lookup?: ConstantLookup): ConstantString | undefined {
  const folded = fold(node, lookup);
  // Built field by field: a spread copies whatever the fold's object holds (a recorded lookup's
  // `decoder` too), through a slow generic path, for the few fields a caller reads.
  return folded === undefined ? undefined : { value: folded.value, encoded: folded.encoded, built: folded.encoded || !isOneLiteral(node!) };
}

function isOneLiteral(node: Node): boolean {
  if (node.type === 'StringLiteral' || node.type === 'NumericLiteral') return true;
  if (node.type === 'TemplateLiteral') return node.expressions.length === 0;
  if (node.type === 'ParenthesizedExpression' || node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression') return isOneLiteral(node.expression);
  return false;
}

/** The constant text a partly constant string starts with: `sh -c ` for `` `sh -c ${x}` ``. */
export function constantPrefix(node: Node): string | undefined {
  if (node.type === 'TemplateLiteral') return node.quasis[0]?.value.cooked ?? undefined;
  if (node.type === 'BinaryExpression' && node.operator === '+') {
    const left = constantString(node.left);
    return left ?? constantPrefix(node.left);
  }
  return undefined;
}

function foldedCall(callee: Node, args: Node[], lookup: ConstantLookup | undefined): Folded | undefined {
  if (callee.type === 'Identifier' && callee.name === 'atob') {
    const encoded = constantString(args[0], lookup);
    return encoded === undefined ? undefined : { value: Buffer.from(encoded, 'base64').toString('latin1'), encoded: true };
  }
  if (callee.type === 'Identifier' && PERCENT_DECODERS.has(callee.name)) return percentDecoded(fold(args[0], lookup));
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const method = callee.property.name;
  const receiver = callee.object;
  if ((method === 'fromCharCode' || method === 'fromCodePoint') && receiver.type === 'Identifier' && receiver.name === 'String') {
    const codes = numbers(args);
    if (codes === undefined) return undefined;
    try {
      return { value: method === 'fromCharCode' ? String.fromCharCode(...codes) : String.fromCodePoint(...codes), encoded: true };
    } catch {
      return undefined; // a code point out of range
    }
  }
  if (method === 'join') {
    const items = constantArray(receiver, lookup);
    const separator = args.length === 0 ? plain(',') : fold(args[0], lookup);
    return items === undefined || separator === undefined
      ? undefined
      : { value: items.values.join(separator.value), encoded: items.encoded || separator.encoded };
  }
  if (method === 'toString') return decodedBuffer(receiver, args, lookup);
  return undefined;
}

/** `Buffer.from('...', 'base64').toString()`: the decoded text, for the encodings payloads use. */
function decodedBuffer(receiver: Node, args: Node[], lookup: ConstantLookup | undefined): Folded | undefined {
  if (receiver.type !== 'CallExpression' || receiver.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = receiver.callee;
  if (object.type !== 'Identifier' || object.name !== 'Buffer' || property.type !== 'Identifier' || property.name !== 'from') return undefined;
  const [data, encodingNode] = receiver.arguments as Node[];
  // `Buffer.from([99, 104, …])`: bytes given as numbers are char codes.
  const bytes = data?.type === 'ArrayExpression' ? numbers(data.elements as Node[]) : undefined;
  if (bytes !== undefined) {
    const target = args.length === 0 ? 'utf8' : constantString(args[0]);
    return isEncoding(target) && bytes.every((byte) => byte >= 0 && byte <= 255) ? { value: Buffer.from(bytes).toString(target), encoded: true } : undefined;
  }
  const text = fold(data, lookup);
  const encoding = encodingNode === undefined ? 'utf8' : constantString(encodingNode);
  const target = args.length === 0 ? 'utf8' : constantString(args[0]);
  if (text === undefined || !isEncoding(encoding) || !isEncoding(target)) return undefined;
  return { value: Buffer.from(text.value, encoding).toString(target), encoded: text.encoded || DECODED_ENCODINGS.has(encoding.toLowerCase()) };
}

/** Numeric literals, or undefined when any is not one (at most a few thousand: a payload's length, not a file's). */
function numbers(nodes: ReadonlyArray<Node | null>): number[] | undefined {
  if (nodes.length > 4096) return undefined;
  const values = nodes.map((node) => (node?.type === 'NumericLiteral' ? node.value : undefined));
  return values.every((value): value is number => value !== undefined) ? values : undefined;
}

const PERCENT_DECODERS = new Set(['decodeURIComponent', 'decodeURI', 'unescape']);
/** `%63` standing for a letter, digit or underscore: nobody percent-encodes those but to hide a word. */
const PERCENT_LETTER = /%(?:[46][1-9a-f]|[57][0-9a]|3[0-9]|5f)/i;

function percentDecoded(text: Folded | undefined): Folded | undefined {
  if (text === undefined) return undefined;
  try {
    return { value: decodeURIComponent(text.value), encoded: text.encoded || PERCENT_LETTER.test(text.value) };
  } catch {
    return undefined; // a malformed escape throws at run time too
  }
}

const ENCODINGS = new Set(['utf8', 'utf-8', 'base64', 'base64url', 'hex', 'latin1', 'binary', 'ascii']);
const DECODED_ENCODINGS = new Set(['base64', 'base64url', 'hex']);

function isEncoding(value: string | undefined): value is BufferEncoding {
  return value !== undefined && ENCODINGS.has(value.toLowerCase());
}

/** `['a', 'b']`, `'abc'.split('')`, and `.reverse()` of either (reversal is encoding). */
function constantArray(node: Node, lookup: ConstantLookup | undefined): { values: string[]; encoded: boolean } | undefined {
  if (node.type === 'ArrayExpression') {
    const items = node.elements.map((element) => (element && element.type !== 'SpreadElement' ? fold(element, lookup) : undefined));
    return items.every((item): item is Folded => item !== undefined)
      ? { values: items.map((item) => item.value), encoded: items.some((item) => item.encoded) }
      : undefined;
  }
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') return undefined;
  const method = node.callee.property.name;
  if (method === 'reverse' && node.arguments.length === 0) {
    const inner = constantArray(node.callee.object, lookup);
    return inner === undefined ? undefined : { values: inner.values.reverse(), encoded: true };
  }
  if (method === 'split' && node.arguments.length === 1) {
    const text = fold(node.callee.object, lookup);
    const separator = constantString(node.arguments[0] as Node, lookup);
    return text === undefined || separator === undefined ? undefined : { values: text.value.split(separator), encoded: text.encoded };
  }
  return undefined;
}

/**
 * `\x63`, `\u0068`, `\u{69}` standing for a letter, digit or underscore, after an even run of
 * backslashes (`'\\x41'` is a backslash and `x41`): nobody escapes those but to hide a word.
 */
const ESCAPED_LETTER = /(?:^|[^\\])(?:\\\\)*\\(?:x|u00|u\{0*)(?:[46][1-9a-fA-F]|[57][0-9aA]|3[0-9]|5[fF])/;

function literalRaw(node: Node): string {
  const raw = (node as { extra?: { raw?: unknown } }).extra?.raw;
  return typeof raw === 'string' ? raw : '';
}

function hasEscapedLetters(raw: string): boolean {
  return raw.includes('\\') && ESCAPED_LETTER.test(raw);
}
