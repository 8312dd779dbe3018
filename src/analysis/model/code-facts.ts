import { createHash } from 'node:crypto';
import type { VirtualFile } from '../../bundle/container.js';
import { MEMBER_CALLS_READ_BY_RULES } from '../catalog/members.js';
import { SOURCES } from '../catalog/sources.js';
import type { ArgumentFact, CallFact, Conditional, FileFacts, ListedToolFact, ParameterText, ParseProblem, PromptFact, StringFact, ToolFact, UnnamedRegistrationFact } from './file-facts.js';
import { extractFacts } from '../js/extract.js';
import { buildModuleGraph } from './module-graph.js';
import { originOf, type Origin } from './origin.js';
import { isScript } from '../js/parse.js';
import { reachFromTools, type Reach } from './reachability.js';
import { createResolver } from '../js/resolve.js';
import { analyzePython } from '../python/analyze.js';
import { isPythonScript, PYTHON_PARSER_NOT_LOADED, type PythonParser } from '../python/parse.js';
import { isPythonDependency } from '../python/resolve.js';
import type { ServerFacts } from '../server.js';
import { scanFiles, type TextSignal } from '../text-signals.js';

// From the manifest's entry point to the facts code rules read: the module graph Node would load,
// facts of every reachable file (each distinct file parsed once per run), and which tool reaches
// which call with what.

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
  /** Tools whose model-controlled input flows into its arguments. */
  taintedBy: string[];
  /** Positions of the arguments that tool input flows into. */
  taintedArgs: number[];
  /** Of those, the ones it reaches only after a path check (see CallReach.checkedArgs). */
  checkedArgs: number[];
  /** Runs when the module is loaded, not inside any function. */
  atModuleLevel: boolean;
  /** The callee was reached through an assembled property name (`cp['ex' + 'ec']`). */
  builtName?: true;
}

/** A notable string constant in a reachable file (see StringFact), with the tools whose handlers contain it. */
export interface StringSite extends Omit<StringFact, 'within'> {
  file: string;
  origin: Origin;
  tools: string[];
  atModuleLevel: boolean;
}

/** A strong malware signal found by text in a script file the entry point does not load (see text-signals.ts). */
export interface UnreachedSignal extends TextSignal {
  file: string;
  origin: Origin;
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
  /** Why part of the code was not analysed, one sentence each. */
  gaps: string[];
}

/** Facts of files already parsed in this run, by content: the same SDK in ten bundles is parsed once. */
export type FactsCache = Map<string, FileFacts>;

/** `pythonParser`: the grammar the run loaded (python/parse.ts), needed for Python servers only. */
export function analyzeCode(server: ServerFacts, files: ReadonlyMap<string, VirtualFile>, cache: FactsCache, pythonParser?: PythonParser): CodeFacts {
  const facts: CodeFacts = { reachable: [], parseErrors: [], calls: [], strings: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], unreachedSignals: [], gaps: [] };
  if (!server.manifest) return facts;
  if (server.language === 'python') {
    if (server.entries.length === 0) {
      facts.gaps.push('the server entry point is not in the bundle, so no server code was analysed');
      return facts;
    }
    const python = analyzePython(server.entries, server.pythonPath, files, cache, pythonParser ?? PYTHON_PARSER_NOT_LOADED);
    facts.reachable = python.reachable;
    const originOfFile = (file: string): Origin => (isPythonDependency(file, server.entries) ? 'dependency' : 'first-party');
    collectFacts(facts, python.byFile, python.reach, originOfFile);
    scanUnreached(facts, files, new Set(python.reachable), originOfFile);
    return facts;
  }
  if (server.language !== 'node') {
    facts.gaps.push(`the server type is ${server.type === undefined ? 'not declared' : `"${server.type}"`}; only Node and Python servers' code is analysed so far`);
    return facts;
  }
  const entries = server.entries;
  if (entries.length === 0) {
    facts.gaps.push('the server entry point is not in the bundle, so no server code was analysed');
    return facts;
  }

  const byFile = new Map<string, FileFacts>();
  const factsOf = (path: string): FileFacts | null => {
    const known = byFile.get(path);
    if (known) return known;
    const file = files.get(path);
    // `node <entry>` runs the entry as JavaScript whatever its name (`server/main`, `index.JS`).
    if (!file || !(isScript(path) || entries.includes(path))) return null;
    const key = `${createHash('sha256').update(file.bytes).digest('hex')}:${path.slice(path.lastIndexOf('.'))}`;
    const extracted = cache.get(key) ?? extractFacts(path, Buffer.from(file.bytes).toString('utf8'));
    cache.set(key, extracted);
    byFile.set(path, extracted);
    return extracted;
  };
  const resolve = createResolver(files);
  const graph = buildModuleGraph(entries, (path) => factsOf(path)?.imports ?? null, resolve);
  const reach = reachFromTools(byFile, graph.edges, resolve);

  facts.reachable = graph.order;
  collectFacts(facts, byFile, reach, (file) => originOf(file, entries));
  scanUnreached(facts, files, new Set(graph.order), (file) => originOf(file, entries));
  return facts;
}

