import { describe, expect, it } from 'vitest';
import rule from '../../rules/deps-python-unreadable.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'deps-python-unreadable';
const DIR = `fixtures/rules/${RULE}`;
const UV = { server: { type: 'uv', entry_point: 'main.py', mcp_config: { command: 'uv', args: ['run', '--directory', '${__dirname}', 'main.py'] } } };

describe(RULE, () => {
  it('reports a pyproject.toml that is not TOML at the line the parser stopped', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', category: 'parse-error', location: { file: 'pyproject.toml', line: 7 } })]);
    expect(findings[0]!.message).toMatch(/^pyproject\.toml could not be read \(it is not valid TOML: .+\): the dependencies it declares were not checked\.$/);
  });

  it('reports a malformed requirement, an unknown option and an include outside the bundle, each on its line', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-entries`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'pyproject.toml: "httpx >>= 0.28" in project.dependencies is not a valid requirement')).toMatchObject({
      severity: 'low',
      location: { file: 'pyproject.toml', line: 6 },
    });
    expect(findingWith(bundle, RULE, '"--install-from-anywhere" is not an option pip accepts').location).toEqual({ file: 'requirements.txt', line: 2 });
    expect(findingWith(bundle, RULE, 'it includes "../shared/requirements.txt", which lies outside the bundle').location).toEqual({ file: 'requirements.txt', line: 3 });
  });

  it('reports a # /// script block that is never closed', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid-script`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', location: { file: 'server/main.py', line: 1 } })]);
    expect(findings[0]!.message).toContain('the "# /// script" block is never closed');
  });

  it('accepts extras, parenthesised specifiers, ===, markers, dotted names, hashes and continuation lines', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('reports files too large or not UTF-8, and deep nesting, without throwing', () => {
    const deep = `[project]\nname = "x"\ndependencies = ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const findings = runRule(
      rule,
      bundleFacts({ 'main.py': '', 'pyproject.toml': deep, 'uv.lock': new Uint8Array([0x76, 0xff, 0xfe]), 'requirements.txt': `x==1\n${'y'.repeat(2 << 20)}\n` }, {
        ...UV,
        server: { ...UV.server, mcp_config: { command: 'uv', args: ['run', '--with-requirements', '${__dirname}/requirements.txt', 'main.py'] } },
      }),
    );
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'medium', location: { file: 'pyproject.toml', line: 3 }, message: expect.stringContaining('excessively nested') }),
      expect.objectContaining({ severity: 'medium', location: { file: 'requirements.txt' }, message: expect.stringMatching(/it is \d+ bytes, more than the 1048576 read/) }),
    ]);
  });

  it('reports an unreadable uv.lock and a NUL byte in a requirement', () => {
    const findings = runRule(
      rule,
      bundleFacts({ 'main.py': '', 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = ["a\\u0000b==1"]\n', 'uv.lock': new Uint8Array([0x76, 0xff, 0xfe]) }, UV),
    );
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'medium', location: { file: 'uv.lock' }, message: 'uv.lock could not be read (it is not UTF-8 text): the dependencies it declares were not checked.' }),
      expect.objectContaining({ severity: 'low', location: { file: 'pyproject.toml', line: 4 }, message: expect.stringContaining('control characters') }),
    ]);
  });
});
