import { shown } from '../escape.js';
import { severityRank, type Finding } from '../report.js';
import type { BundleFacts } from './facts.js';
import type { Rule } from './rule.js';

export interface RuleRun {
  findings: Finding[];
  /** Rules that threw: our own bugs. The bundle is then incomplete and the run exits 3. */
  failures: Array<{ ruleId: string; message: string }>;
}

export function runRules(rules: readonly Rule[], facts: BundleFacts): RuleRun {
  const run: RuleRun = { findings: [], failures: [] };
  for (const rule of rules) {
    const { meta } = rule;
    try {
      rule.check(facts, {
        report({ messageId, data, location, severity, category, evidence, tool, origin }) {
          run.findings.push({
            ruleId: meta.id,
            category: category ?? meta.category,
            severity: severity ?? meta.severity,
            message: fillTemplate(template(meta.messages, messageId), data ?? {}),
            location,
            ...(tool === undefined ? {} : { tool }),
            ...(origin === undefined ? {} : { origin }),
            ...(evidence === undefined ? {} : { evidence: shown(evidence) }),
          });
        },
      });
    } catch (error) {
      run.failures.push({ ruleId: meta.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  run.findings.sort(compareFindings);
  return run;
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
export function compareFindings(a: Finding, b: Finding): number {
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

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
