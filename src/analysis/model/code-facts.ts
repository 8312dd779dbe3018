import type { ArgumentFact, CallFact, Conditional, InstallCommandFact, ListedToolFact, ParameterText, ParseProblem, PromptFact, StringFact, ToolFact, UnnamedRegistrationFact } from './file-facts.js';
import type { Origin } from './origin.js';
import type { ServerCode } from './server-code.js';
import type { Trigger } from './triggers.js';

// The facts code rules read, whatever the server's language: every call, notable string, tool and
// prompt of the files the server loads, with whose file it is and which tools reach it (from a
// language's ServerCode, server-code.ts), the text signals of the script files it does not load, and
// the shell, PowerShell and batch scripts the bundle ships with what starts them (scripts.ts).

export interface CallSite {
  file: string;
  origin: Origin;
  callee: string;
  line: number;
  column: number;
  args: ArgumentFact[];
  excerpt: string;
  /** Tools whose handlers reach the call. */
  tools: string[];
  /** Everything that sets the call off (tools, module load, listeners, timers), most exposed first (triggers.ts). */
  triggers: Trigger[];
  /** Tools whose model-controlled input flows into its arguments. */
  taintedBy: string[];
  /** The triggers whose untrusted input (a tool's arguments, a listener's request) flows into its arguments, most exposed first. */
  inputFrom: Trigger[];
  /** Written in a function that checks paths, before its check (CallFact.checkedAfter): what it builds may be what is checked. */
  checkedAfter?: true;
  /** Positions of the arguments that untrusted input flows into. */
  taintedArgs: number[];
  /** Of those, the ones it reaches only after a path check (see CallReach.checkedArgs). */
  checkedArgs: number[];
  /** Of those, the ones it reaches only as a URL whose host a helper checked against allowed hosts (see CallReach.allowedArgs); absent when none. */
  allowedArgs?: number[];
  /** The callee was reached through an assembled property name (`cp['ex' + 'ec']`). */
  builtName?: true;
  /** The callee's member was written as a plain string in brackets where a dot would do (`os['hostname']()`). */
  bracketedName?: true;
  /** A call of the bundle's own decoder with constants: the string it yields (CallFact.decoded). */
  decoded?: string;
  /** For a call that starts a program: the bundle path of the shipped script it runs (`spawn('bash', [join(__dirname, 'setup.sh')])`), see ScriptSite. */
  script?: string;
}

/** A notable string constant in a reachable file (see StringFact), with the tools whose handlers contain it. */
export interface StringSite extends Omit<StringFact, 'within'> {
  file: string;
  origin: Origin;
  tools: string[];
  /** What sets off the code the string is written in (see CallSite.triggers). */
  triggers: Trigger[];
}

export type SignalKind = 'decode-and-run' | 'exfiltration-host' | 'download-and-run' | 'persistence';

/** A strong signal found by text, without parsing (text-signals.ts). */
export interface TextSignal {
  kind: SignalKind;
  /** What matched, normalised (`eval(atob(…))`, `abc.ngrok.io (ngrok tunnel)`, `curl … | sh`, `Library/LaunchAgents`). */
  detail: string;
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** The text around the first occurrence, on one line, raw (the engine escapes it). */
  excerpt: string;
  /** How many times this kind and detail occur in the file (counting stops at MAX_HITS_PER_FILE). */
  occurrences: number;
}

export interface FileSignal extends TextSignal {
  file: string;
}

/** A text scan of several files (text-signals.ts scanFiles). */
export interface ScanResult {
  signals: FileSignal[];
  /** Files, or their tails, left unscanned because the budget ran out. */
  unscanned: { files: number; bytes: number };
  /** Candidate download commands left unjudged because the scan's checks ran out (text-signals.ts DOWNLOAD_CHECKS). */
  unjudged: number;
}

/** A strong malware signal found by text in a script file the entry point does not load (see text-signals.ts). */
export interface UnreachedSignal extends TextSignal {
  file: string;
  origin: Origin;
}

/** The languages of shipped scripts (catalog/commands.ts ScriptDialect). */
export type ScriptDialect = 'sh' | 'powershell' | 'batch' | 'applescript';

/** How bad what a command does is, by the command catalogue (catalog/commands.ts). */
export type CommandSeverity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** What the command catalogue recognises a command doing (catalog/commands.ts, docs/commands.md). */
export type CommandSignalKind =
  | 'download-and-run'
  | 'decode-and-run'
  | 'reverse-shell'
  | 'exfiltration'
  | 'destructive'
  | 'persistence'
  | 'credential-read'
  | 'raw-ip-host'
  | 'drop-box-host'
  | 'defence-evasion'
  | 'privilege'
  | 'opaque';

