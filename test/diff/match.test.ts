import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { identityOf } from '../../src/diff/identity.js';
import { matchFindings } from '../../src/diff/match.js';
import type { BundleReport, Finding } from '../../src/report.js';
import { bundleReport } from '../helpers/reports.js';

// Finding identity between versions: what survives moves, formatting and version bumps, what does
// not, and how copies and severity changes are counted.

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'code-network',
    category: 'network',
    severity: 'low',
    message: 'Endpoint api.example.net (fetch() in tool "forecast"): a host the manifest does not declare.',
    location: { file: 'server/index.js', line: 10, column: 5 },
    tool: 'forecast',
    trigger: { kind: 'tool', name: 'forecast' },
    evidence: "fetch('https://api.example.net/v1', { method: 'POST' })",
    fingerprint: '0'.repeat(32),
    ...overrides,
  };
}

function bundle(version: string, findings: Finding[]): BundleReport {
  return bundleReport({ source: `ext-${version}.mcpb`, manifest: { name: 'ext', displayName: null, version, manifestVersion: '0.3', serverType: 'node' }, findings });
}

describe('identityOf', () => {
  const same = (a: Partial<Finding>, b: Partial<Finding>, versions: string[] = []) => identityOf(finding(a), versions) === identityOf(finding(b), versions);

  it('ignores the line, the column, the fingerprint and the severity', () => {
    expect(same({}, { location: { file: 'server/index.js', line: 99, column: 1 }, fingerprint: 'f'.repeat(32), severity: 'high' })).toBe(true);
  });

  it('ignores whitespace, line breaks and the quote style of the evidence', () => {
    expect(same({}, { evidence: 'fetch(\n    "https://api.example.net/v1",\n    { method: "POST" }\n  )' })).toBe(true);
    expect(same({}, { evidence: 'fetch(\\n "https://api.example.net/v1", {method:"POST"})' })).toBe(true);
  });

  it('ignores where a cut excerpt ends, past the first characters', () => {
    const long = `client.request('https://api.example.net/v1/items', { method: 'POST', headers: { 'x-client': 'ext' }, body: JSON.stringify(payload) })`;
    expect(same({ evidence: long.slice(0, 110) }, { evidence: `${long.replace(/ /g, '').slice(0, 130)}…` })).toBe(true);
  });

  it("ignores the bundles' own version strings, in the evidence and in the message", () => {
    const versions = ['1.4.9', '1.5.0'];
    expect(same({ evidence: "fetch(url, { headers: { 'user-agent': 'ext/1.4.9' } })" }, { evidence: "fetch(url, { headers: { 'user-agent': 'ext/v1.5.0' } })" }, versions)).toBe(true);
    expect(same({ evidence: undefined, message: 'ext 1.4.9 says so' }, { evidence: undefined, message: 'ext 1.5.0 says so' }, versions)).toBe(true);
    // Only whole versions: 1.4.9 is no part of 1.4.95.
    expect(same({ evidence: "get('/1.4.9')" }, { evidence: "get('/1.4.95')" }, versions)).toBe(false);
  });

  it('ignores line and column numbers a message cites, when there is no evidence', () => {
    const message = (where: string) => `manifest.json cannot be read as JSON (Unexpected token at ${where}); nothing it declares can be trusted or checked.`;
    expect(same({ evidence: undefined, message: message('line 3, column 9') }, { evidence: undefined, message: message('line 12, column 1') })).toBe(true);
    expect(same({ evidence: undefined, message: 'registers tools by computed names (server/tools.js:42)' }, { evidence: undefined, message: 'registers tools by computed names (server/tools.js:7)' })).toBe(true);
  });

  it('ignores array positions in a JSON pointer, not the keys', () => {
    const at = (pointer: string): Partial<Finding> => ({ location: { file: 'manifest.json', pointer }, evidence: undefined, message: 'says so' });
    expect(same(at('/tools/0/description'), at('/tools/3/description'))).toBe(true);
    expect(same(at('/user_config/a/default'), at('/user_config/b/default'))).toBe(false);
  });

  it('tells apart the rule, the tool, the trigger, the file and the evidence', () => {
    expect(same({}, { ruleId: 'code-exfiltration' })).toBe(false);
    expect(same({}, { tool: 'alerts' })).toBe(false);
    expect(same({ tool: undefined, trigger: { kind: 'load', via: ['a.js'] } }, { tool: undefined, trigger: { kind: 'timer', name: 'setInterval' } })).toBe(false);
    expect(same({}, { location: { file: 'server/other.js', line: 10 } })).toBe(false);
    expect(same({}, { evidence: "fetch('https://collector.example.org/v1', { method: 'POST' })" })).toBe(false);
  });

  it('reads a load trigger by its kind, not the import path that refactoring moves', () => {
    expect(same({ tool: undefined, trigger: { kind: 'load', via: ['index.js', 'a.js'] } }, { tool: undefined, trigger: { kind: 'load', via: ['index.js', 'lib/b.js', 'a.js'] } })).toBe(true);
  });
});

