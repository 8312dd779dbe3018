import { describe, expect, it } from 'vitest';
import { createResolver, resolveModule } from '../../src/analysis/js/resolve.js';
import type { Resolution, ResolveKind } from '../../src/analysis/model/resolver.js';
import { tree } from '../helpers/tree.js';

const file = (path: string): Resolution => ({ kind: 'file', path });
const builtin = (name: string): Resolution => ({ kind: 'builtin', name });
const missing: Resolution = { kind: 'missing' };

const files = tree({
  'server/index.js': '',
  'server/util.js': '',
  'server/noext': '',
  'server/data.json': '{}',
  'server/addon.node': '',
  'server/a b.js': '',
  'server/lib/index.mjs': '',
  'server/pkgdir/package.json': { main: './main' },
  'server/pkgdir/main.cjs': '',
  'server/mainfolder/package.json': { main: 'dist' },
  'server/mainfolder/dist/index.js': '',
  'server/badmain/package.json': { main: './nope.js' },
  'server/badmain/index.js': '',
  'server/modonly/package.json': { module: 'esm.js' },
  'server/modonly/esm.js': '',
  'src/app.ts': '',
  'src/view.tsx': '',
  'src/esm.mts': '',
  'src/cjs.cts': '',
  'src/real.js': '',
  'src/real.ts': '',
  'top.js': '',
  'node_modules/hoisted/package.json': { main: 'lib/main.js' },
  'node_modules/hoisted/lib/main.js': '',
  'node_modules/hoisted/lib/extra.js': '',
  'node_modules/noindex/index.js': '',
  'node_modules/@scope/pkg/package.json': { name: '@scope/pkg' },
  'node_modules/@scope/pkg/index.js': '',
  'node_modules/@scope/pkg/sub/deep.js': '',
  'node_modules/dup/package.json': { version: '2.0.0' },
  'node_modules/dup/index.js': '',
  'node_modules/dup/only-top.js': '',
  'server/node_modules/dup/package.json': { version: '1.0.0' },
  'server/node_modules/dup/index.js': '',
  'node_modules/corrupt/package.json': '{ "main": "x.js", ',
  'node_modules/corrupt/index.js': '',
  'node_modules/corrupt/x.js': '',
  'node_modules/arrayjson/package.json': '[1, 2]',
  'node_modules/arrayjson/index.js': '',
  'node_modules/exp-string/package.json': { exports: './dist/main.js', main: 'ignored.js' },
  'node_modules/exp-string/dist/main.js': '',
  'node_modules/exp-string/ignored.js': '',
  'node_modules/exp-string/dist/other.js': '',
  'node_modules/exp-cond/package.json': {
    exports: {
      '.': { types: './index.d.ts', import: './esm/index.mjs', require: './cjs/index.cjs' },
      './feature': { node: { import: './esm/feature.mjs', default: './cjs/feature.cjs' }, default: './browser.js' },
      './bundler': { module: './esm/index.mjs', default: './cjs/index.cjs' },
      './order': { default: './cjs/index.cjs', import: './esm/index.mjs' },
      './utils/*': './dist/utils/*.js',
      './utils/*.json': './data/*.json',
      './utils/private/*': null,
      './fallback': ['invalid-not-relative', './cjs/index.cjs'],
      './blocked': null,
      './escape': './../hoisted/lib/main.js',
      './package.json': './package.json',
    },
  },
  'node_modules/exp-cond/index.d.ts': '',
  'node_modules/exp-cond/esm/index.mjs': '',
  'node_modules/exp-cond/esm/feature.mjs': '',
  'node_modules/exp-cond/cjs/index.cjs': '',
  'node_modules/exp-cond/cjs/feature.cjs': '',
  'node_modules/exp-cond/browser.js': '',
  'node_modules/exp-cond/dist/utils/a/b.js': '',
  'node_modules/exp-cond/dist/utils/private/x.js': '',
  'node_modules/exp-cond/data/table.json': '',
  'node_modules/exp-cond/not-exported.js': '',
  'node_modules/exp-sugar/package.json': { exports: { import: './m.mjs', require: './c.cjs' } },
  'node_modules/exp-sugar/m.mjs': '',
  'node_modules/exp-sugar/c.cjs': '',
  'node_modules/exp-null/package.json': { exports: null, main: 'legacy.js' },
  'node_modules/exp-null/legacy.js': '',
  'node_modules/exp-mixed/package.json': { exports: { '.': './a.js', import: './a.js' } },
  'node_modules/exp-mixed/a.js': '',
  'node_modules/exp-deep/package.json': '{"exports":' + '{"node":'.repeat(100) + '"./a.js"' + '}'.repeat(100) + '}',
  'node_modules/exp-deep/a.js': '',
  'node_modules/exp-deeper/package.json': '{"exports":' + '[{"node":'.repeat(5_000) + '"./a.js"' + '}]'.repeat(5_000) + '}',
  'node_modules/exp-deeper/a.js': '',
  'node_modules/chalk-like/package.json': {
    name: 'chalk-like',
    exports: { '.': './source/index.js', './sub': './source/sub.js' },
    imports: {
      '#ansi': './source/vendor/ansi.js',
      '#supports': { node: './source/vendor/supports.js', default: './source/vendor/browser.js' },
      '#fs': 'node:fs',
      '#dep': 'hoisted',
      '#lib/*': './source/lib/*.js',
    },
  },
  'node_modules/chalk-like/source/index.js': '',
  'node_modules/chalk-like/source/sub.js': '',
  'node_modules/chalk-like/source/vendor/ansi.js': '',
  'node_modules/chalk-like/source/vendor/supports.js': '',
  'node_modules/chalk-like/source/lib/x.js': '',
  'node_modules/fs/index.js': '',
});

