import type { Node } from '@babel/types';

// Strings whose value is known without running anything: literals, templates and `+` of constants,
// and the tricks that hide a name from a text search (`String.fromCharCode(...)`, `[...].join('')`,
// `'...'.split('').reverse().join('')`, `atob('...')`, `Buffer.from('...', 'base64').toString()`).
// Folding them lets `require(atob('Y2hpbGRfcHJvY2Vzcw=='))` bind to child_process like a plain
// `require('child_process')`; `isBuiltString` tells rules that the name was hidden, and
// `isEncodedString` that it was hidden by encoding (base64, hex, char codes, escapes, reversal)
// rather than merely split, which no ordinary program does to a module name or to code it runs.

/** The value of a string made only of constants, folded through the transformations above. */
export function constantString(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'StringLiteral':
      return node.value;
    case 'NumericLiteral':
      return String(node.value);
    case 'TemplateLiteral': {
      const parts = node.expressions.map((expression) => constantString(expression as Node));
      if (parts.some((part) => part === undefined)) return undefined;
      return node.quasis.map((quasi, index) => (quasi.value.cooked ?? quasi.value.raw) + (parts[index] ?? '')).join('');
    }
    case 'BinaryExpression': {
      if (node.operator !== '+') return undefined;
      const left = constantString(node.left);
      const right = left === undefined ? undefined : constantString(node.right);
      return left === undefined || right === undefined ? undefined : left + right;
    }
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return constantString(node.expression);
    case 'CallExpression':
      return foldedCall(node.callee as Node, node.arguments as Node[]);
    default:
      return undefined;
  }
}

/**
 * A constant string that is not written as one plain literal: assembled, encoded or reversed. A
 * literal spelling letters as escapes (`'\x65\x76\x61\x6c'`) counts: that is encoding too.
 */
export function isBuiltString(node: Node): boolean {
  if (node.type === 'StringLiteral') return hasEscapedLetters(literalRaw(node));
  if (node.type === 'NumericLiteral') return false;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis.some((quasi) => hasEscapedLetters(quasi.value.raw));
  if (node.type === 'ParenthesizedExpression' || node.type === 'TSAsExpression' || node.type === 'TSNonNullExpression') return isBuiltString(node.expression);
  return constantString(node) !== undefined;
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

function foldedCall(callee: Node, args: Node[]): string | undefined {
  if (callee.type === 'Identifier' && callee.name === 'atob') {
    const encoded = constantString(args[0]);
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('latin1');
  }
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return undefined;
  const method = callee.property.name;
  const receiver = callee.object;
  if (method === 'fromCharCode' && receiver.type === 'Identifier' && receiver.name === 'String') {
    const codes = args.map((argument) => (argument.type === 'NumericLiteral' ? argument.value : undefined));
    return codes.every((code): code is number => code !== undefined) ? String.fromCharCode(...codes) : undefined;
  }
  if (method === 'join') {
    const items = constantArray(receiver);
    const separator = args.length === 0 ? ',' : constantString(args[0]);
    return items === undefined || separator === undefined ? undefined : items.join(separator);
  }
  if (method === 'toString') return decodedBuffer(receiver, args);
  return undefined;
}

/** `Buffer.from('...', 'base64').toString()`: the decoded text, for the encodings payloads use. */
function decodedBuffer(receiver: Node, args: Node[]): string | undefined {
  if (receiver.type !== 'CallExpression' || receiver.callee.type !== 'MemberExpression') return undefined;
  const { object, property } = receiver.callee;
  if (object.type !== 'Identifier' || object.name !== 'Buffer' || property.type !== 'Identifier' || property.name !== 'from') return undefined;
  const [data, encodingNode] = receiver.arguments as Node[];
  const text = constantString(data);
  const encoding = encodingNode === undefined ? 'utf8' : constantString(encodingNode);
  const target = args.length === 0 ? 'utf8' : constantString(args[0]);
  if (text === undefined || !isEncoding(encoding) || !isEncoding(target)) return undefined;
  return Buffer.from(text, encoding).toString(target);
}

const ENCODINGS = new Set(['utf8', 'utf-8', 'base64', 'base64url', 'hex', 'latin1', 'binary', 'ascii']);

function isEncoding(value: string | undefined): value is BufferEncoding {
  return value !== undefined && ENCODINGS.has(value.toLowerCase());
}

/** `['a', 'b']`, `'abc'.split('')`, and `.reverse()` of either. */
function constantArray(node: Node): string[] | undefined {
  if (node.type === 'ArrayExpression') {
    const items = node.elements.map((element) => (element && element.type !== 'SpreadElement' ? constantString(element) : undefined));
    return items.every((item): item is string => item !== undefined) ? items : undefined;
  }
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') return undefined;
  const method = node.callee.property.name;
  if (method === 'reverse' && node.arguments.length === 0) return constantArray(node.callee.object)?.reverse();
  if (method === 'split' && node.arguments.length === 1) {
    const text = constantString(node.callee.object);
    const separator = constantString(node.arguments[0] as Node);
    return text === undefined || separator === undefined ? undefined : text.split(separator);
  }
  return undefined;
}

/**
 * A constant whose value went through decoding on the way: base64 or hex (`atob`, `Buffer.from(…,
 * 'base64').toString()`), char codes, letters written as escapes, or reversal. Splitting and joining
 * (`'child_' + 'process'`, `['a', 'b'].join('')`) is assembly, not encoding.
 */
export function isEncodedString(node: Node): boolean {
  return constantString(node) !== undefined && usesEncoding(node);
}

function usesEncoding(node: Node | null | undefined): boolean {
  if (!node) return false;
  switch (node.type) {
    case 'StringLiteral':
      return hasEscapedLetters(literalRaw(node));
    case 'TemplateLiteral':
      return node.quasis.some((quasi) => hasEscapedLetters(quasi.value.raw)) || node.expressions.some((expression) => usesEncoding(expression as Node));
    case 'BinaryExpression':
      return usesEncoding(node.left) || usesEncoding(node.right);
    case 'TSAsExpression':
    case 'TSNonNullExpression':
    case 'ParenthesizedExpression':
      return usesEncoding(node.expression);
    case 'CallExpression':
      return callUsesEncoding(node.callee as Node, node.arguments as Node[]);
    default:
      return false;
  }
}

function callUsesEncoding(callee: Node, args: Node[]): boolean {
  if (callee.type === 'Identifier') return callee.name === 'atob';
  if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
  const method = callee.property.name;
  if (method === 'fromCharCode') return true;
  if (method === 'join') return arrayUsesEncoding(callee.object) || usesEncoding(args[0]);
  if (method === 'toString' && callee.object.type === 'CallExpression') {
    const [data, encoding] = callee.object.arguments as Node[];
    return DECODED_ENCODINGS.has(constantString(encoding)?.toLowerCase() ?? '') || usesEncoding(data);
  }
  return false;
}

function arrayUsesEncoding(node: Node): boolean {
  if (node.type === 'ArrayExpression') return node.elements.some((element) => element !== null && element.type !== 'SpreadElement' && usesEncoding(element));
  if (node.type !== 'CallExpression' || node.callee.type !== 'MemberExpression' || node.callee.property.type !== 'Identifier') return false;
  if (node.callee.property.name === 'reverse') return true;
  return node.callee.property.name === 'split' && usesEncoding(node.callee.object);
}

const DECODED_ENCODINGS = new Set(['base64', 'base64url', 'hex']);

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
