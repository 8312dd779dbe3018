import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is medium when a tool serialises the whole environment, through a copy of it', async () => {
  const bundle = await scanFixture('fixtures/rules/code-env-access/invalid');
  expect(findingWith(bundle, 'code-env-access', 'JSON.stringify() serialises the whole environment (process.env, with every secret the server was started with) in tool "debug_info"')).toMatchObject({
    severity: 'medium',
    category: 'env-access',
    tool: 'debug_info',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 7, column: 44 },
    evidence: 'JSON.stringify(snapshot, null, 2)',
  });
  expect(bundle.capabilities).toContain('env');
});

it('is low when the environment is only enumerated', async () => {
  const bundle = await scanFixture('fixtures/rules/code-env-access/invalid');
  expect(findingWith(bundle, 'code-env-access', 'Object.keys() enumerates the whole environment (process.env).')).toMatchObject({
    severity: 'low',
    location: { line: 10, column: 20 },
  });
  expect(findingsOf(bundle, 'code-env-access')).toHaveLength(2);
});

it('ignores single variables, configuration loaders, child environments and a library reading its own settings', async () => {
  const bundle = await scanFixture('fixtures/rules/code-env-access/valid');
  expect(findingsOf(bundle, 'code-env-access')).toEqual([]);
  expect(bundle.capabilities).not.toContain('env');
});

it('reports a Python tool that serialises os.environ at medium and an enumeration at low', async () => {
  const bundle = await scanFixture('fixtures/rules/code-env-access/invalid-python');
  expect(findingWith(bundle, 'code-env-access', 'json.dumps() serialises the whole environment (os.environ, with every secret the server was started with) in tool "debug_environment".')).toMatchObject({
    severity: 'medium',
    category: 'env-access',
    tool: 'debug_environment',
    location: { file: 'server/main.py', line: 12, column: 12 },
    evidence: 'json.dumps(dict(os.environ), indent=2)',
  });
  expect(findingWith(bundle, 'code-env-access', 'os.environ.items() enumerates the whole environment (os.environ).')).toMatchObject({ severity: 'low', location: { line: 17 } });
  expect(findingsOf(bundle, 'code-env-access')).toHaveLength(2);
});

it('ignores single Python variables, a copy given to a child process and a dependency no tool reaches', async () => {
  const bundle = await scanFixture('fixtures/rules/code-env-access/valid-python');
  expect(findingsOf(bundle, 'code-env-access')).toEqual([]);
});
