import { describe, expect, it } from 'vitest';
import { SEVERITIES, type BundleReport, type Finding, type Report, type Severity } from '../../src/report.js';
import { RULES } from '../../src/audit-content.js';
import { renderText } from '../../src/reporters/text.js';

function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'code-shell-exec',
    category: 'shell-exec',
    severity: 'critical',
    message: 'child_process.spawn() runs "sh -c curl … | sh" as soon as the module is loaded.',
    location: { file: 'server/node_modules/pkg/index.js', line: 5, column: 15 },
    origin: 'dependency',
    fingerprint: 'f0',
    ...overrides,
  };
}

function report(findings: Finding[]): Report {
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const item of findings) bySeverity[item.severity] += 1;
  const bundle: BundleReport = {
    source: 'bundles/a.mcpb',
    id: 'a',
    sha256: null,
    manifest: null,
    capabilities: ['shell'],
    connectorClass: 'execution',
    score: 60,
    level: 'critical',
    complete: true,
    incompleteReasons: [],
    signature: 'unsigned',
    findings,
  };
  return {
    schemaVersion: 1,
    tool: { name: 'dxt-audit', version: '0.1.0' },
    bundles: [bundle],
    combinations: [],
    summary: { bundles: 1, bySeverity, gate: 'high', failed: true, internalError: false },
  };
}

const whereLines = (text: string) => text.split('\n').filter((line) => line.startsWith('      code-shell-exec · '));

describe('text report: what sets a finding off', () => {
  it('shows the trigger on the where-line: the load path, the listener and its bind, the timer; not a tool named already', () => {
    const text = renderText(
      report([
        finding({ trigger: { kind: 'load', via: ['server/index.js', 'server/node_modules/pkg/index.js'] } }),
        finding({ severity: 'high', origin: 'first-party', trigger: { kind: 'listener', name: 'http.createServer', bind: 'all' } }),
        finding({ severity: 'high', origin: 'first-party', trigger: { kind: 'timer', name: 'setInterval' } }),
        finding({ severity: 'low', origin: 'first-party', tool: 'git_status', trigger: { kind: 'tool', name: 'git_status' } }),
        finding({ severity: 'low', trigger: { kind: 'load', via: ['server/node_modules/pkg/index.js'] } }),
      ]),
      { color: false, rules: RULES },
    );
    expect(whereLines(text)).toEqual([
      '      code-shell-exec · server/node_modules/pkg/index.js:5:15 · trigger: load via server/index.js → server/node_modules/pkg/index.js · dependency',
      '      code-shell-exec · server/node_modules/pkg/index.js:5:15 · trigger: listener http.createServer (all interfaces) · first-party',
      '      code-shell-exec · server/node_modules/pkg/index.js:5:15 · trigger: timer setInterval · first-party',
      '      code-shell-exec · server/node_modules/pkg/index.js:5:15 · tool git_status · first-party',
      '      code-shell-exec · server/node_modules/pkg/index.js:5:15 · trigger: load · dependency',
    ]);
  });

  it('shortens a long load path in the middle', () => {
    const via = Array.from({ length: 9 }, (_, index) => `m${index}.js`);
    const [line] = whereLines(renderText(report([finding({ trigger: { kind: 'load', via } })]), { color: false, rules: RULES }));
    expect(line).toContain('trigger: load via m0.js → … → m7.js → m8.js ·');
  });

  it('escapes hostile file names in the load path and a hostile listener name', () => {
    const hostile = 'evil\u001b[2J\n\u202ename';
    const text = renderText(
      report([
        finding({ trigger: { kind: 'load', via: ['server/index.js', `server/node_modules/${hostile}/index.js`] } }),
        finding({ severity: 'high', trigger: { kind: 'listener', name: hostile, bind: 'loopback' } }),
      ]),
      { color: false, rules: RULES },
    );
    expect(text).not.toMatch(/[\u001b\u202e]/);
    const lines = whereLines(text);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('trigger: load via server/index.js → server/node_modules/evil\\u{1B}[2J\\n\\u{202E}name/index.js');
    expect(lines[1]).toContain('trigger: listener evil\\u{1B}[2J\\n\\u{202E}name (loopback)');
  });
});

describe('text report: the signature', () => {
  const signer = {
    subject: 'O=Example\u001b[31m, CN=Example \u202ePublisher',
    issuer: 'CN=Example CA',
    serial: '1001',
    sha256: 'a'.repeat(64),
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2045-01-01T00:00:00.000Z',
  };
  const headerOf = (bundle: Partial<BundleReport>) => {
    const base = report([]);
    return renderText({ ...base, bundles: [{ ...base.bundles[0]!, ...bundle }] }, { color: false, rules: RULES }).split('\n')[3];
  };

  it('says who signed and whether it is trusted, escaping what the certificate says', () => {
    expect(headerOf({ signature: 'valid', signer })).toMatch(/ · signed by Example \\u\{202E\}Publisher$/);
    expect(headerOf({ signature: 'untrusted', signer })).toContain('signed by Example \\u{202E}Publisher, not trusted');
    expect(headerOf({ signature: 'self-signed', signer })).toContain('self-signed by Example');
    expect(headerOf({ signature: 'invalid', signer })).toContain('signature INVALID (claims Example');
    expect(headerOf({ signature: 'malformed' })).toContain('signature malformed');
    expect(headerOf({ signature: 'not-applicable' })).not.toContain('sign');
    expect(headerOf({ signature: 'valid', signer })).not.toMatch(/[\u001b\u202e]/);
  });
});

