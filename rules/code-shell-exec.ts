import type { CallSite } from '../src/analysis/model/code-facts.js';
import { commandCall, hasInertOptions, isCommandWrapper, processApi, type ProcessApi } from '../src/analysis/catalog/processes.js';
import { isSourceLabel, SOURCES } from '../src/analysis/catalog/sources.js';
import type { ArgumentFact } from '../src/analysis/model/file-facts.js';
import { judgeCommand, type CommandJudgement } from '../src/analysis/catalog/commands.js';
import { downloadedFiles } from '../src/analysis/downloads.js';
import { triggerKey } from '../src/analysis/model/triggers.js';
import { atCallSite, isReached, runsAtLoad, sourceTrigger, worstInput } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { inputWords, triggerPhrase, whoWords } from '../src/engine/wording.js';
import { SEVERITIES, severityRank, type FindingTrigger, type Severity } from '../src/report.js';

// What decides an install: can the model, steered by whatever text it last read, make this
// extension run a command of its choosing? A shell string built from tool input is that (the
// mcp-server-kubernetes execSync and the AppleScript cases); an argv call with tool input still
// allows argument injection (`--output=/etc/...`). A network listener's request is untrusted input
// too, judged by whom the listener lets in. A constant command is judged by what it says, with the
// one command catalogue (catalog/commands.ts): a download piped to a shell is critical, `git
// --version` is low (the capability is recorded, not raised). Library internals that nothing sets
// off (no tool, no module load, no listener, no timer) are not reported.
export default defineRule({
  meta: {
    id: 'code-shell-exec',
    category: 'shell-exec',
    severity: 'medium',
    description:
      'Server code starts other programs (child_process, execa, cross-spawn, shelljs, open; Python subprocess, os.system, os.popen, pty, asyncio); critical when a tool\'s input or a network request reaches a shell command, or a constant command downloads and runs code; a harmless constant command is low.',
    remediation:
      'Pass tool input only as separate arguments to execFile/spawn without a shell, validate it against an allow-list, and reject values starting with "-".',
    messages: {
      shellFromInput: '{api} runs a shell command built from {input}: {who} can run any command on this machine.',
      remoteShellFromInput: '{api} runs a shell command built from {input} on the host it is connected to over SSH: {who} can run any command there, as the account the extension signs in with.',
      argvFromInput: '{api} starts {program} with arguments taken from {input}: {who} chooses what it runs with.',
      programFromInput: '{api} starts a program named by {input}: {who} can run any program on this machine.',
      openerFromInput: '{api} hands a value from {input} to the OS opener, which runs it through a shell on Windows.',
      openerFromNetwork:
        '{api} hands a URL taken from a network response to the OS opener, which runs it through a shell on Windows: a remote server chooses what is opened (the shape of CVE-2025-6514 in mcp-remote){reach}.',
      constant: '{api} runs {command}{script}{detached}{reach}{found}.',
      runsDownloaded: '{api} runs {path}, a file the code wrote from data fetched over the network ({written}){reach}: it downloads and runs a program.',
      runsDecoded: '{api} runs a command decoded from base64, hex or char codes at run time{reach}: code hidden from review on purpose.',
      runsFetched: '{api} runs a command received from the network{reach}: what it runs is decided by that server, after any audit.',
      opens: '{api} opens {command}{reach}.',
    },
    docs: {
      why:
        "An extension runs with your privileges and no sandbox, and its tools are called by a model that acts on whatever text " +
        "it last read. The question that decides an install is whether that model, steered by a web page or a calendar " +
        "invitation, can make the extension run a command of its choosing. Critical: tool input reaches a shell command " +
        "(`exec`, `execSync`, `spawn` with `shell: true`, or a program wrapped in `sh -c`, `cmd /c`, `powershell -Command`, " +
        "`osascript -e`), as in mcp-server-kubernetes' interpolated `execSync` and the AppleScript injections found in " +
        "official Claude extensions; or tool input names the program itself; or reaches a command run on another host " +
        "over SSH (paramiko's `SSHClient.exec_command`), with the keys the extension signs in with. High: tool input becomes arguments to a fixed " +
        "program, which still allows argument injection (`--output=/etc/...`, values starting with `-`; medium when the " +
        "program is one no option of which runs code, reads a script or writes a file: `ping`, `traceroute`, `whois`, " +
        "`nslookup`, `echo`, where an injected option can flood or print but do nothing worse), or reaches the OS " +
        "opener (`open`), which runs it through a shell on Windows; high too when a URL taken from a network response reaches " +
        "the opener in the same function, the shape of CVE-2025-6514 in mcp-remote (an OAuth authorization URL from a remote " +
        "server's metadata; a bundle compiled into one file keeps the shape when it loses the version). A network listener's " +
        "request (HTTP, WebSocket, socket data) reaching the command is judged as tool input is when the listener takes " +
        "connections on every interface (an unauthenticated remote shell: critical), one step lower on loopback or an unknown " +
        "bind (any local program or web page can still reach it), and one step lower again when its handler checks the Origin " +
        "or a secret token. Critical too, whatever sets it off: a command decoded from base64, hex or char codes at run time, " +
        "or received from the network, run through a shell or handed to an interpreter's `-c`/`-e` " +
        "(`os.system(b64decode(blob))`, `[\"python\", \"-c\", zlib.decompress(…)]`): no ordinary program hides the commands it runs. " +
        "A constant command, or the constant parts of one, is judged by what it says, with the command " +
        "catalogue (docs/commands.md), through `sh -c`, `cmd /c`, `powershell -Command` and `-EncodedCommand`, `python -c`, " +
        "`node -e` and `osascript -e`: critical for download-and-run (`curl … | sh`, `iwr … | iex`, `certutil -urlcache`, a " +
        "fetched file made executable and run), reverse shells, destructive commands and secrets sent off; high for persistence, " +
        "credential reads, raw IP and drop-box hosts, decoded code run and defences turned off; medium for a request for admin " +
        "rights, text too long or nested too deep to judge, and shell text partly or wholly computed at run time (low when the " +
        "program is written out, harmless, and the computed rest comes from nothing a caller, a tool or a source gives: " +
        "`\"git tag v%s\" % VERSION`); one step higher (high " +
        "becomes critical) when such a command starts as soon as a module is loaded, detached from the server or unref'ed, the " +
        "way a malicious package's payload runs at import. Critical too, whatever sets it off, for a dropper: a program run " +
        "(or named after `sh`, `start`, `python`…) that is a file the code wrote from data fetched over the network " +
        "(`fs.writeFileSync(p, body)` with a fetched body, Python's `open(p, \"wb\")` written through its handle within a few " +
        "lines, `urlretrieve(url, p)`), matched by its constant path. Low for any other command (`git --version`, `which`) and for a " +
        "program and arguments computed at run time from nothing untrusted, with no shell to inject into, info for one " +
        "that only opens a web page. The message says what the catalogue found, what sets the call off (a tool, the module's " +
        "load and the import path to it, a listener, a timer) and the bundle's script the command runs.",
      falsePositives:
        "Only code reachable from the server's entry point is analysed, and only calls in first-party code or set off by " +
        "something (a tool, a module's load, a listener, a timer) are reported: a dependency's process helpers that nothing " +
        "calls are silent (the `valid` example's `spawn-lib`). An import's name that a function declares again for " +
        "something else (`const cp = new RegExp(p); cp.exec(s)`) is that function's value, not the module (the " +
        "`valid-shadowed` example); in Python the same for a parameter, an assignment or a lambda's parameter " +
        "(`def run(subprocess, name): subprocess.call(name)`), and a known module used with no import of its own is that " +
        "module, as a star import brings it in, unless the file binds the name (the `valid-python-module-names` example); " +
        "a variable given a module or a member of one (`run = subprocess.check_output`, `getattr(os, \"system\")`, " +
        "`__import__(\"os\")`) is read as that, until it is bound again (`valid-python-alias`). " +
        "Tool input is followed through variables and into the " +
        "parameters of the bundle's own functions, across files, but not back out through return values, so a command that a " +
        "helper builds and returns may be reported at medium (low without a shell), as a command computed at run time, rather than critical; read " +
        "the excerpt. Conversely, input that is validated against an allow-list before use is still reported, because the " +
        "check is not recognised as one: look for the validation next to the call before concluding that the model controls " +
        "the command. A constant command with nothing the catalogue knows is low, not medium: the `shell` capability is still " +
        "recorded in the bundle's `capabilities`. Official installers use the `curl … | sh` shape too (rustup, Homebrew); it " +
        "is still code the bundle does not contain. `child_process.fork` of a bundled script is not a shell and is reported " +
        "low, as a constant command. A `.unref()` is matched to the call it follows within a few lines in the same code, so " +
        "an unrelated timer's `unref()` right after a spawn can be taken for the child's.",
      references: [
        { title: "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')", url: 'https://cwe.mitre.org/data/definitions/78.html' },
        { title: "CWE-88: Improper Neutralization of Argument Delimiters in a Command ('Argument Injection')", url: 'https://cwe.mitre.org/data/definitions/88.html' },
        { title: 'CVE-2025-6514: mcp-remote OS command injection through the OS opener', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-6514' },
        { title: 'Node.js: child_process, shell and argument handling', url: 'https://nodejs.org/api/child_process.html' },
      ],
    },
  },
  check({ code }, context) {
    const unrefs = code.calls.filter((call) => call.callee === 'member:unref');
    let downloads: Map<string, CallSite> | null = null;
    for (const call of code.calls) {
      const api = processApi(call.callee);
      if (api === null || !worthReporting(call)) continue;
      const finding = classify(commandCall(call, api), api, unrefs, (downloads ??= downloadedFiles(code.calls)));
      context.report({
        messageId: finding.messageId,
        data: { api: `${call.callee}()`, ...finding.data },
        severity: finding.severity,
        ...atCallSite(call),
        ...(finding.trigger === undefined ? {} : { trigger: finding.trigger }),
        ...(call.taintedBy.length > 0 ? { roles: [{ kind: 'sink', tools: call.taintedBy, power: 'command-execution' }] } : {}),
      });
    }
  },
});

function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isReached(call);
}

