import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical when a tool argument is evaluated as code', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid');
  expect(findingWith(bundle, 'code-dynamic-code', 'new Function() evaluates code built from the input of tool "calculate"')).toMatchObject({
    severity: 'critical',
    category: 'dynamic-code',
    tool: 'calculate',
    location: { file: 'server/index.js', line: 7 },
  });
  expect(bundle.capabilities).toContain('dynamic-code');
});

it('is critical when a tool argument names the module to load', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-loader');
  expect(findingWith(bundle, 'code-dynamic-code', 'require() loads a module named by the input of tool "run_plugin"')).toMatchObject({
    severity: 'critical',
    tool: 'run_plugin',
  });
});

it('ignores JSON.parse, literal imports, package.json loaded by a computed path, timers given functions and the global-object idiom in dependencies', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/valid');
  expect(findingsOf(bundle, 'code-dynamic-code')).toEqual([]);
});

it('is critical when code received from the network is run', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-fetched');
  expect(findingWith(bundle, 'code-dynamic-code', 'new Function() runs code received from the network')).toMatchObject({
    severity: 'critical',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 9 },
  });
});

it('is critical when a decoded payload is run, and low inside a dependency function nothing reaches', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-decoded');
  expect(findingWith(bundle, 'code-dynamic-code', 'vm.runInThisContext() runs a payload decoded from base64, hex or char codes')).toMatchObject({
    severity: 'critical',
    location: { file: 'server/index.js', line: 6 },
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'eval() runs a payload decoded')).toMatchObject({
    severity: 'low',
    origin: 'dependency',
    location: { file: 'server/node_modules/stats-helper/index.js', line: 3 },
  });
});

it('attributes eval in a low-level Python call_tool branch to that tool only, and flags exec of a base64 payload', async () => {
  const bundle = await scanFixture('fixtures/rules/code-dynamic-code/invalid-python');
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.eval() evaluates code built from the input of tool "calculate": the model can run any Python in the server.')).toMatchObject({
    severity: 'critical',
    tool: 'calculate',
    location: { file: 'server/main.py', line: 23 },
  });
  expect(findingWith(bundle, 'code-dynamic-code', 'builtins.exec() runs a payload decoded from base64')).toMatchObject({ severity: 'critical', location: { line: 8 } });
  expect(findingsOf(bundle, 'code-dynamic-code').some((finding) => finding.message.includes('"echo"'))).toBe(false);
});
