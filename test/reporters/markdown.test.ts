import { describe, expect, it } from 'vitest';
import type { BundleReport, Finding, Report } from '../../src/report.js';
import { RULES } from '../../src/audit-content.js';
import { MARKDOWN_BUDGET, md, renderMarkdown as renderWith } from '../../src/reporters/markdown.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';
import { TOOL_VERSION } from '../../src/version.js';
import { HOSTILE } from '../helpers/hostile-report.js';
import { bundleReport, chain as combination, finding, report } from '../helpers/reports.js';

const renderMarkdown = (report: Report) => renderWith(report, { rules: RULES });
const remediation = (ruleId: string) => RULES.find(({ meta }) => meta.id === ruleId)!.meta.remediation;

function bundle(id: string, overrides: Partial<BundleReport> = {}): BundleReport {
  const manifest = { name: id, displayName: null, version: '1.0.0', manifestVersion: '0.3', serverType: 'node' };
  return bundleReport({ id, source: `bundles/${id}.mcpb`, sha256: 'ab'.repeat(32), manifest, ...overrides });
}

const SECTIONS = ['### Extensions, worst first', '### Chains across extensions', '### Top findings', '### Details', 'Baseline ', 'Policy file ', 'Claude Desktop data read from'];

function sectionsOf(markdown: string): string[] {
  return SECTIONS.filter((section) => markdown.split('\n').some((line) => line.startsWith(section)));
}