type Classified = {
  messageId: 'shellFromInput' | 'remoteShellFromInput' | 'argvFromInput' | 'programFromInput' | 'openerFromInput' | 'openerFromNetwork' | 'constant' | 'opens' | 'runsDownloaded' | 'runsDecoded' | 'runsFetched';
  data: Record<string, string>;
  severity: Severity;
  trigger?: FindingTrigger;
};

function classify(call: CallSite, api: ProcessApi, unrefs: readonly CallSite[], downloads: ReadonlyMap<string, CallSite>): Classified {
  const [first, second] = call.args;
  const options = optionsOf(call, api);
  // Python's `subprocess.run(["sh", "-c", cmd])`: program and arguments in one list (or one string).
  const inList = api.form === 'argv-list';
  // `os.execl("/bin/sh", "sh", "-c", cmd)`: the arguments follow the program one by one.
  const variadic = api.argvZero === 'variadic';
  const argv = inList ? first?.elements?.slice(1) : variadic ? call.args.slice(1).filter((argument) => !argument.keywords) : second?.elements;
  const program = inList ? (first?.elements?.[0]?.literal ?? first?.literal) : first?.literal;
  const wrapped = program !== undefined && isCommandWrapper(program, argv?.[0]?.literal);
  const throughShell = api.form === 'shell' || options?.shell === true || wrapped;
  // The parts a shell parses: the command string, and the argv when a shell joins or runs it.
  const shellParsed = api.form === 'shell' || inList ? [0] : variadic ? call.args.map((_, position) => position) : [0, 1];
  if (call.taintedBy.length > 0 || call.inputFrom.some((trigger) => trigger.kind === 'listener')) {
    const shape = inputShape(call, api, throughShell, shellParsed, inList, first);
    // Code execution from tool input is critical; from a listener on every interface too (remote code execution).
    const worst = worstInput(call, shape.severity, shape.severity)!;
    const data = { ...shape.data, input: inputWords(worst.source), who: whoWords(worst.source) };
    return { messageId: shape.messageId, data, severity: worst.severity, trigger: sourceTrigger(worst.source) };
  }
  const reach = triggerPhrase(call.triggers);
  // The OAuth flow of CVE-2025-6514: the authorization URL comes from the remote server's metadata.
  if (api.form === 'opener' && first?.labels.includes('@network')) return { messageId: 'openerFromNetwork', data: { reach }, severity: 'high' };
  // `os.system(b64decode(blob))`, `["python", "-c", b64decode(blob)]`: what runs was hidden or fetched.
  const payload = hiddenPayload(call, api, options);
  if (payload !== null) return { messageId: payload === SOURCES.decoded ? 'runsDecoded' : 'runsFetched', data: { reach }, severity: 'critical' };
  const text = commandText(call, api, options, throughShell);
  // The second half of a dropper: the program run is a file the code wrote from network data.
  const dropped = text === null ? undefined : runsDownloaded(text.command, downloads);
  if (dropped !== undefined) {
    return { messageId: 'runsDownloaded', data: { path: `"${dropped.path}"`, written: `${dropped.write.callee}() at ${dropped.write.file}:${dropped.write.line}`, reach }, severity: 'critical' };
  }
  const judgement = text === null ? null : judgeCommand(text.command);
  const detached = detachment(call, options, judgement, unrefs);
  const script = call.script === undefined ? '' : ` (the bundle's script ${call.script})`;
  const data = { command: describeCommand(call, api), detached: detached !== '' && reach !== '' ? `${detached},` : detached, script, reach, found: foundWords(judgement) };
  // A command not known at all: medium when a shell parses it (the OS opener does, on Windows); a
  // program and arguments chosen at run time from nothing untrusted the analysis sees (configuration,
  // a path it built) cannot be injected into: low.
  if (text === null || judgement === null) return { messageId: 'constant', data, severity: throughShell || api.form === 'opener' ? 'medium' : 'low' };
  let severity: Severity = judgement.severity;
  // Text a shell parses that is partly computed at run time can still say anything: medium at least,
  // unless the program is written out, harmless, and the rest is traced to nothing a caller, a tool
  // or a source gives (`"git tag v%s" % VERSION`): low, as a fixed program with computed arguments is.
  const ownValues = programWrittenOut(text.command) && shellParsed.every((position) => unlabelled(call.args[position]));
  if (text.computed === 'shell' && severityRank(severity) < severityRank('medium') && !ownValues) severity = 'medium';
  // A payload started as soon as the module loads, and left running on its own: one step worse.
  if (detached !== '' && runsAtLoad(call) && severityRank(severity) >= severityRank('medium')) severity = SEVERITIES[Math.min(severityRank(severity) + 1, SEVERITIES.length - 1)]!;
  const opens = api.form === 'opener' && judgement.signals.length === 0 && text.computed !== 'shell';
  return { messageId: opens ? 'opens' : 'constant', data, severity };
}

