import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('reports a reachable file that does not parse, where it fails, and marks the audit incomplete', async () => {
  const bundle = await scanFixture('fixtures/rules/code-parse-error/invalid');
  expect(findingWith(bundle, 'code-parse-error', '"server/helpers.js" could not be parsed')).toMatchObject({
    severity: 'medium',
    category: 'parse-error',
    origin: 'first-party',
    location: { file: 'server/helpers.js', line: 2 },
  });
  expect(bundle.complete).toBe(false);
  expect(bundle.incompleteReasons.join('\n')).toContain('server/helpers.js: could not be parsed');
});

it('parses modern syntax', async () => {
  const bundle = await scanFixture('fixtures/rules/code-parse-error/valid');
  expect(findingsOf(bundle, 'code-parse-error')).toEqual([]);
  expect(bundle.complete).toBe(true);
});

it('reports a Python file with a syntax error, at the error', async () => {
  const bundle = await scanFixture('fixtures/rules/code-parse-error/invalid-python');
  expect(findingWith(bundle, 'code-parse-error', '"server/main.py" could not be parsed (invalid syntax)')).toMatchObject({ severity: 'medium', location: { file: 'server/main.py', line: 5 } });
  expect(bundle.complete).toBe(false);
});
