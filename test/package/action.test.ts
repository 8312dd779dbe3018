import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionInputs, loadAction, readmeWorkflow, runStep, type StepContext } from '../helpers/action.js';
import { repoPath } from '../helpers/fixtures.js';

// The GitHub Action end to end, as `uses: dxt-audit/dxt-audit@v…` runs it: GitHub checks the
// repository out (here: a copy of this one's files, as a checkout has them: no node_modules, no
// dist), then every shell step of action.yml runs as written, with the README workflow's inputs, in a
// workspace holding the extensions and the baseline it names. npm ci takes what it can from npm's
// cache (.ci/run filled it).

describe('the GitHub Action, from a checkout of this repository', () => {
  const action = loadAction();
  const given = Object.values(readmeWorkflow().jobs)[0]!.steps.find((step) => step.uses?.startsWith('dxt-audit/'))!.with!;
  const scratch = mkdtempSync(path.join(tmpdir(), 'dxt-audit-action-'));
  const context: StepContext = { inputs: actionInputs(action, given), actionPath: path.join(scratch, 'action'), workspace: path.join(scratch, 'workspace') };
  beforeAll(() => {
    const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repoPath('.'), encoding: 'utf8' }).split('\0');
    // A file deleted but not yet committed is still listed: a checkout would not have it either.
    for (const file of files.filter((name) => name !== '' && existsSync(repoPath(name)))) {
      mkdirSync(path.dirname(path.join(context.actionPath, file)), { recursive: true });
      cpSync(repoPath(file), path.join(context.actionPath, file), { verbatimSymlinks: true });
    }
    cpSync(repoPath('fixtures/chains/bundles'), path.join(context.workspace, String(given.paths)), { recursive: true });
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('sets Node.js up only when asked, then installs, scans and hands the SARIF to the upload step', () => {
    const [setup, install, scan, upload] = action.runs.steps;
    expect([setup!.uses, setup!.if, context.inputs['node-version']]).toEqual(['actions/setup-node@v4', "inputs.node-version != ''", '']);
    const installed = runStep(install!, context);
    expect(installed.status, installed.stderr).toBe(0);
    // The baseline the workflow names, written once as the README says, with what the action installed.
    const bin = path.join(context.actionPath, 'bin', 'dxt-audit.js');
    execFileSync(process.execPath, [bin, 'scan', String(given.paths), '--write-baseline', String(given.baseline)], { cwd: context.workspace });
    const scanned = runStep(scan!, context);
    expect(scanned.status, scanned.stderr).toBe(0);
    expect(scanned.outputs).toEqual({ 'exit-code': '0', sarif: String(given.output) });
    expect(JSON.parse(readFileSync(path.join(context.workspace, String(given.output)), 'utf8'))).toMatchObject({ version: '2.1.0' });
    expect(upload!.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
  });
});
