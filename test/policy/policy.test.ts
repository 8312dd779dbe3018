import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { RULES } from '../../src/audit-content.js';
import { UsageError } from '../../src/common.js';
import { parsePolicy, type Policy } from '../../src/policy/config.js';
import type { Report } from '../../src/report.js';
import { renderJson } from '../../src/reporters/json.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';
import { tempFolder } from '../helpers/temp.js';

// The policy file: validated whole, never read from a bundle, and suppressions that hold only for
// the content they were reviewed on.

const SHELL_RUNNER = repoPath('fixtures/chains/bundles/shell-runner');
const SHELL_FILE = 'server/index.js';
const HELLO = repoPath('fixtures/examples/hello-world.dxt');
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const shellFileHash = sha256(readFileSync(path.join(SHELL_RUNNER, SHELL_FILE)));
const helloHash = sha256(readFileSync(HELLO));

const policy = (json: object): Policy => parsePolicy(json, 'test.config.json', RULES);
const scan = (paths: string[], json: object, today = '2026-11-21'): Promise<Report> => audit(paths, { policy: policy(json), today });

describe('reading the policy file', () => {
  it('rejects unknown keys, rule ids that do not exist, bad severities, suppressions without a reason, and impossible dates', () => {
    expect(() => policy({ failOn: 'high', colour: true })).toThrow(UsageError);
    expect(() => policy({ rules: { 'code-shell-exce': 'off' } })).toThrow(/code-shell-exce/);
    expect(() => policy({ rules: { 'code-shell-exec': 'severe' } })).toThrow(UsageError);
    expect(() => policy({ categories: { shell: 'low' } })).toThrow(UsageError);
    const suppression = { rule: 'code-shell-exec', bundle: 'shell-runner', sha256: shellFileHash, file: SHELL_FILE };
    expect(() => policy({ suppressions: [suppression] })).toThrow(/reason/);
    expect(() => policy({ suppressions: [{ ...suppression, reason: '   ' }] })).toThrow(UsageError);
    expect(() => policy({ suppressions: [{ ...suppression, reason: 'ok', expires: '2026-02-30' }] })).toThrow(/2026-02-30/);
    expect(() => policy({ allowedHosts: ['not a host'] })).toThrow(/not a host/);
  });

  it('is found in the working directory, or named by --config; a missing named file is a usage error', async () => {
    const dir = tempFolder('policy');
    writeFileSync(path.join(dir, 'dxt-audit.config.json'), JSON.stringify({ rules: { 'code-shell-exec': 'low' } }));
    const found = await runCli(['scan', SHELL_RUNNER, '--format', 'json'], { cwd: dir });
    expect(found.code).toBe(0);
    const report = JSON.parse(found.stdout) as Report;
    expect(report.policy).toEqual({ file: 'dxt-audit.config.json', problems: [] });
    expect(report.bundles[0]!.findings.map((finding) => [finding.ruleId, finding.severity])).toEqual([['code-shell-exec', 'low']]);

    const missing = await runCli(['scan', SHELL_RUNNER, '--config', path.join(dir, 'absent.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the policy file/);
    writeFileSync(path.join(dir, 'broken.json'), '{ "rules": ');
    expect((await runCli(['scan', SHELL_RUNNER, '--config', path.join(dir, 'broken.json')])).code).toBe(2);
  });

  it('sets the default gate; --fail-on still wins', async () => {
    const dir = tempFolder('policy');
    writeFileSync(path.join(dir, 'dxt-audit.config.json'), JSON.stringify({ failOn: 'none' }));
    expect((await runCli(['scan', SHELL_RUNNER], { cwd: dir })).code).toBe(0);
    expect((await runCli(['scan', SHELL_RUNNER, '--fail-on', 'critical'], { cwd: dir })).code).toBe(1);
    expect((await runCli(['scan', SHELL_RUNNER])).code).toBe(1);
  });

  it('names the offending key and where it is in the file', async () => {
    const dir = tempFolder('policy');
    const errorFor = async (name: string, text: string) => {
      writeFileSync(path.join(dir, name), text);
      const run = await runCli(['scan', SHELL_RUNNER, '--config', name], { cwd: dir });
      expect(run.code).toBe(2);
      return run.stderr;
    };
    const schema = ['{', '  "failOn": "high",', '  "colour": true,', '  "rules": { "code-shell-exec": "severe" },', '  "suppressions": [{ "rule": "code-shell-exec" }]', '}'].join('\n');
    expect(await errorFor('schema.json', schema)).toBe(
      'dxt-audit: the policy file is not valid: ' +
        'schema.json:3:3: colour: unknown key (known: $schema, failOn, allowedHosts, allowedPaths, rules, categories, suppressions); ' +
        'schema.json:4:14: rules.code-shell-exec: must be one of off, info, low, medium, high, critical; ' +
        'schema.json:5:20: suppressions[0]: "bundle" is missing; schema.json:5:20: suppressions[0]: "sha256" is missing; schema.json:5:20: suppressions[0]: "reason" is missing\n',
    );
    const suppression = { rule: 'code-shell-exce', bundle: 'shell-runner', sha256: shellFileHash, reason: 'ok', expires: '2026-02-30' };
    const semantic = JSON.stringify({ allowedHosts: ['api.example.com', 'not a host'], rules: { 'code-netwrk': 'low' }, suppressions: [suppression] }, null, 2);
    expect(await errorFor('semantic.json', semantic)).toBe(
      'dxt-audit: the policy file is not valid: ' +
        'semantic.json:4:5: allowedHosts[1]: "not a host" is not a host name; ' +
        'semantic.json:7:5: rules.code-netwrk: no such rule (see `dxt-audit rules`); ' +
        'semantic.json:11:7: suppressions[0].rule: no rule "code-shell-exce" (see `dxt-audit rules`); ' +
        'semantic.json:15:7: suppressions[0].expires: "2026-02-30" is not a day of the calendar\n',
    );
    expect(await errorFor('syntax.json', '{\n  "rules": {\n    "code-network": "low",\n  }\n}')).toBe(
      'dxt-audit: the policy file syntax.json is not valid JSON: syntax.json:4:3: expected a property name in double quotes\n',
    );
  });

  it('names the offending key without a position when given only the parsed value', () => {
    expect(() => policy({ categories: { shell: 'low' } })).toThrow(
      'the policy file is not valid: test.config.json: categories.shell: key must be one of archive, manifest,',
    );
    expect(() => policy({ rules: { 'a b': 'low' } })).toThrow('test.config.json: rules["a b"]: key must match pattern');
  });

  it('is never read from inside a scanned bundle', async () => {
    // The fixture bundle ships a dxt-audit.config.json that turns the shell rule off and suppresses everything.
    const report = await audit([repoPath('fixtures/policy/self-suppressing')]);
    expect(report.policy).toBeUndefined();
    expect(report.bundles[0]!.findings.map((finding) => finding.ruleId)).toContain('code-shell-exec');
    expect(report.summary.failed).toBe(true);
  });
});

describe('severity overrides and disabled rules', () => {
  it('apply a rule override before a category override, and drop disabled rules', async () => {
    const byCategory = await scan([SHELL_RUNNER], { categories: { 'shell-exec': 'medium' } });
    expect(byCategory.bundles[0]!.findings[0]).toMatchObject({ ruleId: 'code-shell-exec', severity: 'medium' });
    const both = await scan([SHELL_RUNNER], { categories: { 'shell-exec': 'medium' }, rules: { 'code-shell-exec': 'info' } });
    expect(both.bundles[0]!.findings[0]).toMatchObject({ ruleId: 'code-shell-exec', severity: 'info' });
    expect(both.bundles[0]!.level).toBe('none');
    const off = await scan([SHELL_RUNNER], { rules: { 'code-shell-exec': 'off' } });
    expect(off.bundles[0]!.findings.map((finding) => finding.ruleId)).not.toContain('code-shell-exec');
  });

  it('reach chains across bundles through their rule and category', async () => {
    const pair = [repoPath('fixtures/chains/bundles/team-calendar'), SHELL_RUNNER];
    expect((await audit(pair)).combinations.map((chain) => chain.severity)).toEqual(['critical']);
    expect((await scan(pair, { categories: { 'toxic-combination': 'medium' } })).combinations.map((chain) => chain.severity)).toEqual(['medium']);
    expect((await scan(pair, { rules: { 'chain-toxic-combination': 'off' } })).combinations).toEqual([]);
  });

  it('keep fingerprints, so a baseline does not move when severities are retuned', async () => {
    const plain = await audit([SHELL_RUNNER]);
    const retuned = await scan([SHELL_RUNNER], { rules: { 'code-shell-exec': 'low' } });
    expect(retuned.bundles[0]!.findings[0]!.fingerprint).toBe(plain.bundles[0]!.findings[0]!.fingerprint);
  });
});

describe('allowed hosts and paths', () => {
  const severityOf = (report: Report, pattern: RegExp) => report.bundles[0]!.findings.find((finding) => pattern.test(finding.message))?.severity;

  it('count allowed hosts as declared, like --allow-host', async () => {
    const network = repoPath('fixtures/rules/code-network/invalid');
    const endpoint = /^Endpoint api\.weatherly\.dev /;
    expect(severityOf(await audit([network]), endpoint)).toBe('low');
    expect(severityOf(await scan([network], { allowedHosts: ['weatherly.dev'] }), endpoint)).toBe('info');
  });

  it('count allowed paths as declared scope, like directories the user granted', async () => {
    const outside = repoPath('fixtures/rules/code-filesystem/invalid-outside');
    const listing = /^fs\.readdirSync\(\) lists "\/home"/;
    expect(severityOf(await audit([outside]), listing)).toBe('low');
    expect(severityOf(await scan([outside], { allowedPaths: ['/home'] }), listing)).toBeUndefined();
  });
});

describe('suppressions', () => {
  const fileSuppression = { rule: 'code-shell-exec', bundle: 'shell-runner', file: SHELL_FILE, sha256: shellFileHash, reason: 'reviewed: runs only what the user types' };

  it('move a matching finding out of the gate and the score, with its reason', async () => {
    const report = await scan([SHELL_RUNNER], { suppressions: [fileSuppression] });
    const bundle = report.bundles[0]!;
    expect(bundle.findings.map((finding) => finding.ruleId)).not.toContain('code-shell-exec');
    expect(bundle.suppressed).toEqual([expect.objectContaining({ ruleId: 'code-shell-exec', suppression: { reason: fileSuppression.reason } })]);
    expect(bundle.score).toBe(0);
    expect(report.summary.failed).toBe(false);
    expect(report.summary.bySeverity.critical).toBe(0);
    expect(report.policy!.problems).toEqual([]);
  });

  it('do not carry over to changed content: another hash applies to nothing and is reported', async () => {
    const report = await scan([SHELL_RUNNER], { suppressions: [{ ...fileSuppression, sha256: '0'.repeat(64) }] });
    expect(report.bundles[0]!.findings.map((finding) => finding.ruleId)).toContain('code-shell-exec');
    expect(report.summary.failed).toBe(true);
    expect(report.policy!.problems).toEqual([expect.stringMatching(/^suppression 1 \(code-shell-exec in shell-runner, server\/index\.js\) does not apply: the file server\/index\.js changed/)]);
  });

  it('stop at their expiry day, and say so', async () => {
    const expiring = { ...fileSuppression, expires: '2026-11-20' };
    expect((await scan([SHELL_RUNNER], { suppressions: [expiring] }, '2026-11-20')).summary.failed).toBe(false);
    const later = await scan([SHELL_RUNNER], { suppressions: [expiring] }, '2026-11-21');
    expect(later.summary.failed).toBe(true);
    expect(later.policy!.problems).toEqual([expect.stringContaining('expired on 2026-11-20')]);
  });

  it('that match nothing, or name a bundle not scanned, are reported as unused', async () => {
    const report = await scan([SHELL_RUNNER], {
      suppressions: [
        { ...fileSuppression, rule: 'code-network' },
        { ...fileSuppression, bundle: 'elsewhere' },
      ],
    });
    expect(report.policy!.problems).toEqual([
      expect.stringMatching(/^suppression 1 .* is unused: no code-network finding matched it/),
      expect.stringMatching(/^suppression 2 .* is unused: no bundle with that id was scanned/),
    ]);
  });

  it('tie a whole-bundle suppression to the archive hash; a folder needs a file', async () => {
    const whole = { rule: 'signature-missing', bundle: 'hello-world', sha256: helloHash, reason: 'unsigned by design' };
    const archive = await scan([HELLO], { suppressions: [whole] });
    expect(archive.bundles[0]!.suppressed?.map((finding) => finding.ruleId)).toEqual(['signature-missing']);
    const folder = await scan([SHELL_RUNNER], { suppressions: [{ ...fileSuppression, file: undefined }] });
    expect(folder.bundles[0]!.suppressed).toBeUndefined();
    expect(folder.policy!.problems).toEqual([expect.stringContaining('the bundle is a folder, which has no archive hash')]);
  });

  it('appear in a JSON report that both report schemas accept', async () => {
    const report = await scan([SHELL_RUNNER, HELLO], { suppressions: [fileSuppression, { ...fileSuppression, bundle: 'elsewhere' }] });
    expect(report.bundles[0]!.suppressed).toHaveLength(1);
    for (const schema of [repoPath('schema/report.schema.json'), repoPath('../shared/schemas/report.schema.json')]) {
      if (!existsSync(schema)) continue;
      const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(schema, 'utf8')));
      expect(validate(JSON.parse(renderJson(report))), JSON.stringify(validate.errors)).toBe(true);
    }
  });

  it('are shown in text output with their reason, and problems under the policy heading', async () => {
    const dir = tempFolder('policy');
    writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ suppressions: [fileSuppression, { ...fileSuppression, bundle: 'elsewhere' }] }));
    const run = await runCli(['scan', SHELL_RUNNER, '--config', path.join(dir, 'policy.json')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('suppressed by the policy file (1)');
    expect(run.stdout).toContain(`suppressed: ${fileSuppression.reason}`);
    expect(run.stdout).toMatch(/Policy read from .*policy\.json \(1 to review\)/);
  });
});
