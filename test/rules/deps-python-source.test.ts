import { describe, expect, it } from 'vitest';
import rule from '../../rules/deps-python-source.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'deps-python-source';
const DIR = `fixtures/rules/${RULE}`;

function uvManifest(args: unknown[] = ['run', '--directory', '${__dirname}', 'server/main.py'], extra: Record<string, unknown> = {}) {
  return {
    manifest_version: '0.4',
    name: 'x',
    version: '1.0.0',
    description: 'x',
    author: { name: 'x' },
    server: { type: 'uv', entry_point: 'server/main.py', mcp_config: { command: 'uv', args, ...extra } },
  };
}

describe(RULE, () => {
  it('reports git, URL and index sources of pyproject.toml, and a uv.lock that downloads a PyPI package elsewhere', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(5);
    const branch = findingWith(bundle, RULE, '"notes-core" is installed from the git repository https://github.com/acme/notes-core at ref "main"');
    expect(branch).toMatchObject({ severity: 'medium', category: 'supply-chain', location: { file: 'pyproject.toml', line: 7 } });
    expect(branch.message).toContain('uv installs it when the server starts.');
    expect(branch.evidence).toBe('notes-core @ git+https://github.com/acme/notes-core@main');
    // A `rev` that is a full commit, written in [tool.uv.sources]: located at the source's line.
    expect(findingWith(bundle, RULE, '"fastjson" is installed from the git repository https://github.com/acme/fastjson at commit 4f2c1a9e')).toMatchObject({
      severity: 'low',
      location: { file: 'pyproject.toml', line: 16 },
    });
    // The lock records a hash for every archive it pins.
    expect(findingWith(bundle, RULE, '"render-kit" is installed from https://downloads.example.com/render_kit-2.0.tar.gz, checked against a hash')).toMatchObject({
      severity: 'low',
      location: { file: 'pyproject.toml', line: 17 },
    });
    expect(findingWith(bundle, RULE, '[[tool.uv.index]] https://pypi.acme.example/simple: packages are looked up on this index as well as on PyPI')).toMatchObject({
      severity: 'medium',
      location: { file: 'pyproject.toml', line: 21 },
    });
    expect(findingWith(bundle, RULE, 'uv.lock names PyPI as the index of "httpx" but downloads their files from mirror.evil.example')).toMatchObject({
      severity: 'high',
      location: { file: 'uv.lock', line: 21 },
    });
  });

  it('follows requirements files a launch command installs, and their includes', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-requirements`);
    expect(findingsOf(bundle, RULE)).toHaveLength(5);
    expect(findingWith(bundle, RULE, '"notes-tool" is installed from the git repository https://github.com/acme/notes-tool at ref "v2.1"')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/base.txt', line: 1 },
    });
    expect(findingWith(bundle, RULE, 'A package is installed from https://downloads.example.com/render_kit-2.0-py3-none-any.whl, checked against a hash')).toMatchObject({
      severity: 'low',
      location: { file: 'server/base.txt', line: 2 },
    });
    expect(findingWith(bundle, RULE, 'A package is installed from "../../shared/notes-sync", a path outside the bundle')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/base.txt', line: 3 },
    });
    expect(findingWith(bundle, RULE, '--extra-index-url https://pypi.acme.example/simple').message).toContain('dependency confusion');
    expect(findingWith(bundle, RULE, '--trusted-host pypi.acme.example: packages from this host are installed without checking its TLS certificate')).toMatchObject({
      severity: 'medium',
      location: { file: 'server/requirements.txt', line: 3 },
    });
  });

  it('reports index options and variables of the launch command, once each', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-launch`);
    expect(findingsOf(bundle, RULE).map((finding) => finding.location)).toEqual([
      { file: 'manifest.json', pointer: '/server/mcp_config/env/UV_INDEX_URL' },
      { file: 'manifest.json', pointer: '/server/mcp_config/platform_overrides/darwin/args/2' },
    ]);
    expect(findingWith(bundle, RULE, 'UV_INDEX_URL https://pypi.acme.example/simple: packages are installed from this index instead of PyPI').severity).toBe('medium');
    expect(findingWith(bundle, RULE, '--extra-index-url https://pypi.acme.example/simple').severity).toBe('medium');
  });

  it("reports a python server's requirements file, which nothing installs at start, at info", async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({
        severity: 'info',
        location: { file: 'server/requirements.txt', line: 2 },
        message: expect.stringContaining('Nothing installs it when the server starts'),
      }),
    ]);
  });

  it("reads the entry script's PEP 723 block, which uv run installs", async () => {
    const bundle = await scanFixture(`${DIR}/invalid-script`);
    expect(findingsOf(bundle, RULE)).toEqual([
      expect.objectContaining({ severity: 'medium', location: { file: 'server/main.py', line: 5 }, message: expect.stringContaining('at its default branch') }),
    ]);
  });

  it('accepts PyPI, bundled path sources, an explicit index nothing uses and bundled wheels', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('installs extras and groups only when the launch command asks for them', () => {
    const pyproject = [
      '[project]',
      'name = "x"',
      'version = "1"',
      'dependencies = []',
      '[project.optional-dependencies]',
      'cli = ["typer @ git+https://github.com/acme/typer"]',
      '[dependency-groups]',
      'dev = ["pytest @ git+https://github.com/acme/pytest"]',
      'docs = ["sphinx @ git+https://github.com/acme/sphinx"]',
      '',
    ].join('\n');
    const severities = (args: string[]) =>
      Object.fromEntries(
        runRule(rule, bundleFacts({ 'server/main.py': '', 'pyproject.toml': pyproject }, uvManifest(args))).map((finding) => [/"(\w+)"/.exec(finding.message)![1], finding.severity]),
      );
    // By default uv run installs the `dev` group, not extras or other groups.
    expect(severities(['run', 'server/main.py'])).toEqual({ typer: 'info', pytest: 'medium', sphinx: 'info' });
    expect(severities(['run', '--extra', 'cli', '--no-dev', 'server/main.py'])).toEqual({ typer: 'medium', pytest: 'info', sphinx: 'info' });
    expect(severities(['run', '--all-groups', 'server/main.py'])).toEqual({ typer: 'info', pytest: 'medium', sphinx: 'medium' });
  });

  it('reads the nearest pyproject.toml above --directory, and hides index credentials', () => {
    const findings = runRule(
      rule,
      bundleFacts(
        {
          'server/main.py': '',
          'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = []\n[tool.uv]\nextra-index-url = ["https://user:s3cret@pypi.acme.example/simple"]\n',
          'server/pyproject.toml': '[project]\nname = "y"\nversion = "1"\ndependencies = ["a @ https://example.com/a-1.0.tar.gz"]\n',
        },
        uvManifest(['run', '--directory', '${__dirname}/server', 'main.py']),
      ),
    );
    expect(findings.map((finding) => [finding.location, finding.severity])).toEqual([
      [{ file: 'server/pyproject.toml', line: 4 }, 'medium'],
      [{ file: 'pyproject.toml', line: 6 }, 'info'],
    ]);
    expect(findings[1]!.message).toContain('https://***@pypi.acme.example/simple');
    expect(findings[1]!.message).not.toContain('s3cret');
  });

  it('reads nothing of a node server', () => {
    const manifest = { server: { type: 'node', entry_point: 'index.js', mcp_config: { command: 'node', args: ['${__dirname}/index.js'] } } };
    const facts = bundleFacts({ 'index.js': '', 'requirements.txt': 'x @ git+https://github.com/a/b\n', 'pyproject.toml': '[project]\ndependencies = ["x @ git+https://github.com/a/b"]\n' }, manifest);
    expect(runRule(rule, facts)).toEqual([]);
  });

  it('reports a lock that installs from an index the project does not declare, and an unlisted git package', () => {
    const lock = [
      'version = 1',
      '[[package]]',
      'name = "internal-utils"',
      'version = "1.0"',
      'source = { registry = "https://pypi.internal.example/simple" }',
      '[[package]]',
      'name = "helper"',
      'version = "0.1"',
      'source = { git = "https://github.com/acme/helper?rev=main#0123456789abcdef0123456789abcdef01234567" }',
      '',
    ].join('\n');
    const findings = runRule(rule, bundleFacts({ 'server/main.py': '', 'pyproject.toml': '[project]\nname = "x"\nversion = "1"\ndependencies = ["internal-utils==1.0"]\n', 'uv.lock': lock }, uvManifest()));
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'medium', location: { file: 'uv.lock', line: 2 }, message: expect.stringContaining('uv.lock installs "internal-utils" from the index https://pypi.internal.example/simple') }),
      expect.objectContaining({ severity: 'low', location: { file: 'uv.lock', line: 6 }, message: expect.stringContaining('uv.lock installs "helper", which pyproject.toml does not name, from the git repository https://github.com/acme/helper?rev=main at commit 0123456789abcdef') }),
    ]);
  });
});
