import type { CallSite } from '../src/analysis/model/code-facts.js';
import { isCommandWrapper, processApi, type ProcessApi } from '../src/analysis/catalog/processes.js';
import { isSourceLabel } from '../src/analysis/catalog/sources.js';
import type { ArgumentFact } from '../src/analysis/model/file-facts.js';
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
      openerFromNetwork:
        '{api} hands a URL taken from a network response to the OS opener, which runs it through a shell on Windows: a remote server chooses what is opened (the shape of CVE-2025-6514 in mcp-remote){reach}.',
      constant: '{api} runs {command}{reach}.',
    },
    docs: {
      why:
        "An extension runs with your privileges and no sandbox, and its tools are called by a model that acts on whatever text " +
        "it last read. The question that decides an install is whether that model, steered by a web page or a calendar " +
        "invitation, can make the extension run a command of its choosing. Critical: tool input reaches a shell command " +
        "(`exec`, `execSync`, `spawn` with `shell: true`, or a program wrapped in `sh -c`, `cmd /c`, `powershell -Command`, " +
        "`osascript -e`), as in mcp-server-kubernetes' interpolated `execSync` and the AppleScript injections found in " +
        "official Claude extensions; or tool input names the program itself. High: tool input becomes arguments to a fixed " +
        "program, which still allows argument injection (`--output=/etc/...`, values starting with `-`), or reaches the OS " +
        "opener (`open`), which runs it through a shell on Windows; high too when a URL taken from a network response reaches " +
        "the opener in the same function, the shape of CVE-2025-6514 in mcp-remote (an OAuth authorization URL from a remote " +
        "server's metadata; a bundle compiled into one file keeps the shape when it loses the version). Medium: a constant command, " +
        "a capability worth knowing about rather than an injection; the message says which tool reaches it, or that it runs as " +
        "soon as the module loads.",
      falsePositives:
        "Only code reachable from the server's entry point is analysed, and only calls in first-party code, reached by a tool, " +
        "or run at module level are reported: a dependency's process helpers that nothing calls are silent (the `valid` " +
        "example's `spawn-lib`). Tool input is followed through variables and into the parameters of the bundle's own " +
        "functions, across files, but not back out through return values, so a command that a helper builds and returns may be " +
        "reported at medium, as a command computed at run time, rather than critical; read the excerpt. Conversely, input that " +
        "is validated against an allow-list before use is still reported, because the check is not recognised as one: look for " +
        "the validation next to the call before concluding that the model controls the command. `child_process.fork` of a " +
        "bundled script is not a shell and is reported as a constant command.",
      references: [
        { title: "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')", url: 'https://cwe.mitre.org/data/definitions/78.html' },
        { title: "CWE-88: Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')", url: 'https://cwe.mitre.org/data/definitions/88.html' },
        { title: 'CVE-2025-6514: mcp-remote OS command injection through the OS opener', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-6514' },
        { title: 'Node.js: child_process, shell and argument handling', url: 'https://nodejs.org/api/child_process.html' },
      ],
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
  messageId: 'shellFromInput' | 'argvFromInput' | 'programFromInput' | 'openerFromInput' | 'openerFromNetwork' | 'constant';
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
  // The OAuth flow of CVE-2025-6514: the authorization URL comes from the remote server's metadata.
  if (api.form === 'opener' && first?.labels.includes('@network')) return { messageId: 'openerFromNetwork', data: { reach: reachOf(call) }, severity: 'high' };
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