describe('matchFindings', () => {
  it('counts copies: N before and N + 1 after is one added', () => {
    const before = [finding({ location: { file: 'server/index.js', line: 3 } }), finding({ location: { file: 'server/index.js', line: 9 } })];
    const after = [...before, finding({ location: { file: 'server/index.js', line: 30 } })];
    const matched = matchFindings(before, after, []);
    expect(matched.added).toHaveLength(1);
    expect(matched).toMatchObject({ removed: [], changed: [], unchanged: 2 });
    expect(matchFindings(after, before, [])).toMatchObject({ added: [], unchanged: 2 });
    expect(matchFindings(after, before, []).removed).toHaveLength(1);
  });

  it('pairs copies at the same severity first, so an extra worse copy is added, not a change', () => {
    const matched = matchFindings([finding()], [finding({ severity: 'high' }), finding()], []);
    expect(matched.added.map((added) => added.severity)).toEqual(['high']);
    expect(matched).toMatchObject({ changed: [], unchanged: 1 });
  });

  it('reports a moved severity as changed, with the severity it had', () => {
    const matched = matchFindings([finding({ severity: 'low' })], [finding({ severity: 'high', location: { file: 'server/index.js', line: 40 } })], []);
    expect(matched.changed).toEqual([expect.objectContaining({ severity: 'high', previousSeverity: 'low', location: { file: 'server/index.js', line: 40 } })]);
    expect(matched).toMatchObject({ added: [], removed: [], unchanged: 0 });
  });
});

describe('the gate of a diff', () => {
  const gateOf = (before: Finding[], after: Finding[], gate: 'low' | 'high' = 'high') =>
    diffReports({ bundle: bundle('1.0.0', before), surface: null }, { bundle: bundle('1.0.1', after), surface: null }, { gate, internalError: false }).summary;

  it('fails on an added finding at or above it', () => {
    expect(gateOf([], [finding({ severity: 'high' })])).toMatchObject({ failed: true, added: 1 });
    expect(gateOf([], [finding({ severity: 'medium' })])).toMatchObject({ failed: false, added: 1 });
  });

  it('fails on a finding made worse up to the gate, never on one made less severe', () => {
    expect(gateOf([finding({ severity: 'medium' })], [finding({ severity: 'high' })])).toMatchObject({ failed: true, changed: 1, worsened: 1 });
    expect(gateOf([finding({ severity: 'critical' })], [finding({ severity: 'high' })])).toMatchObject({ failed: false, changed: 1, worsened: 0 });
  });

  it('never fails on findings kept or removed, however severe', () => {
    const critical = finding({ severity: 'critical' });
    expect(gateOf([critical], [critical], 'low')).toMatchObject({ failed: false, added: 0 });
    expect(gateOf([critical, finding({ ruleId: 'code-shell-exec' })], [critical], 'low')).toMatchObject({ failed: false, removed: 1 });
  });
});
