import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { RULES } from '../../src/audit-content.js';
import { withFingerprints } from '../../src/engine/fingerprint.js';
import type { BundleReport, Combination, RawFinding, Report, Severity } from '../../src/report.js';
import { FINGERPRINT_KEY, renderSarif, sarifDriver, sarifLinks } from '../../src/reporters/sarif.js';
import { TOOL_REPOSITORY, TOOL_VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, repoPath } from '../helpers/fixtures.js';

// The OASIS schema lives beside the project in this workspace only; it is never copied in.
const SARIF_SCHEMA = repoPath('../shared/schemas/sarif-schema-2.1.0.json');

type Sarif = any;

function sarifValidator() {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA, 'utf8'));
  // Without ajv-formats, check the two URI formats the log uses ourselves: an unencoded space or a
  // raw non-ASCII character in a URI is exactly the mistake worth catching.
  const uriReference = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false })
    .addFormat('uri-reference', uriReference)
    .addFormat('uri', (text: string) => uriReference.test(text) && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(text))
    .addFormat('date-time', true);
  ajv.addSchema(schema);
  // This copy keeps the log's own schema under definitions/Root; the document root constrains nothing.
  const validate = ajv.getSchema(`${schema.$id}#/definitions/Root`);
  if (validate === undefined) throw new Error('no definitions/Root in the SARIF schema');
  return validate;
}

function parsed(report: Report): Sarif {
  return JSON.parse(renderSarif(report, { rules: RULES, cwd: REPO_ROOT }));
}

function runOf(log: Sarif): Sarif {
  expect(log.runs).toHaveLength(1);
  return log.runs[0];
}

function raw(overrides: Partial<RawFinding> = {}): RawFinding {
  return {
    ruleId: 'code-shell-exec',
    category: 'shell-exec',
    severity: 'critical',
    message: 'child_process.exec() runs a shell command built from tool input.',
    location: { file: 'server/index.js', line: 3, column: 5 },
    ...overrides,
  };
}

function bundle(overrides: Partial<BundleReport> & { raws?: RawFinding[] } = {}): BundleReport {
  const { raws = [], ...rest } = overrides;
  const id = rest.id ?? 'sample';
  return {
    source: 'bundles/sample.mcpb',
    id,
    sha256: 'ab'.repeat(32),
    manifest: null,
    capabilities: [],
    connectorClass: 'transformation',
    score: 0,
    level: 'none',
    complete: true,
    incompleteReasons: [],
    signature: 'unsigned',
    findings: withFingerprints(id, raws),
    ...rest,
  };
}

function reportOf(bundles: BundleReport[], extra: Partial<Report> = {}, summary: Partial<Report['summary']> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: TOOL_VERSION },
    bundles,
    combinations: [],
    summary: {
      bundles: bundles.length,
      bySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
      gate: 'high',
      failed: false,
      internalError: false,
      ...summary,
    },
    ...extra,
  };
}

/** The artifact a result's first location points at, checked against `run.artifacts`. */
function artifactOf(run: Sarif, location: Sarif): Sarif {
  const reference = location.physicalLocation.artifactLocation;
  const artifact = run.artifacts[reference.index];
  expect(artifact.location.uri).toBe(reference.uri);
  return artifact;
}

function combination(overrides: Partial<Combination> = {}): Combination {
  return {
    ruleId: 'chain-toxic-combination',
    category: 'toxic-combination',
    severity: 'critical',
    message: 'Calendar events read by "Calendar" can steer "Shell", which runs commands on this machine.',
    bundles: ['calendar', 'shell'],
    source: { bundle: 'calendar', tool: 'list_events', tools: ['list_events'], content: 'calendar events' },
    sink: { bundle: 'shell', tool: 'run', tools: ['run'], power: 'command-execution' },
    fingerprint: 'c0ffee00c0ffee00c0ffee00c0ffee00',
    ...overrides,
  };
}

