import { describe, expect, it } from 'vitest';
import { scriptBlock } from '../../src/deps/python/inline.js';
import { readLock } from '../../src/deps/python/lock.js';
import { checkMarker, isBounded, normalizeName, parseRequirement } from '../../src/deps/python/pep508.js';
import { readPyproject } from '../../src/deps/python/pyproject.js';
import { parseRequirementsFile } from '../../src/deps/python/requirements.js';
import { sourceOfLocation, withoutCredentials } from '../../src/deps/python/source.js';
import { readToml } from '../../src/deps/python/toml.js';

// Hostile inputs below are sized so that a parser that backtracks or rescans would run for minutes:
// the test's timeout, not a measured time, is what stops one.

describe('parseRequirement (PEP 508)', () => {
  it.each([
    ['requests', { name: 'requests', key: 'requests', extras: [], specifiers: [] }],
    ['Foo_Bar.baz>=1.0', { key: 'foo-bar-baz', specifiers: [{ op: '>=', version: '1.0' }] }],
    ['mcp[cli, ws]==1.9.4', { extras: ['cli', 'ws'], specifiers: [{ op: '==', version: '1.9.4' }] }],
    ['httpx (>=0.27, <1)', { specifiers: [{ op: '>=', version: '0.27' }, { op: '<', version: '1' }] }],
    ['django==4.2.*', { specifiers: [{ op: '==', version: '4.2.*' }] }],
    ['legacy===1.0-custom+local', { specifiers: [{ op: '===', version: '1.0-custom+local' }] }],
    ['anyio~=4.4 ; python_version >= "3.11"', { specifiers: [{ op: '~=', version: '4.4' }], marker: 'python_version >= "3.11"' }],
    ['pywin32; sys_platform == "win32" and (platform_machine == "AMD64" or extra == "x")', { marker: 'sys_platform == "win32" and (platform_machine == "AMD64" or extra == "x")' }],
    ['"cli" in extras', undefined],
    ['tool @ git+https://github.com/a/b@v1.0 ; os_name != "nt"', { url: 'git+https://github.com/a/b@v1.0', marker: 'os_name != "nt"' }],
    ['pkg @ file:///opt/pkg', { url: 'file:///opt/pkg' }],
  ])('%s', (text, expected) => {
    const parsed = parseRequirement(text);
    if (expected === undefined) {
      expect(parsed.ok).toBe(false);
      return;
    }
    expect(parsed).toMatchObject({ ok: true, value: expected });
  });

  it.each([
    ['', 'it is empty'],
    ['-e .', 'does not start with a project name'],
    ['pkg[extra', 'not closed'],
    ['pkg[ex tra]', 'not a valid extra name'],
    ['pkg >>= 1', 'not followed by a version'],
    ['pkg >= 1.*', 'wildcard version needs'],
    ['pkg == 1*', '"1*" is not a version'],
    ['pkg (>=1', 'not closed with ")"'],
    ['pkg @', 'not followed by a URL'],
    ['pkg @ https://x/y.whl;python_version>"3"', 'space before ";"'],
    ['pkg @ not-a-url', 'is not a URL'],
    ['pkg 1.0', 'not a version specifier'],
    ['pkg ; bogus_variable == "1"', 'not a marker variable'],
    ['pkg ; python_version', 'compares nothing'],
    ['pkg ; (python_version > "3"', 'parenthesis open'],
    ['pkg ; python_version > "3")', 'never opened'],
    ['pkg ; python_version > "3" and', 'not a comparison'],
    ['pkg ; ', 'empty'],
    ['pkg\u0000==1', 'control characters'],
    ['pkg==1 trailing', 'unexpected text'],
  ])('rejects %j (%s)', (text, problem) => {
    const parsed = parseRequirement(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problem).toContain(problem);
  });

  it('refuses a 1 MB requirement without reading it, and stays linear on long near-misses', () => {
    const huge = `a${'b'.repeat(1 << 20)}`;
    expect(parseRequirement(huge)).toEqual({ ok: false, problem: expect.stringContaining('more than 8192') });
    parseRequirement(`pkg ; ${'('.repeat(4000)}`);
    parseRequirement(`pkg==${'1.'.repeat(4000)}`);
    checkMarker(`${'python_version > "3" and '.repeat(300)}os_name == "nt"`);
  });

  it('bounds marker nesting', () => {
    expect(checkMarker(`${'('.repeat(40)}os_name == "nt"${')'.repeat(40)}`)).toContain('more than 32 deep');
    expect(checkMarker(`${'('.repeat(10)}os_name == "nt"${')'.repeat(10)}`)).toBeNull();
  });

  it('normalises names and tells bounded specifiers', () => {
    expect(normalizeName('Zope.Interface__x')).toBe('zope-interface-x');
    expect(isBounded([{ op: '>=', version: '1' }, { op: '!=', version: '1.5' }])).toBe(false);
    expect(isBounded([{ op: '>=', version: '1' }, { op: '<', version: '2' }])).toBe(true);
    expect(isBounded([{ op: '~=', version: '1.4' }])).toBe(true);
  });
});

