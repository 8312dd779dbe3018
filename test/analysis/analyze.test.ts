import { expect, it } from 'vitest';
import { analyzeCode } from '../../src/analysis/analyze.js';
import { describeServer } from '../../src/analysis/server.js';
import { tree } from '../helpers/tree.js';

const manifest = (entry: string) => ({ server: { type: 'node', entry_point: entry } });

it('analyses an entry point whatever its file name, as node would run it', () => {
  const files = tree({ 'server/main': "require('child_process').execSync('id');\n" });
  const code = analyzeCode(describeServer(manifest('server/main'), files), files, new Map());
  expect(code.reachable).toEqual(['server/main']);
  expect(code.calls.map((call) => call.callee)).toContain('child_process.execSync');
});

it('still leaves imported non-script files unparsed', () => {
  const files = tree({ 'server/index.js': "const data = require('./data.json');\n", 'server/data.json': { a: 1 } });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  expect(code.reachable).toEqual(['server/index.js', 'server/data.json']);
  expect(code.parseErrors).toEqual([]);
});

it('attributes notable strings and the method calls rules read to the tools that reach them', () => {
  const files = tree({
    'server/index.js': `
      const HOOK = 'https://hooks.example.com/collect';
      server.tool('read', 'Reads', async ({ path }) => {
        if (!path.startsWith(root)) throw new Error('outside');
        return { to: 'audit@example.com' };
      });
      helper.trim();
    `,
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  expect(code.strings.map(({ kind, value, tools, triggers }) => ({ kind, value, tools, triggers }))).toEqual([
    { kind: 'url', value: 'https://hooks.example.com/collect', tools: [], triggers: [{ kind: 'load', via: ['server/index.js'] }] },
    { kind: 'email', value: 'audit@example.com', tools: ['read'], triggers: [{ kind: 'tool', name: 'read' }] },
  ]);
  const callees = code.calls.map((call) => call.callee);
  expect(callees).toContain('member:startsWith');
  expect(callees).not.toContain('member:trim');
  expect(code.calls.find((call) => call.callee === 'member:startsWith')).toMatchObject({ tools: ['read'] });
});

it('says which tool input reaches a call only after a path check, across modules', () => {
  const files = tree({
    'server/index.js': `
      import { readText, writeText } from './lib.js';
      server.tool('read', 'Reads', async ({ path }) => {
        const valid = await validatePath(path);
        return readText(valid);
      });
      server.tool('write', 'Writes', async ({ path, content }) => writeText(path, content));
      server.tool('both', 'Reads twice', async ({ path }) => {
        await validatePath(path);
        return readText(path);
      });
    `,
    'server/lib.js': `
      import fs from 'node:fs/promises';
      export async function readText(file) { return fs.readFile(file, 'utf8'); }
      export async function writeText(file, content) { return fs.writeFile(file, content); }
    `,
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  const call = (callee: string) => code.calls.find((candidate) => candidate.callee === callee)!;
  expect(call('fs.promises.readFile')).toMatchObject({ taintedBy: ['both', 'read'], taintedArgs: [0], checkedArgs: [0] });
  expect(call('fs.promises.writeFile')).toMatchObject({ taintedBy: ['write'], taintedArgs: [0, 1], checkedArgs: [] });
});

it('lets unchecked input win when one tool checks a path and another does not', () => {
  const files = tree({
    'server/index.js': `
      import fs from 'node:fs';
      function load(file) { return fs.readFileSync(file); }
      server.tool('safe', 'Reads', async ({ path }) => { const p = await validatePath(path); return load(p); });
      server.tool('raw', 'Reads', async ({ path }) => load(path));
    `,
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  expect(code.calls.find((call) => call.callee === 'fs.readFileSync')).toMatchObject({ taintedBy: ['raw', 'safe'], taintedArgs: [0], checkedArgs: [] });
});

it('scans only the script files the entry does not load, whatever their folder, for strong signals', () => {
  const files = tree({
    'server/index.js': "require('./lib.js'); const hook = 'https://webhook.site/loaded';\n",
    'server/lib.js': "module.exports = 'https://webhook.site/also-loaded';\n",
    'server/dist/old.js': "eval(atob('ZXZhbA=='));\n",
    'server/node_modules/pkg/build/x.cjs': "fetch('https://abc.ngrok.io/')\n",
    'server/notes.txt': "eval(atob('ZXZhbA=='));\n",
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  expect(code.unreachedSignals.map(({ file, kind, origin }) => ({ file, kind, origin }))).toEqual([
    { file: 'server/dist/old.js', kind: 'decode-and-run', origin: 'first-party' },
    { file: 'server/node_modules/pkg/build/x.cjs', kind: 'exfiltration-host', origin: 'dependency' },
  ]);
  expect(code.gaps).toEqual([]);
});

it('keeps method calls reached through an assembled name', () => {
  const files = tree({ 'server/index.js': "function run(shell, cmd) { return shell['ex' + 'ec'](cmd); }\nmodule.exports = run;\n" });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  expect(code.calls).toEqual([expect.objectContaining({ callee: 'member:exec', builtName: true })]);
});

it('takes what a confining helper returns for checked at every call site, across modules, unless one of the functions a call may run does not confine', () => {
  const files = tree({
    'server/index.js': `
      import fs from 'node:fs/promises';
      import { under } from './lib/paths.js';
      import { Plain } from './lib/plain.js';
      const paths = require('./lib/paths.js');
      server.tool('esm', 'Reads', async ({ path }) => fs.readFile(under(ROOT, path)));
      server.tool('cjs', 'Writes', async ({ path, text }) => fs.writeFile(paths.under(ROOT, path), text));
      server.tool('either', 'Deletes', async ({ path }) => fs.rm(store.open(ROOT, path)));
      server.tool('later', 'Lists', async ({ path }) => fs.readdir(inside(ROOT, path)));
      function inside(root, p) {
        const rel = require('node:path').relative(root, p);
        if (rel.startsWith('..')) return null;
        return p;
      }
    `,
    'server/lib/paths.js': `
      import path from 'node:path';
      export function under(root, p) {
        const full = path.resolve(root, p);
        if (!full.startsWith(root + path.sep)) throw new Error('outside');
        return full;
      }
      export class Safe { open(root, p) { return under(root, p); } }
    `,
    'server/lib/plain.js': 'export class Plain { open(root, p) { return p; } }',
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  const call = (callee: string) => code.calls.find((candidate) => candidate.callee === callee)!;
  expect(call('fs.promises.readFile')).toMatchObject({ taintedBy: ['esm'], taintedArgs: [0], checkedArgs: [0] });
  expect(call('fs.promises.writeFile')).toMatchObject({ taintedBy: ['cjs'], taintedArgs: [0, 1], checkedArgs: [0] });
  // `store.open` may be Safe's (which confines) or Plain's (which returns what it is given): not credited.
  expect(call('fs.promises.rm')).toMatchObject({ taintedBy: ['either'], taintedArgs: [0], checkedArgs: [] });
  expect(call('fs.promises.rm')).not.toHaveProperty('allowedArgs');
  // A helper of the same file, defined after the tool that calls it.
  expect(call('fs.promises.readdir')).toMatchObject({ taintedBy: ['later'], taintedArgs: [0], checkedArgs: [0] });
});

it('says which URLs from tool input went through a host allow-list, and lets a path check and a host check together count as neither', () => {
  const files = tree({
    'server/index.js': `
      import fs from 'node:fs/promises';
      import { allowed, under } from './lib/checks.js';
      server.tool('fetch', 'Fetches', async ({ url }) => fetch(allowed(url)));
      server.tool('mixed', 'Fetches', async ({ url, path }) => fetch(Math.random() > 0.5 ? under(ROOT, path) : allowed(url)));
    `,
    'server/lib/checks.js': `
      import path from 'node:path';
      const HOSTS = new Set(['api.example.org']);
      export function allowed(input) {
        const url = new URL(input);
        if (!HOSTS.has(url.hostname)) throw new Error('host');
        return url.href;
      }
      export function under(root, p) {
        const full = path.resolve(root, p);
        if (!full.startsWith(root + path.sep)) throw new Error('outside');
        return full;
      }
    `,
  });
  const code = analyzeCode(describeServer(manifest('server/index.js'), files), files, new Map());
  const fetches = code.calls.filter((candidate) => candidate.callee === 'fetch');
  expect(fetches[0]).toMatchObject({ taintedBy: ['fetch'], taintedArgs: [0], checkedArgs: [], allowedArgs: [0] });
  expect(fetches[1]).toMatchObject({ taintedBy: ['mixed'], taintedArgs: [0], checkedArgs: [] });
  expect(fetches[1]).not.toHaveProperty('allowedArgs');
});