/** Script files of either language that the entry point does not load, scanned as text (text-signals.ts). */
function scanUnreached(facts: CodeFacts, files: ReadonlyMap<string, VirtualFile>, loaded: ReadonlySet<string>, originOfFile: (file: string) => Origin): void {
  const unreached = [...files.values()].filter((file) => (isScript(file.path) || isPythonScript(file.path)) && !loaded.has(file.path));
  const scan = scanFiles(unreached);
  facts.unreachedSignals = scan.signals.map((signal) => ({ ...signal, origin: originOfFile(signal.file) }));
  if (scan.unscanned.files > 0) {
    const megabytes = (scan.unscanned.bytes / (1024 * 1024)).toFixed(1);
    facts.gaps.push(`${scan.unscanned.files} script files the entry point does not load (${megabytes} MB) were not scanned for malware signals: the scan stops after a fixed budget`);
  }
}

/** Facts of every analysed file, with what reachability found, appended to the bundle's code facts. */
function collectFacts(facts: CodeFacts, byFile: ReadonlyMap<string, FileFacts>, reach: Reach, originOfFile: (file: string) => Origin): void {
  for (const [file, fileFacts] of byFile) {
    const origin = originOfFile(file);
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
        taintedBy: found?.taintedBy ?? [],
        taintedArgs: found?.taintedArgs ?? [],
        checkedArgs: found?.checkedArgs ?? [],
        atModuleLevel: call.within === null,
        ...(call.builtName ? { builtName: true } : {}),
      });
    }
    for (const { within, ...string } of fileFacts.strings) {
      const tools = within === null ? [] : (reach.toolsIn.get(`${file}|${within}`) ?? []);
      facts.strings.push({ ...string, file, origin, tools, atModuleLevel: within === null });
    }
  }
}

/**
 * Calls to modules and globals; of the calls to the bundle's own functions, which serve reachability,
 * only the methods rules read (`listen`, `startsWith`, …), a method reached through an assembled name
 * (`obj['ex' + 'ec']`, for the obfuscation rule), and a method given the whole environment
 * (`Object.entries(process.env)`: what it is given matters).
 */
function readByRules(call: CallFact): boolean {
  if (call.callee.startsWith('local:')) return false;
  if (!call.callee.startsWith('member:') || MEMBER_CALLS_READ_BY_RULES.has(call.callee) || call.builtName) return true;
  return call.args.some((argument) => argument.labels.includes(SOURCES.envAll));
}

/** What the model reads of a tool, as far as it is written in the code, and the condition it is registered under. */
function textsOf(tool: ToolFact | ListedToolFact): Pick<ToolSite, 'description' | 'params' | 'conditional'> {
  return {
    ...(tool.description === undefined ? {} : { description: tool.description }),
    ...(tool.params === undefined ? {} : { params: tool.params }),
    ...(tool.conditional === undefined ? {} : { conditional: tool.conditional }),
  };
}