describe('SARIF of the rule fixtures and the examples', () => {
  let report: Report;
  let printed: string;
  beforeAll(async () => {
    const rulesDir = repoPath('fixtures/rules');
    const invalid = readdirSync(rulesDir).flatMap((rule) =>
      readdirSync(`${rulesDir}/${rule}`)
        .filter((name) => name.startsWith('invalid'))
        .map((name) => `${rulesDir}/${rule}/${name}`),
    );
    report = await audit([...invalid, repoPath('fixtures/examples')], { failOn: 'medium' });
    printed = renderSarif(report, { rules: RULES, cwd: REPO_ROOT });
  });

  it.skipIf(!existsSync(SARIF_SCHEMA))('validates against the SARIF 2.1.0 schema (../shared/schemas)', () => {
    const validate = sarifValidator();
    expect(validate(JSON.parse(printed)), JSON.stringify(validate.errors)).toBe(true);
  });

  it.skipIf(!existsSync(SARIF_SCHEMA))('uses a validator that rejects a broken log', () => {
    const validate = sarifValidator();
    const broken = JSON.parse(printed);
    broken.runs[0].results[0].level = 'critical';
    broken.runs[0].artifacts[0].location.uri = 'has a space';
    expect(validate(broken)).toBe(false);
    expect(validate({ version: '2.1.0' })).toBe(false);
  });

  it('has one run by dxt-audit declaring every rule, in RULES order', () => {
    const run = runOf(JSON.parse(printed));
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: 'dxt-audit', version: TOOL_VERSION });
    expect(driver.informationUri).toBe('https://www.npmjs.com/package/dxt-audit');
    expect(driver.rules.map((rule: Sarif) => rule.id)).toEqual(RULES.map(({ meta }) => meta.id));
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('gives every result a rule index that points back at its rule, and a fingerprint', () => {
    const run = runOf(JSON.parse(printed));
    const findings = report.bundles.flatMap((bundle) => bundle.findings);
    expect(run.results).toHaveLength(findings.length + report.combinations.length);
    for (const result of run.results) {
      expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId);
      expect(result.partialFingerprints[FINGERPRINT_KEY]).toMatch(/^[0-9a-f]{32}$/);
    }
    const expected = [...findings, ...report.combinations].map((item) => item.fingerprint);
    expect(run.results.map((result: Sarif) => result.partialFingerprints[FINGERPRINT_KEY])).toEqual(expected);
  });

  it('points every location at a declared artifact, relative to the working directory', () => {
    const run = runOf(JSON.parse(printed));
    for (const result of run.results) artifactOf(run, result.locations[0]);
    for (const artifact of run.artifacts) {
      expect(artifact.location.uri).not.toContain(REPO_ROOT);
      expect(artifact.location.uriBaseId).toBe('%SRCROOT%');
    }
    expect(printed).not.toContain(REPO_ROOT);
  });

  it('is the same, byte for byte, on a second run', async () => {
    const again = await audit(report.bundles.map((bundle) => bundle.source), { failOn: 'medium' });
    expect(renderSarif(again, { rules: RULES, cwd: REPO_ROOT })).toBe(printed);
    expect(printed.endsWith('}\n')).toBe(true);
  });
});

