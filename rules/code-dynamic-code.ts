import type { CallSite } from '../src/analysis/analyze.js';
import { atCallSite } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// Code evaluated at run time is code nobody reviewed: an auditor cannot say what it does, and when a
// tool's input reaches it the model can run anything. Constant evaluation in dependencies
// (`Function('return this')()` finding the global object) is a common idiom and not reported.
const EVALUATORS = new Set([
  'eval',
  'Function',
  'new Function',
  'vm.runInThisContext',
  'vm.runInNewContext',
  'vm.runInContext',
  'vm.compileFunction',
  'new vm.Script',
  'vm.Script',
  'process.binding',
  'process.dlopen',
]);
const LOADERS = new Set(['require', 'import']);
const TIMERS = new Set(['setTimeout', 'setInterval']);

export default defineRule({
  meta: {
    id: 'code-dynamic-code',
    category: 'dynamic-code',
    severity: 'medium',
    description:
      'Server code evaluates strings as code (eval, Function, vm) or loads modules named at run time; critical when a tool\'s input reaches it.',
    remediation: 'Replace evaluation with data handling (JSON.parse, a lookup table) and load modules by literal names.',
    messages: {
      evaluatesInput: '{api} evaluates code built from the input of tool {tools}: the model can run any JavaScript in the server.',
      loadsInput: '{api} loads a module named by the input of tool {tools}: the model chooses which code runs.',
      evaluates: '{api} evaluates code computed at run time{reach}; what it runs cannot be audited.',
      evaluatesConstant: '{api} evaluates a constant string{reach}.',
      loads: '{api} loads a module whose name is computed at run time{reach}; that code was not audited.',
    },
  },
  check({ code }, context) {
    for (const call of code.calls) {
      const kind = kindOf(call);
      if (kind === null) continue;
      const verdict = judge(call, kind);
      if (verdict === null) continue;
      context.report({
        messageId: verdict.messageId,
        data: { api: `${call.callee}()`, tools: quoteList(call.taintedBy), reach: call.tools.length > 0 ? ` in tool ${quoteList(call.tools)}` : '' },
        severity: verdict.severity,
        ...atCallSite(call),
      });
    }
  },
});

type Kind = 'evaluator' | 'loader';

function kindOf(call: CallSite): Kind | null {
  if (EVALUATORS.has(call.callee)) return 'evaluator';
  if (LOADERS.has(call.callee)) {
    const specifier = call.args[0];
    // `require(path.join(__dirname, '../package.json'))` reads data, not code.
    const loadsJson = specifier?.parts?.some((part) => part.endsWith('.json')) ?? false;
    return specifier !== undefined && specifier.literal === undefined && !loadsJson ? 'loader' : null;
  }
  // A string given to a timer is evaluated like eval; a function is not.
  if (TIMERS.has(call.callee) && (call.args[0]?.literal !== undefined || call.args[0]?.prefix !== undefined)) return 'evaluator';
  return null;
}

type MessageId = 'evaluatesInput' | 'loadsInput' | 'evaluates' | 'evaluatesConstant' | 'loads';

function judge(call: CallSite, kind: Kind): { messageId: MessageId; severity: Severity } | null {
  if (call.taintedBy.length > 0) return { messageId: kind === 'loader' ? 'loadsInput' : 'evaluatesInput', severity: 'critical' };
  const constant = call.args.length > 0 && call.args.every((argument) => argument.literal !== undefined);
  if (call.origin === 'dependency') return null;
  if (kind === 'loader') return { messageId: 'loads', severity: 'medium' };
  return constant ? { messageId: 'evaluatesConstant', severity: 'low' } : { messageId: 'evaluates', severity: 'medium' };
}
