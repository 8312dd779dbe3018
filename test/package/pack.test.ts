import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../src/report.js';
import { repoPath } from '../helpers/fixtures.js';

// The package as published: `npm pack` (of the build `npm test` just made), installed into an
// empty project with npm's cache preferred (npm ci filled it), then its `dxt-audit` bin run there.
// Whatever `files`, `bin`, `exports` or a runtime import forgets shows up here, not on npm.

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

describe('the packed package', () => {
  let project: string;
  beforeAll(() => {
    project = mkdtempSync(path.join(tmpdir(), 'dxt-audit-pack-'));
    execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', project], { cwd: repoPath('.'), stdio: 'pipe' });
    const tarball = readdirSync(project).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], { cwd: project, stdio: 'pipe' });
  }, 300_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('ships the license and the documentation', () => {
    for (const file of ['LICENSE', 'README.md', 'docs/claude-desktop.md', 'schema/report.schema.json']) expect(existsSync(path.join(project, 'node_modules', 'dxt-audit', file)), file).toBe(true);
  });

  it('installs a dxt-audit bin that scans a bundle and exits by the gate', () => {
    const bin = path.join(project, 'node_modules', '.bin', process.platform === 'win32' ? 'dxt-audit.cmd' : 'dxt-audit');
    const clean = spawnSync(bin, ['scan', repoPath('fixtures/examples/hello-world.dxt'), '--format', 'json'], { cwd: project, encoding: 'utf8' });
    expect(clean.status, clean.stderr).toBe(0);
    const report = JSON.parse(clean.stdout) as Report;
    expect(report.bundles.map((bundle) => [bundle.id, bundle.complete])).toEqual([['hello-world', true]]);
    const risky = spawnSync(bin, ['scan', repoPath('fixtures/chains/bundles/shell-runner')], { cwd: project, encoding: 'utf8' });
    expect(risky.status).toBe(1);
    expect(risky.stdout).toContain('code-shell-exec');
  });

  it('exposes the library API and the report schemas', async () => {
    const script = [
      "import { audit, RULES, toJson, toMarkdown, toSarif, toText } from 'dxt-audit';",
      "import { readFileSync } from 'node:fs';",
      "const report = await audit([process.argv[2]]);",
      "const schema = JSON.parse(readFileSync('node_modules/dxt-audit/schema/report.schema.json', 'utf8'));",
      "const printed = { text: toText(report).includes('hello-world'), json: JSON.parse(toJson(report)).bundles.length, sarif: JSON.parse(toSarif(report)).version, markdown: toMarkdown(report).length > 0 };",
      "console.log(JSON.stringify({ bundles: report.bundles.length, rules: RULES.length, schema: schema.title, printed }));",
    ].join('\n');
    writeFileSync(path.join(project, 'use.mjs'), script);
    const run = spawnSync(process.execPath, ['use.mjs', repoPath('fixtures/examples/hello-world.dxt')], { cwd: project, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      bundles: 1,
      rules: expect.any(Number),
      schema: expect.stringContaining('dxt-audit'),
      printed: { text: true, json: 1, sarif: '2.1.0', markdown: true },
    });
  });
});
