import type { Category, Location, Severity } from '../report.js';
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
  /** The rule reads `facts.roles`: it runs after every other rule, which state the roles. */
  readsRoles?: true;
}

export interface RuleReport<MessageId extends string> {
  messageId: MessageId;
  data?: Record<string, string | number>;
  location: Location;
  severity?: Severity;
  /** For a rule whose findings span categories (code-unreachable-signal): this finding's own; `meta.category` otherwise. */
  category?: Category;
  evidence?: string;
  /** The MCP tool whose handler reaches the code. */
  tool?: string;
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