describe('parseRequirementsFile', () => {
  it('reads requirements, locations, includes, index options and hashes with the line each starts on', () => {
    const text = [
      '# comment',
      '--index-url https://pypi.acme.example/simple',
      '--extra-index-url=https://extra.example/simple  # trailing comment',
      '-r base.txt',
      '-c constraints.txt',
      'requests>=2 \\',
      `    --hash=sha256:${'a'.repeat(64)}`,
      '-e git+https://github.com/a/b@main#egg=b-tool',
      './local/pkg',
      'https://example.com/x-1.0-py3-none-any.whl#sha256=' + 'b'.repeat(64),
      '--pre',
      '--trusted-host internal.example',
      '--no-index',
      '',
    ].join('\n');
    expect(parseRequirementsFile(text)).toMatchObject([
      { line: 2, kind: 'index', option: '--index-url', value: 'https://pypi.acme.example/simple' },
      { line: 3, kind: 'index', option: '--extra-index-url', value: 'https://extra.example/simple' },
      { line: 4, kind: 'include', target: 'base.txt', constraint: false },
      { line: 5, kind: 'include', target: 'constraints.txt', constraint: true },
      { line: 6, kind: 'requirement', requirement: { name: 'requests' }, hashes: 1, spec: 'requests>=2' },
      { line: 8, kind: 'location', location: 'git+https://github.com/a/b@main#egg=b-tool', name: 'b-tool', editable: true },
      { line: 9, kind: 'location', location: './local/pkg', name: null },
      { line: 10, kind: 'location', name: null },
      { line: 12, kind: 'index', option: '--trusted-host', value: 'internal.example' },
      { line: 13, kind: 'index', option: '--no-index' },
    ]);
  });

  it('reports bad lines instead of throwing: unknown options, bad hashes, NUL bytes, a 1 MB line', () => {
    const text = ['--frobnicate', 'pkg==1 --hash=md5:abc', 'pkg==1 --no-deps', 'a\u0000b==1', `x${'y'.repeat(1 << 20)}`, 'ok==1', '-r', ''].join('\n');
    const lines = parseRequirementsFile(text);
    expect(lines.map((line) => [line.line, line.kind, line.kind === 'error' ? line.problem : ''])).toEqual([
      [1, 'error', '"--frobnicate" is not an option pip accepts in a requirements file'],
      [2, 'error', '"--hash=md5:abc" is not a hash pip accepts'],
      [3, 'error', '"--no-deps" is not an option pip accepts after a requirement'],
      [4, 'error', 'the line contains control characters'],
      [5, 'error', `the line is ${(1 << 20) + 1} characters long, more than 16384`],
      [6, 'requirement', ''],
      [7, 'error', '--requirement names no file'],
    ]);
  });

  it('stays linear on a file of continuation lines and one of comments', () => {
    parseRequirementsFile('a\\\n'.repeat(200_000));
    parseRequirementsFile(`${' #'.repeat(500_000)}\n`);
  });
});

describe('readToml and readPyproject', () => {
  it('refuses deeply nested inline arrays and tables with a line, and survives deep table headers', () => {
    expect(readToml(`a = ${'['.repeat(200_000)}${']'.repeat(200_000)}`)).toMatchObject({ ok: false, line: 1, problem: expect.stringContaining('nested') });
    expect(readToml(`a = ${'{b='.repeat(100_000)}1${'}'.repeat(100_000)}`)).toMatchObject({ ok: false });
    expect(readToml(`[${'a.'.repeat(50_000)}b]\nx = 1\n`).ok).toBe(true);
  });

  it('keeps __proto__ and constructor as plain keys', () => {
    const read = readPyproject('[tool.uv.sources]\n__proto__ = { git = "https://github.com/a/b" }\nconstructor = { path = "../x" }\n');
    expect(read).toMatchObject({ ok: true, declarations: { sources: [{ name: '__proto__', line: 2 }, { name: 'constructor', line: 3 }] } });
    expect(({} as Record<string, unknown>).git).toBeUndefined();
  });

  it('reports values of the wrong type with a line, and finds each string on its own line', () => {
    const text = [
      '[project]',
      'name = "x"',
      'dependencies = ["a==1", 7, "b==2"]',
      '[project.optional-dependencies]',
      'cli = "typer"',
      '[dependency-groups]',
      'dev = [{ include-group = "lint" }, "pytest==8"]',
      'lint = ["ruff==0.6"]',
      '[tool.uv.sources]',
      'a = { git = "https://github.com/a/a", tag = "v1", branch = "main" }',
      'b = { nothing = true }',
      '[[tool.uv.index]]',
      'name = "first"',
      'url = "https://one.example/simple"',
      '[[tool.uv.index]]',
      'name = "second"',
      'url = "https://two.example/simple"',
      'explicit = true',
      '',
    ].join('\n');
    const read = readPyproject(text);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.declarations.problems).toEqual([
      { line: 3, problem: 'project.dependencies[1] is not a requirement string' },
      { line: 5, problem: 'project.optional-dependencies.cli is not a list of requirement strings' },
      { line: 10, problem: 'tool.uv.sources.a: names more than one of rev, tag and branch' },
      { line: 11, problem: 'tool.uv.sources.b: names none of git, url, path, index or workspace' },
    ]);
    expect(read.declarations.entries.map((entry) => [entry.table, entry.raw, entry.line])).toEqual([
      ['project.dependencies', 'a==1', 3],
      ['project.dependencies', 'b==2', 3],
      ['dependency-groups.dev', 'pytest==8', 7],
      ['dependency-groups.lint', 'ruff==0.6', 8],
    ]);
    expect(read.declarations.indexes).toMatchObject([
      { option: 'index', value: 'https://one.example/simple', name: 'first', explicit: false, line: 14 },
      { option: 'index', value: 'https://two.example/simple', name: 'second', explicit: true, line: 17 },
    ]);
  });

  it('locates a dependency repeated in two lists at each of its lines', () => {
    const read = readPyproject('[project]\ndependencies = [\n  "mcp>=1",\n]\n[dependency-groups]\ndev = [\n  "mcp>=1",\n]\n');
    expect(read.ok && read.declarations.entries.map((entry) => entry.line)).toEqual([3, 7]);
  });
});