/** What the command catalogue found in a shipped script (catalog/commands.ts CommandSignal), where. */
export interface ScriptSignalSite {
  kind: CommandSignalKind;
  severity: CommandSeverity;
  /** Short words: `curl … | sh`, `SSH keys read by cat (~/.ssh/id_rsa)`. */
  detail: string;
  /** The catalogue entry (a heading of docs/commands.md). */
  entry: string;
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** The command that matched, raw, on one line (the engine escapes it). */
  excerpt: string;
}

/** Something that starts a shipped script: the manifest's launch, a call in the server's code, another script. */
export interface ScriptStarter {
  kind: 'manifest' | 'call' | 'script';
  /** `manifest.json`, the calling file, the starting script. */
  file: string;
  line?: number;
  column?: number;
  /** For a call: its callee (`child_process.spawn`). */
  callee?: string;
}

/**
 * A shell, PowerShell, batch or AppleScript file shipped in the bundle (by its extension or its `#!`
 * line), read as text, never run, and judged line by line by the command catalogue (scripts.ts).
 */
export interface ScriptSite {
  file: string;
  origin: Origin;
  dialect: ScriptDialect;
  /** What starts it, first found first; empty when nothing the analysis sees does. */
  starters: ScriptStarter[];
  /**
   * Something the server runs starts it: the manifest's launch, a call in reachable code that a
   * trigger reaches or that is first-party, or a script that is itself reached.
   */
  reached: boolean;
  /** The triggers of whatever starts it, most exposed first: the manifest's launch is the server's load. */
  startedBy: Trigger[];
  signals: ScriptSignalSite[];
  /** The catalogue's verdict on the whole text: the worst signal's severity, else `low` (it runs programs) or `info`. */
  severity: ScriptSignalSite['severity'];
  /** Programs it runs, by name, first few. */
  programs: string[];
  /** False when only the start of the file was read (the limit per file or per bundle); `reason` says why, and so does a gap. */
  complete: boolean;
  reason?: string;
}

export interface ToolSite {
  name: string;
  description?: string;
  /** Descriptions of its parameters, as written in its input schema. */
  params?: ParameterText[];
  /** Registered only when this test holds (see Conditional in model/file-facts.ts). */
  conditional?: Conditional;
  file: string;
  line: number;
  column: number;
}

/** A prompt the code offers (see PromptFact), where it is written. */
export interface PromptSite extends PromptFact {
  file: string;
}

/** A registration whose name is computed at run time (see UnnamedRegistrationFact), where it is written. */
export interface UnnamedRegistrationSite extends UnnamedRegistrationFact {
  file: string;
  /** The MCP SDK's own McpServer dispatches by lookup: a dependency's registrations say little about the server's. */
  origin: Origin;
}

export interface InstallCommandSite extends InstallCommandFact {
  file: string;
  origin: Origin;
}

export interface CodeFacts {
  /** Files the server can load, entries first. */
  reachable: string[];
  parseErrors: Array<{ file: string; origin: Origin; problem: ParseProblem }>;
  /** Calls in reachable files to modules and globals, and the method calls rules read (catalog/members.ts). */
  calls: CallSite[];
  strings: StringSite[];
  tools: ToolSite[];
  /**
   * Tools as ListTools answers declare them (`{ name, description, inputSchema }` literals), for
   * dispatching servers whose registrations (`tools`) carry no text; what the model reads.
   */
  listedTools: ToolSite[];
  /** Prompts the code registers or lists. */
  prompts: PromptSite[];
  /** Tools and prompts registered under names known only at run time: the names above are not all of them. */
  unnamedRegistrations: UnnamedRegistrationSite[];
  /** Script files outside the module graph, scanned as text for a few strong signals only. */
  unreachedSignals: UnreachedSignal[];
  /** Shell, PowerShell, batch and AppleScript files shipped in the bundle, judged by the command catalogue (scripts.ts). */
  scripts: ScriptSite[];
  /** Python: setuptools commands replaced by the package's own classes, which run when it is built or installed (python/setup-commands.ts). */
  installCommands: InstallCommandSite[];
  /** Why part of the code was not analysed, one sentence each. */
  gaps: string[];
}

/** Code facts of a bundle before any code is looked at. */
export function noCodeFacts(): CodeFacts {
  return { reachable: [], parseErrors: [], calls: [], strings: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], unreachedSignals: [], scripts: [], installCommands: [], gaps: [] };
}