describe('text report: what to do, why the score, and the verdict', () => {
  const remediation = (ruleId: string) => RULES.find(({ meta }) => meta.id === ruleId)!.meta.remediation;
  const lines = (findings: Finding[]) => renderText(report(findings), { color: false, rules: RULES }).split('\n');

  it("puts the rule's remediation and the explain command under each finding, written out once per rule", () => {
    const text = lines([finding(), finding({ severity: 'high' }), finding({ ruleId: 'code-network', category: 'network', severity: 'low', message: 'Endpoint x.' })]);
    expect(text.filter((line) => line.startsWith('      fix: '))).toEqual([
      `      fix: ${remediation('code-shell-exec')} (run dxt-audit explain code-shell-exec)`,
      '      fix: as above (run dxt-audit explain code-shell-exec)',
      `      fix: ${remediation('code-network')} (run dxt-audit explain code-network)`,
    ]);
    const first = text.indexOf('    child_process.spawn() runs "sh -c curl … | sh" as soon as the module is loaded.');
    expect(text[first + 2]).toBe(`      fix: ${remediation('code-shell-exec')} (run dxt-audit explain code-shell-exec)`);
  });

  it('says where the score comes from and gives a verdict under the risk line', () => {
    const text = lines([finding()]);
    const risk = text.findIndex((line) => line.startsWith('  risk '));
    expect(text.slice(risk + 1, risk + 3)).toEqual([
      '  score 60 = 1 critical (code-shell-exec)',
      '  verdict: do NOT install under gate high: code-shell-exec (critical) fails it. It can run programs.',
    ]);
  });

  it('escapes what the verdict and the score line carry from the bundle', () => {
    const hostile = 'evil\u001b[2J\u202e.example';
    const base = report([finding({ ruleId: 'code-network', severity: 'low', host: hostile })]);
    const text = renderText({ ...base, bundles: [{ ...base.bundles[0]!, capabilities: ['network'] }] }, { color: false, rules: RULES });
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('It can talk to evil\\u{1B}[2J\\u{202E}.example.');
  });
});

describe('text report: the heading of a bundle', () => {
  const headingOf = (bundle: Partial<BundleReport>) => {
    const base = report([]);
    return renderText({ ...base, bundles: [{ ...base.bundles[0]!, ...bundle }] }, { color: false, rules: RULES }).split('\n')[2];
  };
  const manifest = { name: 'notes', displayName: 'Notes', version: '1.0.0', manifestVersion: '0.3', serverType: 'node' };

  it('names a bundle known by its file name once: by its path', () => {
    expect(headingOf({ id: 'empty.dxt', source: 'empty.dxt', manifest: null })).toBe('empty.dxt');
    expect(headingOf({ id: 'empty.dxt', source: 'downloads/empty.dxt', manifest: null })).toBe('downloads/empty.dxt');
  });

  it('gives the display name and the id once each, and the path only when it says more', () => {
    expect(headingOf({ id: 'notes', source: 'bundles/notes.mcpb', manifest })).toBe('Notes (notes) 1.0.0  bundles/notes.mcpb');
    expect(headingOf({ id: 'notes', source: 'bundles/notes.mcpb', manifest: { ...manifest, displayName: 'notes' } })).toBe('notes 1.0.0  bundles/notes.mcpb');
    expect(headingOf({ id: 'notes', source: './notes/', manifest })).toBe('Notes (notes) 1.0.0');
  });

  it('shows none as the class of what is not an extension', () => {
    const base = report([]);
    const text = renderText({ ...base, bundles: [{ ...base.bundles[0]!, manifest: null, capabilities: [], connectorClass: 'transformation', findings: [finding({ ruleId: 'archive-not-zip', severity: 'low' })] }] }, { color: false, rules: RULES });
    expect(text).toContain(' · class none · ');
  });
});

it('writes the report of a bundle with 50,000 findings (its lines once overflowed the stack as arguments)', () => {
  const findings = Array.from({ length: 50_000 }, (_, index) => finding({ location: { file: 'server/index.js', line: index + 1 }, fingerprint: `f${index}` }));
  const lines = renderText(report(findings), { color: false, rules: RULES }).split('\n');
  expect(lines.filter((line) => line.includes('sh -c curl'))).toHaveLength(50_000);
  expect(lines.at(-2)).toMatch(/\S/);
});
