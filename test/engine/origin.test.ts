import { expect, it } from 'vitest';
import type { BundleFacts } from '../../src/engine/facts.js';
import { originResolver } from '../../src/engine/origin.js';
import { tree } from '../helpers/tree.js';

const facts = (server: object, paths: string[]): BundleFacts =>
  ({ manifest: { json: { server } }, container: { files: tree(Object.fromEntries(paths.map((path) => [path, '']))) } }) as unknown as BundleFacts;

it('gives file rules the origin the Python analysis gives: packages installed in server/lib are dependencies', () => {
  const python = { type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python3', args: ['${__dirname}/server/main.py'], env: { PYTHONPATH: '${__dirname}/server/lib' } } };
  const paths = ['server/main.py', 'server/notes/tools.py', 'server/lib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so', 'server/lib/pvectorc.so', 'vendor/x/site-packages/y.py'];
  const originOf = originResolver(facts(python, paths));
  expect(paths.map(originOf)).toEqual(['first-party', 'first-party', 'dependency', 'dependency', 'dependency']);
});

it('keeps a Node server\'s own lib folder first-party', () => {
  const originOf = originResolver(facts({ type: 'node', entry_point: 'server/index.js' }, ['server/index.js', 'server/lib/util.js', 'server/node_modules/a/b.node']));
  expect(['server/index.js', 'server/lib/util.js', 'server/node_modules/a/b.node'].map(originOf)).toEqual(['first-party', 'first-party', 'dependency']);
});
