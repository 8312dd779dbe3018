import { describe, expect, it } from 'vitest';
import rule from '../../rules/manifest-runtime-fetch.js';
import { bundleFacts as buildFacts } from '../../src/engine/build-facts.js';
import { runRules } from '../../src/engine/run.js';
import { shellWords } from '../../src/manifest/mcp-config.js';
import { detectRuntimeFetch, isPinned, runtimeFetchMessage } from '../../src/manifest/runtime-fetch.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';
import { noCode } from '../helpers/facts.js';

const RULE = 'manifest-runtime-fetch';
const DIR = `fixtures/rules/${RULE}`;
const NONE_SHIPPED = 'The bundle contains none of the code that will run';

describe(RULE, () => {
  it('flags npx -y with @latest, in the base config and behind cmd /c in an override', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    const findings = findingsOf(bundle, RULE);
    expect(findings.map((finding) => ('pointer' in finding.location ? finding.location.pointer : ''))).toEqual([
      '/server/mcp_config/args/1',
      '/server/mcp_config/platform_overrides/win32/args/3',
    ]);
    for (const finding of findings) {
      expect(finding).toMatchObject({ severity: 'high', category: 'supply-chain' });
      expect(finding.message).toContain('"npx" downloads "@acme/mcp-server@latest"');
      expect(finding.message).toContain(NONE_SHIPPED);
      expect(finding.message).toContain('with no fixed version');
    }
  });

  it('flags uvx --from git+https, uv run --with and pipx run', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-python`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, '"uvx" downloads "git+https://github.com/acme/mcp-server"')).toMatchObject({
      severity: 'high',
      location: { file: 'manifest.json', pointer: '/server/mcp_config/args/1' },
    });
    expect(findingWith(bundle, RULE, '"uv run --with" downloads "requests"')).toMatchObject({
      severity: 'high',
      location: { pointer: '/server/mcp_config/platform_overrides/darwin/args/2' },
    });
    const pinned = findingWith(bundle, RULE, '"pipx run" downloads "acme-mcp==1.0.0"');
    expect(pinned).toMatchObject({ severity: 'high', location: { pointer: '/server/mcp_config/platform_overrides/linux/args/1' } });
    expect(pinned.message).toContain(NONE_SHIPPED);
    expect(pinned.message).not.toContain('no fixed version');
  });

  it('flags curl | sh in a shell script and pnpm dlx, bunx and yarn dlx in overrides', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-script`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    expect(findingWith(bundle, RULE, 'a shell script downloads "https://get.example.com/install.sh" with curl')).toMatchObject({
      severity: 'high',
      location: { pointer: '/server/mcp_config/args/1' },
    });
    expect(findingWith(bundle, RULE, '"pnpm dlx" downloads "acme-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/win32/args/1' });
    expect(findingWith(bundle, RULE, '"bunx" downloads "acme-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/darwin/args/0' });
    expect(findingWith(bundle, RULE, '"yarn dlx" downloads "acme-mcp@2.0.0"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/linux/args/1' });
  });

  it('flags uvx (pinned or not, from git) and uv tool run, in the base config and every override', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-uv-uvx`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    const unpinned = findingWith(bundle, RULE, '"uvx" downloads "notes-mcp" each time');
    expect(unpinned).toMatchObject({ severity: 'high', location: { file: 'manifest.json', pointer: '/server/mcp_config/args/0' } });
    expect(unpinned.message).toContain('with no fixed version');
    const pinned = findingWith(bundle, RULE, '"uvx" downloads "notes-mcp==1.2.3"');
    expect(pinned).toMatchObject({ severity: 'high', location: { pointer: '/server/mcp_config/platform_overrides/win32/args/0' } });
    expect(pinned.message).not.toContain('no fixed version');
    expect(findingWith(bundle, RULE, '"uvx" downloads "git+https://github.com/acme/notes-mcp"').message).toContain('with no fixed version');
    expect(findingWith(bundle, RULE, '"uv tool run" downloads "notes-mcp==1.2.3"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/linux/args/3' });
  });

  it('flags uv run --with past a bundled --with-editable, a remote script, uv pip install in a shell line and uv tool install', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-uv-run`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    expect(findingWith(bundle, RULE, '"uv run --with" downloads "notes-extras"').location).toMatchObject({ pointer: '/server/mcp_config/args/6' });
    expect(findingWith(bundle, RULE, '"uv run" downloads "https://gist.example.com/acme/server.py"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/win32/args/1' });
    expect(findingWith(bundle, RULE, '"uv pip install" downloads "notes-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/darwin/args/1' });
    expect(findingWith(bundle, RULE, '"uv tool install" downloads "notes-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/linux/args/2' });
  });

  it('accepts uv running the bundle\'s own project, uvx --from the bundle, uv sync and options after the script', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid-uv`), RULE)).toEqual([]);
  });

  it('accepts node running a package shipped in the bundle', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('reads a whole command line written into the command field', () => {
    const json = { server: { type: 'node', mcp_config: { command: 'npx -y @acme/x', args: [] } } };
    const facts = buildFacts({
      container: { kind: 'directory', sha256: null, entries: [], files: new Map(), events: [], layout: null },
      manifest: { present: true, text: JSON.stringify(json), parseError: null, json, version: { field: null, raw: undefined, known: null }, schemaIssues: [] },
      code: noCode(),
      settings: { strictManifest: false },
    });
    expect(runRules([rule], facts).findings).toEqual([
      expect.objectContaining({ location: { file: 'manifest.json', pointer: '/server/mcp_config/command' }, message: expect.stringContaining('"npx" downloads "@acme/x"') }),
    ]);
  });
});

describe('detectRuntimeFetch', () => {
  const encoded = (script: string) => Buffer.from(script, 'utf16le').toString('base64');

  it.each([
    [['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], 'npx', '@modelcontextprotocol/server-filesystem', 2],
    [['npx', '--yes', 'mcp-remote@latest', 'https://example.com/sse'], 'npx', 'mcp-remote@latest', 2],
    [['npx', 'pkg'], 'npx', 'pkg', 1],
    [['npx.cmd', '-y', 'pkg'], 'npx', 'pkg', 2],
    [['npx', '-p', 'pkg@1.0.0', 'pkg-bin'], 'npx', 'pkg@1.0.0', 2],
    [['npx', '--package=pkg', 'pkg-bin'], 'npx', 'pkg', 1],
    [['npx', 'github:acme/server'], 'npx', 'github:acme/server', 1],
    [['bunx', 'pkg'], 'bunx', 'pkg', 1],
    [['bun', 'x', 'pkg'], 'bun x', 'pkg', 2],
    [['pnpm', 'dlx', 'pkg'], 'pnpm dlx', 'pkg', 2],
    [['yarn', 'dlx', 'pkg'], 'yarn dlx', 'pkg', 2],
    [['npm', 'exec', '--', 'pkg'], 'npm exec', 'pkg', 3],
    [['uvx', 'mcp-server-git'], 'uvx', 'mcp-server-git', 1],
    [['uvx', '--python', '3.12', 'tool'], 'uvx', 'tool', 3],
    [['uvx', '--from', 'git+https://github.com/acme/tool', 'tool'], 'uvx', 'git+https://github.com/acme/tool', 2],
    [['uv', 'tool', 'run', 'tool'], 'uv tool run', 'tool', 3],
    [['uv', '--directory', '${__dirname}', 'run', '--with', 'requests', 'server.py'], 'uv run --with', 'requests', 5],
    [['uv', 'run', '--with=requests', 'server.py'], 'uv run --with', 'requests', 2],
    [['pipx', 'run', 'tool'], 'pipx run', 'tool', 2],
    [['pipx', 'run', '--spec', 'git+https://github.com/acme/tool', 'tool'], 'pipx run', 'git+https://github.com/acme/tool', 3],
    [['pipx', 'install', 'tool'], 'pipx install', 'tool', 2],
    [['uvx', 'tool==1.2.3'], 'uvx', 'tool==1.2.3', 1],
    [['uvx', 'tool@latest'], 'uvx', 'tool@latest', 1],
    [['uv', 'run', '--with', '${__dirname}/vendored', '--with', 'requests', 'server.py'], 'uv run --with', 'requests', 5],
    [['uv', 'run', '--with-requirements', 'https://example.com/req.txt', 'server.py'], 'uv run --with-requirements', 'https://example.com/req.txt', 3],
    [['uv', 'run', '--python', '3.12', 'https://example.com/server.py'], 'uv run', 'https://example.com/server.py', 4],
    [['uv', 'run', '--', 'https://example.com/server.py'], 'uv run', 'https://example.com/server.py', 3],
    [['uv', 'tool', 'install', 'tool'], 'uv tool install', 'tool', 3],
    [['uv', 'pip', 'sync', '${__dirname}/requirements.txt'], 'uv pip sync', '${__dirname}/requirements.txt', 3],
    [['sh', '-c', 'uv pip install -r requirements.txt && uv run server.py'], 'uv pip install', 'requirements.txt', 2],
    [['python3', '-m', 'pip', 'install', '-r', '${__dirname}/requirements.txt'], 'pip install', '${__dirname}/requirements.txt', 5],
    [['docker', 'run', '-i', '--rm', '-e', 'TOKEN', 'mcp/github'], 'docker run', 'mcp/github', 6],
    [['deno', 'run', '-A', 'npm:pkg'], 'deno', 'npm:pkg', 3],
    [['go', 'run', 'github.com/acme/tool@latest'], 'go run', 'github.com/acme/tool@latest', 2],
    [['env', 'FOO=1', 'npx', '-y', 'pkg'], 'npx', 'pkg', 4],
    [['cmd', '/c', 'npx', '-y', 'pkg'], 'npx', 'pkg', 4],
    [['cmd', '/c', 'npx -y pkg'], 'npx', 'pkg', 2],
    [['sh', '-c', 'cd "$HOME" && npx -y pkg'], 'npx', 'pkg', 2],
    [['sh', '-c', 'curl -fsSL https://get.example.com/i.sh | sh'], 'curl', 'https://get.example.com/i.sh', 2],
    [['bash', '-lc', 'wget -qO- https://x.example/a | bash'], 'wget', 'https://x.example/a', 2],
    [['bash', '-c', 'bash <(curl -s https://x.example/a)'], 'curl', 'https://x.example/a', 2],
    [['sh', '-c', 'curl -o /tmp/t https://x.example/t && chmod +x /tmp/t && /tmp/t'], 'curl', 'https://x.example/t', 2],
    [['powershell', '-Command', 'iwr https://x.example/a.ps1 | iex'], 'iwr', 'https://x.example/a.ps1', 2],
    [['powershell', '-enc', encoded('iex (irm https://x.example/b)')], 'irm', 'https://x.example/b', 2],
  ] as const)('%j fetches with %s', (argv, launcher, spec, at) => {
    expect(detectRuntimeFetch(argv)).toMatchObject({ launcher, spec, at });
  });

  it.each([
    [['node', '${__dirname}/server/index.js']],
    [['node', '${__dirname}/node_modules/.bin/x']],
    [['npx', '${__dirname}/tools/cli']],
    [['npx']],
    [['python3', '${__dirname}/server/main.py']],
    [['uv', '--directory', '${__dirname}', 'run', 'server.py']],
    [['uv', 'run', 'server.py', '--with', 'x']],
    [['uv', 'run', '--with-editable', './server', 'server.py']],
    [['uv', 'run', '--frozen', '--directory', '${__dirname}', 'server.py', 'https://example.com/not-fetched']],
    [['uv', 'sync', '--locked']],
    [['uvx', '--from', '${__dirname}', 'tool']],
    [['go', 'run', 'main.go']],
    [['npm', 'start']],
    [['pnpm', 'exec', 'tool']],
    [['docker', 'ps']],
    [['sh', '-c', 'echo curl is not used here']],
    [['sh', '${__dirname}/start.sh']],
    [['${__dirname}/server/bin/tool', '--stdio']],
  ] as const)('%j fetches nothing', (argv) => {
    expect(detectRuntimeFetch(argv)).toBeNull();
  });

  it('stops following nested shells after a few levels', () => {
    let argv: string[] = ['npx', '-y', 'pkg'];
    for (let level = 0; level < 10; level++) argv = ['sh', '-c', argv.map((word) => `'${word}'`).join(' ')];
    expect(() => detectRuntimeFetch(argv)).not.toThrow();
  });
});

describe('isPinned', () => {
  it.each([
    ['pkg@1.2.3', 'npm', true],
    ['@scope/pkg@1.2.3', 'npm', true],
    ['@scope/pkg', 'npm', false],
    ['pkg@latest', 'npm', false],
    ['pkg@^1.2.0', 'npm', false],
    ['git+https://github.com/a/b#v1.0.0', 'npm', false],
    ['tool==1.0.0', 'python', true],
    ['tool@1.0.0', 'python', true],
    ['tool>=1.0', 'python', false],
    ['tool@latest', 'python', false],
    ['tool==1.*', 'python', false],
    ['tool[extra]==1.0', 'python', true],
    ['tool===1.0', 'python', true],
    ['mcp/github', 'image', false],
    [`mcp/github@sha256:${'a'.repeat(64)}`, 'image', true],
    ['example.com/tool@v1.2.3', 'go', true],
    ['example.com/tool@latest', 'go', false],
  ] as const)('%s (%s) pinned: %s', (spec, ecosystem, expected) => {
    expect(isPinned(spec, ecosystem)).toBe(expected);
  });
});

it('splits a script into words, honouring quotes', () => {
  expect(shellWords(`npx -y "a b" 'c d' e`)).toEqual(['npx', '-y', 'a b', 'c d', 'e']);
});

describe(`${RULE}: Node and shell launchers`, () => {
  const pointer = (finding: { location: object }) => ('pointer' in finding.location ? finding.location.pointer : '');

  it('flags npx without a version, with @latest and with an exact version, and bunx, in the base config and in overrides', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-node-npx`);
    expect(findingsOf(bundle, RULE).map(pointer).sort()).toEqual([
      '/server/mcp_config/args/0',
      '/server/mcp_config/platform_overrides/darwin/args/0',
      '/server/mcp_config/platform_overrides/linux/args/0',
      '/server/mcp_config/platform_overrides/win32/args/1',
    ]);
    for (const finding of findingsOf(bundle, RULE)) expect(finding).toMatchObject({ severity: 'high', category: 'supply-chain', message: expect.stringContaining(NONE_SHIPPED) });
    expect(findingWith(bundle, RULE, '"npx" downloads "acme-notes-mcp" each time').message).toContain('with no fixed version');
    expect(findingWith(bundle, RULE, '"npx" downloads "acme-notes-mcp@latest" each time').message).toContain('with no fixed version');
    expect(findingWith(bundle, RULE, '"bunx" downloads "acme-notes-mcp" each time').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/linux/args/0' });
    const pinned = findingWith(bundle, RULE, '"npx" downloads "acme-notes-mcp@1.2.3" when the server starts');
    expect(pinned.message).toBe(
      'server.mcp_config.platform_overrides.darwin.args[0]: "npx" downloads "acme-notes-mcp@1.2.3" when the server starts and runs it. The bundle contains none of the code that will run.',
    );
  });

  it('flags pnpm dlx, yarn dlx, npm exec and a pnpm --package given before dlx', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-node-dlx`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    expect(findingWith(bundle, RULE, '"pnpm dlx" downloads "acme-notes-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/args/1' });
    expect(findingWith(bundle, RULE, '"yarn dlx" downloads "acme-notes-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/win32/args/1' });
    expect(findingWith(bundle, RULE, '"npm exec" downloads "acme-notes-mcp"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/darwin/args/2' });
    expect(findingsOf(bundle, RULE).filter((finding) => pointer(finding) === '/server/mcp_config/platform_overrides/linux/args/0')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('"pnpm dlx" downloads "acme-notes-mcp"') }),
    ]);
  });

  it('flags packages named by git and https URLs, and deno running a URL, as never pinned', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-node-remote`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    for (const finding of findingsOf(bundle, RULE)) expect(finding.message).toContain('with no fixed version');
    expect(findingWith(bundle, RULE, '"npx" downloads "git+https://github.com/acme/notes-mcp.git"').location).toMatchObject({ pointer: '/server/mcp_config/args/0' });
    expect(findingWith(bundle, RULE, '"npx" downloads "https://example.com/notes-mcp-1.0.0.tgz"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/win32/args/1' });
    expect(findingWith(bundle, RULE, '"deno" downloads "https://deno.land/x/notes_mcp/main.ts"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/darwin/args/2' });
    expect(findingWith(bundle, RULE, '"npm exec" downloads "git+https://github.com/acme/notes-mcp.git"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/linux/args/1' });
  });

  it('flags curl | sh, bash -c "$(curl …)", npm create and an install of the bundle\'s package, saying what the bundle lacks', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-node-script`);
    expect(findingsOf(bundle, RULE)).toHaveLength(4);
    const scripts = findingsOf(bundle, RULE).filter((finding) => finding.message.includes('a shell script downloads "https://get.example.com/notes.sh" with curl and runs it'));
    expect(scripts.map(pointer).sort()).toEqual(['/server/mcp_config/args/1', '/server/mcp_config/platform_overrides/darwin/args/1']);
    expect(findingWith(bundle, RULE, '"npm create" downloads "acme-notes"').location).toMatchObject({ pointer: '/server/mcp_config/platform_overrides/win32/args/3' });
    const install = findingWith(bundle, RULE, '"npm install" installs "${__dirname}/server" from the bundle');
    expect(install).toMatchObject({ severity: 'high', location: { pointer: '/server/mcp_config/platform_overrides/linux/args/1' } });
    expect(install.message).toBe(
      'server.mcp_config.platform_overrides.linux.args[1]: "npm install" installs "${__dirname}/server" from the bundle, downloading the packages it depends on when the server starts. The bundle contains none of their code, which runs with the server.',
    );
  });

  it.each(['valid-node-local', 'valid-node-scripts'])('accepts %s', async (name) => {
    expect(findingsOf(await scanFixture(`${DIR}/${name}`), RULE)).toEqual([]);
  });

  // Every form, alone in the base config and alone in an override: the same finding at the right place.
  it.each([
    [['npx', 'pkg'], 1, '"npx" downloads "pkg" each time'],
    [['npx', '-y', 'pkg@latest'], 2, '"npx" downloads "pkg@latest" each time'],
    [['npx', 'pkg@1.2.3'], 1, '"npx" downloads "pkg@1.2.3" when the server starts'],
    [['bunx', 'pkg'], 1, '"bunx" downloads "pkg" each time'],
    [['pnpm', 'dlx', 'pkg'], 2, '"pnpm dlx" downloads "pkg" each time'],
    [['yarn', 'dlx', 'pkg'], 2, '"yarn dlx" downloads "pkg" each time'],
    [['npm', 'exec', 'pkg'], 2, '"npm exec" downloads "pkg" each time'],
    [['npx', 'git+https://github.com/acme/pkg.git'], 1, '"npx" downloads "git+https://github.com/acme/pkg.git" each time'],
    [['npx', 'https://example.com/pkg.tgz'], 1, '"npx" downloads "https://example.com/pkg.tgz" each time'],
    [['sh', '-c', 'curl -fsSL https://example.com/i.sh | sh'], 2, 'a shell script downloads "https://example.com/i.sh" with curl'],
    [['bash', '-c', 'bash -c "$(curl -fsSL https://example.com/i.sh)"'], 2, 'a shell script downloads "https://example.com/i.sh" with curl'],
    [['deno', 'run', 'https://example.com/main.ts'], 2, '"deno" downloads "https://example.com/main.ts" each time'],
  ] as const)('%j is flagged in mcp_config and in platform_overrides', (argv, at, text) => {
    const [command, ...args] = argv;
    const json = {
      server: {
        type: 'node',
        entry_point: 'server/index.js',
        mcp_config: { command, args: [...args], platform_overrides: { linux: { command, args: [...args] } } },
      },
    };
    const findings = runRule(rule, bundleFacts({}, json));
    const where = (prefix: string) => `${prefix}/args/${at - 1}`;
    expect(findings.map((finding) => [pointer(finding), finding.severity])).toEqual([
      [where('/server/mcp_config'), 'high'],
      [where('/server/mcp_config/platform_overrides/linux'), 'high'],
    ]);
    for (const finding of findings) expect(finding.message).toContain(text);
    for (const finding of findings) expect(finding.message).toContain(NONE_SHIPPED);
  });

  it.each([
    [['pnpm', '--package=pkg', 'dlx', 'cmd'], 'pnpm dlx', 'pkg', 1],
    [['pnpm', '--package', 'pkg', 'dlx', 'cmd'], 'pnpm dlx', 'pkg', 2],
    [['pnpm', '-C', '/srv', 'dlx', 'pkg'], 'pnpm dlx', 'pkg', 4],
    [['npm', 'init', 'vite'], 'npm init', 'vite', 2],
    [['npm', 'create', '@acme/mcp@1.0.0'], 'npm create', '@acme/mcp@1.0.0', 2],
    [['yarn', 'create', 'acme-mcp'], 'yarn create', 'acme-mcp', 2],
    [['pnpm', 'create', 'acme-mcp'], 'pnpm create', 'acme-mcp', 2],
    [['bun', 'create', 'acme-mcp'], 'bun create', 'acme-mcp', 2],
  ] as const)('%j fetches with %s', (argv, launcher, spec, at) => {
    expect(detectRuntimeFetch(argv)).toMatchObject({ launcher, spec, at });
  });

  it.each([
    [['npm', 'init', '-y']],
    [['npm', 'init']],
    [['sh', '-c', 'curl -fsS https://status.example.com/ping -o /tmp/ping; node ${__dirname}/server/index.js']],
  ] as const)('%j fetches nothing', (argv) => {
    expect(detectRuntimeFetch(argv)).toBeNull();
  });

  it('tells an install of the bundle\'s own package from a download of a package', () => {
    expect(runtimeFetchMessage(detectRuntimeFetch(['npm', 'install', '${__dirname}/server'])!)).toBe('dependencies');
    expect(runtimeFetchMessage(detectRuntimeFetch(['npm', 'install', 'pkg'])!)).toBe('unpinned');
  });
});
