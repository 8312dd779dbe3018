import { noCodeFacts, type CallSite } from '../../src/analysis/model/code-facts.js';
import type { Trigger } from '../../src/analysis/model/triggers.js';

/** Code facts of a bundle whose code was not looked at, for rule tests that build facts by hand. */
export const noCode = noCodeFacts;

/**
 * A call site built by hand: first-party, in server/index.js, reached by nothing unless `triggers`
 * or `tools` say so (each tool in `tools` is a tool trigger, and `taintedBy` feeds `inputFrom`).
 */
export function callSite(fields: Partial<CallSite> & Pick<CallSite, 'callee'>): CallSite {
  const tools = fields.tools ?? [];
  const taintedBy = fields.taintedBy ?? [];
  return {
    file: 'server/index.js',
    origin: 'first-party',
    line: 1,
    column: 1,
    args: [],
    excerpt: `${fields.callee}()`,
    tools,
    triggers: tools.map((name): Trigger => ({ kind: 'tool', name })),
    taintedBy,
    inputFrom: taintedBy.map((name): Trigger => ({ kind: 'tool', name })),
    taintedArgs: [],
    checkedArgs: [],
    ...fields,
  };
}
