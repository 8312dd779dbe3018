import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSIONS_FOLDER } from '../src/bundle/discover.js';
import { EXIT } from '../src/cli.js';
import { CONFIG_FILE } from '../src/installed/read.js';
import { actionInputs, loadAction, readmeWorkflow, runStep } from './helpers/action.js';
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

  it('shows a CI workflow that uses this repository\'s action, with inputs the action declares', () => {
    const workflow = readmeWorkflow();
    const steps = Object.values(workflow.jobs)[0]!.steps;
    const used = steps.findIndex((step) => step.uses?.startsWith('dxt-audit/') === true);
    const { version } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
    const { $id } = JSON.parse(readFileSync(repoPath('schema/report.schema.json'), 'utf8')) as { $id: string };
    // The repository the schemas name, at the tag of this version.
    expect(`https://github.com/${steps[used]!.uses!.split('@')[0]}/`).toBe($id.slice(0, $id.indexOf('/schema/') + 1));
    expect(steps[used]!.uses).toBe(`dxt-audit/dxt-audit@v${version}`);
    expect(steps.slice(0, used).map((step) => step.uses)).toContain('actions/checkout@v4');
    const action = loadAction();
    const given = steps[used]!.with ?? {};
    for (const name of Object.keys(given)) expect(Object.keys(action.inputs), name).toContain(name);
    for (const [name, input] of Object.entries(action.inputs)) if (input.required === true) expect(given, name).toHaveProperty(name);
    if (given['upload-sarif'] === true) expect(workflow.permissions['security-events']).toBe('write');
    for (const name of Object.keys(action.inputs)) expect(readme, name).toContain(`\`${name}\``);
  });

  describe("the action's scan step, run as written with the README's inputs on the package npm test built", () => {
    const action = loadAction();
    const scanStep = action.runs.steps.find((step) => step.id === 'scan')!;
    const given = Object.values(readmeWorkflow().jobs)[0]!.steps.find((step) => step.uses?.startsWith('dxt-audit/'))!.with!;
    const workspace = mkdtempSync(path.join(tmpdir(), 'dxt-audit-readme-'));
    const context = (inputs: Record<string, unknown>) => ({ inputs: actionInputs(action, { ...given, ...inputs }), actionPath: repoPath('.'), workspace });
    beforeAll(async () => {
      cpSync(repoPath('fixtures/chains/bundles'), path.join(workspace, String(given.paths)), { recursive: true });
      // Adopting the gate: the baseline is written once, from what the extensions hold today.
      await runCli(['scan', path.join(workspace, String(given.paths)), '--write-baseline', path.join(workspace, String(given.baseline))]);
    });
    afterAll(() => rmSync(workspace, { recursive: true, force: true }));

    it('passes on what the baseline holds and hands the SARIF it wrote to the upload step', () => {
      const run = runStep(scanStep, context({}));
      expect(run.status, run.stderr).toBe(0);
      expect(run.outputs).toEqual({ 'exit-code': '0', sarif: String(given.output) });
      const sarif = JSON.parse(readFileSync(path.join(workspace, String(given.output)), 'utf8')) as { version: string };
      expect(sarif.version).toBe('2.1.0');
      const upload = action.runs.steps.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif@') === true)!;
      expect(upload.with?.sarif_file).toBe('${{ steps.scan.outputs.sarif }}');
      expect(upload.if).toContain("steps.scan.outputs.sarif != ''");
      expect(action.outputs['exit-code']!.value).toBe('${{ steps.scan.outputs.exit-code }}');
    });

    it('fails the job on a failed gate, and still hands over the SARIF', () => {
      const run = runStep(scanStep, context({ baseline: '', 'fail-on': 'medium' }));
      expect(run.status).toBe(1);
      expect(run.outputs).toEqual({ 'exit-code': '1', sarif: String(given.output) });
    });

    it('refuses an upload of anything but a SARIF file, and a path that does not exist, with nothing to upload', () => {
      const text = runStep(scanStep, context({ format: 'text' }));
      expect(text.status).toBe(2);
      expect(text.stdout).toContain('::error title=dxt-audit::upload-sarif: true needs format: sarif and an output file');
      expect(text.outputs).toEqual({ 'exit-code': '2' });
      const missing = runStep(scanStep, context({ paths: 'extensions/ no-such-bundle.mcpb' }));
      expect(missing.status).toBe(2);
      expect(missing.outputs).toEqual({ 'exit-code': '2' });
    });

    it('takes each word of paths as one path, never a pattern, and prints the report to the log without output', () => {
      const run = runStep(scanStep, context({ paths: `${String(given.paths)}shell-runner\n  ${String(given.paths)}team-*`, format: 'text', output: '', 'upload-sarif': 'false' }));
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('team-*');
      const log = runStep(scanStep, context({ paths: `${String(given.paths)}shell-runner ${String(given.paths)}team-calendar`, format: 'text', output: '', 'upload-sarif': 'false' }));
      expect(log.status).toBe(0);
      expect(log.stdout).toContain('Chains across extensions (1)');
      expect(log.outputs).toEqual({ 'exit-code': '0' });
    });
  });
});
