import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VirtualFile } from '../../src/bundle/container.js';
import { acceptsKey, detectVersion, MAX_SCHEMA_ISSUES, readManifest } from '../../src/manifest/read.js';
import { findJsonSyntaxError, firstInvalidUtf8, lineAndColumn } from '../../src/manifest/syntax.js';
import v01 from '../../src/manifest/schemas/manifest-0.1.schema.json' with { type: 'json' };
import v02 from '../../src/manifest/schemas/manifest-0.2.schema.json' with { type: 'json' };
import v03 from '../../src/manifest/schemas/manifest-0.3.schema.json' with { type: 'json' };
import { repoPath } from '../helpers/fixtures.js';

function tree(content: string | Uint8Array, path = 'manifest.json'): Map<string, VirtualFile> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return new Map([[path, { path, bytes, executable: false }]]);
}

const read = (content: string | Uint8Array) => readManifest(tree(content));

function manifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    manifest_version: '0.2',
    name: 'demo',
    version: '1.0.0',
    description: 'A demo server.',
    author: { name: 'Jane' },
    server: { type: 'node', entry_point: 'server/index.js', mcp_config: { command: 'node', args: ['${__dirname}/server/index.js'] } },
    ...extra,
  };
}

describe('finding manifest.json', () => {
  it('reports a bundle without one as absent', () => {
    expect(readManifest(new Map())).toEqual({
      present: false,
      text: null,
      parseError: null,
      json: undefined,
      version: { field: null, raw: undefined, known: null },
      schemaIssues: [],
    });
  });

  it('only looks at the root of the tree', () => {
    expect(readManifest(tree(JSON.stringify(manifest()), 'server/manifest.json')).present).toBe(false);
  });

  it('reads a valid manifest without issues', () => {
    const facts = read(JSON.stringify(manifest()));
    expect(facts).toMatchObject({ present: true, parseError: null, version: { field: 'manifest_version', known: '0.2' }, schemaIssues: [] });
    expect(facts.json).toEqual(manifest());
  });
});

describe('parse errors', () => {
  it.each([
    ['{\n  "a": 1,\n}', 3, 1, 'expected a property name in double quotes'],
    ['{"a": tru}', 1, 7, 'unexpected character where a value was expected'],
    ['', 1, 1, 'unexpected end of input'],
    ['   \n  ', 2, 3, 'unexpected end of input'],
    ['{"a": "b', 1, 9, 'unterminated string'],
    ['{"a": "x\ty"}', 1, 9, 'control character inside a string'],
    ['{"a": "\\x"}', 1, 8, 'invalid escape in a string'],
    ['{"a": "\\u12G4"}', 1, 8, 'invalid \\u escape in a string'],
    ['[1 2]', 1, 4, "expected ',' or ']'"],
    ['{"a" 1}', 1, 6, "expected ':' after a property name"],
    ['{"a": 1 "b": 2}', 1, 9, "expected ',' or '}'"],
    ['{"a": 1} x', 1, 10, 'unexpected data after the end of the JSON value'],
    ['{"a": 01}', 1, 8, 'invalid number'],
    ['{"a": -}', 1, 7, 'invalid number'],
    ['{"a": 1.}', 1, 8, 'invalid number'],
    ['{"a": .5}', 1, 7, 'unexpected character where a value was expected'],
    ["{'a': 1}", 1, 2, 'expected a property name in double quotes'],
    ['// comment\n{}', 1, 1, 'unexpected character where a value was expected'],
    ['{\r\n"a":\r\n}', 3, 1, 'unexpected character where a value was expected'],
    ['{\r"a":\r}', 3, 1, 'unexpected character where a value was expected'],
    ['{"😀😀": x}', 1, 8, 'unexpected character where a value was expected'],
    ['['.repeat(100_000), 1, 100_001, 'unexpected end of input'],
  ])('%j fails at line %i, column %i', (text, line, column, message) => {
    const facts = read(text);
    expect(facts.parseError).toEqual({ message, line, column });
    expect(facts.json).toBeUndefined();
    expect(facts.text).toBe(text);
  });

  it('agrees with JSON.parse on every prefix and on single-byte damage of a real manifest', () => {
    const text = readFileSync(repoPath('fixtures/manifests/v02-python-every-user-config-type.json'), 'utf8');
    const samples: string[] = [];
    for (let end = 0; end <= text.length; end++) samples.push(text.slice(0, end));
    // A fixed-seed generator keeps the damaged copies the same on every run.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = '{}[]",:\\ \n\t-+.0123456789eEtrufalsn\u0000\u00e9x';
    for (let k = 0; k < 2000; k++) {
      const at = next() % text.length;
      samples.push(text.slice(0, at) + alphabet[next() % alphabet.length] + text.slice(at + (next() % 2)));
    }
    for (const sample of samples) {
      let parses = true;
      try {
        JSON.parse(sample);
      } catch {
        parses = false;
      }
      const problem = findJsonSyntaxError(sample);
      expect(problem === null, sample).toBe(parses);
      const facts = read(sample);
      expect(facts.parseError === null).toBe(parses);
      if (facts.parseError) {
        expect(facts.parseError.line).toBeGreaterThanOrEqual(1);
        expect(facts.parseError.column).toBeGreaterThanOrEqual(1);
      }
    }
  });

  it('never puts manifest text into the error message', () => {
    const facts = read('{"name": "\u001b[31mEVIL"}');
    expect(facts.parseError?.message).toBe('control character inside a string');
  });
});

