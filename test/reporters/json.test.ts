import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import type { Report } from '../../src/report.js';
import { renderJson } from '../../src/reporters/json.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';

// The shared contract lives beside the project in this workspace only; the project's own schema
// must stand alone and stay in step with it.
const SHARED_SCHEMA = repoPath('../shared/schemas/report.schema.json');

function validatorFor(schemaPath: string) {
  return new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
}

describe('JSON report', () => {
  let printed: string;
  let report: Report;
  beforeAll(async () => {
    const rulesDir = repoPath('fixtures/rules');
    const fixtures = readdirSync(rulesDir).flatMap((rule) => readdirSync(`${rulesDir}/${rule}`).map((name) => `${rulesDir}/${rule}/${name}`));
    report = await audit([...fixtures, repoPath('fixtures/examples')], { failOn: 'medium' });
    printed = renderJson(report);
  });

  it('prints exactly the object the library returns', () => {
    expect(JSON.parse(printed)).toEqual(report);
  });

  it('validates against the project schema (schema/report.schema.json)', () => {
    const validate = validatorFor(repoPath('schema/report.schema.json'));
    expect(validate(JSON.parse(printed)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.skipIf(!existsSync(SHARED_SCHEMA))('validates against the shared contract (../shared/schemas/report.schema.json)', () => {
    const validate = validatorFor(SHARED_SCHEMA);
    expect(validate(JSON.parse(printed)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('exercises every part of the schema it validates: findings of several categories, nulls, incomplete bundles', () => {
    const findings = report.bundles.flatMap((bundle) => bundle.findings);
    expect([...new Set(findings.map((finding) => finding.category))]).toEqual(expect.arrayContaining(['archive', 'manifest', 'signature']));
    expect(report.bundles.some((bundle) => bundle.manifest === null)).toBe(true);
    expect(report.bundles.some((bundle) => bundle.sha256 === null)).toBe(true);
    expect(report.bundles.some((bundle) => !bundle.complete)).toBe(true);
    expect(new Set(report.bundles.map((bundle) => bundle.signature))).toEqual(
      new Set(['unsigned', 'self-signed', 'untrusted', 'invalid', 'malformed', 'not-applicable']),
    );
    expect(report.bundles.some((bundle) => bundle.signer?.untrusted !== undefined)).toBe(true);
    expect(report.summary).toMatchObject({ bundles: report.bundles.length, gate: 'medium', failed: true });
  });

  it("keeps a finding's tool fields and its message in agreement: every tool the message names is its tool or in its tools", () => {
    const findings = report.bundles.flatMap((bundle) => bundle.findings);
    const named = /\btools? ((?:"(?:[^"\\]|\\.)*"(?:, )?)+)(?: and (\d+) more)?/g;
    for (const finding of findings) {
      const fields = new Set([finding.tool, ...(finding.tools ?? [])].filter((tool) => tool !== undefined));
      if (finding.tools !== undefined) {
        expect(finding.tools.length, finding.message).toBeGreaterThan(1);
        expect(finding.tools, finding.message).toEqual([...new Set(finding.tools)].sort());
        expect(finding.tools, finding.message).toContain(finding.tool);
      }
      for (const match of finding.message.matchAll(named)) {
        const quoted = [...match[1]!.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((name) => name[1]!);
        for (const tool of quoted) expect([...fields], `${finding.ruleId}: ${finding.message}`).toContain(tool);
        expect(fields.size, `${finding.ruleId}: ${finding.message}`).toBeGreaterThanOrEqual(quoted.length + Number(match[2] ?? 0));
      }
    }
    // Several fixtures have findings about several tools: the check above is not vacuous.
    expect(findings.filter((finding) => finding.tools !== undefined).length).toBeGreaterThan(3);
  });

  it('is the same, byte for byte, on a second run', async () => {
    const again = await audit(report.bundles.map((bundle) => bundle.source), { failOn: 'medium' });
    expect(renderJson(again)).toBe(printed);
  });
});

describe('JSON report of chains and an installation', () => {
  let printed: unknown;
  beforeAll(async () => {
    const run = await runCli(['scan', repoPath('fixtures/chains/bundles'), '--claude-dir', repoPath('fixtures/chains/claude-dir'), '--format', 'json']);
    printed = JSON.parse(run.stdout);
  });

  it('has combinations, installations and configured servers to validate', () => {
    const report = printed as Report;
    expect(report.combinations.length).toBeGreaterThan(0);
    expect(report.bundles.some((bundle) => bundle.installation?.kind === 'configured-server')).toBe(true);
    expect(report.installed).toBeDefined();
  });

  it('validates against the project schema', () => {
    const validate = validatorFor(repoPath('schema/report.schema.json'));
    expect(validate(printed), JSON.stringify(validate.errors)).toBe(true);
  });

  it.skipIf(!existsSync(SHARED_SCHEMA))('validates against the shared contract', () => {
    const validate = validatorFor(SHARED_SCHEMA);
    expect(validate(printed), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('JSON printing', () => {
  it('escapes invisible characters yet keeps the values exact', () => {
    const hostile = 'evil\u001b[2J\u202e\u200b\u{E0041}\u0085';
    const json = renderJson({ name: hostile } as unknown as Report);
    expect(json).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e]|\u{E0041}/u);
    expect(JSON.parse(json).name).toBe(hostile);
  });
});