describe('markdown report: sections', () => {
  it('opens with a one-line verdict: gate, counts by severity, chains and incomplete bundles', () => {
    const failing = report(
      [bundle('a', { findings: [finding()], level: 'critical', score: 60 }), bundle('b', { complete: false, incompleteReasons: ['x'] })],
      { combinations: [combination('a', 'b')] },
      { failed: true },
    );
    expect(renderMarkdown(failing).split('\n')[0]).toBe(
      '**dxt-audit 0.1.0** · gate high: **FAILED** · 2 bundles: 1 critical, 0 high, 0 medium, 0 low, 0 info · 1 chain across extensions · **1 incomplete**',
    );
    expect(renderMarkdown(report([bundle('a')])).split('\n')[0]).toBe(
      '**dxt-audit 0.1.0** · gate high: **passed** · 1 bundle: 0 critical, 0 high, 0 medium, 0 low, 0 info',
    );
    expect(renderMarkdown(report([bundle('a')], {}, { gate: 'none', internalError: true })).split('\n')[0]).toContain(
      'gate off · 1 bundle: 0 critical, 0 high, 0 medium, 0 low, 0 info · **dxt-audit itself failed on some bundle**',
    );
  });

  it('shows only the table for a clean scan', () => {
    const markdown = renderMarkdown(report([bundle('a'), bundle('b')]));
    expect(sectionsOf(markdown)).toEqual(['### Extensions, worst first']);
    expect(markdown).toContain('| a | transformation | none | 0 | 0/0/0/0/0 | yes | - |');
  });

  it('adds top findings and details when there are findings, chains when there are combinations', () => {
    const withFindings = report([bundle('a', { findings: [finding()] }), bundle('b')]);
    expect(sectionsOf(renderMarkdown(withFindings))).toEqual(['### Extensions, worst first', '### Top findings', '### Details']);
    const withChain = report([bundle('a', { findings: [finding()] }), bundle('b')], { combinations: [combination('a', 'b')] });
    expect(sectionsOf(renderMarkdown(withChain))).toEqual(['### Extensions, worst first', '### Chains across extensions', '### Top findings', '### Details']);
  });

  it('adds baseline, policy and installation lines only when the report has them', () => {
    const markdown = renderMarkdown(
      report(
        [bundle('a')],
        { policy: { file: 'dxt-audit.config.json', problems: ['suppression 3 matched nothing'] }, installed: { dataDirectories: ['/home/u/.config/Claude'], problems: [] } },
        { baseline: { file: 'baseline.json', new: 2, unchanged: 5, absent: 1 } },
      ),
    );
    expect(sectionsOf(markdown)).toEqual(['### Extensions, worst first', 'Baseline ', 'Policy file ', 'Claude Desktop data read from']);
    expect(markdown).toContain('Baseline baseline.json: 2 new, 5 unchanged, 1 gone since.');
    expect(markdown).toContain('Policy file dxt-audit.config.json; what in it did not apply:\n\n- suppression 3 matched nothing');
    expect(markdown).toContain('Claude Desktop data read from /home/u/.config/Claude.');
  });

  it('orders the table worst first and counts findings by severity', () => {
    const markdown = renderMarkdown(
      report([
        bundle('low', { score: 2, level: 'low', findings: [finding({ severity: 'low', ruleId: 'code-network', message: 'Endpoint x.' }), finding({ severity: 'info' })] }),
        bundle('worst', { score: 60, level: 'critical', findings: [finding(), finding({ severity: 'high' })], manifest: null }),
        bundle('tied-b', { score: 30, level: 'high', findings: [finding({ severity: 'high' })] }),
        bundle('tied-a', { score: 30, level: 'high', findings: [finding({ severity: 'high' })], complete: false, incompleteReasons: ['server/big.js is too large'] }),
      ]),
    );
    const rows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| extension') && !line.startsWith('| severity'));
    expect(rows.slice(0, 4).map((row) => row.split(' | ')[0])).toEqual(['| worst', '| tied-a', '| tied-b', '| low']);
    expect(rows[0]).toBe(
      '| worst | none | critical | 60 | 1/1/0/0/0 | yes | `code-shell-exec` child_process.exec() runs a shell command built from the input of tool "run". |',
    );
    expect(rows[1]).toContain('| 0/1/0/0/0 | **no** |');
    expect(rows[3]).toContain('| 0/0/0/1/1 | yes | `code-network` Endpoint x. |');
  });

  it('lists each chain with its source and sink bundle and tool, severity and message', () => {
    const markdown = renderMarkdown(
      report([bundle('cal', { manifest: { ...bundle('cal').manifest!, displayName: 'Team Calendar' } }), bundle('sh')], {
        combinations: [combination('cal', 'sh', { baselineState: 'new' }), combination('sh', 'cal', { severity: 'medium', sink: { bundle: 'cal', tools: [], power: 'send-out' } })],
      }),
    );
    expect(markdown).toContain('### Chains across extensions (2)\n\n');
    expect(markdown).toContain('- **new** **critical** Team Calendar / list_events → sh / run_command: Calendar events read by "cal" can steer "sh".\n');
    expect(markdown).toContain('- **medium** sh / list_events → Team Calendar: Calendar events read by "sh" can steer "cal".\n');
  });

  it('names a chain by the enabled bundle when a disabled installed copy shares its id', () => {
    const disabled = bundle('sh', {
      manifest: { ...bundle('sh').manifest!, displayName: 'Shell' },
      installation: { kind: 'extension', enabled: false, grantedPaths: [], registry: null },
    });
    const enabled = bundle('sh', { manifest: { ...bundle('sh').manifest!, displayName: 'Shell' } });
    for (const bundles of [[bundle('cal'), enabled, disabled], [bundle('cal'), disabled, enabled]]) {
      const markdown = renderMarkdown(report(bundles, { combinations: [combination('cal', 'sh')] }));
      expect(markdown).toContain('- **critical** cal / list_events → Shell / run_command:');
      expect(markdown).toContain('| Shell (disabled) |');
    }
  });

  it('puts the worst ten findings across bundles in "Top findings", worst bundle first within a severity', () => {
    const many = Array.from({ length: 12 }, (_, index) => finding({ severity: index < 3 ? 'high' : 'low', message: `finding ${index}.`, fingerprint: `f${index}` }));
    const markdown = renderMarkdown(
      report([
        bundle('second', { score: 10, level: 'high', findings: many }),
        bundle('first', { score: 50, level: 'critical', findings: [finding({ message: 'the worst.', location: { file: 'manifest.json', pointer: '/server/mcp_config' }, tool: undefined })] }),
      ]),
    );
    const top = markdown.slice(markdown.indexOf('### Top findings'), markdown.indexOf('### Details'));
    expect(top).toContain('### Top findings (10 of 13)');
    const rows = top.split('\n').filter((line) => /^\| (critical|high|medium|low|info) \|/.test(line));
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('| critical | `code-shell-exec` | first | manifest.json#/server/mcp_config | - | the worst. |');
    expect(rows[1]).toBe('| high | `code-shell-exec` | second | server/index.js:8:3 | tool run | finding 0. |');
    expect(rows.map((row) => row.split(' | ')[0])).toEqual(['| critical', '| high', '| high', '| high', '| low', '| low', '| low', '| low', '| low', '| low']);
  });

  it('details every bundle with something to say: findings by severity, reasons, suppressed findings, new ones marked', () => {
    const suppressed = { ...finding({ severity: 'high', message: 'Reads ~/.ssh.' }), suppression: { reason: 'reviewed by security', expires: '2026-01-01' } };
    const markdown = renderMarkdown(
      report(
        [
          bundle('a', {
            level: 'critical',
            score: 60,
            complete: false,
            incompleteReasons: ['server/huge.js could not be parsed'],
            findings: [finding({ baselineState: 'new' }), finding({ severity: 'low', message: 'Old one.', baselineState: 'unchanged', evidence: undefined })],
            suppressed: [suppressed],
          }),
          bundle('clean'),
        ],
        {},
        { baseline: { file: 'b.json', new: 1, unchanged: 1, absent: 0 } },
      ),
    );
    const details = markdown.slice(markdown.indexOf('### Details'));
    expect(details).toContain('<details><summary>a 1.0.0 · critical · score 60/100 · 2 findings · 1 new · 1 suppressed · INCOMPLETE</summary>\n\n');
    expect(details).toContain('**Not audited:**\n\n- server/huge.js could not be parsed\n');
    expect(details).toContain(
      '**critical** (1)\n\n- **new** child_process.exec() runs a shell command built from the input of tool "run".<br>`code-shell-exec` · server/index.js:8:3 · tool run · first-party<br>evidence: <code>exec(command)</code>' +
        `<br>fix: ${md(remediation('code-shell-exec'))} (\`dxt-audit explain code-shell-exec\`)\n`,
    );
    expect(details).toContain('**low** (1)\n\n- Old one.<br>`code-shell-exec` · server/index.js:8:3 · tool run · first-party<br>fix: as above (`dxt-audit explain code-shell-exec`)\n');
    expect(details).toContain('**Suppressed by policy** (1)\n\n- high `code-shell-exec` Reads &#126;/.ssh. (server/index.js:8:3): reviewed by security (until 2026-01-01)\n');
    expect(details).not.toContain('clean');
    expect(details.match(/<details>/g)).toHaveLength(1);
    expect(details.match(/<\/details>/g)).toHaveLength(1);
  });

  it('shows what sets a finding off: in the details\' where part unless it is the tool already named, and in the top findings', () => {
    const loaded = finding({ tool: undefined, origin: 'dependency', trigger: { kind: 'load', via: ['server/index.js', 'server/node_modules/pkg/index.js'] } });
    const listened = finding({ severity: 'high', tool: undefined, trigger: { kind: 'listener', name: 'http.createServer', bind: 'all' } });
    const tooled = finding({ severity: 'low', trigger: { kind: 'tool', name: 'run' } });
    const markdown = renderMarkdown(report([bundle('a', { findings: [loaded, listened, tooled] })]));
    expect(markdown).toContain('| critical | `code-shell-exec` | a | server/index.js:8:3 | load via server/index.js → server/node_modules/pkg/index.js |');
    expect(markdown).toContain('| high | `code-shell-exec` | a | server/index.js:8:3 | listener http.createServer (all interfaces) |');
    expect(markdown).toContain('<br>`code-shell-exec` · server/index.js:8:3 · trigger: load via server/index.js → server/node_modules/pkg/index.js · dependency<br>');
    expect(markdown).toContain('<br>`code-shell-exec` · server/index.js:8:3 · trigger: listener http.createServer (all interfaces) · first-party<br>');
    expect(markdown).toContain('<br>`code-shell-exec` · server/index.js:8:3 · tool run · first-party<br>');
  });

  it('shortens a long location from the front, keeping its line and column', () => {
    const deep = finding({ location: { file: `server/node_modules/${'deep/'.repeat(30)}index.js`, line: 125, column: 13 } });
    const markdown = renderMarkdown(report([bundle('a', { findings: [deep] })]));
    expect(markdown).toContain(`| …${'deep/'.repeat(13).slice(-64)}index.js:125:13 | tool run |`);
    expect(markdown).toContain(`<br>\`code-shell-exec\` · …${'deep/'.repeat(21).slice(-104)}index.js:125:13 · tool run`);
  });

  it('caps the findings listed for one bundle and says how many more there are', () => {
    const findings = Array.from({ length: 100 }, (_, index) => finding({ severity: index < 30 ? 'high' : 'medium', message: `number ${index}.` }));
    const details = renderMarkdown(report([bundle('a', { findings })])).split('### Details')[1]!;
    expect(details.match(/^- /gm)).toHaveLength(40);
    expect(details).toContain('number 39.');
    expect(details).not.toContain('number 40.');
    expect(details).toContain('… and 60 more findings; the JSON report (`--format json`) has everything.\n\n</details>');
  });

  it('is the same, byte for byte, each time, and has no timestamp', () => {
    const input = report([bundle('a', { findings: [finding()] })], { combinations: [combination('a', 'a')] });
    expect(renderMarkdown(input)).toBe(renderMarkdown(structuredClone(input)));
    expect(renderMarkdown(input)).not.toMatch(/\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}/);
  });
});