describe('encoding', () => {
  const bom = new Uint8Array([0xef, 0xbb, 0xbf]);
  const withBom = (text: string) => new Uint8Array([...bom, ...new TextEncoder().encode(text)]);

  it('tolerates a UTF-8 byte order mark and leaves it out of the text', () => {
    const facts = read(withBom(JSON.stringify(manifest())));
    expect(facts.parseError).toBeNull();
    expect(facts.text?.startsWith('{')).toBe(true);
    expect(facts.schemaIssues).toEqual([]);
  });

  it('counts positions after the byte order mark', () => {
    expect(read(withBom('{,}')).parseError).toEqual({ message: 'expected a property name in double quotes', line: 1, column: 2 });
  });

  it('rejects a second byte order mark, as JSON does', () => {
    expect(read(withBom('\ufeff{}')).parseError).toMatchObject({ line: 1, column: 1 });
  });

  it.each([
    ['a lone continuation byte', [0x80], 0],
    ['an invalid lead byte', [0xff], 0],
    ['an overlong slash', [0xc0, 0xaf], 0],
    ['an overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['a UTF-16 surrogate', [0xed, 0xa0, 0x80], 0],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence at the end', [0x41, 0xe2, 0x82], 1],
    ['a sequence cut by ASCII', [0xe2, 0x41, 0x82], 0],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(offset);
  });

  it('accepts well-formed multi-byte text', () => {
    expect(firstInvalidUtf8(new TextEncoder().encode('é € 😀 \u{10ffff} \ud7ff'))).toBe(-1);
  });

  it('reports invalid UTF-8 as a parse error at its place', () => {
    const head = new TextEncoder().encode('{\n  "name": "caf');
    const bytes = new Uint8Array([...head, 0xe9, ...new TextEncoder().encode('"\n}')]);
    const facts = read(bytes);
    expect(facts.parseError).toEqual({ message: 'not valid UTF-8', line: 2, column: 15 });
    expect(facts.text).toBeNull();
    expect(facts.json).toBeUndefined();
  });
});