/** Programs that run the file named after them (`sh x`, `start x`, `python x`, `sudo x`). */
const LAUNCHERS = new Set(['sh', 'bash', 'zsh', 'dash', 'exec', 'nohup', 'sudo', 'start', 'cmd', '/c', 'call', 'open', 'node', 'python', 'python3', 'wine', 'powershell', '-file', 'rundll32', 'msiexec', '/i']);

/**
 * A file written from network data that the command runs: the program of one of its commands (a
 * shell text is split at `;`, `&`, `|`), or what a launcher before it runs. `echo x` does not run x.
 */
function runsDownloaded(command: string | string[], downloads: ReadonlyMap<string, CallSite>): { path: string; write: CallSite } | undefined {
  if (downloads.size === 0) return undefined;
  const commands = typeof command === 'string' ? command.split(/[;&|\n]+/).map((part) => part.split(/[\s"'`()]+/).filter((word) => word !== '')) : [command];
  for (const words of commands) {
    let at = 0;
    while (at < words.length - 1 && LAUNCHERS.has(words[at]!.toLowerCase())) at++;
    const write = downloads.get(words[at] ?? '');
    if (write !== undefined) return { path: words[at]!, write };
  }
  return undefined;
}

/** The command's program is constant text followed by its arguments (`git tag v…`), not computed. */
function programWrittenOut(command: string | string[]): boolean {
  return typeof command === 'string' ? /^[^\s…]+\s/.test(command) : command.length > 0 && !command[0]!.includes(COMPUTED);
}

/** Nothing in the argument (or its listed elements) carries a label: no parameter, tool input or source reaches it. */
function unlabelled(argument: ArgumentFact | undefined): boolean {
  return argument === undefined || (argument.labels.length === 0 && (argument.elements ?? []).every((element) => element.labels.length === 0));
}

/** The options argument's constant properties (`{ shell: true, detached: true }`, Python's keywords). */
function optionsOf(call: CallSite, api: ProcessApi): Record<string, boolean | string> | undefined {
  if (api.optionsAt === undefined) return undefined;
  return (call.args[api.optionsAt] ?? call.args[1])?.properties;
}

type InputShape = { messageId: 'shellFromInput' | 'remoteShellFromInput' | 'argvFromInput' | 'programFromInput' | 'openerFromInput'; data: Record<string, string>; severity: Severity };

/** What untrusted input does to the command: writes shell text, names the program, or picks its arguments. */
function inputShape(call: CallSite, api: ProcessApi, throughShell: boolean, shellParsed: readonly number[], inList: boolean, first: ArgumentFact | undefined): InputShape {
  if (throughShell && call.taintedArgs.some((position) => shellParsed.includes(position))) return { messageId: api.remote ? 'remoteShellFromInput' : 'shellFromInput', data: {}, severity: 'critical' };
  if (api.form === 'opener') return { messageId: 'openerFromInput', data: {}, severity: 'high' };
  if (call.taintedArgs.includes(0) && (api.form === 'argv' || (inList && programFromCaller(first)))) return { messageId: 'programFromInput', data: {}, severity: 'critical' };
  const program = inList ? (first?.elements?.[0]?.literal ?? first?.literal) : first?.literal;
  // `["ping", host]`: input can still add an option, but no option of such a program runs code or writes a file.
  const inert = program !== undefined && hasInertOptions(program) && (!inList || first?.elements !== undefined);
  return { messageId: 'argvFromInput', data: { program: program === undefined ? 'a program' : `"${program}"` }, severity: inert ? 'medium' : 'high' };
}

/** In an argv list written in place, the first element (the program) is a value from a caller. */
function programFromCaller(argument: ArgumentFact | undefined): boolean {
  if (argument === undefined) return false;
  // A value from elsewhere may be a list with a constant program: argument injection, not program choice.
  if (argument.elements === undefined) return false;
  return argument.elements[0]?.labels.some((label) => !isSourceLabel(label)) ?? false;
}

/** A value computed at run time, inside a command judged by its constant parts. */
const COMPUTED = '…';

/**
 * The command as the catalogue judges it: a shell line or an argument list, with `…` for values
 * computed at run time. `computed`: `shell` when such a value is text a shell parses, `args` when it
 * is only an argument of a fixed program; null when the program itself is computed.
 */
/** Flags after which a shell or an interpreter takes the next argument as code: `sh -c`, `python -c`, `node -e`, `cmd /c`, `powershell -EncodedCommand`. */
const CODE_FLAG = /^(?:-[ce]|--eval|\/[ck]|-(?:command|encodedcommand|enc|ec))$/i;

/**
 * Where the code a command runs is decoded (`@decoded`, or folded from an encoding) or fetched
 * (`@network`) at run time: the line a shell parses, or the argument after a code flag. Null when it is neither.
 */
function hiddenPayload(call: CallSite, api: ProcessApi, options: Record<string, boolean | string> | undefined): typeof SOURCES.decoded | typeof SOURCES.network | null {
  const [first, second] = call.args;
  const code: Array<{ labels: readonly string[]; encoded?: true }> = [];
  const afterFlags = (elements: ReadonlyArray<{ literal?: string; labels: readonly string[] }>) => {
    elements.forEach((element, index) => {
      if (index > 0 && CODE_FLAG.test(elements[index - 1]!.literal ?? '')) code.push(element);
    });
  };
  if (api.form === 'shell' && first !== undefined) code.push(first);
  else if (api.form === 'argv-list' && first?.elements !== undefined) (options?.shell === true ? code.push(first.elements[0] ?? { labels: [] }) : afterFlags(first.elements));
  else if (api.form === 'argv' && first !== undefined) {
    if (options?.shell === true) code.push(first);
    const rest = api.argvZero === 'variadic' ? call.args.slice(1).filter((argument) => !argument.keywords) : (second?.elements ?? []);
    afterFlags([{ literal: first.literal, labels: first.labels }, ...rest]);
  }
  if (code.some((argument) => argument.encoded || argument.labels.includes(SOURCES.decoded))) return SOURCES.decoded;
  return code.some((argument) => argument.labels.includes(SOURCES.network)) ? SOURCES.network : null;
}

function commandText(call: CallSite, api: ProcessApi, options: Record<string, boolean | string> | undefined, throughShell: boolean): { command: string | string[]; computed: 'none' | 'args' | 'shell' } | null {
  const [first, second] = call.args;
  if (first === undefined) return null;
  const line = (argument: ArgumentFact): { command: string; computed: 'none' | 'shell' } | null => {
    if (argument.literal !== undefined) return { command: argument.literal, computed: 'none' };
    const parts = argument.parts ?? (argument.prefix === undefined ? [] : [argument.prefix]);
    if (parts.length === 0) return null;
    // Whether it ends with a computed value is not known: a computed value stands between parts, and before them when no constant starts it.
    return { command: `${argument.prefix === undefined ? COMPUTED : ''}${parts.join(COMPUTED)}`, computed: 'shell' };
  };
  switch (api.form) {
    case 'shell':
      return line(first);
    case 'argv-list': {
      // `subprocess.run(["curl … | sh", "x"], shell=True)`: the first element is the shell's line, the rest its $0, $1….
      if (first.elements !== undefined && options?.shell === true) {
        const head = first.elements[0]?.literal;
        return head === undefined ? null : { command: head, computed: 'none' };
      }
      if (first.elements !== undefined) return listCommand(first.elements.map((element) => element.literal), throughShell);
      // A string: a shell line with shell=True; without, the program (POSIX) or a command line (Windows).
      return line(first);
    }
    case 'argv': {
      const program = first.literal;
      if (program === undefined) return null;
      const python = /\.pyw?$/i.test(call.file);
      const rest = second?.elements?.map((element) => element.literal)
        ?? (python ? call.args.slice(1).filter((argument) => !argument.keywords).map((argument) => argument.literal)
          : second === undefined || second.properties !== undefined || second.function ? [] : [undefined]);
      // `spawn(cmd, args, { shell: true })` joins them into one line for the shell.
      const listed = listCommand([program, ...rest], throughShell);
      return options?.shell === true ? { command: (listed.command as string[]).join(' '), computed: listed.computed } : listed;
    }
    case 'opener': {
      const target = first.literal ?? (first.prefix === undefined ? undefined : `${first.prefix}${COMPUTED}`);
      if (target === undefined) return null;
      // A page of a fixed web site is opened, whatever its path; anything else the opener may run (a shell on Windows).
      const page = /^https?:\/\/[^/\s…]+\//i.test(target);
      return { command: ['open', target], computed: first.literal !== undefined || page ? 'none' : 'shell' };
    }
    case 'node-script': {
      // `fork(path.join(__dirname, 'worker.js'))`: a script of the bundle.
      const bundled = first.literal === undefined && first.labels.every((label) => label === '@bundle-dir') && (first.parts?.length ?? 0) > 0;
      if (first.literal === undefined && !bundled) return null;
      return { command: ['node', first.literal ?? first.parts!.join('/')], computed: 'none' };
    }
  }
}

function listCommand(elements: ReadonlyArray<string | undefined>, throughShell: boolean): { command: string[]; computed: 'none' | 'args' | 'shell' } {
  const computed = elements.some((element) => element === undefined);
  return { command: elements.map((element) => element ?? COMPUTED), computed: !computed ? 'none' : throughShell ? 'shell' : 'args' };
}

/** Programs that keep what they start running after the server exits. */
const DETACHERS: ReadonlySet<string> = new Set(['nohup', 'setsid', 'disown', 'daemonize']);

/**
 * `, detached from the server` (`detached: true`, Python's `start_new_session=True` or
 * `DETACHED_PROCESS`, `nohup`/`setsid` in the command) and `and unref'ed` (`child.unref()` chained,
 * or within a few lines of the call in the same code): the process outlives the server and the
 * server does not wait for it.
 */
function detachment(call: CallSite, options: Record<string, boolean | string> | undefined, judgement: CommandJudgement | null, unrefs: readonly CallSite[]): string {
  const detached =
    options?.detached === true ||
    options?.start_new_session === true ||
    /\b(?:DETACHED_PROCESS|CREATE_NEW_PROCESS_GROUP)\b|preexec_fn\s*=\s*os\.setsid\b/.test(call.excerpt) ||
    (judgement?.programs.some((program) => DETACHERS.has(program)) ?? false);
  const key = call.triggers.map(triggerKey).join('|');
  const unref = unrefs.some(
    (other) =>
      other.file === call.file &&
      (other.excerpt.startsWith(call.excerpt) || (other.line >= call.line && other.line <= call.line + UNREF_LINES && other.triggers.map(triggerKey).join('|') === key)),
  );
  if (detached && unref) return ", detached from the server and unref'ed";
  if (detached) return ', detached from the server';
  return unref ? ", unref'ed (the server does not wait for it)" : '';
}

/** How far below a call a `.unref()` in the same code is taken to be the started process's. */
const UNREF_LINES = 10;

/** What the catalogue found, worst first, at most two: `: downloads and runs code (curl … | sh); raw IP address 1.2.3.4`. */
function foundWords(judgement: CommandJudgement | null): string {
  if (judgement === null || judgement.signals.length === 0) return '';
  const ranked = [...judgement.signals].sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
  const words: string[] = [];
  for (const signal of ranked) {
    const word = signal.kind === 'download-and-run' ? `downloads and runs code (${signal.detail})` : signal.kind === 'decode-and-run' ? `runs decoded code (${signal.detail})` : signal.detail;
    if (!words.includes(word)) words.push(word);
    if (words.length === 2) break;
  }
  return `: ${words.join('; ')}`;
}

/** The command as the message shows it, shortened: `"git status --short"`, `a command starting "git "`. */
function describeCommand(call: CallSite, api: ProcessApi): string {
  const [first, second] = call.args;
  if (api.form === 'argv-list' && first?.elements !== undefined) {
    return quoted(first.elements.map((element) => element.literal ?? COMPUTED).join(' '));
  }
  if (first?.literal !== undefined) {
    const argv = (second?.elements ?? []).map((element) => element.literal ?? COMPUTED);
    return quoted([first.literal, ...(api.form === 'argv' ? argv : [])].join(' '));
  }
  if (first?.prefix) return `a command starting ${quoted(first.prefix)}`;
  return 'a command computed at run time';
}

const COMMAND_SHOWN = 120;

function quoted(command: string): string {
  return `"${command.length > COMMAND_SHOWN ? `${command.slice(0, COMMAND_SHOWN - 1)}…` : command}"`;
}