/**
 * The files the server loads, and the facts of every analysed file with what reachability found,
 * appended to the bundle's code facts (of the files only its build runs, the install-time commands
 * they replace). Of the calls, only those `readByRules` keeps
 * (catalog/members.ts): the others serve reachability only.
 */
export function collectFacts(facts: CodeFacts, { reachable, byFile, reach, originOf, buildFiles }: ServerCode, readByRules: (call: CallFact) => boolean): void {
  facts.reachable = reachable;
  for (const [file, fileFacts] of buildFiles ?? []) {
    for (const replaced of fileFacts.installCommands ?? []) facts.installCommands.push({ ...replaced, file, origin: originOf(file) });
  }
  for (const [file, fileFacts] of byFile) {
    const origin = originOf(file);
    if (fileFacts.parseError) {
      facts.parseErrors.push({ file, origin, problem: fileFacts.parseError });
      facts.gaps.push(`${file}: could not be parsed (${fileFacts.parseError.message})`);
    }
    for (const tool of fileFacts.tools) {
      facts.tools.push({ name: tool.name, ...textsOf(tool), file, line: tool.line, column: tool.column });
    }
    for (const listed of fileFacts.listedTools) {
      // `addTool({ name, description, inputSchema, execute })` is a registration and a listing at once.
      if (fileFacts.tools.some((tool) => tool.name === listed.name && tool.description === listed.description)) continue;
      facts.listedTools.push({ name: listed.name, ...textsOf(listed), file, line: listed.line, column: listed.column });
    }
    for (const prompt of fileFacts.prompts) facts.prompts.push({ ...prompt, file });
    for (const unnamed of fileFacts.unnamedRegistrations) facts.unnamedRegistrations.push({ ...unnamed, file, origin });
    const reached = reach.calls.get(file);
    for (const call of fileFacts.calls) {
      if (!readByRules(call)) continue;
      const found = reached?.get(call);
      facts.calls.push({
        file,
        origin,
        callee: call.callee,
        line: call.line,
        column: call.column,
        args: call.args,
        excerpt: call.excerpt,
        tools: found?.tools ?? [],
        triggers: found?.triggers ?? [],
        taintedBy: found?.taintedBy ?? [],
        inputFrom: found?.inputFrom ?? [],
        taintedArgs: found?.taintedArgs ?? [],
        checkedArgs: found?.checkedArgs ?? [],
        ...(found?.allowedArgs?.length ? { allowedArgs: found.allowedArgs } : {}),
        ...(call.builtName ? { builtName: true } : {}),
        ...(call.checkedAfter ? { checkedAfter: true } : {}),
        ...(call.bracketedName ? { bracketedName: true } : {}),
        ...(call.decoded !== undefined ? { decoded: call.decoded } : {}),
      });
    }
    for (const replaced of fileFacts.installCommands ?? []) facts.installCommands.push({ ...replaced, file, origin });
    for (const { within, ...string } of fileFacts.strings) {
      const triggers = reach.triggersIn.get(`${file}|${within ?? 'module'}`) ?? [];
      const tools = triggers.flatMap((trigger) => (trigger.kind === 'tool' ? [trigger.name] : [])).sort();
      facts.strings.push({ ...string, file, origin, tools, triggers });
    }
  }
}

/** What the text scan found in the script files the entry point does not load, and the gap when its budget ran out. */
export function addUnreachedSignals(facts: CodeFacts, scan: ScanResult, originOf: (file: string) => Origin): void {
  facts.unreachedSignals = scan.signals.map((signal) => ({ ...signal, origin: originOf(signal.file) }));
  if (scan.unscanned.files > 0) {
    const megabytes = (scan.unscanned.bytes / (1024 * 1024)).toFixed(1);
    facts.gaps.push(`${scan.unscanned.files} script files the entry point does not load (${megabytes} MB) were not scanned for malware signals: the scan stops after a fixed budget`);
  }
  if (scan.unjudged > 0) {
    facts.gaps.push(`${scan.unjudged} commands that may download and run code, in script files the entry point does not load, were not judged: the scan judges a fixed number`);
  }
}

/** What the model reads of a tool, as far as it is written in the code, and the condition it is registered under. */
function textsOf(tool: ToolFact | ListedToolFact): Pick<ToolSite, 'description' | 'params' | 'conditional'> {
  return {
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(tool.params === undefined ? {} : { params: tool.params }),
    ...(tool.conditional === undefined ? {} : { conditional: tool.conditional }),
  };
}

