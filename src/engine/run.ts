import { compareText } from '../common.js';
import { shown } from '../escape.js';
import { severityRank, type RawFinding, type SinkPower } from '../report.js';
import type { BundleFacts } from './facts.js';
import type { BundleRoles, Role, SinkRole, SourceRole } from './roles.js';
import type { Rule, RuleMeta, RuleReport } from './rule.js';

export interface RuleRun {
  findings: RawFinding[];
  /** The sources and sinks the findings show, per tool (engine/roles.ts). */
  roles: BundleRoles;
  /** Rules that threw: our own bugs. The bundle is then incomplete and the run exits 3. */
  failures: Array<{ ruleId: string; message: string }>;
}

/** Runs every rule on one bundle's facts; rules that read roles run last, on the roles the others stated. */
export function runRules(rules: readonly Rule[], facts: BundleFacts): RuleRun {
  const book = new RoleBook();
  const run: RuleRun = { findings: [], roles: book.settled(), failures: [] };
  for (const rule of rules.filter((candidate) => !candidate.meta.readsRoles)) runRule(rule, facts, run, book);
  const withRoles: BundleFacts = { ...facts, roles: book.settled() };
  for (const rule of rules.filter((candidate) => candidate.meta.readsRoles)) runRule(rule, withRoles, run, book);
  run.findings.sort(compareFindings);
  run.roles = book.settled();
  sortRoles(run.roles);
  return run;
}

function runRule(rule: Rule, facts: BundleFacts, run: RuleRun, book: RoleBook): void {
  const { meta } = rule;
  try {
    rule.check(facts, {
      report(report) {
        const finding = findingFor(meta, report);
        run.findings.push(finding);
        for (const role of report.roles ?? []) book.add(role, finding);
      },
    });
  } catch (error) {
    run.failures.push({ ruleId: meta.id, message: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * The finding a rule's report makes: its message filled from `data`, bundle text escaped. Also for
 * findings made outside a bundle's run (servers configured in Claude Desktop, `--installed`).
 */
export function findingFor<MessageId extends string>(meta: RuleMeta<MessageId>, report: RuleReport<MessageId>): RawFinding {
  const { messageId, data, location, severity, category, evidence, trigger, origin, host } = report;
  const tool = report.tool ?? report.tools?.[0];
  const tools = [...new Set([...(tool === undefined ? [] : [tool]), ...(report.tools ?? [])])].sort(compareText);
  return {
    ruleId: meta.id,
    category: category ?? meta.category,
    severity: severity ?? meta.severity,
    message: fillTemplate(template(meta.messages, messageId), data ?? {}),
    location,
    ...(tool === undefined ? {} : { tool }),
    ...(tools.length > 1 ? { tools } : {}),
    ...(host === undefined ? {} : { host }),
    ...(trigger === undefined ? {} : { trigger }),
    ...(origin === undefined ? {} : { origin }),
    ...(evidence === undefined ? {} : { evidence: shown(evidence) }),
  };
}

/**
 * The roles a run's findings state: one source per tool and content, one sink per tool and power at
 * its worst severity; the first evidence found stays. What a tool's code shows replaces what its
 * description suggests. Kept in the order stated, and found by tool: searching every role at each
 * one cost the square of the tools (minutes for a server of 40,000).
 */
class RoleBook {
  private readonly roles: BundleRoles = { sources: [], sinks: [] };
  private readonly sourcesOf = new Map<string, SourceRole[]>();
  private readonly sinkOf = new Map<string, SinkRole>();
  /** Sources a tool's code replaced, still in `roles.sources` until settled. */
  private readonly replaced = new Set<SourceRole>();

  add(role: Role, finding: RawFinding): void {
    for (const tool of role.tools) {
      if (role.kind === 'source') this.addSource(tool, role, finding);
      else this.addSink(tool, role.power, finding);
    }
  }

  /** The roles stated so far, in the order stated. */
  settled(): BundleRoles {
    if (this.replaced.size > 0) {
      this.roles.sources = this.roles.sources.filter((source) => !this.replaced.has(source));
      this.replaced.clear();
    }
    return this.roles;
  }

  private addSource(tool: string, role: Extract<Role, { kind: 'source' }>, finding: RawFinding): void {
    let known = this.sourcesOf.get(tool);
    if (known === undefined) this.sourcesOf.set(tool, (known = []));
    const coded = known.some((source) => source.basis === 'code');
    if (role.basis === 'description' && coded) return;
    if (role.basis === 'code' && !coded && known.length > 0) {
      for (const source of known) this.replaced.add(source);
      known.length = 0;
    }
    if (known.some((source) => source.content === role.content)) return;
    const source: SourceRole = { tool, basis: role.basis, content: role.content, evidence: finding.message, location: finding.location };
    known.push(source);
    this.roles.sources.push(source);
  }

  private addSink(tool: string, power: SinkPower, finding: RawFinding): void {
    const key = `${tool}\u0000${power}`;
    const known = this.sinkOf.get(key);
    const worst = { severity: finding.severity, evidence: finding.message, location: finding.location };
    if (known === undefined) {
      const sink: SinkRole = { tool, power, ...worst };
      this.sinkOf.set(key, sink);
      this.roles.sinks.push(sink);
    } else if (severityRank(finding.severity) > severityRank(known.severity)) Object.assign(known, worst);
  }
}

/** Roles come out of rules in rule order; sorted, the same bundle always gives the same roles. */
function sortRoles(roles: BundleRoles): void {
  // Code evidence first: the tool a chain names is the one whose code shows it.
  roles.sources.sort((a, b) => compareText(a.basis, b.basis) || compareText(a.tool, b.tool) || compareText(a.content, b.content) || compareText(a.evidence, b.evidence));
  roles.sinks.sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.tool, b.tool) || compareText(a.power, b.power));
}

function template(messages: Readonly<Record<string, string>>, messageId: string): string {
  const text = messages[messageId];
  if (text === undefined) throw new Error(`unknown message id ${messageId}`);
  return text;
}

function fillTemplate(template: string, data: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (placeholder, key: string) => {
    const value = data[key];
    if (value === undefined) throw new Error(`message placeholder ${placeholder} has no value`);
    return typeof value === 'number' ? String(value) : shown(value);
  });
}

/** Worst first, then by rule, place and text, so that output is stable whatever the rule order. */
function compareFindings(a: RawFinding, b: RawFinding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.ruleId, b.ruleId) ||
    compareText(a.location.file, b.location.file) ||
    ('line' in a.location ? (a.location.line ?? 0) : 0) - ('line' in b.location ? (b.location.line ?? 0) : 0) ||
    ('column' in a.location ? (a.location.column ?? 0) : 0) - ('column' in b.location ? (b.location.column ?? 0) : 0) ||
    compareText('pointer' in a.location ? a.location.pointer : '', 'pointer' in b.location ? b.location.pointer : '') ||
    compareText(a.message, b.message)
  );
}