type Case = [from: string, specifier: string, kind: ResolveKind, expected: Resolution];

const CASES: Record<string, Case[]> = {
  'relative paths with extension and index probing': [
    ['server/index.js', './util.js', 'require', file('server/util.js')],
    ['server/index.js', './util', 'require', file('server/util.js')],
    ['server/index.js', './util', 'import', file('server/util.js')],
    ['server/index.js', './noext', 'require', file('server/noext')],
    ['server/index.js', './data', 'require', file('server/data.json')],
    ['server/index.js', './addon', 'require', file('server/addon.node')],
    ['server/index.js', './lib', 'require', file('server/lib/index.mjs')],
    ['server/index.js', './lib/', 'import', file('server/lib/index.mjs')],
    ['server/lib/index.mjs', '..', 'require', file('server/index.js')],
    ['server/lib/index.mjs', '../util', 'import', file('server/util.js')],
    ['server/index.js', '../top.js', 'require', file('top.js')],
    ['server/index.js', './/util.js', 'require', file('server/util.js')],
    ['server/index.js', '.\\util.js', 'require', file('server/util.js')],
    ['server/index.js', './nothing', 'require', missing],
    ['server/index.js', './util.js/', 'require', missing],
  ],
  'folders with package.json': [
    ['server/index.js', './pkgdir', 'require', file('server/pkgdir/main.cjs')],
    ['server/index.js', './mainfolder', 'require', file('server/mainfolder/dist/index.js')],
    ['server/index.js', './badmain', 'require', file('server/badmain/index.js')],
    ['server/index.js', './modonly', 'import', file('server/modonly/esm.js')],
  ],
  'TypeScript sources imported by their compiled names': [
    ['src/app.ts', './view.js', 'import', file('src/view.tsx')],
    ['src/app.ts', './esm.mjs', 'import', file('src/esm.mts')],
    ['src/app.ts', './cjs.cjs', 'import', file('src/cjs.cts')],
    ['src/view.tsx', './app.js', 'import', file('src/app.ts')],
    ['src/view.tsx', './app', 'import', file('src/app.ts')],
    ['src/app.ts', './real.js', 'import', file('src/real.js')],
  ],
  'ESM specifiers are URLs': [
    ['server/index.js', './util.js?v=1', 'import', file('server/util.js')],
    ['server/index.js', './util.js#frag', 'import', file('server/util.js')],
    ['server/index.js', './a%20b.js', 'import', file('server/a b.js')],
    ['server/index.js', './%2e%2e/top.js', 'import', file('top.js')],
    ['server/index.js', './lib%2Findex.mjs', 'import', missing],
    ['server/index.js', './bad%zz.js', 'import', missing],
    ['server/index.js', './util.js?v=1', 'require', missing],
  ],
  'nothing outside the bundle root': [
    ['server/index.js', '../../top.js', 'require', missing],
    ['top.js', '../top.js', 'import', missing],
    ['top.js', '..', 'require', missing],
    ['server/index.js', '/etc/passwd', 'require', missing],
    ['server/index.js', '\\Windows\\x.js', 'require', missing],
    ['server/index.js', 'C:\\x.js', 'require', missing],
    ['server/index.js', 'file:///etc/passwd', 'import', missing],
    ['server/index.js', 'https://example.com/x.js', 'import', missing],
    ['server/index.js', 'data:text/javascript,1', 'import', missing],
    ['node_modules/hoisted/lib/main.js', 'hoisted/../../../../x', 'require', missing],
  ],
  'builtins': [
    ['server/index.js', 'fs', 'require', builtin('fs')],
    ['server/index.js', 'node:fs', 'import', builtin('fs')],
    ['server/index.js', 'fs/promises', 'import', builtin('fs/promises')],
    ['server/index.js', 'node:fs/promises', 'require', builtin('fs/promises')],
    ['server/index.js', 'child_process', 'require', builtin('child_process')],
    ['server/index.js', 'node:test', 'import', builtin('test')],
    ['server/index.js', 'node:', 'import', missing],
    ['server/index.js', './fs', 'require', missing],
  ],
  'bare packages in node_modules': [
    ['server/index.js', 'hoisted', 'require', file('node_modules/hoisted/lib/main.js')],
    ['server/index.js', 'hoisted/lib/extra', 'import', file('node_modules/hoisted/lib/extra.js')],
    ['server/index.js', 'noindex', 'import', file('node_modules/noindex/index.js')],
    ['server/index.js', '@scope/pkg', 'require', file('node_modules/@scope/pkg/index.js')],
    ['server/index.js', '@scope/pkg/sub/deep', 'require', file('node_modules/@scope/pkg/sub/deep.js')],
    ['server/index.js', '@scope', 'require', missing],
    ['server/index.js', 'dup', 'require', file('server/node_modules/dup/index.js')],
    ['top.js', 'dup', 'require', file('node_modules/dup/index.js')],
    ['server/node_modules/dup/index.js', 'dup', 'require', file('server/node_modules/dup/index.js')],
    ['server/index.js', 'dup/only-top', 'require', file('node_modules/dup/only-top.js')],
    ['server/index.js', 'dup/only-top', 'import', missing],
    ['node_modules/hoisted/lib/main.js', '@scope/pkg', 'import', file('node_modules/@scope/pkg/index.js')],
    ['node_modules/hoisted/lib/main.js', 'hoisted/../noindex', 'require', file('node_modules/noindex/index.js')],
    ['server/index.js', 'absent', 'require', missing],
    ['server/index.js', '.hidden', 'require', missing],
  ],
  'corrupt package.json is treated as empty': [
    ['server/index.js', 'corrupt', 'require', file('node_modules/corrupt/index.js')],
    ['server/index.js', 'arrayjson', 'require', file('node_modules/arrayjson/index.js')],
  ],
  'exports': [
    ['server/index.js', 'exp-string', 'require', file('node_modules/exp-string/dist/main.js')],
    ['server/index.js', 'exp-string/dist/other.js', 'require', missing],
    ['server/index.js', 'exp-cond', 'import', file('node_modules/exp-cond/esm/index.mjs')],
    ['server/index.js', 'exp-cond', 'require', file('node_modules/exp-cond/cjs/index.cjs')],
    ['server/index.js', 'exp-cond/feature', 'import', file('node_modules/exp-cond/esm/feature.mjs')],
    ['server/index.js', 'exp-cond/feature', 'require', file('node_modules/exp-cond/cjs/feature.cjs')],
    ['server/index.js', 'exp-cond/bundler', 'import', file('node_modules/exp-cond/esm/index.mjs')],
    ['server/index.js', 'exp-cond/bundler', 'require', file('node_modules/exp-cond/cjs/index.cjs')],
    ['server/index.js', 'exp-cond/order', 'import', file('node_modules/exp-cond/cjs/index.cjs')],
    ['server/index.js', 'exp-cond/utils/a/b', 'import', file('node_modules/exp-cond/dist/utils/a/b.js')],
    ['server/index.js', 'exp-cond/utils/table.json', 'import', file('node_modules/exp-cond/data/table.json')],
    ['server/index.js', 'exp-cond/utils/private/x', 'require', missing],
    ['server/index.js', 'exp-cond/utils/../../not-exported', 'require', missing],
    ['server/index.js', 'exp-cond/fallback', 'require', file('node_modules/exp-cond/cjs/index.cjs')],
    ['server/index.js', 'exp-cond/blocked', 'import', missing],
    ['server/index.js', 'exp-cond/escape', 'import', missing],
    ['server/index.js', 'exp-cond/not-exported.js', 'require', missing],
    ['server/index.js', 'exp-cond/package.json', 'require', file('node_modules/exp-cond/package.json')],
    ['server/index.js', 'exp-sugar', 'import', file('node_modules/exp-sugar/m.mjs')],
    ['server/index.js', 'exp-sugar', 'require', file('node_modules/exp-sugar/c.cjs')],
    ['server/index.js', 'exp-null', 'import', file('node_modules/exp-null/legacy.js')],
    ['server/index.js', 'exp-mixed', 'import', missing],
    ['server/index.js', 'exp-deep', 'import', file('node_modules/exp-deep/a.js')],
    ['server/index.js', 'exp-deeper', 'import', missing],
  ],
  'imports and self-references': [
    ['node_modules/chalk-like/source/index.js', '#ansi', 'import', file('node_modules/chalk-like/source/vendor/ansi.js')],
    ['node_modules/chalk-like/source/index.js', '#supports', 'import', file('node_modules/chalk-like/source/vendor/supports.js')],
    ['node_modules/chalk-like/source/index.js', '#fs', 'import', builtin('fs')],
    ['node_modules/chalk-like/source/index.js', '#dep', 'import', file('node_modules/hoisted/lib/main.js')],
    ['node_modules/chalk-like/source/vendor/ansi.js', '#lib/x', 'require', file('node_modules/chalk-like/source/lib/x.js')],
    ['node_modules/chalk-like/source/index.js', '#nope', 'import', missing],
    ['server/index.js', '#ansi', 'import', missing],
    ['node_modules/chalk-like/source/index.js', 'chalk-like/sub', 'import', file('node_modules/chalk-like/source/sub.js')],
  ],
};