describe('scriptBlock (PEP 723)', () => {
  it('returns the TOML of the script block and the line it starts on', () => {
    const source = '#!/usr/bin/env python\n# /// script\n# dependencies = [\n#   "mcp==1",\n# ]\n# ///\nimport mcp\n';
    expect(scriptBlock(source)).toEqual({ kind: 'block', block: { toml: 'dependencies = [\n  "mcp==1",\n]', firstLine: 3 } });
    expect(scriptBlock('import os\n')).toEqual({ kind: 'none' });
    expect(scriptBlock('# /// script\n# dependencies = []\n# ///\nimport os\n# /// script\n# ///\n')).toMatchObject({ kind: 'error', problem: expect.stringContaining('two') });
  });

  it('stays linear on a comment run full of openers', () => {
    scriptBlock('# /// other\n'.repeat(100_000));
    scriptBlock('# /// other\n# ///\n'.repeat(50_000));
  });
});

describe('readLock', () => {
  it('reads names, versions, sources, download hosts and lines', () => {
    const text = [
      'version = 1',
      '',
      '[[package]]',
      'name = "Typing_Extensions"',
      'version = "4.12.2"',
      'source = { registry = "https://pypi.org/simple" }',
      'wheels = [{ url = "https://files.pythonhosted.org/t.whl", hash = "sha256:00" }]',
      '',
      '[package.metadata]',
      'requires-dist = []',
      '',
      '[[package]]',
      'name = "tool"',
      'source = { git = "https://github.com/a/tool?branch=main#0123456789abcdef0123456789abcdef01234567" }',
      '',
    ].join('\n');
    expect(readLock(text)).toMatchObject({
      ok: true,
      packages: [
        { key: 'typing-extensions', version: '4.12.2', source: { kind: 'registry' }, downloadHosts: ['files.pythonhosted.org'], line: 3 },
        { key: 'tool', version: null, source: { kind: 'git', commit: '0123456789abcdef0123456789abcdef01234567' }, line: 12 },
      ],
    });
    expect(readLock('package = "nope"\n')).toMatchObject({ ok: false, line: 1 });
  });
});

describe('sources', () => {
  it.each([
    ['git+https://github.com/a/b', { kind: 'vcs', vcs: 'git', ref: null, commit: false }],
    ['git+ssh://git@github.com/a/b.git@v1.2', { kind: 'vcs', ref: 'v1.2', commit: false }],
    ['git+https://github.com/a/b@0123456789abcdef0123456789abcdef01234567#subdirectory=x', { kind: 'vcs', commit: true }],
    ['hg+https://hg.example/repo', { kind: 'vcs', vcs: 'hg' }],
    ['https://example.com/x.tar.gz', { kind: 'url', hashed: false }],
    [`https://example.com/x.whl#sha256=${'c'.repeat(64)}`, { kind: 'url', hashed: true }],
    ['file:///opt/x', { kind: 'path', path: '/opt/x' }],
    ['../x', { kind: 'path', path: '../x' }],
  ])('%s', (location, expected) => {
    expect(sourceOfLocation(location)).toMatchObject(expected);
  });

  it('hides credentials but keeps the git user', () => {
    expect(withoutCredentials('https://user:token@pypi.example/simple')).toBe('https://***@pypi.example/simple');
    expect(withoutCredentials('ssh://git@github.com/a/b')).toBe('ssh://git@github.com/a/b');
  });
});
