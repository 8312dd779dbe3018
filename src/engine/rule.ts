import type { Category, FindingTrigger, Location, Severity } from '../report.js';
import type { BundleFacts } from './facts.js';
import type { Role } from './roles.js';

export interface RuleMeta<MessageId extends string> {
  /** Kebab-case, equal to the rule's file name under rules/, prefixed by area. */
  id: string;
  category: Category;
  /** Default severity; a report may state another one when the rule's doc explains when. */
  severity: Severity;
  /** One line for `dxt-audit rules` and the docs table. */
  description: string;
  /** What the publisher or the user can do about it. */
  remediation: string;
  /** Message templates keyed by id; `{name}` placeholders are filled from `data`, escaped. */
  messages: Record<MessageId, string>;
  /** The prose of the rule's documentation page (docs/rules/<id>.md, `dxt-audit explain <id>`). */
  docs: RuleDocs;
  /** The rule reads `facts.roles`: it runs after every other rule, which state the roles. */
  readsRoles?: true;
}

/**
 * What a rule's page says beyond its other metadata. Markdown (inline code, links), paragraphs
 * separated by blank lines; true to what `check` does, so it lives in the rule's file.
 */
export interface RuleDocs {
  /** Why the finding matters for an extension that runs unsandboxed with the user's privileges, and how severities are chosen. */
  why: string;
  /** What the rule deliberately does not flag, the known false positives, and how to tell them from a real finding. */
  falsePositives: string;
  /** Advisories, CVEs, CWEs, specifications and API docs behind the rule; at least one. */
  references: readonly RuleReference[];
}

export interface RuleReference {
  title: string;
  /** https, on a stable host (test/rules/docs.test.ts lists them). */
  url: string;
}

export interface RuleReport<MessageId extends string> {
  messageId: MessageId;
  data?: Record<string, string | number>;
  location: Location;
  severity?: Severity;
  /** For a rule whose findings span categories (code-unreachable-signal): this finding's own; `meta.category` otherwise. */
  category?: Category;
  evidence?: string;
  /** The MCP tool whose handler reaches the code: the one the finding is about when several do. */
  tool?: string;
  /** Every tool whose handler reaches the code; the finding lists them when there are several, and `tool` defaults to the first. */
  tools?: readonly string[];
  /** For a network endpoint: the host the code connects to. */
  host?: string;
  /** What sets the code off (see FindingTrigger in report.ts). */
  trigger?: FindingTrigger;
  origin?: 'first-party' | 'dependency';
  /** The finding shows a tool bringing untrusted content in, or letting the model act (engine/roles.ts). */
  roles?: readonly Role[];
}

export interface RuleContext<MessageId extends string> {
  report(report: RuleReport<MessageId>): void;
}

export interface Rule<MessageId extends string = string> {
  meta: RuleMeta<MessageId>;
  /** Pure and synchronous: reads facts, reports findings, touches nothing else. */
  check(facts: BundleFacts, context: RuleContext<MessageId>): void;
}

/** Typed factory: a message id that the rule does not declare is a compile error. */
export function defineRule<MessageId extends string>(rule: Rule<MessageId>): Rule<MessageId> {
  return rule;
}