describe('hostile input', () => {
  it('survives deeply nested arrays and objects', () => {
    const depth = 200_000;
    expect(read('['.repeat(depth) + ']'.repeat(depth)).parseError).toBeNull();
    const deepObject = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    expect(read(deepObject)).toMatchObject({ parseError: null, version: { known: null }, schemaIssues: [] });
  });

  it('survives deep nesting where the schema descends', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const text = JSON.stringify(manifest({ manifest_version: '0.3', _meta: { 'com.example': { x: 0 } } })).replace('{"x":0}', `{"x":${deep}}`);
    expect(read(text).schemaIssues).toEqual([]);
    const wrong = JSON.stringify(manifest()).replace('"A demo server."', deep);
    expect(read(wrong).schemaIssues).toEqual([{ pointer: '/description', keyword: 'type', message: 'must be a string' }]);
  });

  it('caps the number of schema issues', () => {
    const facts = read(JSON.stringify(manifest({ tools: Array.from({ length: 5000 }, () => 1) })));
    expect(facts.schemaIssues).toHaveLength(MAX_SCHEMA_ISSUES);
  });

  it('treats __proto__ as an ordinary unknown key and pollutes nothing', () => {
    const text = JSON.stringify(manifest()).replace(/}$/, ',"__proto__":{"polluted":true}}');
    const facts = read(text);
    expect(facts.schemaIssues).toEqual([
      expect.objectContaining({ pointer: '', keyword: 'additionalProperties', unknownKey: '__proto__', acceptedBy: [] }),
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps bundle text out of issue messages', () => {
    const evil = '\u001b]8;;https://evil.example\u0007click';
    const facts = read(JSON.stringify(manifest({ homepage: evil, [evil]: 1, user_config: { [evil]: { type: evil } } })));
    expect(facts.schemaIssues.length).toBeGreaterThan(3);
    for (const issue of facts.schemaIssues) expect(issue.message).not.toContain('evil');
  });

  it('is deterministic and sorted by pointer, keyword and key', () => {
    const text = JSON.stringify(manifest({ zeta: 1, alpha: 2, version: 3, tools: [{ x: 1 }], author: {} }));
    const first = read(text).schemaIssues;
    expect(read(text).schemaIssues).toEqual(first);
    expect(first.map((issue) => [issue.pointer, issue.keyword, issue.unknownKey ?? ''])).toEqual([
      ['', 'additionalProperties', 'alpha'],
      ['', 'additionalProperties', 'zeta'],
      ['/author', 'required', ''],
      ['/tools/0', 'additionalProperties', 'x'],
      ['/tools/0', 'required', ''],
      ['/version', 'type', ''],
    ]);
  });
});

describe('version detection', () => {
  it.each([
    [{ manifest_version: '0.3' }, 'manifest_version', '0.3', '0.3'],
    [{ dxt_version: '0.1' }, 'dxt_version', '0.1', '0.1'],
    [{ manifest_version: '0.2', dxt_version: '0.2' }, 'manifest_version', '0.2', '0.2'],
    [{ manifest_version: '0.4', dxt_version: '0.1' }, 'manifest_version', '0.4', '0.4'],
    // As the reference: an unknown manifest_version falls through to a known dxt_version.
    [{ manifest_version: '1.0', dxt_version: '0.2' }, 'dxt_version', '0.2', '0.2'],
    [{ manifest_version: null, dxt_version: '0.2' }, 'dxt_version', '0.2', '0.2'],
    [{ manifest_version: '0.1.0' }, 'manifest_version', '0.1.0', null],
    [{ manifest_version: '1.0', dxt_version: '2.0' }, 'manifest_version', '1.0', null],
    [{ manifest_version: 0.2 }, 'manifest_version', 0.2, null],
    [{ manifest_version: null }, 'manifest_version', null, null],
    [{ manifest_version: ['0.2'] }, 'manifest_version', ['0.2'], null],
    [{ manifest_version: ' 0.2' }, 'manifest_version', ' 0.2', null],
    [{ manifest_version: '0.5' }, 'manifest_version', '0.5', null],
    [{ manifest_version: '' }, 'manifest_version', '', null],
    [{ dxt_version: '1.0' }, 'dxt_version', '1.0', null],
    [{ dxt_version: 1 }, 'dxt_version', 1, null],
    [{ mcpb_version: '0.2' }, null, undefined, null],
    [{}, null, undefined, null],
  ])('%j -> %s %j (known %s)', (input, field, raw, known) => {
    expect(detectVersion(input)).toEqual({ field, raw, known });
  });

  it('does not look up inherited properties', () => {
    expect(detectVersion(JSON.parse('{"__proto__": {"manifest_version": "0.2"}}') as Record<string, unknown>).known).toBeNull();
  });

  it('leaves non-object manifests without a version and without schema issues', () => {
    for (const text of ['[]', '"0.2"', '42', 'null', 'true']) {
      expect(read(text)).toMatchObject({ parseError: null, version: { field: null, known: null }, schemaIssues: [] });
    }
  });

  it('checks a known dxt_version against that version, as the reference does', () => {
    const { manifest_version: _unused, ...rest } = manifest({ privacy_policies: [] });
    expect(read(JSON.stringify({ dxt_version: '0.1', ...rest })).schemaIssues).toEqual([
      expect.objectContaining({ keyword: 'additionalProperties', unknownKey: 'privacy_policies' }),
    ]);
    expect(read(JSON.stringify({ dxt_version: '0.2', ...rest })).schemaIssues).toEqual([]);
  });

  it('checks an unknown dxt_version string against the DXT-era schema', () => {
    const { manifest_version: _unused, ...rest } = manifest();
    const dxtEra = (extra: Record<string, unknown>) => read(JSON.stringify({ dxt_version: '0.1.0', ...rest, ...extra }));
    expect(dxtEra({})).toMatchObject({ version: { field: 'dxt_version', known: null }, schemaIssues: [] });
    // DXT tooling let compatibility hold other clients, but had no privacy_policies.
    expect(dxtEra({ compatibility: { cursor: '*' } }).schemaIssues).toEqual([]);
    expect(dxtEra({ privacy_policies: [] }).schemaIssues).toEqual([
      expect.objectContaining({ pointer: '', unknownKey: 'privacy_policies', acceptedBy: ['0.2', '0.3', '0.4'] }),
    ]);
    expect(dxtEra({ author: 'Jane' }).schemaIssues).toEqual([{ pointer: '/author', keyword: 'type', message: 'must be an object' }]);
  });

  it('checks nothing when no schema says what the version means', () => {
    expect(read(JSON.stringify(manifest({ manifest_version: '1.0', author: 42 }))).schemaIssues).toEqual([]);
    expect(read(JSON.stringify(manifest({ manifest_version: 2, author: 42 }))).schemaIssues).toEqual([]);
  });
});

