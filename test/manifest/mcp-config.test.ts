import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import type { ContainerFacts } from '../../src/bundle/container.js';
import { bundleFacts } from '../../src/engine/build-facts.js';
import type { BundleFacts } from '../../src/engine/facts.js';
import { runRules } from '../../src/engine/run.js';
import {
  commandName,
  dirnamePath,
  fieldLabel,
  launchConfigs,
  launchStrings,
  presenceOf,
  resolveBundleRelative,
  userConfigRefs,
} from '../../src/manifest/mcp-config.js';
import { noCode } from '../helpers/facts.js';

function container(paths: string[]): ContainerFacts {
  return {
    kind: 'directory',
    sha256: null,
    entries: paths.map((name) => ({ name, kind: 'file', mode: 0o644, encrypted: false, compressedSize: 0, declaredSize: 0, localHeaderOffset: null })),
    files: new Map(paths.map((path) => [path, { path, bytes: new Uint8Array(), executable: false }])),
    events: [],
    layout: null,
  };
}

function facts(json: unknown, paths: string[] = []): BundleFacts {
  return bundleFacts({
    container: container(paths),
    manifest: {
      present: json !== undefined,
      text: json === undefined ? null : JSON.stringify(json) ?? null,
      parseError: null,
      json,
      version: { field: null, raw: undefined, known: null },
      schemaIssues: [],
    },
    code: noCode(),
    settings: { strictManifest: false },
  });
}

const MANIFEST_RULES = RULES.filter((rule) =>
  [
    'manifest-entry-point',
    'manifest-server-command',
    'manifest-user-config-ref',
    'manifest-option-type',
    'manifest-secret-option',
    'manifest-platform-overrides',
    'manifest-semver',
    'manifest-icon',
    'manifest-runtime-fetch',
  ].includes(rule.meta.id),
);

describe('semantic manifest rules', () => {
  it('are all registered', () => {
    expect(MANIFEST_RULES).toHaveLength(9);
  });

  it.each([
    ['missing', undefined],
    ['null', null],
    ['a string', 'manifest'],
    ['an array', [1, 2]],
    ['an empty object', {}],
  ])('say nothing and never throw when the manifest is %s', (_, json) => {
    const run = runRules(MANIFEST_RULES, facts(json));
    expect(run).toEqual({ findings: [], roles: { sources: [], sinks: [] }, failures: [] });
  });

  it('never throw on hostile shapes and prototype-named keys', () => {
    const hostile = JSON.parse(`{
      "version": 7,
      "icon": ["icon.png"], "icons": [null, {"src": 5}, "x"],
      "compatibility": {"platforms": "darwin", "runtimes": ["node"], "claude_desktop": {}},
      "server": {"type": "constructor", "entry_point": {"x": 1}, "mcp_config": {
        "command": ["npx"], "args": "x", "env": [1],
        "platform_overrides": {"__proto__": {"command": "sh"}, "constructor": null, "toString": {"args": [null, 3, "\${user_config.constructor}"]}}
      }},
      "user_config": {"constructor": {"type": "number", "min": "a", "max": null, "default": {}}, "x": null, "__proto__": {"type": "toString"}}
    }`);
    const run = runRules(MANIFEST_RULES, facts(hostile));
    expect(run.failures).toEqual([]);
  });
});

describe('launchConfigs', () => {
  it('falls back per field to the base config, as the host does', () => {
    const configs = launchConfigs({
      server: {
        mcp_config: {
          command: 'node',
          args: ['a'],
          env: { A: '1' },
          platform_overrides: { win32: { command: '', args: ['b'] }, linux: { env: { B: '2' } }, bad: 'x' },
        },
      },
    });
    expect(configs.map((config) => [config.platform, config.command?.value, config.args.map((arg) => arg.value), config.env.map((entry) => entry.name)])).toEqual([
      [null, 'node', ['a'], ['A']],
      ['win32', 'node', ['b'], ['A']],
      ['linux', 'node', ['a'], ['B']],
    ]);
    expect(configs[1]!.command!.path).toEqual(['server', 'mcp_config', 'command']);
    expect(configs[1]!.args[0]!.path).toEqual(['server', 'mcp_config', 'platform_overrides', 'win32', 'args', 0]);
  });

  it('lists each string of the base and override blocks once', () => {
    const strings = launchStrings({ server: { mcp_config: { command: 'node', args: ['x', 1], platform_overrides: { darwin: { env: { A: 'y' } } } } } });
    expect(strings.map((entry) => [entry.field, entry.value, fieldLabel(entry.path)])).toEqual([
      ['command', 'node', 'server.mcp_config.command'],
      ['args', 'x', 'server.mcp_config.args[0]'],
      ['env', 'y', 'server.mcp_config.platform_overrides.darwin.env.A'],
    ]);
  });
});

describe('bundle paths', () => {
  it.each([
    ['server/index.js', { kind: 'inside', path: 'server/index.js' }],
    ['./server/./index.js', { kind: 'inside', path: 'server/index.js' }],
    ['server\\index.js', { kind: 'inside', path: 'server/index.js' }],
    ['server/lib/../index.js', { kind: 'inside', path: 'server/index.js' }],
    ['server/../../x', { kind: 'outside', reason: 'traversal' }],
    ['/etc/passwd', { kind: 'outside', reason: 'absolute' }],
    ['\\\\host\\share\\x', { kind: 'outside', reason: 'absolute' }],
    ['C:\\x.js', { kind: 'outside', reason: 'drive' }],
    ['${HOME}/x.js', { kind: 'outside', reason: 'variable' }],
    ['server/${user_config.x}', { kind: 'unknown' }],
  ])('%s resolves to %j', (text, expected) => {
    expect(resolveBundleRelative(text)).toEqual(expected);
  });

  it.each([
    ['${__dirname}/server/index.js', { kind: 'inside', path: 'server/index.js' }],
    ['--config=${__dirname}${/}cfg.json', { kind: 'inside', path: 'cfg.json' }],
    ['${__dirname}', { kind: 'inside', path: '' }],
    ['${__dirname}/lib:${__dirname}/server', { kind: 'inside', path: 'lib' }],
    ['${__dirname}/../x', { kind: 'outside', reason: 'traversal' }],
    ['${__dirname}-other/x', { kind: 'unknown' }],
    ['server/index.js', null],
  ])('%s names %j', (text, expected) => {
    expect(dirnamePath(text)).toEqual(expected);
  });

  it('finds files and the folders that hold them', () => {
    const bundle = container(['server/index.js']);
    expect(presenceOf(bundle, 'server/index.js')).toBe('file');
    expect(presenceOf(bundle, 'server')).toBe('directory');
    expect(presenceOf(bundle, 'serv')).toBeNull();
  });
});

it('reads program names and option references', () => {
  expect(commandName('C:\\Program Files\\nodejs\\Node.EXE')).toBe('node');
  expect(commandName('/usr/bin/python3')).toBe('python3');
  expect(commandName('npx.cmd')).toBe('npx');
  expect(userConfigRefs('--a=${user_config.a} ${user_config.b-c} ${user_config.}')).toEqual(['a', 'b-c']);
});
