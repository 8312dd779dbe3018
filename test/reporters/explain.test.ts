import { beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit.js';
import { RULES } from '../../src/audit-content.js';
import { SEVERITIES, type BundleReport, type Report, type Severity } from '../../src/report.js';
import {
  capabilityWords,
  explainCommand,
  installVerdict,
  remediationOf,
  scoreBreakdown,
  scoreSentence,
  shownClass,
  verdictSentence,
} from '../../src/reporters/explain.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { scoreFindings, SEVERITY_WEIGHTS } from '../../src/scoring/score.js';
import { repoPath } from '../helpers/fixtures.js';
import { bundleReport, chain, finding } from '../helpers/reports.js';

const bundle = (overrides: Partial<BundleReport> = {}): BundleReport => bundleReport({ id: 'a', source: 'bundles/a.mcpb', ...overrides });

/** The score the breakdown's terms give, computed as docs/scoring.md says. */
function scoreOfTerms(bundleReport: BundleReport): number {
  const left = scoreBreakdown(bundleReport).terms.reduce((trust, term) => trust * (1 - term.share) ** term.count, 1);
  return Math.round(100 * (1 - left));
}

describe('remediationOf and explainCommand', () => {
  it("gives the rule's remediation, the text SARIF's rule help carries", () => {
    const remediation = remediationOf({ ruleId: 'code-shell-exec' }, RULES);
    expect(remediation).toBe(RULES.find(({ meta }) => meta.id === 'code-shell-exec')!.meta.remediation);
    const sarifRule = JSON.parse(renderSarif({ tool: { name: 'dxt-audit', version: '0' }, bundles: [], combinations: [], summary: { gate: 'high', failed: false, internalError: false } }, { rules: RULES }))
      .runs[0].tool.driver.rules.find((rule: { id: string }) => rule.id === 'code-shell-exec');
    expect(sarifRule.help.text).toContain(remediation);
    expect(remediationOf({ ruleId: 'no-such-rule' }, RULES)).toBeNull();
    expect(explainCommand('code-shell-exec')).toBe('dxt-audit explain code-shell-exec');
  });
});

describe('scoreBreakdown and scoreSentence', () => {
  const findings = [
    finding(),
    finding({ ruleId: 'code-network', severity: 'medium' }),
    finding({ ruleId: 'code-network', severity: 'medium' }),
    ...Array.from({ length: 5 }, () => finding({ ruleId: 'code-env-access', severity: 'low' })),
    finding({ ruleId: 'signature-missing', severity: 'info' }),
  ];
  const scored = bundle({ findings, score: scoreFindings(findings) });

  it('counts what the score counts: by severity, the rules they come from, the share each takes, what the cap leaves out', () => {
    expect(scoreBreakdown(scored)).toEqual({
      score: 70,
      terms: [
        { severity: 'critical', count: 1, ruleIds: ['code-shell-exec'], share: 0.6 },
        { severity: 'medium', count: 2, ruleIds: ['code-network'], share: 0.1 },
        { severity: 'low', count: 3, ruleIds: ['code-env-access'], share: 0.02 },
      ],
      notCounted: 2,
    });
    expect(scoreOfTerms(scored)).toBe(70);
  });

  it('says it in one line, naming the rules and how they combine', () => {
    expect(scoreSentence(scored)).toBe(
      'score 70 = 1 critical (code-shell-exec) + 2 medium (code-network) + 3 low (code-env-access), each taking its share of the trust left (critical 60 %, medium 10 %, low 2 %); 2 more findings not counted (only the 3 worst of each rule count)',
    );
    expect(scoreSentence(bundle({ findings: [finding()], score: 60 }))).toBe('score 60 = 1 critical (code-shell-exec)');
    expect(scoreSentence(bundle())).toBe('score 0: no findings');
    expect(scoreSentence(bundle({ findings: [finding({ severity: 'info' })] }))).toBe('score 0: no finding above info');
    const many = ['a-1', 'a-2', 'a-3', 'a-4'].map((ruleId) => finding({ ruleId, severity: 'high' }));
    expect(scoreSentence(bundle({ findings: many, score: 76 }))).toMatch(/^score 76 = 4 high \(a-1, a-2, a-3 and 1 more rule\), /);
  });

  it("explains every real bundle's score with the very findings scoring counts", async () => {
    const report = await audit([repoPath('fixtures/examples'), repoPath('fixtures/chains/bundles'), repoPath('fixtures/rules/code-network/invalid')], {});
    for (const audited of report.bundles) {
      expect(scoreOfTerms(audited), audited.id).toBe(audited.score);
      expect(scoreSentence(audited)).toMatch(new RegExp(`^score ${audited.score}[ :]`));
    }
  });
});

describe('capabilityWords', () => {
  it('puts capabilities and what sets findings off in words, naming the hosts', () => {
    const hosts = ['api.example.com', 'b.example', 'c.example', 'd.example', 'e.example'].map((host) => finding({ ruleId: 'code-network', severity: 'info', host }));
    const words = capabilityWords(
      bundle({
        capabilities: ['dynamic-code', 'env', 'fs-read', 'fs-write', 'native-code', 'network', 'shell', 'untrusted-input'],
        findings: [
          ...hosts,
          finding({ trigger: { kind: 'load', via: ['server/index.js'] } }),
          finding({ severity: 'high', trigger: { kind: 'listener', name: 'http.createServer', bind: 'loopback' } }),
          finding({ severity: 'high', trigger: { kind: 'listener', name: 'http.createServer', bind: 'all' } }),
          finding({ severity: 'medium', trigger: { kind: 'timer', name: 'setInterval' } }),
          finding({ severity: 'low', trigger: { kind: 'install', name: 'postinstall' } }),
          finding({ ruleId: 'code-sensitive-path', category: 'sensitive-path', severity: 'high' }),
        ],
      }),
    );
    expect(words).toEqual([
      'run programs',
      'run code built or fetched at run time',
      'run native binaries',
      'read files outside its own folder',
      'change or delete files outside its own folder',
      'reach credentials, keys or start-up locations',
      'read environment variables, where secrets are kept',
      'talk to api.example.com, b.example, c.example and 2 more hosts',
      "bring text strangers write into the model's context",
      'act as soon as it is loaded, with no tool called',
      'accept network connections from other machines',
      'act on a timer',
      'run scripts when its packages are installed',
    ]);
  });

  it('says "use the network" without a known host, "on this machine" for a loopback listener, and ignores what only info findings do', () => {
    expect(
      capabilityWords(
        bundle({
          capabilities: ['network'],
          findings: [
            finding({ severity: 'high', trigger: { kind: 'listener', name: 'http.createServer', bind: 'loopback' } }),
            finding({ severity: 'info', trigger: { kind: 'load', via: ['server/index.js'] } }),
            finding({ ruleId: 'code-sensitive-path', category: 'sensitive-path', severity: 'info' }),
          ],
        }),
      ),
    ).toEqual(['use the network', 'accept network connections on this machine']);
    expect(capabilityWords(bundle())).toEqual([]);
  });
});

describe('shownClass', () => {
  it('keeps the class of an audited server, says none for what is not an extension and unknown for a server whose code was not read', () => {
    expect(shownClass(bundle({ connectorClass: 'execution' }))).toBe('execution');
    expect(shownClass(bundle({ manifest: null, complete: false, findings: [finding({ ruleId: 'archive-not-zip', severity: 'low' })] }))).toBe('none');
    const configured = { kind: 'configured-server' as const, enabled: true, grantedPaths: [], registry: null };
    expect(shownClass(bundle({ manifest: null, complete: false, installation: configured }))).toBe('unknown');
    expect(shownClass(bundle({ manifest: null, complete: false, incompleteReasons: ['internal error while auditing: boom'] }))).toBe('unknown');
  });
});

describe('installVerdict and verdictSentence', () => {
  const critical = finding();
  const medium = finding({ ruleId: 'code-network', severity: 'medium', tool: undefined });

  it('fails on the findings at or above the gate, worst first, at most two, and says what the bundle can do', () => {
    const verdict = installVerdict(bundle({ capabilities: ['shell'], findings: [medium, finding({ severity: 'high', ruleId: 'code-filesystem' }), critical, critical] }), 'high');
    expect(verdict).toMatchObject({ outcome: 'fails', gate: 'high', complete: true, extension: true, chains: [], inBaseline: 0, can: ['run programs'] });
    expect(verdict.deciding.map((item) => item.ruleId)).toEqual(['code-shell-exec', 'code-shell-exec']);
    expect(verdictSentence(installVerdict(bundle({ capabilities: ['shell'], findings: [medium, critical] }), 'high'))).toBe(
      'verdict: do NOT install under gate high: code-shell-exec (critical) fails it. It can run programs.',
    );
  });

  it('passes below the gate naming the worst finding; off without a gate; no capability said so', () => {
    expect(verdictSentence(installVerdict(bundle({ capabilities: ['network'], findings: [medium, finding({ severity: 'info' })] }), 'high'))).toBe(
      'verdict: OK to install under gate high; worst finding code-network (medium). It can use the network.',
    );
    expect(verdictSentence(installVerdict(bundle({ findings: [critical] }), 'none'))).toBe(
      'verdict: gate off (--fail-on none); worst finding code-shell-exec (critical). No capability was found in what was read.',
    );
    expect(verdictSentence(installVerdict(bundle(), 'high'))).toBe('verdict: OK to install under gate high. No capability was found in what was read.');
  });

  it('never reads as OK for an incomplete audit, and says a file that is not an extension has nothing to install', () => {
    const incomplete = installVerdict(bundle({ complete: false, findings: [medium] }), 'high');
    expect(incomplete.outcome).toBe('passes');
    expect(verdictSentence(incomplete)).toBe(
      'verdict: cannot tell: the audit is INCOMPLETE and what it could not read was not judged (nothing read fails gate high; worst finding code-network (medium)). No capability was found in what was read.',
    );
    const empty = bundle({ manifest: null, complete: false, findings: [finding({ ruleId: 'archive-not-zip', severity: 'low' })] });
    expect(verdictSentence(installVerdict(empty, 'high'))).toMatch(/^verdict: not an extension, nothing to install \(nothing read fails gate high; worst finding archive-not-zip \(low\)\)\./);
    expect(installVerdict(empty, 'low').outcome).toBe('fails');
  });

  it('lets findings the baseline holds pass, as the gate does, and says so', () => {
    const verdict = installVerdict(bundle({ findings: [{ ...critical, baselineState: 'unchanged' }, { ...medium, baselineState: 'new' }] }), 'high');
    expect(verdict).toMatchObject({ outcome: 'passes', inBaseline: 1 });
    expect(verdictSentence(verdict)).toMatch(/^verdict: OK to install under gate high; 1 at or above it already in the baseline; worst finding code-shell-exec \(critical\) and code-network \(medium\)\./);
  });

  it('fails a bundle that takes part in a chain failing the gate, naming the other extension; never a disabled copy', () => {
    const calendar = bundle({ id: 'calendar', capabilities: ['untrusted-input'], findings: [finding({ ruleId: 'code-network', severity: 'low' })] });
    const verdict = installVerdict(calendar, 'high', [chain('calendar', 'shell'), chain('other', 'shell')]);
    expect(verdict.outcome).toBe('fails');
    expect(verdict.deciding).toEqual([]);
    expect(verdict.chains.map(({ other }) => other)).toEqual(['shell']);
    expect(verdictSentence(verdict)).toBe(
      "verdict: do NOT install under gate high: a critical chain with shell fails it. It can bring text strangers write into the model's context.",
    );
    const disabled = { ...calendar, installation: { kind: 'extension' as const, enabled: false, grantedPaths: [], registry: null } };
    expect(installVerdict(disabled, 'high', [chain('calendar', 'shell')]).outcome).toBe('passes');
    expect(installVerdict(calendar, 'high', [chain('calendar', 'shell', { baselineState: 'unchanged' })]).outcome).toBe('passes');
  });

  describe('on a real scan', () => {
    let report: Report;
    beforeAll(async () => {
      report = await audit([repoPath('fixtures/chains/bundles'), repoPath('fixtures/examples')], { failOn: 'high' });
    });

    it('agrees with the summary: the gate fails exactly when some bundle fails it', () => {
      for (const gate of [...SEVERITIES, 'none'] as Array<Severity | 'none'>) {
        const failing = report.bundles.filter((each) => installVerdict(each, gate, report.combinations).outcome === 'fails');
        const summaryFails = [...report.bundles.flatMap((each) => each.findings), ...report.combinations].some(
          (risk) => gate !== 'none' && SEVERITIES.indexOf(risk.severity) >= SEVERITIES.indexOf(gate),
        );
        expect(failing.length > 0, gate).toBe(summaryFails);
      }
      expect(report.summary.failed).toBe(report.bundles.some((each) => installVerdict(each, report.summary.gate, report.combinations).outcome === 'fails'));
    });

    it('fails the calendar that reads what steers the shell runner, though none of its own findings is high', () => {
      const calendar = report.bundles.find((each) => each.id === 'team-calendar')!;
      expect(calendar.findings.every((each) => SEVERITY_WEIGHTS[each.severity] < SEVERITY_WEIGHTS.high)).toBe(true);
      expect(verdictSentence(installVerdict(calendar, 'high', report.combinations))).toBe(
        "verdict: do NOT install under gate high: a critical chain with shell-runner fails it. It can talk to www.googleapis.com and bring text strangers write into the model's context.",
      );
    });
  });
});
