import type { Bind } from './triggers.js';

// What one source file says, whatever its language: the JavaScript/TypeScript extractor
// (js/extract.ts) and the Python one (python/extract.ts) both write these facts, in a single pass
// over the syntax tree so the tree can be dropped straight after. Everything here is plain data:
// rules never see an AST. Ids are the source offset of the function (or dispatch branch) and do
// not name the file, so the facts of identical files (the same SDK in two bundles) are computed
// once and shared.

/** One import, require or dynamic import found in a module, where it appears in the source. */
export interface ImportRef {
  /** The literal specifier, or null when it is computed (`require(name)`) and cannot be followed. */
  specifier: string | null;
  kind: 'import' | 'require' | 'dynamic-import';
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/**
 * A taint label: `<function id>#<parameter index>`. A value carries the labels of the parameters it
 * was computed from, so one pass serves every question of the form "does this parameter reach
 * that call?" and tool input is simply the labels of a tool handler's parameters.
 *
 * A parameter label that reaches a value through the result of a call that may be the bundle's own
 * function carries that call: `<label>~<line>:<column>:<name>` (the call's position and the last
 * segment of its callee, see callKey), innermost call first, at most two calls (the outermost kept).
 * Which function that call runs is known only across modules: reachability reads the wrapped form,
 * and takes the value for confined when the function returns only confined values
 * (FunctionFact.confines). Sources (`@…`) are never wrapped; whatever does not start with `@` is a
 * parameter, wrapped or not.
 */
export type Label = string;

/**
 * What a network listener's request holds where it is read from an object rather than a handler
 * parameter (Flask's `request`, `self.path` in an `http.server` handler): untrusted input when a
 * listener reaches the code (model/reachability.ts). One of the sources of catalog/sources.ts.
 */
export const REQUEST_LABEL = '@request';

/** Separates a parameter label from the calls its value went through (see Label). */
export const WRAP = '~';
/** How many calls a wrapped label keeps: the outermost ones. */
export const MAX_WRAPS = 2;

/** A label without the calls it is wrapped with: the parameter, or the source itself. */
export function labelBase(label: Label): string {
  const cut = label.charCodeAt(0) === 64 ? -1 : label.indexOf(WRAP);
  return cut === -1 ? label : label.slice(0, cut);
}

/** The names of the calls a parameter label went through (`12#0~3:5:escapeHtml` gives `escapeHtml`); none for a source or a bare label. */
export function callsThrough(label: Label): string[] {
  if (label.charCodeAt(0) === 64) return [];
  return label.split(WRAP).slice(1).map((key) => key.slice(key.lastIndexOf(':') + 1));
}

/**
 * Input that reaches a value only through calls named as `named` says (a sanitiser, an escaper):
 * every parameter label went through one, and no source is mixed in.
 */
export function onlyThrough(labels: readonly Label[], named: (name: string) => boolean): boolean {
  return labels.length > 0 && labels.every((label) => callsThrough(label).some(named));
}

/** The call part of a wrapped label: where the call starts and the last segment of its callee (`12:5:resolveUnder`). */
export function callKey(line: number, column: number, callee: string): string {
  return `${line}:${column}:${lastSegment(callee)}`;
}

/** `local:f`, `member:f`, `new local:F`, `./lib/paths.js.f`, `.paths.f`: the name after the last `.`, `:`, `/` or space. */
function lastSegment(callee: string): string {
  for (let index = callee.length - 1; index >= 0; index--) {
    const c = callee.charCodeAt(index);
    if (c === 46 || c === 58 || c === 47 || c === 32) return callee.slice(index + 1);
  }
  return callee;
}

/**
 * `label` wrapped by the calls `keys` (innermost first): appended after the calls it already
 * carries, a call it already ends with not repeated, the outermost MAX_WRAPS kept.
 */
export function wrapLabel(label: Label, keys: readonly string[]): Label {
  let wrapped = label;
  for (const key of keys) {
    if (wrapped.endsWith(`${WRAP}${key}`)) continue;
    wrapped = `${wrapped}${WRAP}${key}`;
  }
  const first = wrapped.indexOf(WRAP);
  if (first === -1) return wrapped;
  const parts = wrapped.slice(first + 1).split(WRAP);
  return parts.length <= MAX_WRAPS ? wrapped : `${wrapped.slice(0, first)}${WRAP}${parts.slice(-MAX_WRAPS).join(WRAP)}`;
}

export interface ArgumentFact {
  /** The value when it is a constant string (a literal, or a template or concatenation of literals, folded; see js/constant.ts). */
  literal?: string;
  /** The constant was assembled, encoded or reversed rather than written as one literal. */
  built?: true;
  /** The constant went through decoding (base64, hex, char codes, escaped letters, reversal), not just assembly. */
  encoded?: true;
  /** The literal parts of a partly constant string (`sh -c ${x}` gives `sh -c `), for shape checks. */
  prefix?: string;
  /**
   * For a string built by concatenation or a template: the labels of the first part not constant,
   * past a constant start that is only a scheme (`'https://' + host + path` gives host's), when they
   * are not all the value's labels. What comes first in a URL fixes its host: in `config.base + input`
   * the input only extends a URL chosen elsewhere.
   */
  leadLabels?: Label[];
  /** For a computed value: the string constants it is built from (`path.join(dir, 'package.json')`), first few. */
  parts?: string[];
  /** Parameters of enclosing or calling functions this value is derived from, and its sources (catalog/sources.ts). */
  labels: Label[];
  /** For an object literal argument: its constant boolean and string properties (`{ shell: true }`). */
  properties?: Record<string, boolean | string>;
  /** For an object literal argument: the labels of each other property (`{ url: input, port: 8080 }`, empty when none), so a rule can tell which property carries what. */
  propertyLabels?: Record<string, Label[]>;
  /**
   * Python: a name imported from a module passed as a value (`yaml.SafeLoader`), by its import path;
   * for an options fact, the same for each keyword (`Loader=yaml.SafeLoader` gives `{ Loader: 'yaml.SafeLoader' }`).
   */
  reference?: string;
  references?: Record<string, string>;
  /** The argument is a function (a callback: `listen(port, () => …)`). */
  function?: true;
  /**
   * The function a callback argument denotes: the id of a function written in place, or
   * `local:<name>` for a function passed by name (`setInterval(tick, 1000)`). Reachability follows it
   * when the call runs (module load, timers). Python: on a keywords fact, the one keyword value that
   * is a function (`Thread(target=work)`, `Timer(5, function=job)`); none when several are.
   */
  callback?: string;
  /**
   * Python: this fact holds the call's keyword arguments (python/extract.ts), not one positional
   * argument; reachability gives each keyword's labels to the callee's parameter of that name.
   */
  keywords?: true;
  /** For an array literal argument: its first elements (an argv: `['-c', cmd]`). */
  elements?: Array<{ literal?: string; labels: Label[] }>;
}

export interface CallFact {
  /**
   * The callee in canonical form: `<module>.<member>` for a module's export (`child_process.exec`,
   * `fs.promises.readFile`), a global's name (`eval`, `fetch`, `Function`), `new <name>` for
   * constructors, or `local:<name>` / `member:<name>` for calls to functions of the bundle.
   */
  callee: string;
  line: number;
  /** 1-based. */
  column: number;
  args: ArgumentFact[];
  /** The function the call is written in, or null at module level. */
  within: string | null;
  /** A short excerpt of the call, raw (the engine escapes it). */
  excerpt: string;
  /** A call of the bundle's own small decoder function with constants (`g('72657175697265')`): the string it yields (js/string-tables.ts). */
  decoded?: string;
  /** For a callee bound to a module: the specifier as written and the member called (null: the module itself). */
  module?: { specifier: string; member: string | null };
  /** The callee's name was assembled from pieces (`cp['ex' + 'ec']`, `global[atob('ZXZhbA==')]`). */
  builtName?: true;
  /** The callee's member was written as a plain string in brackets where a dot would do (`os['hostname']()`). */
  bracketedName?: true;
  /**
   * Written in a function (or one nested in a function) that checks paths against allowed roots:
   * calls `validatePath`-like functions, `startsWith(root + sep)`, or `path.relative` with `..`.
   * Tool input passed on from here counts as checked (see CallReach.checkedArgs).
   */
  guarded?: true;
  /**
   * Written in such a function before its first check: a path built here may be the one checked next
   * (`const full = path.resolve(root, name); if (!full.startsWith(root + path.sep)) throw …`).
   */
  checkedAfter?: true;
}

export interface FunctionFact {
  /** The source offset of the function: unique within its file. */
  id: string;
  /** The name it can be called by in this file: declaration, variable, property or method name. */
  name: string | null;
  /** The name other modules import it by, when it is exported. */
  exportedAs: string[];
  line: number;
  params: number;
  /** Python: the parameters' names in order (a method's `self` or `cls` left out), for keyword arguments. */
  paramNames?: string[];
  /** The lexically enclosing function (or dispatch branch); null at module level. */
  parent: string | null;
  /**
   * The function returns only values it has confined, and throws (or returns nothing) otherwise:
   * `path` for a path resolved and checked against a root (a separator-terminated `startsWith`,
   * `path.relative` without `..`, `is_relative_to`, `commonpath`), `host` for a URL whose host is
   * checked against a set or list of allowed hosts. The check comes before every return of a value.
   * What it returns counts as checked wherever it is called (see Label).
   */
  confines?: Confinement;
  /** Called where it is written: `(function () { … })()`, `(() => …).call(this)`. */
  invoked?: true;
}

/**
 * A network server's request or message handler (js/listeners.ts, python/listeners.ts): whatever
 * the network sends it arrives in its parameters (and, in Python, in the request object it reads,
 * the `@request` source).
 */
export interface ListenerFact {
  /** What starts it, as a reader knows it: `http.createServer`, `WebSocketServer`, `express POST /run`, `flask route /run`. */
  name: string;
  /** The handler: a function id, or `local:<name>`. */
  handler: string;
  /** The interfaces it listens on, as the listen calls and options of its file say (catalog/listeners.ts). */
  bind: Bind;
  /** The handler, or the server's options, check the request's Origin header or a secret token. */
  checked?: true;
  /**
   * Known by its handler's shape alone (a Django view: `request` first, in a module importing
   * Django), not by a registration: it counts in first-party files only (model/reachability.ts).
   */
  convention?: true;
  line: number;
  column: number;
}

export type Confinement = 'path' | 'host';

/** A parameter's description as the model reads it in a tool's input schema. */
export interface ParameterText {
  /** The property the description belongs to (`path`, `options.limit`); `?` when it could not be told. */
  name: string;
  description: string;
}

export interface ToolFact {
  name: string;
  description?: string;
  /** Descriptions of its parameters written in the registration (zod `.describe`, JSON Schema `description`). */
  params?: ParameterText[];
  /** How the registration was written: `server.tool`, `registerTool`, `CallToolRequestSchema` dispatch. */
  style: 'tool' | 'registerTool' | 'dispatch';
  /**
   * The function that handles calls of this tool (`local:<name>` when only its name is known); for a
   * dispatch, the branch of the request handler that tests for this tool's name.
   */
  handler: string | null;
  /** For a dispatch branch: the request handler whose parameters carry the tool's input. */
  handlerOwner?: string;
  conditional?: Conditional;
  line: number;
  column: number;
}

/**
 * The test a registration depends on, as written (`process.env.ENABLE_WRITE === 'true'`), when the
 * registration sits in a branch of an `if`, `?:`, `&&` or `||` whose test reads client
 * capabilities, the environment, the command line or a setting: the tool exists only on some
 * installs. `!(…)` for the branch taken when the test fails.
 */
export type Conditional = string;

/**
 * A tool as a ListTools answer declares it: an object literal with a constant `name`, a
 * `description` and an `inputSchema` (how dispatching servers describe their tools). Only what the
 * model reads is kept; the dispatch branch (ToolFact) is what handles it.
 */
export interface ListedToolFact {
  name: string;
  /** Parts not known without running (`${PATH_GUIDANCE}`) are shown as `…`. */
  description?: string;
  params?: ParameterText[];
  conditional?: Conditional;
  line: number;
  column: number;
}

/**
 * A prompt the code offers: `server.prompt('x', …)`, `registerPrompt('x', …)`, an element of the
 * `prompts: [...]` a ListPrompts handler answers with, Python's `@mcp.prompt()` or a `Prompt(name=…)`
 * in a `list_prompts` handler.
 */
export interface PromptFact {
  name: string;
  description?: string;
  conditional?: Conditional;
  line: number;
  column: number;
}

/**
 * A tool or prompt registered under a name known only at run time (`server.registerTool(tool.name, …)`
 * in a loop), or a CallTool handler that looks tools up by name instead of testing it: the code's
 * list of names is incomplete.
 */
export interface UnnamedRegistrationFact {
  kind: 'tool' | 'prompt';
  excerpt: string;
  line: number;
  column: number;
}

export interface ParseProblem {
  message: string;
  line: number;
  column: number;
}

/** `export * from 'x'` (names: null) or `export { a as b } from 'x'` (names: exported -> imported). */
export interface ReexportFact {
  specifier: string;
  names: Record<string, string> | null;
}

/** Which notable strings are kept (catalog/strings.ts decides which string is which). */
export type StringKind = 'url' | 'drop-host' | 'ip' | 'email' | 'sensitive-path' | 'blob' | 'library-injection';

/** A string constant a rule may care about (catalog/strings.ts); the rest are not kept. */
export interface StringFact {
  kind: StringKind;
  /** The first characters of the value. */
  value: string;
  length: number;
  /** The property or variable the string is assigned to (`Bcc`, `baseURL`). */
  key?: string;
  /** Bits per character, for long blobs. */
  entropy?: number;
  line: number;
  column: number;
  /** The function the string is written in, or null at module level. */
  within: string | null;
}

/** Python: a setuptools command that `setup(cmdclass=…)` replaces and that runs while the package is built or installed (python/setup-commands.ts). */
export interface InstallCommandFact {
  /** The command replaced: `install`, `egg_info`, `bdist_wheel`. */
  command: string;
  /** The class that replaces it, as written. */
  handler: string;
  /** Where the `setup(…)` call is (1-based line and column). */
  line: number;
  column: number;
  /** Module and builtin functions the class's run() calls, its nested functions included (first few), when the class is in the file. */
  runs?: string[];
}

export interface FileFacts {
  parseError: ParseProblem | null;
  imports: ImportRef[];
  reexports: ReexportFact[];
  /** Local names bound to a module or a module's member: `cp` -> `child_process`, `run` -> `child_process.exec`. */
  bindings: Record<string, string>;
  calls: CallFact[];
  functions: FunctionFact[];
  tools: ToolFact[];
  listedTools: ListedToolFact[];
  prompts: PromptFact[];
  unnamedRegistrations: UnnamedRegistrationFact[];
  listeners: ListenerFact[];
  strings: StringFact[];
  /** Python: install-time commands the file's `setup()` replaces; absent when none. */
  installCommands?: InstallCommandFact[];
}

/** The facts of a file nothing could be read from, `problem` saying why (or of one with nothing in it yet). */
export function emptyFacts(problem: ParseProblem | null = null): FileFacts {
  return { parseError: problem, imports: [], reexports: [], bindings: {}, calls: [], functions: [], tools: [], listedTools: [], prompts: [], unnamedRegistrations: [], listeners: [], strings: [] };
}
