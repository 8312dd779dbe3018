import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/audit-content.js';
import type { Report } from '../../src/report.js';
import { renderHtml } from '../../src/reporters/html.js';
import { html } from '../../src/reporters/html-text.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';
import { HOSTILE, hostileReport } from '../helpers/hostile-report.js';
import { bundleReport, chain, finding, report } from '../helpers/reports.js';

const page = (input: Report) => renderHtml(input, { rules: RULES });
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;

const TAGS = new Set(
  'html head meta title style body main header footer section h1 h2 h3 p ul ol li b code pre span div br a table thead tbody tr th td details summary figure figcaption svg defs marker path rect text g'.split(' '),
);
const ATTRIBUTES = new Set(
  'lang charset http-equiv name content class id href open viewBox role aria-label x y width height rx d marker-end refX refY markerWidth markerHeight orient'.split(' '),
);

/** Every tag and attribute of a page: the test's own reading, not the renderer's. */
function markupOf(text: string): { tags: string[]; attributes: Array<{ name: string; value: string }> } {
  const tags: string[] = [];
  const attributes: Array<{ name: string; value: string }> = [];
  for (const match of text.matchAll(/<(!DOCTYPE html|\/?[a-zA-Z][a-zA-Z0-9]*)([^>]*)>/g)) {
    tags.push(match[1]!.replace('/', ''));
    for (const attribute of match[2]!.matchAll(/\s([^\s="]+)(?:="([^"]*)")?/g)) attributes.push({ name: attribute[1]!, value: attribute[2] ?? '' });
  }
  return { tags, attributes };
}

describe('html report: a page that loads nothing and runs nothing', () => {
  const text = page(hostileReport());

  it('is one document whose policy, first in its head, allows its own stylesheet and nothing else', () => {
    expect(text.startsWith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" ')).toBe(true);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(text)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(text)![1]!;
    const hash = createHash('sha256').update(style).digest('base64');
    expect(policy).toBe(`default-src 'none'; style-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`);
    expect(count(text, /<style>/)).toBe(1);
    expect(text.endsWith('</html>\n')).toBe(true);
  });

  it('uses only our tags and attributes: no script, no style attribute, no link that leaves the page', () => {
    const { tags, attributes } = markupOf(text);
    expect(tags.filter((tag) => tag !== '!DOCTYPE html' && !TAGS.has(tag))).toEqual([]);
    expect(attributes.filter(({ name }) => !ATTRIBUTES.has(name))).toEqual([]);
    expect(attributes.filter(({ name, value }) => name === 'href' && !/^#ext-\d+$/.test(value))).toEqual([]);
    expect(attributes.filter(({ name, value }) => name === 'marker-end' && !/^url\(#arrow-[a-z]+\)$/.test(value))).toEqual([]);
    // Our markup is all there is: every `<` opens one of our tags.
    expect(count(text, /</)).toBe(tags.length);
  });
});

describe('html report: hostile bundle text', () => {
  const text = page(hostileReport());
  const inert = html(HOSTILE);

  it('shows every piece of it, escaped, as text', () => {
    expect(inert.startsWith('x | y &lt;/details&gt; &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;')).toBe(true);
    for (const where of [
      'name',
      'id',
      'source',
      'message',
      'evidence',
      'tool',
      'via',
      'first',
      'second',
      'host',
      'reason',
      'suppressed',
      'soon',
      'chain',
      'src',
      'sink',
      'CN=signer',
      'CN=issuer',
      'from',
      'to',
      'because',
      'granted',
      'policy',
      'problem',
      'data',
      'unreadable',
      'baseline',
    ]) {
      // A chain's tools are cut short in its list (the message names them too): the start is what matters.
      expect(text, where).toContain(`${where} ${inert.slice(0, 90)}`);
    }
    expect(text).toContain(`message ${inert}`);
    expect(text).toContain('file x | y &lt;/details&gt;');
    expect(text).toContain('manifest.json#/tools/x | y &lt;/details&gt;');
    expect(text).toContain('&amp;lt;b&amp;gt; \\| end\\nline two\\r\\u{1B}[31m\\u{202E}');
  });

  it('lets no control, invisible or bidi character through, and puts no bundle text in an attribute', () => {
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
    expect(text).not.toContain('&lt;b&gt;');
    expect(markupOf(text).attributes.filter(({ value }) => value.includes('alert'))).toEqual([]);
  });

  it('cuts long names in the graph before escaping, so no reference is cut in half', () => {
    const long = bundleReport({ id: 'long', manifest: { ...bundleReport().manifest!, displayName: '<'.repeat(40) } });
    const graph = /<svg[\s\S]*<\/svg>/.exec(page(report([long, bundleReport()])))![0];
    expect(graph).toContain(`>${'&lt;'.repeat(25)}…</text>`);
  });

  it('cuts a heading to 200 characters', () => {
    const long = bundleReport({ id: 'long', manifest: { ...bundleReport().manifest!, displayName: 'n'.repeat(500) } });
    expect(page(report([long]))).toContain(`<h2>${'n'.repeat(199)}…</h2>`);
  });
});

describe('html report: the verdict', () => {
  it('says at the top whether the gate failed, the worst level and the counts', () => {
    const failing = page(report([bundleReport({ findings: [finding()], level: 'critical', score: 60 })], {}, { failed: true }));
    expect(failing).toContain('<header class="verdict sev-critical">\n<h1>FAILED at gate high</h1>\n<p class="line">worst level: critical · 1 bundle: 1 critical, 0 high, 0 medium, 0 low, 0 info</p>');
    expect(failing).toContain('<li class="sev-critical"><b>1</b> critical</li><li class="sev-high zero"><b>0</b> high</li>');
    expect(failing).toContain('<title>dxt-audit: gate high FAILED · 1 extension</title>');
    expect(page(report([bundleReport()]))).toContain('<h1>Passed gate high</h1>');
    expect(page(report([bundleReport()], {}, { gate: 'none' }))).toContain('<header class="verdict sev-info">\n<h1>Gate off</h1>');
  });

  it("gives one bundle's own verdict at the top, and each bundle's in its section when there are several, its capabilities in the card only", () => {
    const shell = bundleReport({ id: 'sh', findings: [finding()], level: 'critical', score: 60, capabilities: ['shell'] });
    const one = page(report([shell], {}, { failed: true }));
    const verdict = 'verdict: do NOT install under gate high: code-shell-exec (critical) fails it.</p>';
    expect(one.indexOf(verdict)).toBeGreaterThan(-1);
    expect(one.indexOf(verdict)).toBeLessThan(one.indexOf('<section'));
    expect(one).not.toContain('It can run programs.');
    const two = page(report([shell, bundleReport()], {}, { failed: true }));
    expect(two.indexOf(verdict)).toBeGreaterThan(two.indexOf('<section class="extension" id="ext-1">'));
  });

  it('counts incomplete audits and internal errors in the verdict line', () => {
    const text = page(report([bundleReport({ complete: false, incompleteReasons: ['server/huge.js could not be parsed'] })], {}, { internalError: true }));
    expect(text).toContain(' · <b>1 audit INCOMPLETE</b> · <b>dxt-audit itself failed on some bundle</b></p>');
    expect(text).toContain('<div class="incomplete"><b>Not audited completely</b>: what could not be read was not judged.<ul><li>server/huge.js could not be parsed</li></ul></div>');
  });
});

describe('html report: the connector graph', () => {
  const calendar = bundleReport({ id: 'cal', connectorClass: 'retrieval', capabilities: ['untrusted-input'], manifest: { ...bundleReport().manifest!, displayName: 'Team Calendar' } });
  const shell = bundleReport({ id: 'sh', connectorClass: 'execution', capabilities: ['shell'], findings: [finding()], level: 'critical', score: 60 });
  const plain = bundleReport({ id: 'calc' });

  it('is drawn for several bundles and for an installation, never for one bundle on disk', () => {
    expect(page(report([calendar, shell]))).toContain('<svg class="graph"');
    expect(page(report([calendar], { installed: { dataDirectories: ['/home/u/.config/Claude'], problems: [] } }))).toContain('<svg class="graph"');
    expect(page(report([calendar]))).not.toContain('<svg');
  });

  it('has one box per extension, marked by class and state, and one arrow per chain in its severity', () => {
    const disabled = bundleReport({ id: 'off', connectorClass: 'execution', installation: { kind: 'extension', enabled: false, grantedPaths: [], registry: null } });
    const text = page(report([calendar, shell, plain, disabled], { combinations: [chain('cal', 'sh'), chain('sh', 'cal', { severity: 'medium', fingerprint: 'c1' })] }));
    expect(count(text, /<g class="node /)).toBe(4);
    expect(count(text, /<path class="edge /)).toBe(2);
    expect(text).toContain('<path class="edge sev-critical" d="M');
    expect(text).toContain('<path class="edge sev-medium" d="M');
    expect(text).toContain('<g class="node class-retrieval">\n<title>Team Calendar: retrieval, none, score 0</title>');
    expect(text).toContain('<g class="node class-execution disabled">\n<title>off (disabled): execution, disabled, none, score 0</title>');
    expect(text).toContain('<text class="heading" x="16" y="');
    expect(text).toMatch(/>No chain starts or ends here: transformation<\/text>/);
    // Each arrow is labelled with its number in the list of chains under the graph.
    expect(text).toContain('>1 · critical</text>');
    expect(text).toContain('>2 · medium</text>');
    expect(text).toMatch(/<ol class="chains">\n<li><span class="badge sev-critical">critical<\/span> <b><a href="#ext-\d">Team Calendar<\/a><\/b> <code>list_events<\/code> → <b><a href="#ext-\d">sh<\/a><\/b> <code>run_command<\/code>/);
  });

  it('lists the tools arrows start and end at in their boxes, with what they do', () => {
    const text = page(report([calendar, shell], { combinations: [chain('cal', 'sh')] }));
    expect(text).toMatch(/<text class="tool" [^>]*>list_events<\/text>\n<text class="role" [^>]*>reads<\/text>/);
    expect(text).toMatch(/<text class="tool" [^>]*>run_command<\/text>\n<text class="role" [^>]*>acts<\/text>/);
  });

  it('draws a chain to the enabled copy of an extension installed twice', () => {
    const off = { ...shell, installation: { kind: 'extension' as const, enabled: false, grantedPaths: [], registry: null } };
    const text = page(report([calendar, off, shell], { combinations: [chain('cal', 'sh')] }));
    const sections = [...text.matchAll(/<section class="extension" id="(ext-\d)">\n<header>\n<h2>sh 1\.0\.0<\/h2>[\s\S]*?<p class="facts">([^<]*)<\/p>/g)];
    const enabledAnchor = sections.find((match) => !match[2]!.includes('disabled'))![1]!;
    expect(text).toContain(`→ <b><a href="#${enabledAnchor}">sh</a></b> <code>run_command</code>`);
    expect(count(text, /<text class="tool" /)).toBe(2);
  });

  it('draws the 100 worst chains of a large batch, lists them all, and says so', () => {
    // 250 chains between two extensions: each arrow's label was placed clear of all the others,
    // which cost more than the square of their number (a batch of 150 extensions took minutes).
    const chains = Array.from({ length: 250 }, (_, index) => chain('cal', 'sh', { fingerprint: `c${index}`, severity: index < 100 ? 'critical' : 'high' }));
    const text = page(report([calendar, shell], { combinations: chains }));
    expect(count(text, /<path class="edge /)).toBe(100);
    expect(count(text, /<path class="edge sev-critical"/)).toBe(100);
    expect(count(text, /<li><span class="badge /)).toBe(250);
    expect(text).toContain('the 100 worst of 250 chains are drawn; the list below names them all');
    expect(page(report([calendar, shell], { combinations: chains.slice(0, 100) }))).not.toContain('worst of');
  });

  it('says when there is no chain, and that a disabled extension could make one', () => {
    expect(page(report([calendar, shell]))).toContain('<p class="chains-none">No chain across these extensions.</p>');
    const off = { ...shell, installation: { kind: 'extension' as const, enabled: false, grantedPaths: [], registry: null } };
    expect(page(report([calendar, off]))).toContain('No chain across these extensions. Disabled extensions are never paired: enabling one may make a chain.');
  });
});

describe('html report: each extension', () => {
  const rule = (id: string) => RULES.find(({ meta }) => meta.id === id)!.meta;
  const bundle = bundleReport({
    id: 'sh',
    capabilities: ['shell', 'fs-read'],
    connectorClass: 'execution',
    level: 'critical',
    score: 61,
    sha256: 'cd'.repeat(32),
    signature: 'valid',
    signer: { subject: 'O=Acme, CN=Acme Code Signing', issuer: 'CN=Acme Root', serial: '01', sha256: 'ef'.repeat(32), notBefore: '2026-01-01', notAfter: '2027-01-01' },
    findings: [
      finding(),
      finding({ ruleId: 'code-network', category: 'network', severity: 'medium', message: 'Connects to api.example.com.', host: 'api.example.com', tool: undefined, trigger: { kind: 'load', via: ['server/index.js', 'server/net.js'] } }),
      finding({ ruleId: 'code-network', category: 'network', severity: 'low', message: 'A low one.', evidence: undefined, baselineState: 'unchanged' }),
      finding({ ruleId: 'signature-missing', category: 'signature', severity: 'info', message: 'An info one.', baselineState: 'new' }),
    ],
  });
  const text = page(report([bundle]));
  const section = text.slice(text.indexOf('<section class="extension"'));

  it('heads its section with name, version, level and score, then where it was read from', () => {
    expect(section).toContain('<h2>sh 1.0.0</h2>\n<span class="badge sev-critical">critical</span>\n<span class="score">score 61/100</span>');
    expect(section).toContain(`<p class="facts">ext.mcpb · manifest 0.3 · node server · class execution · sha256 ${'cd'.repeat(32)}</p>`);
  });

  it('says what it can do, where the score comes from, and who signed it', () => {
    expect(section).toContain('<h3>It can</h3><ul><li>run programs</li><li>read files outside its own folder</li><li>act as soon as it is loaded, with no tool called</li></ul>');
    expect(section).toContain('<h3>Score</h3><p>score 61 = 1 critical (code-shell-exec) + 1 medium (code-network) + 1 low (code-network)');
    expect(section).toContain('<h3>Signature</h3><p>signed by Acme Code Signing</p><p class="signer">subject O=Acme, CN=Acme Code Signing<br>issuer CN=Acme Root<br>valid 2026-01-01 to 2027-01-01');
    expect(page(report([bundleReport({ signature: 'not-applicable' })]))).toContain('<h3>Signature</h3><p>a folder: no signature to check</p>');
  });

  it('groups findings by severity, worst first, open down to medium and collapsed below', () => {
    const groups = [...section.matchAll(/<details class="group sev-(\w+)"( open)?>/g)].map((match) => `${match[1]}${match[2] ?? ''}`);
    expect(groups).toEqual(['critical open', 'medium open', 'low', 'info']);
  });

  it('gives each finding its message, rule, file:line, tool or trigger, evidence and what to do', () => {
    expect(section).toContain(
      [
        '<li class="finding sev-critical">',
        `<p class="message">${html(finding().message)}</p>`,
        '<p class="where"><code>code-shell-exec</code> · <code>server/index.js:8:3</code> · tool <code>run</code> · first-party</p>',
        '<pre>exec(command)</pre>',
        `<p class="fix"><b>What to do:</b> ${html(rule('code-shell-exec').remediation)} <code>dxt-audit explain code-shell-exec</code></p>`,
      ].join('\n'),
    );
    expect(section).toContain('<p class="where"><code>code-network</code> · <code>server/index.js:8:3</code> · trigger: load via server/index.js → server/net.js · first-party</p>');
    expect(section).toContain('· tool <code>run</code> · first-party · in the baseline</p>');
    expect(section).toContain('<p class="message"><span class="new">new</span> An info one.</p>');
    expect(page(report([bundleReport({ findings: [finding({ tools: ['a', 'b'] })] })]))).toContain('· tools <code>a</code>, <code>b</code> ·');
  });

  it('lists suppressed findings collapsed, with the reason', () => {
    const suppressed = bundleReport({ suppressed: [{ ...finding({ message: 'Reads ~/.ssh.' }), suppression: { reason: 'reviewed', expires: '2027-01-01' } }] });
    const text = page(report([suppressed]));
    expect(text).toContain('<details class="group"><summary>Suppressed by the policy file (1)</summary>');
    expect(text).toContain('<p>suppressed: reviewed (until 2027-01-01)</p>');
    expect(text).toContain('<p class="clean sev-none">No findings.</p>');
  });
});

describe('html report: determinism', () => {
  it('is the same, byte for byte, each time, and has no timestamp', () => {
    const input = hostileReport();
    expect(page(input)).toBe(page(structuredClone(input)));
    expect(page(report([bundleReport()]))).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}/);
  });
});

describe('html through the command line', () => {
  it('writes the page for the chain fixtures: three boxes, one arrow, and the gate fails', async () => {
    const run = await runCli(['scan', repoPath('fixtures/chains/bundles'), '--format', 'html']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(count(run.stdout, /<g class="node /)).toBe(3);
    expect(count(run.stdout, /<path class="edge sev-critical" /)).toBe(1);
    expect((await runCli(['scan', repoPath('fixtures/chains/bundles'), '--format', 'html'])).stdout).toBe(run.stdout);
  });

  it('is offered by scan --help, and diff says it has no page', async () => {
    expect((await runCli(['scan', '--help'])).stdout).toMatch(/--format <format>[\s\S]*"markdown", "html"/);
    const diffHelp = (await runCli(['diff', '--help'])).stdout;
    expect(diffHelp).toMatch(/--format <format>\s+diff format \(no html: that page is\s+for scan\)/);
    expect(diffHelp).not.toContain('"html"');
    const refused = await runCli(['diff', 'a', 'b', '--format', 'html']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("argument 'html' is invalid");
  });
});
