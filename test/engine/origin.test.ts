import { expect, it } from 'vitest';
import { bundleFacts } from '../helpers/bundle.js';

const originResolver = (server: object, paths: string[]) => bundleFacts(Object.fromEntries(paths.map((path) => [path, ''])), { server }).originOf;

it('gives file rules the origin the Python analysis gives: packages installed in server/lib are dependencies', () => {
  const python = { type: 'python', entry_point: 'server/main.py', mcp_config: { command: 'python3', args: ['${__dirname}/server/main.py'], env: { PYTHONPATH: '${__dirname}/server/lib' } } };
  const paths = ['server/main.py', 'server/notes/tools.py', 'server/lib/yaml/_yaml.cpython-311-x86_64-linux-gnu.so', 'server/lib/pvectorc.so', 'vendor/x/site-packages/y.py'];
  const originOf = originResolver(python, paths);
  expect(paths.map(originOf)).toEqual(['first-party', 'first-party', 'dependency', 'dependency', 'dependency']);
});

it('keeps a Node server\'s own lib folder first-party', () => {
  const originOf = originResolver({ type: 'node', entry_point: 'server/index.js' }, ['server/index.js', 'server/lib/util.js', 'server/node_modules/a/b.node']);
  expect(['server/index.js', 'server/lib/util.js', 'server/node_modules/a/b.node'].map(originOf)).toEqual(['first-party', 'first-party', 'dependency']);
});
