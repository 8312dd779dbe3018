import { describe, expect, it } from 'vitest';
import type { ImportRef } from '../../src/analysis/model/file-facts.js';
import { buildModuleGraph } from '../../src/analysis/model/module-graph.js';
import { createResolver } from '../../src/analysis/js/resolve.js';
import { tree } from '../helpers/tree.js';

const CODE = /\.(c|m)?(j|t)sx?$/;

// Test sources hold one specifier per line, `kind specifier`, or `dynamic *` for a computed one.
function importsOf(files: ReturnType<typeof tree>) {
  return (path: string): ImportRef[] | null => {
    const file = files.get(path);
    if (file === undefined || !CODE.test(path)) return null;
    return new TextDecoder()
      .decode(file.bytes)
      .split('\n')
      .flatMap((text, index) => {
        const [kind, specifier] = text.trim().split(' ');
        if (kind !== 'import' && kind !== 'require' && kind !== 'dynamic-import') return [];
        return [{ kind, specifier: specifier === '*' ? null : specifier!, line: index + 1, column: 0 }];
      });
  };
}

function graphOf(spec: Record<string, string | object>, entries: string[]) {
  const files = tree(spec);
  return buildModuleGraph(entries, importsOf(files), createResolver(files));
}

describe('buildModuleGraph', () => {
  it('walks breadth-first in entry and import order, through cycles and self-imports', () => {
    const graph = graphOf(
      {
        'server/index.js': 'import ./a.js\nrequire ./b\nimport ./a.js',
        'server/a.js': 'import ./c.js\nimport ./index.js\nimport ./a.js',
        'server/b.js': 'require ./a\nrequire ./d',
        'server/c.js': 'import ./b.js',
        'server/d.js': '',
        'server/extra.js': 'require ./d',
        'server/unreached.js': '',
      },
      ['server/index.js', 'server/extra.js', 'server/index.js'],
    );
    expect(graph.order).toEqual(['server/index.js', 'server/extra.js', 'server/a.js', 'server/b.js', 'server/d.js', 'server/c.js']);
    expect(graph.edges.get('server/index.js')).toEqual(['server/a.js', 'server/b.js']);
    expect(graph.edges.get('server/a.js')).toEqual(['server/c.js', 'server/index.js', 'server/a.js']);
    expect(graph.edges.get('server/d.js')).toEqual([]);
    expect(graph.missing).toEqual([]);
  });

  it('keeps JSON and native addons as leaves and records builtins and missing specifiers', () => {
    const graph = graphOf(
      {
        'index.mjs': [
          'import node:fs',
          'import ./config.json',
          'require ./addon.node',
          'import fs',
          'dynamic-import child_process',
          'import ./gone.js',
          'dynamic-import *',
          'require left-pad',
        ].join('\n'),
        'config.json': { main: 'index.mjs' },
        'addon.node': '',
      },
      ['index.mjs'],
    );
    expect(graph.order).toEqual(['index.mjs', 'config.json', 'addon.node']);
    expect(graph.builtins.get('index.mjs')).toEqual(['fs', 'child_process']);
    expect(graph.edges.has('config.json')).toBe(false);
    expect(graph.missing).toEqual([
      { from: 'index.mjs', specifier: './gone.js', line: 6, column: 0 },
      { from: 'index.mjs', specifier: 'left-pad', line: 8, column: 0 },
    ]);
  });

  it('follows import and require conditions by the import kind', () => {
    const graph = graphOf(
      {
        'a.js': 'require dual\ndynamic-import dual',
        'node_modules/dual/package.json': { exports: { import: './m.mjs', require: './c.cjs' } },
        'node_modules/dual/m.mjs': '',
        'node_modules/dual/c.cjs': '',
      },
      ['a.js'],
    );
    expect(graph.order).toEqual(['a.js', 'node_modules/dual/c.cjs', 'node_modules/dual/m.mjs']);
  });

  it('handles a chain of thousands of files without recursion, identically each time', () => {
    const spec: Record<string, string> = {};
    for (let i = 0; i < 5_000; i++) spec[`m${i}.js`] = `require ./m${i + 1}\nrequire ./m${Math.floor(i / 2)}`;
    const first = graphOf(spec, ['m0.js']);
    expect(first.order).toHaveLength(5_000);
    expect(first.order.at(-1)).toBe('m4999.js');
    expect(first.missing).toEqual([{ from: 'm4999.js', specifier: './m5000', line: 1, column: 0 }]);
    expect(graphOf(spec, ['m0.js']).order).toEqual(first.order);
  });
});
