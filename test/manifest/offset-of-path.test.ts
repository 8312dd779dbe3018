import { describe, expect, it } from 'vitest';
import { findJsonSyntaxError, lineAndColumn, offsetOfPath } from '../../src/manifest/syntax.js';

// Where a value of a valid JSON text is written, for messages about files the user wrote.

const at = (text: string, path: Array<string | number>) => {
  const offset = offsetOfPath(text, path);
  return offset === null ? null : lineAndColumn(text, offset);
};

describe('offsetOfPath', () => {
  const text = ['{', '  "a": [1, {"b\\u0022c": true}, [], "x"],', '  "d": {},', '  "a": [0]', '}'].join('\n');

  it('points at the key of a member, the value of an element, and the root', () => {
    expect(at(text, [])).toEqual({ line: 1, column: 1 });
    expect(at(text, ['d'])).toEqual({ line: 3, column: 3 });
    expect(at(text, ['a', 0])).toEqual({ line: 4, column: 9 });
  });

  it('takes the last of duplicate keys, as JSON.parse does, and decodes escaped keys', () => {
    expect(at(text, ['a'])).toEqual({ line: 4, column: 3 });
    const first = '{"a": [1, {"b\\u0022c": true}, [], "x"]}';
    expect(at(first, ['a', 1, 'b"c'])).toEqual({ line: 1, column: 12 });
    expect(at(first, ['a', 3])).toEqual({ line: 1, column: 35 });
  });

  it('is null for what is not there', () => {
    expect(offsetOfPath(text, ['a', 5])).toBeNull();
    expect(offsetOfPath(text, ['d', 'e'])).toBeNull();
    expect(offsetOfPath(text, ['z'])).toBeNull();
  });

  it('leaves syntax errors as they were found', () => {
    expect(findJsonSyntaxError('{"a": [1, 2,]}')).toEqual({ offset: 12, message: 'unexpected character where a value was expected' });
    expect(findJsonSyntaxError(text)).toBeNull();
  });
});
