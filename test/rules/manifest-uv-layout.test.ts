import { describe, expect, it } from 'vitest';
import rule from '../../rules/manifest-uv-layout.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-uv-layout';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports a virtual environment where uv looks for the project environment, with its interpreter, at medium', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'medium', category: 'manifest', location: { file: '.venv/pyvenv.cfg' } })]);
    expect(findings[0]!.message).toContain('The bundle ships a virtual environment at ".venv" (4 files), where uv looks for the project\'s environment');
    expect(findings[0]!.message).toContain('with its own interpreter ".venv/bin/python3"');
  });

  it('reports installed packages put on PYTHONPATH at medium, and an unused environment at low', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-lib`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(findingWith(bundle, RULE, 'installed packages in "server/lib" (2 files) and mcp_config puts them on PYTHONPATH')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/lib/httpx-0.28.1.dist-info/METADATA' },
    });
    expect(findingWith(bundle, RULE, 'a virtual environment at "venv" (1 file).')).toMatchObject({ severity: 'low' });
  });

  it('reports a uv server with no pyproject.toml at info', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid-no-project`), RULE);
    expect(findings).toEqual([expect.objectContaining({ severity: 'info', location: { file: 'manifest.json', pointer: '/server/type' } })]);
    expect(findings[0]!.message).toContain('no pyproject.toml (it ships "requirements.txt", which uv run does not read): uv installs no dependencies');
  });

  it("accepts a project's own lib package, a python server's server/lib and a script with inline metadata", async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
    expect(findingsOf(await scanFixture(`${DIR}/valid-python`), RULE)).toEqual([]);
    expect(findingsOf(await scanFixture(`${DIR}/valid-script`), RULE)).toEqual([]);
  });

  it('follows UV_PROJECT_ENVIRONMENT, and does not count a venv for uv run --isolated', () => {
    const manifest = (args: string[], env: Record<string, string> = {}) => ({
      server: { type: 'uv', entry_point: 'main.py', mcp_config: { command: 'uv', args, env } },
    });
    const files = { 'main.py': '', 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\n', 'env/pyvenv.cfg': 'home = /usr/bin\n', '.venv/pyvenv.cfg': 'home = /usr/bin\n' };
    const severities = (args: string[], env?: Record<string, string>) =>
      runRule(rule, bundleFacts(files, manifest(args, env))).map((finding) => [finding.location, finding.severity]);
    expect(severities(['run', '--directory', '${__dirname}', 'main.py'], { UV_PROJECT_ENVIRONMENT: '${__dirname}/env' })).toEqual([
      [{ file: '.venv/pyvenv.cfg' }, 'medium'],
      [{ file: 'env/pyvenv.cfg' }, 'medium'],
    ]);
    expect(severities(['run', '--directory', '${__dirname}', 'main.py'], { UV_PROJECT_ENVIRONMENT: 'env' })).toEqual([
      [{ file: '.venv/pyvenv.cfg' }, 'medium'],
      [{ file: 'env/pyvenv.cfg' }, 'medium'],
    ]);
    expect(severities(['run', '--isolated', '--directory', '${__dirname}', 'main.py'])).toEqual([
      [{ file: '.venv/pyvenv.cfg' }, 'low'],
      [{ file: 'env/pyvenv.cfg' }, 'low'],
    ]);
  });
});
