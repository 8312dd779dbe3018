import { describe, expect, it } from 'vitest';
import { serverEntries } from '../../src/analysis/entries.js';
import { tree } from '../helpers/tree.js';

const files = tree({
  'manifest.json': '{}',
  'server/index.js': '',
  'server/preload.cjs': '',
  'server/win.mjs': '',
  'dist/main.ts': '',
  'config.json': '{}',
  'server/main.py': '',
});

function manifest(server: unknown): unknown {
  return { manifest_version: '0.3', server };
}

describe('serverEntries', () => {
  it('starts from entry_point, then scripts named in args, base config before overrides, each once', () => {
    const json = manifest({
      type: 'node',
      entry_point: './server/../server/index.js',
      mcp_config: {
        command: 'node',
        args: ['-r', '${__dirname}/server/preload.cjs', '${__dirname}/server/index.js', '--config=${__dirname}/config.json'],
        platform_overrides: {
          win32: { args: ['${__dirname}\\server\\win.mjs'] },
          linux: { args: ['dist/main.ts', 'server/nothing.js'] },
        },
      },
    });
    expect(serverEntries(json, files)).toEqual(['server/index.js', 'server/preload.cjs', 'server/win.mjs', 'dist/main.ts']);
  });

  it('keeps a non-JS entry_point (a leaf for the graph) but only scripts from args', () => {
    const json = manifest({
      type: 'python',
      entry_point: 'server/main.py',
      mcp_config: { command: 'python', args: ['${__dirname}/server/main.py'] },
    });
    expect(serverEntries(json, files)).toEqual(['server/main.py']);
  });

  it('ignores paths outside the bundle, absent files and hostile shapes', () => {
    const cases: unknown[] = [
      manifest({ entry_point: '../server/index.js', mcp_config: { args: ['${__dirname}/../server/index.js', '/server/index.js'] } }),
      manifest({ entry_point: 'server/absent.js', mcp_config: { args: ['${HOME}/server/index.js', '${user_config.dir}/index.js'] } }),
      manifest({ entry_point: 42, mcp_config: { args: 'server/index.js', platform_overrides: { darwin: { args: [7, null] } } } }),
      manifest({ entry_point: 'server', mcp_config: { args: ['${__dirname}', '${__dirname}/server'] } }),
      manifest('server/index.js'),
      null,
      [],
    ];
    for (const json of cases) expect(serverEntries(json, files)).toEqual([]);
  });

  it('accepts ${__dirname} in entry_point', () => {
    expect(serverEntries(manifest({ entry_point: '${__dirname}/server/index.js' }), files)).toEqual(['server/index.js']);
  });
});