describe('schema issues', () => {
  const issues = (extra: Record<string, unknown>) => read(JSON.stringify(manifest(extra))).schemaIssues;

  it.each([
    [{ author: undefined }, '', 'required', 'lacks the required key "author"'],
    [{ version: 1 }, '/version', 'type', 'must be a string'],
    [{ server: { type: 'deno', entry_point: 'x', mcp_config: { command: 'deno' } } }, '/server/type', 'enum', 'must be one of "python", "node" or "binary"'],
    [{ dxt_version: '0.3' }, '/dxt_version', 'const', 'must be "0.2"'],
    [{ homepage: 'example.com' }, '/homepage', 'format', 'must be an absolute URL'],
    [{ author: { name: 'J', email: 'j@localhost' } }, '/author/email', 'format', 'must be an email address'],
    [{ user_config: { a: { type: 'string', title: 't', description: 'd', default: null } } }, '/user_config/a/default', 'type', 'must be a string, a number, a boolean or an array'],
  ])('%j gives %s %s', (extra, pointer, keyword, message) => {
    expect(issues(extra)).toEqual([{ pointer, keyword, message }]);
  });

  it('describes pattern failures with the expected format', () => {
    const found = read(JSON.stringify(manifest({ manifest_version: '0.3', localization: { resources: 'en.json', default_locale: 'en_US' } }))).schemaIssues;
    expect(found.map((issue) => issue.message)).toEqual([
      'must be a BCP 47 tag such as en-US',
      'must be a path containing the ${locale} placeholder (any letter case)',
    ]);
  });

  it('accepts what the reference accepts in URLs and email addresses', () => {
    expect(issues({ homepage: 'mailto:x', support: 'https://ex.am/ple?q', author: { name: 'J', email: "o'neil+tag@mail.example.co" } })).toEqual([]);
    for (const email of ['.a@b.co', 'a.@b.co', "a'@b.co", 'a..b@c.co', 'a@b.c', 'a@-b.co', 'a@b.c0', 'a@b@c.co', '@b.co', 'é@b.co']) {
      expect(issues({ author: { name: 'J', email } }), email).toHaveLength(1);
    }
  });
});

