import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { DRIFT_ASPECTS } from '../../src/diff/report.js';
import { renderDiff } from '../../src/diff/render.js';
import type { BundleSurface } from '../../src/diff/surface.js';
import { RULES } from '../../src/audit-content.js';
import type { BundleReport, Finding } from '../../src/report.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, repoPath } from '../helpers/fixtures.js';

// schema/diff.schema.json against real diffs: the fixture pairs through the command line, and one
// built to hold every part of the schema (a changed finding, drift of every aspect, an incomplete side).

function validator() {
  const load = (file: string) => JSON.parse(readFileSync(repoPath(file), 'utf8')) as object;
  // The diff schema refers to the report schema's definitions by relative $ref; a validator loads both.
  return new Ajv({ allErrors: true, strict: false }).addSchema(load('schema/report.schema.json')).compile(load('schema/diff.schema.json'));
}

const finding = (severity: Finding['severity'], tool: string): Finding => ({
  ruleId: 'code-shell-exec',
  category: 'shell-exec',
  severity,
  message: `child_process.exec() runs a command in tool "${tool}".`,
  location: { file: 'server/index.js', line: 4, column: 2 },
  tool,
  trigger: { kind: 'tool', name: tool },
  origin: 'first-party',
  evidence: 'exec(command)',
  fingerprint: '1'.repeat(32),
});

function side(version: string, findings: Finding[], extra: Partial<BundleReport>): BundleReport {
  return {
    source: `ext-${version}.mcpb`,
    id: 'ext',
    sha256: version === '1.0.0' ? 'a'.repeat(64) : 'b'.repeat(64),
    manifest: { name: 'ext', displayName: 'Ext', version, manifestVersion: '0.3', serverType: 'node' },
    capabilities: [],
    connectorClass: 'execution',
    score: 10,
    level: 'medium',
    complete: true,
    incompleteReasons: [],
    signature: 'unsigned',
    findings,
    ...extra,
  };
}

const emptySurface: BundleSurface = { tools: [], hosts: [], launch: [], userConfig: [], dependencies: [], nativeFiles: [], publisher: null };
const fullSurface: BundleSurface = {
  tools: [{ name: 'run', descriptions: ['Runs a command'] }],
  hosts: [{ host: 'evil.example.net', declared: false }],
  launch: [{ field: 'mcp_config.command', value: 'node' }],
  userConfig: [{ key: 'root', type: 'directory', default: '"/"' }],
  dependencies: [{ ecosystem: 'pypi', name: 'requests', versions: ['2.32.0'] }],
  nativeFiles: [{ path: 'bin/x', sha256: 'c'.repeat(64), description: 'a Mach-O 64-bit arm64 executable' }],
  publisher: 'Someone',
};

describe('schema/diff.schema.json', () => {
  const validate = validator();

  it.each(['bcc-added', 'new-undeclared-host', 'new-tool-shell', 'cosmetic'])('validates the JSON diff of fixtures/diff/%s', async (name) => {
    const run = await runCli(['diff', repoPath(`fixtures/diff/${name}/old`), repoPath(`fixtures/diff/${name}/new`), '--format', 'json']);
    expect(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('validates a diff that uses every part of it, and rejects a broken one', () => {
    const diff = diffReports(
      { bundle: side('1.0.0', [finding('medium', 'run'), finding('low', 'old_tool')], {}), surface: emptySurface },
      {
        bundle: side('1.1.0', [finding('critical', 'run'), finding('high', 'new_tool')], {
          capabilities: ['shell'],
          complete: false,
          incompleteReasons: ['server/index.js could not be parsed'],
          signature: 'malformed',
        }),
        surface: fullSurface,
      },
      { gate: 'high', internalError: false },
    );
    expect(new Set(diff.drift.map((item) => item.aspect))).toEqual(new Set(DRIFT_ASPECTS.filter((aspect) => aspect !== 'signer')));
    expect(diff.changed).toHaveLength(1);
    const printed = JSON.parse(renderDiff(diff, 'json', { color: false, cwd: REPO_ROOT, rules: RULES })) as Record<string, unknown>;
    expect(validate(printed), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...printed, drift: [{ aspect: 'mood', change: 'added', subject: 'x' }] })).toBe(false);
    expect(validate({ ...printed, changed: [finding('high', 'run')] })).toBe(false);
  });
});
