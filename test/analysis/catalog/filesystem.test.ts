import { describe, expect, it } from 'vitest';
import { entityExpansion, fileApi, isPathBuilder, isPathGuardName, isRecursive, operationOf, zoneOf, zoneOfText } from '../../../src/analysis/catalog/filesystem.js';
import type { ArgumentFact } from '../../../src/analysis/model/file-facts.js';

describe('what a file call does', () => {
  it('reads open() flags: a write mode makes it a write', () => {
    const api = fileApi('fs.promises.open')!;
    expect(operationOf(api, [{ labels: [] }, { labels: [], literal: 'r' }])).toBe('read');
    expect(operationOf(api, [{ labels: [] }, { labels: [], literal: 'w' }])).toBe('write');
    expect(operationOf(api, [{ labels: [] }, { labels: [], literal: 'a+' }])).toBe('write');
    expect(operationOf(api, [{ labels: [] }])).toBe('read');
  });

  it('knows a recursive delete by its package or its options', () => {
    expect(isRecursive(fileApi('rimraf')!, [{ labels: [] }])).toBe(true);
    expect(isRecursive(fileApi('fs.rmSync')!, [{ labels: [] }, { labels: [], properties: { recursive: true, force: true } }])).toBe(true);
    expect(isRecursive(fileApi('fs.rmSync')!, [{ labels: [] }, { labels: [], properties: { force: true } }])).toBe(false);
    expect(isRecursive(fileApi('fs.unlinkSync')!, [{ labels: [] }])).toBe(false);
  });
});

describe('where a path points', () => {
  const arg = (fact: Partial<ArgumentFact>): ArgumentFact => ({ labels: [], ...fact });

  it.each([
    [arg({ labels: ['@argv'] }), 'declared'],
    [arg({ labels: ['@env', '@home'] }), 'declared'],
    [arg({ labels: ['@bundle-dir'], parts: ['memory.json'] }), 'bundle'],
    [arg({ labels: ['@tmp'], parts: ['manifest-'] }), 'tmp'],
    [arg({ labels: ['@home'], parts: ['.cache'] }), 'home'],
    [arg({ labels: ['@cwd'] }), 'cwd'],
    [arg({ literal: '/tmp/out.yaml' }), 'tmp'],
    [arg({ prefix: '/tmp/values-' }), 'tmp'],
    [arg({ literal: '~/notes.txt' }), 'home'],
    [arg({ literal: '/home' }), 'user-data'],
    [arg({ literal: 'C:\\Users\\me\\x' }), 'user-data'],
    [arg({ literal: '/etc/shells' }), 'system'],
    [arg({ literal: '/srv2/data' }), 'absolute'],
    [arg({ parts: ['/etc', 'hosts'] }), 'system'],
    [arg({ parts: ['/sub'] }), 'unknown'],
    [arg({ literal: 'data.json' }), 'unknown'],
    [arg({ labels: ['12#0', '@home'] }), 'unknown'],
    [arg({}), 'unknown'],
  ])('%j is %s', (fact, zone) => {
    expect(zoneOf(fact)).toBe(zone);
  });

  it('normalises Windows separators and leaves relative paths unplaced', () => {
    expect(zoneOfText('C:\\Windows\\Temp\\x')).toBe('tmp');
    expect(zoneOfText('..\\data')).toBeNull();
  });
});

describe('names of path checks', () => {
  it.each(['validatePath', 'sanitizePath', 'sanitizeFileName', 'isPathAllowed', 'isAllowed', 'isPathWithinAllowedDirectories', 'isWithin', 'ensureInside', 'assertWithinRoot', 'isSubPath', 'resolveSafePath', 'safeJoin'])(
    '%s is one',
    (name) => expect(isPathGuardName(name)).toBe(true),
  );

  it.each(['validate', 'validateArgs', 'validateFileContent', 'ensureDir', 'ensureDirExists', 'checkFileExists', 'isSafeInteger', 'isAllowedOrigin', 'checkAllowedHosts'])(
    '%s is not',
    (name) => expect(isPathGuardName(name)).toBe(false),
  );
});

it('knows the XML parsers told to substitute external entities, and their defaults as safe', () => {
  const options = (properties: Record<string, boolean | string>, keywords = false) => ({ labels: [], properties, ...(keywords ? { keywords: true as const } : {}) });
  expect(entityExpansion({ callee: 'libxmljs.parseXml', args: [{ labels: ['1#0'] }, options({ noent: true })] })).toEqual({ document: 0, how: 'noent: true' });
  expect(entityExpansion({ callee: 'libxmljs2.parseXmlString', args: [{ labels: ['1#0'] }, options({ noent: false })] })).toBeNull();
  expect(entityExpansion({ callee: 'libxmljs.parseXml', args: [{ labels: ['1#0'] }] })).toBeNull();
  expect(entityExpansion({ callee: 'lxml.etree.XMLParser', args: [options({ resolve_entities: true }, true)] })).toEqual({ how: 'resolve_entities=True' });
  expect(entityExpansion({ callee: 'lxml.etree.XMLParser', args: [options({ resolve_entities: false }, true)] })).toBeNull();
});

it('knows the calls that build a path without touching the disk', () => {
  expect(['path.join', 'path.resolve', 'path.posix.join', 'os.path.join'].every(isPathBuilder)).toBe(true);
  expect(['path.basename', 'path.relative', 'fs.readFile', 'os.path.realpath'].some(isPathBuilder)).toBe(false);
});
