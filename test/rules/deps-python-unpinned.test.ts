import { describe, expect, it } from 'vitest';
import rule from '../../rules/deps-python-unpinned.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, scanFixture } from '../helpers/fixtures.js';

const RULE = 'deps-python-unpinned';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('names the open-ended dependencies of pyproject.toml in one finding, at the first of them', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid`), RULE);
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'low', category: 'supply-chain', location: { file: 'pyproject.toml', line: 5 }, evidence: 'mcp>=1.2' }),
    ]);
    expect(findings[0]!.message).toBe(
      'pyproject.toml: "mcp>=1.2", "httpx", "rich>=13" have no upper version bound and no lock pins them, so each install takes whatever release is newest when the server starts: the code that runs can change without the bundle changing.',
    );
  });

  it('says when the uv.lock next to pyproject.toml does not list a dependency', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid-lock`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'low', location: { file: 'pyproject.toml', line: 6 } })]);
    expect(findings[0]!.message).toContain('"httpx>=0.27" has no upper version bound and the uv.lock next to it does not list it');
  });

  it('reads a requirements file that pip installs at start, continuation lines included', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid-requirements`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'low', location: { file: 'requirements.txt', line: 3 } })]);
    expect(findings[0]!.message).toContain('requirements.txt: "requests>=2.31" has no upper version bound and no lock pins it');
  });

  it('accepts locked and bounded dependencies, and skips build requirements, extras, --no-dev groups and files nothing installs', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('does not count hashed requirements or URL dependencies', () => {
    const manifest = { server: { type: 'python', entry_point: 'main.py', mcp_config: { command: 'pip', args: ['install', '-r', '${__dirname}/requirements.txt'] } } };
    const requirements = `anyio>=4 --hash=sha256:${'a'.repeat(64)}\nx @ https://example.com/x-1.0.tar.gz\n`;
    expect(runRule(rule, bundleFacts({ 'main.py': '', 'requirements.txt': requirements }, manifest))).toEqual([]);
  });
});
