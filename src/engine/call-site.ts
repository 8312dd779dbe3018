import type { CallSite } from '../analysis/model/code-facts.js';
import type { Trigger } from '../analysis/model/triggers.js';
import type { FindingTrigger } from '../report.js';
import type { RuleReport } from './rule.js';

/** Where a code finding points and what it carries: the call, its excerpt, origin, the tool reaching it and what sets it off. */
export function atCallSite(call: CallSite): Pick<RuleReport<string>, 'location' | 'evidence' | 'origin' | 'tool' | 'trigger'> {
  const tool = call.taintedBy[0] ?? call.tools[0];
  const trigger = call.inputFrom[0] ?? call.triggers[0];
  return {
    location: { file: call.file, line: call.line, column: call.column },
    evidence: call.excerpt,
    origin: call.origin,
    ...(tool === undefined ? {} : { tool }),
    ...(trigger === undefined ? {} : { trigger: findingTrigger(trigger) }),
  };
}

/** A trigger as the report carries it. */
export function findingTrigger(trigger: Trigger): FindingTrigger {
  switch (trigger.kind) {
    case 'load':
      return { kind: 'load', via: trigger.via };
    case 'listener':
      return { kind: 'listener', name: trigger.name, bind: trigger.bind };
    default:
      return { kind: trigger.kind, name: trigger.name };
  }
}