describe('acceptedBy', () => {
  const unknown = (extra: Record<string, unknown>) =>
    read(JSON.stringify(manifest(extra))).schemaIssues.filter((issue) => issue.keyword === 'additionalProperties');

  it.each([
    [{ manifest_version: '0.1', privacy_policies: [] }, '', 'privacy_policies', ['0.2', '0.3', '0.4']],
    [{ icons: [] }, '', 'icons', ['0.3', '0.4']],
    [{ manifest_version: '0.1', _meta: {} }, '', '_meta', ['0.3', '0.4']],
    [{ manifest_version: '0.4', localization: { resources: '${locale}', default_locale: 'en', fallback: 'en' } }, '/localization', 'fallback', []],
    [{ tools: [{ name: 't', annotations: {} }] }, '/tools/0', 'annotations', []],
    [{ compatibility: { claude_code: '*' } }, '/compatibility', 'claude_code', []],
    [{ 'a/b~c': 1 }, '', 'a/b~c', []],
  ])('%j: %s %s -> %j', (extra, pointer, key, acceptedBy) => {
    expect(unknown(extra)).toEqual([expect.objectContaining({ pointer, unknownKey: key, acceptedBy })]);
  });

  it('reports an unknown key inside an unknown key only once, at the outer key', () => {
    expect(unknown({ icons: [{ src: 'a', size: '1x1', extra: 1 }] }).map((issue) => issue.unknownKey)).toEqual(['icons']);
  });

  it('reads the schemas, not the document', () => {
    expect(acceptsKey(v01, ['server', 'mcp_config', 'platform_overrides', 'win32'], 'command')).toBe(true);
    expect(acceptsKey(v01, ['server', 'mcp_config', 'platform_overrides', 'win32'], 'platform_overrides')).toBe(false);
    expect(acceptsKey(v01, ['user_config', 'anything'], 'sensitive')).toBe(true);
    expect(acceptsKey(v01, ['user_config'], 'any-option-name')).toBe(true);
    expect(acceptsKey(v02, ['compatibility'], 'cursor')).toBe(false);
    expect(acceptsKey(v02, ['tools', '3'], 'description')).toBe(true);
    expect(acceptsKey(v03, ['_meta', 'com.example'], 'anything')).toBe(true);
    expect(acceptsKey(v03, ['_meta', 'com.example', 'deep', 'deeper'], 'anything')).toBe(true);
    expect(acceptsKey(v01, ['_meta', 'com.example'], 'anything')).toBe(false);
    expect(acceptsKey(v03, ['icons', '0'], 'theme')).toBe(true);
    expect(acceptsKey(v02, ['icons', '0'], 'theme')).toBe(false);
  });
});

describe('the schema files', () => {
  const dir = repoPath('src/manifest/schemas');
  const schemas = readdirSync(dir).map((name) => [name, JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) as unknown] as const);

  function* nodes(value: unknown, path: string): Generator<[string, Record<string, unknown>]> {
    if (typeof value !== 'object' || value === null) return;
    if (!Array.isArray(value)) yield [path, value as Record<string, unknown>];
    for (const [key, child] of Object.entries(value)) yield* nodes(child, `${path}/${key}`);
  }

  it('are strict wherever the reference is: every object with declared keys forbids others', () => {
    const open: string[] = [];
    for (const [name, schema] of schemas) {
      for (const [path, node] of nodes(schema, '')) {
        if (node.properties !== undefined && node.additionalProperties !== false && !path.endsWith('/properties')) open.push(`${name}#${path}`);
      }
    }
    // DXT-era tooling let compatibility hold other clients (zod passthrough).
    expect(open).toEqual(['manifest-common.schema.json#/definitions/compatibilityDxt']);
  });

  it('only reference definitions that exist', () => {
    const ids = new Map(schemas.map(([, schema]) => [(schema as { $id: string }).$id, schema]));
    for (const [name, schema] of schemas) {
      for (const [, node] of nodes(schema, '')) {
        if (typeof node.$ref !== 'string') continue;
        const [id = '', fragment = ''] = node.$ref.split('#');
        let target: unknown = ids.get(id);
        for (const segment of fragment.split('/').slice(1)) target = (target as Record<string, unknown> | undefined)?.[segment];
        expect(target, `${name}: ${node.$ref}`).toBeTypeOf('object');
      }
    }
  });
});

describe('lineAndColumn', () => {
  it('counts characters, not UTF-16 units, and treats CRLF as one break', () => {
    expect(lineAndColumn('a😀b', 3)).toEqual({ line: 1, column: 3 });
    expect(lineAndColumn('a\r\nb', 3)).toEqual({ line: 2, column: 1 });
    expect(lineAndColumn('a\r\nb', 2)).toEqual({ line: 1, column: 2 });
    expect(lineAndColumn('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});