describe('SARIF rules', () => {
  const run = runOf(parsed(reportOf([])));

  it('describes each rule from its metadata, with its default level and security severity', () => {
    const shell = run.tool.driver.rules.find((rule: Sarif) => rule.id === 'code-shell-exec');
    const meta = RULES.find((rule) => rule.meta.id === 'code-shell-exec')!.meta;
    expect(shell).toMatchObject({
      name: 'CodeShellExec',
      shortDescription: { text: 'Server code starts other programs (child_process, execa, cross-spawn, shelljs, open; Python subprocess, os.system, os.popen, pty, asyncio).' },
      fullDescription: { text: meta.description },
      defaultConfiguration: { level: 'warning' },
      properties: { tags: ['security', 'shell-exec'], 'security-severity': '5.5', precision: 'high', severity: 'medium' },
    });
    expect(shell.help.text).toContain(meta.remediation);
    expect(shell.help.markdown).toContain(`**Remediation:** ${meta.remediation}`);
  });

  it("names each rule's page in its help, and links it where the published package holds it while package.json names no repository", () => {
    const meta = RULES.find((rule) => rule.meta.id === 'code-shell-exec')!.meta;
    const shell = run.tool.driver.rules.find((rule: Sarif) => rule.id === 'code-shell-exec');
    expect(shell.help.text).toMatch(/\n\nRule page: docs\/rules\/code-shell-exec\.md in the dxt-audit package; `dxt-audit explain code-shell-exec` prints it\.$/);
    expect(shell.help.markdown).toContain(`**Remediation:** ${meta.remediation}\n\nRule page: docs/rules/code-shell-exec.md`);
    expect(TOOL_REPOSITORY).toBeUndefined();
    expect(shell.helpUri).toBe(`https://unpkg.com/dxt-audit@${TOOL_VERSION}/docs/rules/code-shell-exec.md`);
  });

  it('reads the links from what package.json may say of its repository', () => {
    const github = { informationUri: 'https://github.com/acme/dxt-audit', rule: 'https://github.com/acme/dxt-audit/blob/v1.2.3/docs/rules/code-shell-exec.md' };
    for (const repository of ['acme/dxt-audit', 'github:acme/dxt-audit', 'git+https://github.com/acme/dxt-audit.git', { type: 'git', url: 'https://github.com/acme/dxt-audit/' }]) {
      const links = sarifLinks({ name: 'dxt-audit', repository }, '1.2.3');
      expect({ informationUri: links.informationUri, rule: links.helpUri('code-shell-exec') }, JSON.stringify(repository)).toEqual(github);
    }
    const published = 'https://unpkg.com/dxt-audit@1.2.3/docs/rules/code-shell-exec.md';
    const elsewhere = sarifLinks({ name: 'dxt-audit', repository: { url: 'git+https://gitlab.example/acme/dxt-audit.git' } }, '1.2.3');
    expect({ informationUri: elsewhere.informationUri, rule: elsewhere.helpUri('code-shell-exec') }).toEqual({ informationUri: 'https://gitlab.example/acme/dxt-audit', rule: published });
    for (const none of [undefined, null, 42, {}, { url: 7 }, 'git@github.com:acme/dxt-audit.git', 'http://example.com/x', 'https://exa mple.com/x']) {
      const links = sarifLinks({ name: 'dxt-audit', repository: none }, '1.2.3');
      expect({ informationUri: links.informationUri, rule: links.helpUri('code-shell-exec') }, JSON.stringify(none)).toEqual({ informationUri: 'https://www.npmjs.com/package/dxt-audit', rule: published });
    }
  });

  it.skipIf(!existsSync(SARIF_SCHEMA))('gives a valid informationUri and helpUri for every rule when package.json names a GitHub repository', () => {
    const driver = sarifDriver('1.2.3', RULES, sarifLinks({ name: 'dxt-audit', repository: { type: 'git', url: 'git+https://github.com/acme/dxt-audit.git' } }, '1.2.3'));
    expect(driver.informationUri).toBe('https://github.com/acme/dxt-audit');
    expect(driver.rules.map((rule) => rule.helpUri)).toEqual(RULES.map(({ meta }) => `https://github.com/acme/dxt-audit/blob/v1.2.3/docs/rules/${meta.id}.md`));
    const log = parsed(reportOf([]));
    log.runs[0].tool.driver = driver;
    const validate = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
  });

  it('maps each default severity to a level and a GitHub security severity', () => {
    const expected: Record<Severity, [string, string]> = {
      critical: ['error', '9.5'],
      high: ['error', '8.0'],
      medium: ['warning', '5.5'],
      low: ['note', '3.0'],
      info: ['note', '1.0'],
    };
    for (const [index, { meta }] of RULES.entries()) {
      const rule = run.tool.driver.rules[index];
      expect([rule.defaultConfiguration.level, rule.properties['security-severity']]).toEqual(expected[meta.severity]);
      expect(rule.shortDescription.text.length).toBeLessThanOrEqual(meta.description.length + 1);
    }
  });
});

