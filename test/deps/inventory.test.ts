import { describe, expect, it } from 'vitest';
import { dependencyChains, folderNameOf, packagesByDir, readInventory, resolvePackage, topLevelKeyOffsets } from '../../src/deps/inventory.js';
import { bundleFacts } from '../helpers/bundle.js';

const inventory = (spec: Record<string, string | object>) => readInventory(bundleFacts(spec).container.files);

describe('readInventory', () => {
  it('reads package roots under node_modules, nested copies and the bundle own package, not package.json files inside packages', () => {
    const found = inventory({
      'package.json': { name: 'my-server', version: '1.0.0', dependencies: { a: '^1.0.0' } },
      'dist/package.json': { type: 'module' },
      'node_modules/a/package.json': { name: 'a', version: '1.2.0' },
      'node_modules/a/esm/package.json': { name: 'a', version: '0.0.1', type: 'module' },
      'node_modules/@scope/b/package.json': { name: '@scope/b', version: '2.0.0' },
      'node_modules/@scope/package.json': { name: 'not-a-package', version: '1.0.0' },
      'node_modules/a/node_modules/c/package.json': { name: 'c', version: '3.0.0' },
      'node_modules/.pnpm/d@1.0.0/node_modules/d/package.json': { name: 'd', version: '1.0.0' },
      'node_modules/.bin/package.json': { name: 'bin', version: '1.0.0' },
    });
    expect(found.npm.map((pkg) => [pkg.file, pkg.position, `${pkg.name}@${pkg.version}`])).toEqual([
      ['package.json', 'root', 'my-server@1.0.0'],
      ['node_modules/a/package.json', 'installed', 'a@1.2.0'],
      ['node_modules/@scope/b/package.json', 'installed', '@scope/b@2.0.0'],
      ['node_modules/a/node_modules/c/package.json', 'installed', 'c@3.0.0'],
      ['node_modules/.pnpm/d@1.0.0/node_modules/d/package.json', 'installed', 'd@1.0.0'],
    ]);
    expect(found.npm[0]!.dependencyAt.get('a')).toEqual({ line: 1, column: 55 });
    expect(found.npm[1]!.versionAt).toEqual({ line: 1, column: 13 });
    expect(found.unreadable).toEqual([]);
  });

  it('lists installed package roots it cannot read, with the name their folder gives', () => {
    const found = inventory({
      'node_modules/broken/package.json': '{ "name": "broken", }',
      'node_modules/@s/nameless/package.json': { version: '1.0.0' },
      'node_modules/array/package.json': '[]',
      'node_modules/numbers/package.json': { name: 'numbers', version: 1 },
      'server/package.json': '{ not json',
    });
    expect(found.npm).toEqual([]);
    expect(found.unreadable.map(({ file, folderName, reason }) => [file, folderName, reason])).toEqual([
      ['node_modules/broken/package.json', 'broken', 'it is not valid JSON'],
      ['node_modules/@s/nameless/package.json', '@s/nameless', 'it has no name or no version'],
      ['node_modules/array/package.json', 'array', 'it is not a JSON object'],
      ['node_modules/numbers/package.json', 'numbers', 'it has no name or no version'],
    ]);
  });

  it('reads Python METADATA and PKG-INFO headers only, up to the first blank line', () => {
    const found = inventory({
      'lib/requests-2.31.0.dist-info/METADATA': '\uFEFFMetadata-Version: 2.1\r\nName: requests\r\nversion: 2.31.0\r\n\r\nName: other\r\n',
      'vendor/foo.egg-info/PKG-INFO': 'Metadata-Version: 1.0\nName: foo\nSummary: x\nVersion: 0.1\n',
      'lib/bad-1.0.dist-info/METADATA': 'Metadata-Version: 2.1\n\nName: bad\nVersion: 1.0\n',
      'lib/readme.dist-info/RECORD': 'Name: nope\nVersion: 1\n',
    });
    expect(found.python.map(({ name, version, file, versionAt }) => [name, version, file, versionAt?.line])).toEqual([
      ['requests', '2.31.0', 'lib/requests-2.31.0.dist-info/METADATA', 3],
      ['foo', '0.1', 'vendor/foo.egg-info/PKG-INFO', 4],
    ]);
    expect(found.unreadable.map(({ file }) => file)).toEqual(['lib/bad-1.0.dist-info/METADATA']);
  });

  it('survives hostile package.json files: deep nesting, huge files, keys from Object.prototype', () => {
    const deep = `{"name":"deep","version":"1.0.0","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const found = inventory({
      'node_modules/deep/package.json': deep,
      'node_modules/proto/package.json': '{"__proto__":{"name":"x","version":"1"},"dependencies":{"__proto__":"1.0.0","constructor":"2"}}',
      'node_modules/proto2/package.json': '{"name":"proto2","version":"1.0.0","dependencies":{"__proto__":"1.0.0","toString":"2"}}',
    });
    expect(found.npm.map((pkg) => pkg.name)).toEqual(['deep', 'proto2']);
    expect(Object.keys(found.npm[1]!.dependencies).sort()).toEqual(['__proto__', 'toString']);
  });

  it('is what the bundle facts carry', () => {
    const facts = bundleFacts({ 'node_modules/a/package.json': { name: 'a', version: '1.0.0' } });
    expect(facts.dependencies.npm.map((pkg) => `${pkg.name}@${pkg.version}`)).toEqual(['a@1.0.0']);
  });
});

describe('resolvePackage and dependencyChains', () => {
  const found = inventory({
    'server/package.json': { name: 'my-server', version: '1.0.0', dependencies: { a: '1', b: '1' } },
    'server/node_modules/a/package.json': { name: 'a', version: '1.0.0', dependencies: { c: '1' } },
    'server/node_modules/a/node_modules/c/package.json': { name: 'c', version: '2.0.0', dependencies: { b: '1' } },
    'server/node_modules/c/package.json': { name: 'c', version: '1.0.0' },
    'server/node_modules/b/package.json': { name: 'b', version: '1.0.0', peerDependencies: { a: '1' } },
    'server/node_modules/lonely/package.json': { name: 'lonely', version: '1.0.0' },
    'server/node_modules/cycle-x/package.json': { name: 'cycle-x', version: '1.0.0', dependencies: { 'cycle-y': '1' } },
    'server/node_modules/cycle-y/package.json': { name: 'cycle-y', version: '1.0.0', dependencies: { 'cycle-x': '1' } },
  });
  const byDir = packagesByDir(found);

  it('resolves as Node does: the nearest node_modules first, never node_modules/node_modules', () => {
    expect(resolvePackage('server/node_modules/a', 'c', byDir)?.version).toBe('2.0.0');
    expect(resolvePackage('server/node_modules/b', 'c', byDir)?.version).toBe('1.0.0');
    expect(resolvePackage('server/node_modules/a/node_modules/c', 'b', byDir)?.dir).toBe('server/node_modules/b');
    expect(resolvePackage('server', 'missing', byDir)).toBeNull();
    expect(folderNameOf('server/node_modules/@s/x')).toBe('@s/x');
    expect(folderNameOf('server')).toBeNull();
  });

  it('gives the shortest chain from the bundle own package, else from a package nothing depends on', () => {
    const chains = dependencyChains(found, []);
    expect(chains.get('server/node_modules/a/node_modules/c')).toEqual(['my-server', 'a', 'c']);
    expect(chains.get('server/node_modules/b')).toEqual(['my-server', 'b']);
    expect(chains.get('server/node_modules/c')).toEqual(['c']);
    expect(chains.get('server/node_modules/lonely')).toEqual(['lonely']);
    expect(chains.get('server')).toEqual(['my-server']);
    expect(chains.get('server/node_modules/cycle-y')!.at(-1)).toBe('cycle-y');
  });

  it('starts from the package that holds the entry point when the bundle has no package of its own', () => {
    const bundled = inventory({
      'server/node_modules/tool/package.json': { name: 'tool', version: '1.0.0', dependencies: { dep: '1' } },
      'server/node_modules/dep/package.json': { name: 'dep', version: '1.0.0', dependencies: { tool: '1' } },
    });
    expect(dependencyChains(bundled, ['server/node_modules/tool/dist/index.js']).get('server/node_modules/dep')).toEqual(['tool', 'dep']);
  });
});

describe('topLevelKeyOffsets', () => {
  it('finds top-level keys and the keys of one object under them, escapes decoded, strings skipped', () => {
    const text = '{"a":{"version":"x"},"version":"1","s":"\\"dependencies\\":{","dependencies":{"l\\u0065ft":"1","b":{"c":1}}}';
    const { keys, inner } = topLevelKeyOffsets(text, 'dependencies');
    expect([...keys.keys()]).toEqual(['a', 'version', 's', 'dependencies']);
    expect(text.slice(keys.get('version')!, keys.get('version')! + 9)).toBe('"version"');
    expect([...inner.keys()]).toEqual(['left', 'b']);
  });
});
