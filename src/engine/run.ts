import { compareText } from '../common.js';
import { shown } from '../escape.js';
import { severityRank, type RawFinding } from '../report.js';
import type { BundleFacts } from './facts.js';
import type { BundleRoles, Role } from './roles.js';
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
  const run: RuleRun = { findings: [], roles: { sources: [], sinks: [] }, failures: [] };
  for (const rule of rules.filter((candidate) => !candidate.meta.readsRoles)) runRule(rule, facts, run);
  const withRoles: BundleFacts = { ...facts, roles: run.roles };
  for (const rule of rules.filter((candidate) => candidate.meta.readsRoles)) runRule(rule, withRoles, run);
  run.findings.sort(compareFindings);
  sortRoles(run.roles);
  return run;
}

function runRule(rule: Rule, facts: BundleFacts, run: RuleRun): void {
  const { meta } = rule;
  try {
    rule.check(facts, {
      report(report) {
        const finding = findingFor(meta, report);
        run.findings.push(finding);
        for (const role of report.roles ?? []) addRole(run.roles, role, finding);
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
 * One source per tool and content, one sink per tool and power at its worst severity; the first
 * evidence found stays. What a tool's code shows replaces what its description suggests.
 */
function addRole(roles: BundleRoles, role: Role, finding: RawFinding): void {
  for (const tool of role.tools) {
    if (role.kind === 'source') {
      const coded = roles.sources.some((known) => known.tool === tool && known.basis === 'code');
      if (role.basis === 'description' && coded) continue;
      if (role.basis === 'code') roles.sources = roles.sources.filter((known) => known.tool !== tool || known.basis === 'code');
      if (!roles.sources.some((known) => known.tool === tool && known.content === role.content)) {
        roles.sources.push({ tool, basis: role.basis, content: role.content, evidence: finding.message, location: finding.location });
      }
      continue;
    }
    const known = roles.sinks.find((sink) => sink.tool === tool && sink.power === role.power);
    const worst = { severity: finding.severity, evidence: finding.message, location: finding.location };
    if (known === undefined) roles.sinks.push({ tool, power: role.power, ...worst });
    else if (severityRank(finding.severity) > severityRank(known.severity)) Object.assign(known, worst);
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