describe('SARIF results', () => {
  it('maps each finding severity to a level and a security severity, keeping the severity itself', () => {
    const severities: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
    const run = runOf(parsed(reportOf([bundle({ raws: severities.map((severity) => raw({ severity, message: severity })) })])));
    expect(run.results.map((result: Sarif) => [result.level, result.properties['security-severity'], result.properties.severity])).toEqual([
      ['error', '9.5', 'critical'],
      ['error', '8.0', 'high'],
      ['warning', '5.5', 'medium'],
      ['note', '3.0', 'low'],
      ['note', '1.0', 'info'],
    ]);
  });

  it('carries tool, trigger, origin, category and evidence as properties', () => {
    const run = runOf(parsed(reportOf([bundle({ raws: [raw({ tool: 'run_command', origin: 'dependency', evidence: 'exec(cmd)' })] })])));
    expect(run.results[0].properties).toMatchObject({ tool: 'run_command', origin: 'dependency', evidence: 'exec(cmd)', category: 'shell-exec' });
    const trigger = { kind: 'load' as const, via: ['server/index.js', 'server/node_modules/pkg/index.js'] };
    const loaded = runOf(parsed(reportOf([bundle({ raws: [raw({ trigger, origin: 'dependency' })] })])));
    expect(loaded.results[0].properties.trigger).toEqual(trigger);
    const listener = { kind: 'listener' as const, name: 'http.createServer', bind: 'all' as const };
    expect(runOf(parsed(reportOf([bundle({ raws: [raw({ trigger: listener })] })]))).results[0].properties.trigger).toEqual(listener);
  });

  it('locates a finding at its line and column in a file nested in its bundle', () => {
    const run = runOf(parsed(reportOf([bundle({ raws: [raw()] })])));
    const location = run.results[0].locations[0];
    expect(location.physicalLocation).toMatchObject({
      artifactLocation: { uri: 'bundles/sample.mcpb/server/index.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 3, startColumn: 5 },
    });
    expect(artifactOf(run, location).parentIndex).toBe(0);
    expect(run.artifacts[0]).toEqual({
      location: { uri: 'bundles/sample.mcpb', uriBaseId: '%SRCROOT%' },
      roles: ['analysisTarget'],
      hashes: { 'sha-256': 'ab'.repeat(32) },
    });
  });

  it('addresses archive members and folder files alike: the bundle path, then the entry, nested in the bundle', () => {
    const archive = bundle({ id: 'zipped', source: 'b/notes.mcpb', raws: [raw()] });
    const folder = bundle({ id: 'unpacked', source: 'b/notes', sha256: null, raws: [raw()] });
    const run = runOf(parsed(reportOf([archive, folder])));
    expect(run.artifacts.slice(2)).toEqual([
      { location: { uri: 'b/notes.mcpb/server/index.js', uriBaseId: '%SRCROOT%' }, parentIndex: 0 },
      { location: { uri: 'b/notes/server/index.js', uriBaseId: '%SRCROOT%' }, parentIndex: 1 },
    ]);
  });

  it('locates a finding on the bundle as a whole at the bundle, without a region', () => {
    const run = runOf(parsed(reportOf([bundle({ raws: [raw({ location: { file: '.' } })] })])));
    const location = run.results[0].locations[0];
    expect(location.physicalLocation).toEqual({ artifactLocation: { uri: 'bundles/sample.mcpb', uriBaseId: '%SRCROOT%', index: 0 } });
    expect(location.message).toBeUndefined();
  });

  it('puts a JSON pointer in a logical location and keeps the file', () => {
    const run = runOf(parsed(reportOf([bundle({ raws: [raw({ location: { file: 'manifest.json', pointer: '/user_config/api~1key' } }), raw({ location: { file: 'manifest.json', pointer: '/tools/2' } })] })])));
    const [property, item] = run.results.map((result: Sarif) => result.locations[0]);
    expect(property.physicalLocation.artifactLocation.uri).toBe('bundles/sample.mcpb/manifest.json');
    expect(property.physicalLocation.region).toBeUndefined();
    expect(property.logicalLocations).toEqual([{ name: 'api/key', fullyQualifiedName: '/user_config/api~1key', kind: 'property' }]);
    expect(item.logicalLocations).toEqual([{ name: '2', fullyQualifiedName: '/tools/2', kind: 'value' }]);
  });

  it('never builds a URI that leaves the bundle: absolute and climbing entry names point at the bundle', () => {
    const names = ['../../evil.js', '/etc/cron.d/job', 'server//x.js'];
    const run = runOf(parsed(reportOf([bundle({ raws: names.map((file) => raw({ location: { file } })) })])));
    for (const [index, result] of run.results.entries()) {
      expect(result.locations[0].physicalLocation.artifactLocation.uri).toBe('bundles/sample.mcpb');
      expect(result.locations[0].message.text).toBe(`archive entry ${names[index]}`);
    }
    expect(run.artifacts).toHaveLength(1);
  });

  it('percent-encodes bundle and entry paths as URI references', () => {
    const run = runOf(
      parsed(reportOf([bundle({ source: 'my bundles/Ünïcode #1.dxt', raws: [raw({ location: { file: 'lib/50%\\a?b:c.js', line: 1 } })] })])),
    );
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('my%20bundles/%C3%9Cn%C3%AFcode%20%231.dxt/lib/50%25%5Ca%3Fb%3Ac.js');
  });

  it('makes an absolute bundle path inside the working directory relative, and leaves others as file URIs', () => {
    const inside = bundle({ source: repoPath('fixtures/examples/hello-world.dxt') });
    const outside = bundle({ source: '/opt/other place/x.dxt', id: 'other' });
    const run = runOf(parsed(reportOf([inside, outside])));
    expect(run.artifacts.map((artifact: Sarif) => artifact.location)).toEqual([
      { uri: 'fixtures/examples/hello-world.dxt', uriBaseId: '%SRCROOT%' },
      { uri: 'file:///opt/other%20place/x.dxt' },
    ]);
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBeUndefined();
  });

  it('points a hand-configured server at claude_desktop_config.json itself, declared once', () => {
    const configured = (id: string) =>
      bundle({
        id,
        source: 'claude/claude_desktop_config.json',
        sha256: null,
        installation: { kind: 'configured-server', enabled: true, grantedPaths: [], registry: null },
        raws: [raw({ ruleId: 'manifest-runtime-fetch', location: { file: 'claude_desktop_config.json', pointer: `/mcpServers/${id}/args/1` } })],
      });
    const run = runOf(parsed(reportOf([configured('weather'), configured('notes')])));
    expect(run.artifacts).toEqual([{ location: { uri: 'claude/claude_desktop_config.json', uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'] }]);
    for (const result of run.results) {
      expect(result.locations[0].physicalLocation.artifactLocation.index).toBe(0);
      expect(result.locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^\/mcpServers\/\w+\/args\/1$/);
    }
  });

  it('keeps a finding its fingerprint when it moves to another line, and changes none of it on a rescan', async () => {
    const before = runOf(parsed(reportOf([bundle({ raws: [raw()] })]))).results[0];
    const after = runOf(parsed(reportOf([bundle({ raws: [raw({ location: { file: 'server/index.js', line: 40, column: 9 } })] })]))).results[0];
    expect(after.locations[0].physicalLocation.region).toEqual({ startLine: 40, startColumn: 9 });
    expect(after.partialFingerprints).toEqual(before.partialFingerprints);

    const fixture = repoPath('fixtures/chains/bundles');
    const fingerprints = async () =>
      runOf(parsed(await audit([fixture], {}))).results.map((result: Sarif) => result.partialFingerprints[FINGERPRINT_KEY]);
    const first = await fingerprints();
    expect(first.length).toBeGreaterThan(0);
    expect(await fingerprints()).toEqual(first);
  });

  it('lists suppressed findings with the policy reason as an external, accepted suppression', () => {
    const [finding] = withFingerprints('sample', [raw()]);
    const suppressed = [{ ...finding!, suppression: { reason: 'the shell tool is the point of this extension', expires: '2026-12-31' } }];
    const run = runOf(parsed(reportOf([bundle({ raws: [raw({ severity: 'low', message: 'other' })], suppressed })])));
    expect(run.results).toHaveLength(2);
    expect(run.results[0].suppressions).toBeUndefined();
    expect(run.results[1].suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'the shell tool is the point of this extension', properties: { expires: '2026-12-31' } },
    ]);
    expect(run.results[1].partialFingerprints[FINGERPRINT_KEY]).toBe(finding!.fingerprint);
  });

  it('copies the baseline state of findings and chains', () => {
    const [known, fresh] = withFingerprints('sample', [raw(), raw({ message: 'another' })]);
    const sample = bundle();
    sample.findings = [{ ...known!, baselineState: 'unchanged' }, { ...fresh! }];
    const run = runOf(parsed(reportOf([sample], { combinations: [combination({ baselineState: 'new' })] })));
    expect(run.results.map((result: Sarif) => result.baselineState)).toEqual(['unchanged', undefined, 'new']);
  });
});

describe('SARIF chains across extensions', () => {
  it('locates a chain at the line where the reading tool reads, relates the line where the acting one acts, and keeps its fingerprint', () => {
    const bundles = [bundle({ id: 'shell', source: 'b/shell' }), bundle({ id: 'calendar', source: 'b/calendar' })];
    const located = combination({
      source: { ...combination().source, location: { file: 'server/index.js', line: 7, column: 26 } },
      sink: { ...combination().sink, location: { file: 'server/run.js', line: 12, column: 3 } },
    });
    const run = runOf(parsed(reportOf(bundles, { combinations: [located] })));
    const [result] = run.results;
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'b/calendar/server/index.js', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 26 },
    });
    expect(artifactOf(run, result.locations[0]).parentIndex).toBe(1);
    expect(result.relatedLocations[0]).toMatchObject({
      id: 1,
      physicalLocation: { artifactLocation: { uri: 'b/shell/server/run.js' }, region: { startLine: 12, startColumn: 3 } },
      message: { text: 'Where the extension that acts, shell, acts (tool run)' },
    });
    expect(artifactOf(run, result.relatedLocations[0]).parentIndex).toBe(0);
  });

  it('locates a chain of a real scan at the calendar fetch and the shell command', async () => {
    const report = await audit([repoPath('fixtures/chains/bundles')], {});
    const chain = runOf(parsed(report)).results.find((result: Sarif) => result.ruleId === 'chain-toxic-combination');
    expect(chain.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'fixtures/chains/bundles/team-calendar/server/index.js' },
      region: { startLine: 7, startColumn: 26 },
    });
    expect(chain.relatedLocations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'fixtures/chains/bundles/shell-runner/server/index.js' },
      region: { startLine: 8, startColumn: 18 },
    });
  });

  it('points a chain without evidence locations (an older report) at the bundles', () => {
    const bundles = [bundle({ id: 'shell', source: 'b/shell' }), bundle({ id: 'calendar', source: 'b/calendar' })];
    const run = runOf(parsed(reportOf(bundles, { combinations: [combination()] })));
    const [result] = run.results;
    expect(result).toMatchObject({
      ruleId: 'chain-toxic-combination',
      ruleIndex: RULES.findIndex(({ meta }) => meta.id === 'chain-toxic-combination'),
      level: 'error',
      partialFingerprints: { [FINGERPRINT_KEY]: 'c0ffee00c0ffee00c0ffee00c0ffee00' },
      properties: { severity: 'critical', 'security-severity': '9.5', category: 'toxic-combination', bundles: ['calendar', 'shell'] },
    });
    expect(result.locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'b/calendar', index: 1 });
    expect(result.relatedLocations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'b/shell', index: 0 });
  });

  it('never places a chain at a disabled copy of an extension', () => {
    const disabled = bundle({
      id: 'calendar',
      source: 'installed/calendar',
      installation: { kind: 'extension', enabled: false, grantedPaths: [], registry: null },
    });
    const bundles = [disabled, bundle({ id: 'calendar', source: 'b/calendar' }), bundle({ id: 'shell', source: 'b/shell' })];
    const run = runOf(parsed(reportOf(bundles, { combinations: [combination()] })));
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('b/calendar');
  });
});