describe('resolveModule', () => {
  for (const [group, cases] of Object.entries(CASES)) {
    describe(group, () => {
      it.each(cases)('from %s, %s (%s)', (from, specifier, kind, expected) => {
        expect(resolveModule(files, from, specifier, kind)).toEqual(expected);
      });
    });
  }

  it('never throws on hostile package.json shapes', () => {
    const hostile = tree({
      'a.js': '',
      'node_modules/p1/package.json': { exports: 42, main: 7 },
      'node_modules/p2/package.json': { exports: { '.': { import: [[[{ import: null }]]] } } },
      'node_modules/p3/package.json': '{"exports": {"__proto__": "./x.js", "./*": "./*"}, "imports": ["#x"]}',
      'node_modules/p4/package.json': new Uint8Array([0xff, 0xfe, 0x00]),
      'node_modules/p4/index.js': '',
      'node_modules/p5/package.json': { imports: { '#*': '../../../../etc/*' }, name: 'p5', exports: './x.js' },
      'node_modules/p5/i.js': '',
    });
    const resolve = createResolver(hostile);
    for (const specifier of ['p1', 'p2', 'p3', 'p3/a', 'p3/constructor', 'p3/__proto__']) {
      expect(resolve('a.js', specifier, 'import')).toEqual(missing);
    }
    expect(resolve('a.js', 'p4', 'require')).toEqual(file('node_modules/p4/index.js'));
    expect(resolve('node_modules/p5/i.js', '#passwd', 'import')).toEqual(missing);
    expect(resolve('node_modules/p5/i.js', 'p5', 'import')).toEqual(missing);
  });

  it('resolves across ten thousand files', () => {
    const spec: Record<string, string | object> = {};
    for (let p = 0; p < 500; p++) {
      spec[`node_modules/pkg${p}/package.json`] = { main: 'lib/index.js' };
      for (let f = 0; f < 20; f++) spec[`node_modules/pkg${p}/lib/${f === 0 ? 'index' : `m${f}`}.js`] = '';
    }
    const big = tree(spec);
    const resolve = createResolver(big);
    let found = 0;
    for (const path of big.keys()) {
      if (!path.endsWith('.js')) continue;
      const p = Number(/pkg(\d+)/.exec(path)![1]);
      for (const specifier of [`pkg${(p + 1) % 500}`, `pkg${(p + 7) % 500}/lib/m3`, './m5', '../package.json', 'fs', 'missing-pkg']) {
        if (resolve(path, specifier, 'require').kind !== 'missing') found++;
      }
    }
    expect(found).toBe(10_000 * 5);
  });
});
