import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXTENSIONS_FOLDER } from '../src/bundle/discover.js';
import { EXIT } from '../src/cli.js';
import { CONFIG_FILE } from '../src/installed/read.js';
import { runCli } from './helpers/cli.js';
import { repoPath } from './helpers/fixtures.js';

// The README is what a newcomer trusts first: its quick start, option table, exit codes and CI
// workflow are checked against what the code does.

const readme = readFileSync(repoPath('README.md'), 'utf8');
const codeBlocks = (language: string) => [...readme.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1]!);

describe('README', () => {
  it('starts with exactly two commands: install and scan the bundled example, then npm test', () => {
    const quickStart = codeBlocks('sh')[0]!.trim().split('\n');
    expect(quickStart).toEqual([expect.stringMatching(/^npm install && npx dxt-audit scan (\S+)$/), 'npm test']);
    const example = /scan (\S+)$/.exec(quickStart[0]!)![1]!;
    expect(existsSync(repoPath(example))).toBe(true);
  });

  it('lists every scan option that --help lists, and no other', async () => {
    const help = (await runCli(['scan', '--help'])).stdout;
    const fromHelp = [...help.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1]!).filter((flag) => flag !== '--help');
    const fromReadme = [...readme.matchAll(/^\| `(?:-\w, )?(--[a-z-]+)/gm)].map((match) => match[1]!);
    const grouped = [...readme.matchAll(/^\| ((?:`--[a-z-]+(?: [A-Z]+)?`, )+`--[a-z-]+(?: [A-Z]+)?`) \|/gm)].flatMap((match) =>
      match[1]!.split(', ').map((flag) => /--[a-z-]+/.exec(flag)![0]),
    );
    expect(new Set([...fromReadme, ...grouped])).toEqual(new Set(fromHelp));
  });

  it('names the test commands CI runs after installing, and no other', () => {
    const ci = readFileSync(repoPath('.ci/run'), 'utf8').split('\n').filter((line) => line.startsWith('npm '));
    const development = readme.slice(readme.indexOf('## Development'));
    const documented = [...development.matchAll(/`(npm (?:test|run test:[a-z]+))`/g)].map((match) => match[1]!);
    expect(ci).toEqual(['npm ci', ...documented]);
    const scripts = (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    for (const command of documented) expect(scripts[command.replace(/^npm (run )?/, '')], command).toMatch(/vitest run/);
  });

  it('imports in its library examples only what the library exports', async () => {
    const library = (await import('../src/index.js')) as Record<string, unknown>;
    const imported = codeBlocks('ts').flatMap((block) => [...block.matchAll(/import \{ ([^}]+) \} from 'dxt-audit'/g)].flatMap((match) => match[1]!.split(', ')));
    expect(imported).toEqual(expect.arrayContaining(['audit', 'toText', 'toJson', 'toSarif', 'toMarkdown']));
    for (const name of imported) expect(library[name], name).toBeDefined();
  });

  it('links only to pages that exist, among them what is read in the Claude Desktop folder', () => {
    const links = [...readme.matchAll(/\]\(((?:docs|schema)\/[^)#]+)/g)].map((match) => match[1]!);
    expect(links).toContain('docs/claude-desktop.md');
    for (const link of links) expect(existsSync(repoPath(link)), link).toBe(true);
    const page = readFileSync(repoPath('docs/claude-desktop.md'), 'utf8');
    for (const file of [EXTENSIONS_FOLDER, 'Claude Extensions Settings', 'extensions-installations.json', CONFIG_FILE]) expect(page).toContain(`## \`${file}`);
  });

  it('is published under the license package.json names', () => {
    const license = readFileSync(repoPath('LICENSE'), 'utf8');
    expect((JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { license: string }).license).toBe('MIT');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} the dxt-audit authors\n/);
  });

  it('documents the exit codes the command line uses', () => {
    for (const code of Object.values(EXIT)) expect(readme).toMatch(new RegExp('`' + code + '` [a-z]'));
  });

  it('shows a CI workflow whose scan command runs as written and writes SARIF', async () => {
    const workflow = codeBlocks('yaml')[0]!;
    expect(workflow).toContain('github/codeql-action/upload-sarif');
    const command = /run: npx --yes dxt-audit@[\d.]+ (scan .*)$/m.exec(workflow)![1]!.split(' ');
    const dir = mkdtempSync(path.join(tmpdir(), 'dxt-audit-readme-'));
    const baseline = path.join(dir, 'baseline.json');
    await runCli(['scan', repoPath('fixtures/chains/bundles'), '--write-baseline', baseline]);
    const args = command.map((word) =>
      word === 'extensions/' ? repoPath('fixtures/chains/bundles') : word.endsWith('.sarif') ? path.join(dir, word) : word.endsWith('.json') ? baseline : word,
    );
    const run = await runCli(args);
    expect(run.code, run.stderr).toBe(0);
    const sarif = JSON.parse(readFileSync(path.join(dir, 'dxt-audit.sarif'), 'utf8')) as { version: string };
    expect(sarif.version).toBe('2.1.0');
    expect(readme).toContain(`sarif_file: ${command.find((word) => word.endsWith('.sarif'))}`);
  });
});
