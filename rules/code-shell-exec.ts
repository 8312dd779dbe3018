import type { CallSite } from '../src/analysis/analyze.js';
import { isCommandWrapper, processApi, type ProcessApi } from '../src/analysis/catalog/processes.js';
import { isSourceLabel } from '../src/analysis/catalog/sources.js';
import type { ArgumentFact } from '../src/analysis/js/facts.js';
import { atCallSite } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// What decides an install: can the model, steered by whatever text it last read, make this
// extension run a command of its choosing? A shell string built from tool input is that (the
// mcp-server-kubernetes execSync and the AppleScript cases); an argv call with tool input still
// allows argument injection (`--output=/etc/...`); a constant command is a capability, not an
// injection. Library internals that no tool and no module-level code reach are not reported.
export default defineRule({
  meta: {
    id: 'code-shell-exec',
    category: 'shell-exec',
    severity: 'medium',
    description:
      'Server code starts other programs (child_process, execa, cross-spawn, shelljs, open; Python subprocess, os.system, os.popen, pty, asyncio); critical when a tool\'s input reaches a shell command.',
    remediation:
      'Pass tool input only as separate arguments to execFile/spawn without a shell, validate it against an allow-list, and reject values starting with "-".',
    messages: {
      shellFromInput: '{api} runs a shell command built from the input of tool {tools}: the model can run any command on this machine.',
      argvFromInput: '{api} starts {program} with arguments taken from the input of tool {tools}: the model chooses what it runs with.',
      programFromInput: '{api} starts a program named by the input of tool {tools}: the model can run any program on this machine.',
      openerFromInput: '{api} hands a value from the input of tool {tools} to the OS opener, which runs it through a shell on Windows.',
      constant: '{api} runs {command}{reach}.',
    },
  },
  check({ code }, context) {
    for (const call of code.calls) {
      const api = processApi(call.callee);
      if (api === null || !worthReporting(call)) continue;
      const finding = classify(call, api);
      context.report({
        messageId: finding.messageId,
        data: { api: `${call.callee}()`, ...finding.data },
        severity: finding.severity,
        ...atCallSite(call),
        ...(call.taintedBy.length > 0 ? { roles: [{ kind: 'sink', tools: call.taintedBy, power: 'command-execution' }] } : {}),
      });
    }
  },
});

function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || call.tools.length > 0 || call.atModuleLevel;
}

type Classified = {
  messageId: 'shellFromInput' | 'argvFromInput' | 'programFromInput' | 'openerFromInput' | 'constant';
  data: Record<string, string>;
  severity: Severity;
};

function classify(call: CallSite, api: ProcessApi): Classified {
  const [first, second] = call.args;
  const options = api.optionsAt === undefined ? undefined : (call.args[api.optionsAt] ?? call.args[1])?.properties;
  // Python's `subprocess.run(["sh", "-c", cmd])`: program and arguments in one list (or one string).
  const inList = api.form === 'argv-list';
  const argv = inList ? first?.elements?.slice(1) : second?.elements;
  const program = inList ? (first?.elements?.[0]?.literal ?? first?.literal) : first?.literal;
  const wrapped = program !== undefined && isCommandWrapper(program, argv?.[0]?.literal);
  const throughShell = api.form === 'shell' || options?.shell === true || wrapped;
  // The parts a shell parses: the command string, and the argv when a shell joins or runs it.
  const shellParsed = api.form === 'shell' || inList ? [0] : [0, 1];
  const tools = quoteList(call.taintedBy);
  if (call.taintedBy.length > 0) {
    if (throughShell && call.taintedArgs.some((position) => shellParsed.includes(position))) {
      return { messageId: 'shellFromInput', data: { tools }, severity: 'critical' };
    }
    if (api.form === 'opener') return { messageId: 'openerFromInput', data: { tools }, severity: 'high' };
    if (call.taintedArgs.includes(0) && (api.form === 'argv' || (inList && programFromCaller(first)))) {
      return { messageId: 'programFromInput', data: { tools }, severity: 'critical' };
    }
    return { messageId: 'argvFromInput', data: { tools, program: program === undefined ? 'a program' : `"${program}"` }, severity: 'high' };
  }
  const detached = options?.detached === true ? ', detached from the server' : '';
  return {
    messageId: 'constant',
    data: { command: describeCommand(call, api) + detached, reach: reachOf(call) },
    severity: 'medium',
  };
}

/** In an argv list written in place, the first element (the program) is a value from a caller. */
function programFromCaller(argument: ArgumentFact | undefined): boolean {
  if (argument === undefined) return false;
  // A value from elsewhere may be a list with a constant program: argument injection, not program choice.
  if (argument.elements === undefined) return false;
  return argument.elements[0]?.labels.some((label) => !isSourceLabel(label)) ?? false;
}

function describeCommand(call: CallSite, api: ProcessApi): string {
  const [first, second] = call.args;
  if (api.form === 'argv-list' && first?.elements !== undefined) {
    return `"${first.elements.map((element) => element.literal ?? '…').join(' ')}"`;
  }
  if (first?.literal !== undefined) {
    const argv = (second?.elements ?? []).map((element) => element.literal ?? '…');
    return `"${[first.literal, ...(api.form === 'argv' ? argv : [])].join(' ')}"`;
  }
  if (first?.prefix) return `a command starting "${first.prefix}"`;
  return 'a command computed at run time';
}

function reachOf(call: CallSite): string {
  if (call.tools.length > 0) return ` in tool ${quoteList(call.tools)}`;
  if (call.atModuleLevel) return ' as soon as the module is loaded';
  return '';
}