describe('SARIF invocation', () => {
  it('reports success, and each reason a bundle was not fully audited as a warning naming it', () => {
    const incomplete = bundle({ id: 'broken', complete: false, incompleteReasons: ['manifest.json could not be parsed'] });
    const run = runOf(parsed(reportOf([bundle(), incomplete])));
    expect(run.invocations).toHaveLength(1);
    expect(run.invocations[0]).toMatchObject({ executionSuccessful: true, properties: { gate: 'high', failed: false } });
    expect(run.invocations[0].toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: 'broken was not fully audited: manifest.json could not be parsed' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'bundles/sample.mcpb', uriBaseId: '%SRCROOT%', index: 0 } } }],
      },
    ]);
  });

  it('reports failure when dxt-audit itself failed on a bundle', () => {
    const run = runOf(parsed(reportOf([bundle()], {}, { internalError: true })));
    expect(run.invocations[0].executionSuccessful).toBe(false);
  });
});

describe('SARIF printing', () => {
  it('escapes invisible characters yet keeps the values exact', () => {
    const hostile = 'evil\u001b[2J\u202e\u200b\u{E0041}\u0085';
    const trigger = { kind: 'load' as const, via: ['server/index.js', `node_modules/${hostile}/index.js`] };
    const printed = renderSarif(reportOf([bundle({ raws: [raw({ message: hostile, evidence: hostile, trigger })] })]), { rules: RULES });
    expect(printed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e]|\u{E0041}/u);
    const result = runOf(JSON.parse(printed)).results[0];
    expect([result.message.text, result.properties.evidence]).toEqual([hostile, hostile]);
    expect(result.properties.trigger).toEqual(trigger);
  });
});

describe('--format sarif', () => {
  it('prints a SARIF log with every rule from the command line', async () => {
    const run = await runCli(['scan', repoPath('fixtures/chains/bundles'), '--format', 'sarif', '--fail-on', 'none']);
    expect(run.code).toBe(0);
    const log = JSON.parse(run.stdout);
    expect(log.version).toBe('2.1.0');
    const sarifRun = runOf(log);
    expect(sarifRun.tool.driver.rules).toHaveLength(RULES.length);
    expect(sarifRun.results.some((result: Sarif) => result.ruleId === 'chain-toxic-combination' && result.relatedLocations)).toBe(true);
  });

  it.skipIf(!existsSync(SARIF_SCHEMA))('validates with chains, installations and configured servers', async () => {
    const run = await runCli(['scan', repoPath('fixtures/chains/bundles'), '--claude-dir', repoPath('fixtures/chains/claude-dir'), '--format', 'sarif']);
    const validate = sarifValidator();
    expect(validate(JSON.parse(run.stdout)), JSON.stringify(validate.errors)).toBe(true);
  });

  it('is listed in the help', async () => {
    const help = await runCli(['scan', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--format[^\n]*\n?[^\n]*sarif/);
  });
});
