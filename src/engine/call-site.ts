import type { CallSite } from '../analysis/model/code-facts.js';
import type { RuleReport } from './rule.js';

/** Where a code finding points and what it carries: the call, its excerpt, origin and the tool reaching it. */
export function atCallSite(call: CallSite): Pick<RuleReport<string>, 'location' | 'evidence' | 'origin' | 'tool'> {
  const tool = call.taintedBy[0] ?? call.tools[0];
  return {
    location: { file: call.file, line: call.line, column: call.column },
    evidence: call.excerpt,
    origin: call.origin,
    ...(tool === undefined ? {} : { tool }),
  };
}
