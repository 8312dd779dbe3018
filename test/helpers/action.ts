import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoPath } from './fixtures.js';

// action.yml and the README's workflow as GitHub reads them, and the action's shell steps run as
// GitHub runs them: inputs substituted, `shell: bash` being `bash --noprofile --norc -eo pipefail`.

export interface ActionStep {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  with?: Record<string, unknown>;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  'working-directory'?: string;
}

export interface Action {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface Workflow {
  permissions: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; steps: Array<{ uses?: string; with?: Record<string, unknown> }> }>;
}

export function loadAction(): Action {
  return parse(readFileSync(repoPath('action.yml'), 'utf8')) as Action;
}

/** The first workflow the README shows. */
export function readmeWorkflow(): Workflow {
  const readme = readFileSync(repoPath('README.md'), 'utf8');
  return parse(/```yaml\n([\s\S]*?)```/.exec(readme)![1]!) as Workflow;
}

/** The inputs GitHub gives the action: its defaults, then what `with` says, each as a string. */
export function actionInputs(action: Action, given: Record<string, unknown>): Record<string, string> {
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, input.default ?? '']));
  for (const [name, value] of Object.entries(given)) inputs[name] = String(value);
  return inputs;
}

export interface StepContext {
  inputs: Record<string, string>;
  /** `github.action_path`: where the action's repository is checked out. */
  actionPath: string;
  /** The job's working directory (the workflow's checkout). */
  workspace: string;
}

export interface StepRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** What the step wrote to $GITHUB_OUTPUT. */
  outputs: Record<string, string>;
}

/** Runs a `run` step. Only `inputs.*` and `github.action_path` may appear in it: anything else would not be what GitHub runs. */
export function runStep(step: ActionStep, context: StepContext): StepRun {
  if (step.run === undefined || step.shell !== 'bash') throw new Error(`step "${step.name}" is not a bash step`);
  const expand = (text: string) =>
    text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_, name: string) => {
      if (name === 'github.action_path') return context.actionPath;
      if (name.startsWith('inputs.') && name.slice('inputs.'.length) in context.inputs) return context.inputs[name.slice('inputs.'.length)]!;
      throw new Error(`step "${step.name}" uses \${{ ${name} }}`);
    });
  const outputFile = path.join(context.workspace, `.github-output-${step.id ?? 'step'}`);
  writeFileSync(outputFile, '');
  const run = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run)], {
    cwd: step['working-directory'] === undefined ? context.workspace : expand(step['working-directory']),
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, expand(value)])),
      GITHUB_ACTION_PATH: context.actionPath,
      GITHUB_OUTPUT: outputFile,
      GITHUB_WORKSPACE: context.workspace,
    },
    encoding: 'utf8',
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, outputs };
}