describe('markdown report: hostile bundle text', () => {
  const evil = bundle(`id ${HOSTILE}`, {
    source: `dir/${HOSTILE}.mcpb`,
    manifest: { name: 'n', displayName: `name ${HOSTILE}`, version: `1 ${HOSTILE}`, manifestVersion: '0.3', serverType: 'node' },
    score: 90,
    level: 'critical',
    complete: false,
    incompleteReasons: [`reason ${HOSTILE}`],
    findings: [
      finding({
        message: `message ${HOSTILE}`,
        evidence: `evidence ${HOSTILE}`,
        tool: `tool ${HOSTILE}`,
        trigger: { kind: 'load', via: ['server/index.js', `via ${HOSTILE}`] },
        location: { file: `file ${HOSTILE}`, line: 3 },
      }),
      finding({ severity: 'high', location: { file: 'manifest.json', pointer: `/tools/${HOSTILE}` } }),
    ],
    suppressed: [{ ...finding({ message: `suppressed ${HOSTILE}` }), suppression: { reason: `reason ${HOSTILE}`, expires: `soon ${HOSTILE}` } }],
  });
  const input = report(
    [evil, bundle('other')],
    {
      combinations: [
        combination(evil.id, 'other', {
          message: `chain ${HOSTILE}`,
          source: { bundle: evil.id, tool: `src ${HOSTILE}`, tools: [], content: 'x' },
          sink: { bundle: 'other', tool: `sink ${HOSTILE}`, tools: [], power: 'send-out' },
        }),
      ],
      policy: { file: `policy ${HOSTILE}`, problems: [`problem ${HOSTILE}`] },
      installed: { dataDirectories: [`data ${HOSTILE}`], problems: [`unreadable ${HOSTILE}`] },
    },
    { baseline: { file: `baseline ${HOSTILE}`, new: 0, unchanged: 0, absent: 0 } },
  );
  const markdown = renderMarkdown(input);
  const lines = markdown.split('\n');

  it('still shows the text, escaped', () => {
    for (const where of ['name', 'message', 'evidence', 'tool', 'via', 'reason', 'suppressed', 'chain', 'src', 'sink', 'policy', 'problem', 'data', 'unreadable', 'baseline']) {
      expect(markdown).toContain(`${where} x &#124; y &lt;/details&gt; &lt;script&gt;`);
    }
    expect(markdown).toContain('&#92;u{1B}&#91;31m&#92;u{202E}');
    expect(markdown).toContain('&#92;&#124; end&#92;nline two&#92;r&#92;u{1B}&#91;31m&#92;u{202E}:3 · tool tool x');
    expect(markdown).toContain('@&#8203;everyone #&#8203;12 GH&#8203;-34');
  });

  it('lets no tag, link, image, code, emphasis, math or mention through', () => {
    const ours = markdown.replace(/<\/?(details|summary|code)>|<br>/g, '').replace(/`(?:dxt-audit explain )?[a-z0-9-]+`/g, '');
    for (const raw of ['<', '>', '](', '[', ']', '`', '$', '~', '\\|', '*em*', '_u_', '@everyone', 'GH-34', '&lt;b&gt;']) expect(ours).not.toContain(raw);
    expect(markdown).not.toMatch(/(?<!&)#\d/);
    expect(markdown).not.toMatch(/@(?!&#8203;)/);
    expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e]/);
    expect(markdown.match(/<details>/g)).toHaveLength(markdown.match(/<\/details>/g)!.length);
  });

  it('starts every line with our own markup, keeps each table row one row and each row its cells', () => {
    const starts = /^(|\*\*dxt-audit |### |\| |\|---|- |<details><summary>|<\/details>$|Source |\*\*(Not audited|critical|high|Suppressed)|Baseline |Policy file |Claude Desktop data read from )/;
    for (const line of lines) expect(line).toMatch(starts);
    const tables = markdown.split('\n\n').filter((block) => block.startsWith('|'));
    expect(tables).toHaveLength(2);
    for (const table of tables) {
      const [header, ...rows] = table.split('\n');
      for (const row of rows) expect(row.match(/\|/g)!.length, row).toBe(header!.match(/\|/g)!.length);
    }
    expect(tables[0]!.split('\n')).toHaveLength(4);
    expect(tables[0]!.split('\n').filter((line) => line.includes('name x'))).toHaveLength(1);
    expect(tables[1]!.split('\n').filter((line) => line.includes('name x'))).toHaveLength(2);
  });

  it('escapes a bare `md()` call the same way', () => {
    expect(md('a|b<c>`d`[e](f) @g #1 gh-2 snake_case _x_ $y$ \\')).toBe(
      'a&#124;b&lt;c&gt;&#96;d&#96;&#91;e&#93;(f) @&#8203;g #&#8203;1 gh&#8203;-2 snake_case &#95;x&#95; &#36;y&#36; &#92;',
    );
    expect(md('a\nb', 10)).toBe('a&#92;nb');
    expect(md('<'.repeat(20), 5)).toBe('&lt;&lt;&lt;&lt;…');
  });
});

describe('markdown report: size', () => {
  it('stays under GitHub’s comment limit for thousands of findings, bundles and chains', () => {
    const long = '<@|`'.repeat(60);
    const bundles = Array.from({ length: 300 }, (_, index) =>
      bundle(`bundle-${String(index).padStart(3, '0')} ${long}`, {
        score: index % 100,
        level: 'high',
        complete: index % 2 === 0,
        incompleteReasons: index % 2 === 0 ? [] : [long, long],
        findings: Array.from({ length: 20 }, (_, n) => finding({ severity: n % 2 === 0 ? 'high' : 'low', message: `${n} ${long}`, evidence: long, tool: long })),
        suppressed: [{ ...finding({ message: long }), suppression: { reason: long } }],
      }),
    );
    const combinations = bundles.slice(0, 80).flatMap((source) => bundles.slice(0, 80).filter((sink) => sink !== source).map((sink) => combination(source.id, sink.id, { message: long })));
    const markdown = renderMarkdown(report(bundles, { combinations }, { failed: true }));
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(markdown.split('\n')[0]).toBe(
      '**dxt-audit 0.1.0** · gate high: **FAILED** · 300 bundles: 0 critical, 3000 high, 0 medium, 3000 low, 0 info · 6320 chains across extensions · **150 incomplete**',
    );
    // Text that grows most when escaped: each section keeps to its share, and every section shows some.
    expect(markdown).toMatch(/\n\n… and \d+ more extensions; the JSON report \(`--format json`\) has everything\.\n\n### Chains/);
    expect(markdown).toMatch(/\n- … and \d+ more chains; the JSON report/);
    expect(markdown).toContain('### Top findings (10 of 6000)');
    expect(markdown).toMatch(/<details><summary>bundle-/);
    expect(markdown).toMatch(/\n\nDetails of \d+ more extensions left out to keep this comment under GitHub's size limit; the JSON report \(`--format json`\) has everything\.\n$/);
    expect(markdown.match(/<details>/g)!.length).toBe(markdown.match(/<\/details>/g)!.length);
    expect(markdown.endsWith('\n')).toBe(true);
  });

  it('keeps to its row caps for a large scan of ordinary text', () => {
    const bundles = Array.from({ length: 150 }, (_, index) =>
      bundle(`bundle-${String(index).padStart(3, '0')}`, {
        score: 100 - (index % 100),
        findings: Array.from({ length: 30 }, (_, n) => finding({ message: `Finding ${n} of bundle ${index}.` })),
      }),
    );
    const combinations = bundles.slice(0, 40).flatMap((source) => bundles.slice(0, 40).filter((sink) => sink !== source).map((sink) => combination(source.id, sink.id)));
    const markdown = renderMarkdown(report(bundles, { combinations }));
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(markdown.match(/^\| bundle-\d+ \| transformation/gm)).toHaveLength(100);
    expect(markdown).toContain('… and 50 more extensions;');
    expect(markdown.match(/^- \*\*critical\*\* bundle-/gm)).toHaveLength(30);
    expect(markdown).toContain(`- … and ${40 * 39 - 30} more chains;`);
    expect(markdown.match(/<details>/g)!.length).toBeGreaterThan(3);
  });

  it('cuts one enormous bundle short inside its own details block', () => {
    const findings = Array.from({ length: 5000 }, (_, n) => finding({ severity: 'critical', message: `${n} ${'<'.repeat(400)}`, evidence: '`'.repeat(200) }));
    const markdown = renderMarkdown(report([bundle('big', { findings, level: 'critical', score: 100 })]));
    expect(markdown.length).toBeLessThanOrEqual(MARKDOWN_BUDGET);
    expect(markdown).toMatch(/… and \d+ more findings; the JSON report \(`--format json`\) has everything\.\n\n<\/details>\n$/);
  });
});

describe('markdown through the command line', () => {
  it('shows the chain between team-calendar and shell-runner and the extensions worst first', async () => {
    const run = await runCli(['scan', repoPath('fixtures/chains/bundles'), '--format', 'markdown']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe(
      `**dxt-audit ${TOOL_VERSION}** · gate high: **FAILED** · 3 bundles: 1 critical, 0 high, 0 medium, 1 low, 1 info · 1 chain across extensions`,
    );
    expect(run.stdout).toContain('### Chains across extensions (1)\n\n- **critical** Team Calendar / list_events → Shell Runner / run_command: Calendar events read by "Team Calendar"');
    const names = run.stdout
      .split('### Extensions, worst first')[1]!
      .split('\n\n')[1]!
      .split('\n')
      .slice(2)
      .map((row) => row.split(' | ')[0]);
    expect(names).toEqual(['| Shell Runner', '| Team Calendar', '| Unit Converter']);
    expect((await runCli(['scan', repoPath('fixtures/chains/bundles'), '--format', 'markdown'])).stdout).toBe(run.stdout);
  });

  it('is offered by --help', async () => {
    expect((await runCli(['scan', '--help'])).stdout).toMatch(/--format <format>[\s\S]*"markdown"/);
  });
});

describe('markdown report: what to do, why the score, and the verdict', () => {
  it("opens each extension's details with its verdict in bold and where its score comes from", () => {
    const markdown = renderMarkdown(report([bundle('a', { level: 'critical', score: 60, capabilities: ['shell'], findings: [finding()] })], {}, { failed: true }));
    expect(markdown).toContain(
      '<details><summary>a 1.0.0 · critical · score 60/100 · 1 finding</summary>\n\nSource bundles/a.mcpb · class transformation · can: shell · unsigned · sha256 abababababababab\n\n' +
        '**verdict: do NOT install under gate high: code-shell-exec (critical) fails it. It can run programs.**\n\nscore 60 = 1 critical (code-shell-exec)\n',
    );
  });

  it('makes the verdict inert where it carries bundle text', () => {
    const hostile = '[x](http://evil) <img src=x> @everyone';
    const markdown = renderMarkdown(report([bundle('a', { capabilities: ['network'], findings: [finding({ ruleId: 'code-network', severity: 'low', host: hostile })] })]));
    const verdict = markdown.split('\n').find((line) => line.startsWith('**verdict: '))!;
    expect(verdict).toContain('It can talk to &#91;x&#93;(http://evil) &lt;img src=x&gt; @&#8203;everyone.**');
  });

  it('shows none as the class of what is not an extension, in the table and the details', () => {
    const markdown = renderMarkdown(report([bundle('empty.dxt', { manifest: null, complete: false, level: 'low', score: 2, findings: [finding({ ruleId: 'archive-not-zip', severity: 'low' })] })]));
    expect(markdown).toContain('| empty.dxt | none | low | 2 |');
    expect(markdown).toContain(' · class none · ');
    expect(markdown).toContain('**verdict: not an extension, nothing to install (nothing read fails gate high; worst finding archive-not-zip (low)). No capability was found in what was read.**');
  });
});
