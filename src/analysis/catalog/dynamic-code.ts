import type { CallSite } from '../model/code-facts.js';
import { SOURCES } from './sources.js';

// Calls that run code built or chosen at run time: evaluators (eval, Function, vm, Python's exec),
// deserialisers whose formats run code on load, and loaders given a module name that is not a
// literal. Read by code-dynamic-code, which judges them, and manifest-tool-mismatch, which finds
// code that a tool's description does not own up to.

/** Calls that evaluate a string as code. */
export const EVALUATORS: ReadonlySet<string> = new Set([
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
  // vm2 compiles its script argument, and its sandboxes run code (escapes from them are known); so does `sandbox`.
  'vm2.VMScript',
  'new vm2.VMScript',
  'vm2.VM.run',
  'vm2.NodeVM.run',
  'sandbox.run',
  // Packages that evaluate a string in a "safe" context: safe-eval is vm with known escapes, notevil an interpreter.
  'safe-eval',
  'notevil',
  // Python builtins.
  'builtins.eval',
  'builtins.exec',
  'builtins.compile',
  'runpy.run_path',
  // The standard library's interpreter loop (held in a variable: PYTHON_OBJECT_CLASSES in network.ts; its
  // `runcode` runs a code object, compiled by what is reported), and sub-interpreters, which share the
  // process: what they run can do all the server can.
  'code.compile_command',
  'code.InteractiveInterpreter.runsource',
  'code.InteractiveConsole.runsource',
  'code.InteractiveConsole.push',
  '_xxsubinterpreters.run_string',
  '_interpreters.run_string',
  '_interpreters.exec',
  '_testcapi.run_in_subinterp',
  'test.support.run_in_subinterp',
]);

/**
 * Where the code is, for evaluators that take something else first: a Python method's instance
 * (argument 0, see PYTHON_OBJECT_CLASSES), a sub-interpreter's id. Others take it first, and
 * `Function` takes code in every argument (parameters and body).
 */
const CODE_AT: Readonly<Record<string, number>> = {
  'code.InteractiveInterpreter.runsource': 1,
  'code.InteractiveConsole.runsource': 1,
  'code.InteractiveConsole.push': 1,
  '_xxsubinterpreters.run_string': 1,
  '_interpreters.run_string': 1,
  '_interpreters.exec': 1,
};

/** The arguments of a dynamic-code call that are the code (or the data or module name) it runs. */
export function codeArguments(call: CallSite): CallSite['args'] {
  if (call.callee === 'Function' || call.callee === 'new Function') return call.args;
  const at = Object.hasOwn(CODE_AT, call.callee) ? CODE_AT[call.callee]! : 0;
  return call.args.slice(at, at + 1);
}

/**
 * Classes whose instances' methods are named after the class (`const vm = new NodeVM(…); vm.run(code)`
 * is `vm2.NodeVM.run`), because the catalogs name those methods.
 */
const INSTANCE_CLASSES = new Set(['vm2.VM', 'vm2.NodeVM', 'sandbox']);

export function isInstanceClass(callee: string): boolean {
  return INSTANCE_CLASSES.has(callee);
}

/**
 * Deserialisers (mostly Python's) whose formats carry code that runs on load (pickle's `__reduce__`, YAML's
 * `!!python/object` tags) or code objects (marshal), by callee, with the format's name for messages.
 * `yamlLoader`: `yaml.load` runs code only with an unsafe Loader (positional argument 1 or the
 * `Loader` keyword); without one, PyYAML before 5.1 used the unsafe loader.
 */
export const DESERIALISERS: Readonly<Record<string, { format: string; yamlLoader?: true }>> = {
  ...Object.fromEntries(['pickle', 'cPickle', '_pickle', 'dill', 'cloudpickle'].flatMap((module) => ['loads', 'load'].map((name) => [`${module}.${name}`, { format: 'pickle' }]))),
  'pandas.read_pickle': { format: 'pickle' },
  'joblib.load': { format: 'pickle' },
  'shelve.open': { format: 'pickle' },
  'jsonpickle.decode': { format: 'jsonpickle' },
  'marshal.loads': { format: 'marshal' },
  'marshal.load': { format: 'marshal' },
  'yaml.unsafe_load': { format: 'YAML' },
  'yaml.unsafe_load_all': { format: 'YAML' },
  'yaml.load': { format: 'YAML', yamlLoader: true },
  'yaml.load_all': { format: 'YAML', yamlLoader: true },
  // Node: formats that carry functions and rebuild them with eval.
  'node-serialize.unserialize': { format: 'node-serialize' },
  'serialize-to-js.deserialize': { format: 'serialize-to-js' },
};
/** PyYAML loaders that build arbitrary Python objects. SafeLoader, CSafeLoader and BaseLoader do not; FullLoader no longer does since 5.4. */
const UNSAFE_YAML_LOADERS = new Set(['yaml.Loader', 'yaml.UnsafeLoader', 'yaml.CLoader', 'yaml.CUnsafeLoader', 'yaml.loader.Loader', 'yaml.loader.UnsafeLoader']);
const LOADERS = new Set(['require', 'import', 'builtins.__import__', 'importlib.import_module', 'importlib.__import__', 'runpy.run_module', 'module._load', 'module.Module._load']);
const TIMERS = new Set(['setTimeout', 'setInterval']);

export type DynamicCodeKind = 'evaluator' | 'loader' | 'deserialiser';

/** Whether a call evaluates code, deserialises a format that runs code, or loads a module named at run time. */
export function dynamicCodeKind(call: CallSite): DynamicCodeKind | null {
  // `eval()` evaluates nothing.
  if (EVALUATORS.has(call.callee)) return codeArguments(call).length > 0 ? 'evaluator' : null;
  // Module's own compiler, `m._compile(source, filename)`, runs a string as a module; other methods of
  // that name (ajv's `this._compile(schema)`) take one argument.
  if (call.callee === 'member:_compile' && call.args.length === 2) return 'evaluator';
  // `new Worker(source, { eval: true })` runs its first argument as a script; without `eval`, it names a file.
  if (call.callee === 'new worker_threads.Worker' && call.args[1]?.properties?.eval === true) return 'evaluator';
  if (Object.hasOwn(DESERIALISERS, call.callee)) return !DESERIALISERS[call.callee]!.yamlLoader || unsafeYamlLoader(call) ? 'deserialiser' : null;
  if (LOADERS.has(call.callee)) {
    const specifier = call.args[0];
    // `require(path.join(__dirname, '../package.json'))` reads data, not code.
    const loadsJson = specifier?.parts?.some((part) => part.endsWith('.json')) ?? false;
    // `require(__dirname + '/utils')`: a module of the bundle, named by where it sits.
    const ownModule = specifier !== undefined && specifier.labels.length > 0 && specifier.labels.every((label) => label === SOURCES.bundleDir);
    return specifier !== undefined && specifier.literal === undefined && !loadsJson && !ownModule ? 'loader' : null;
  }
  // A string given to a timer is evaluated like eval; a function is not.
  if (TIMERS.has(call.callee) && (call.args[0]?.literal !== undefined || call.args[0]?.prefix !== undefined)) return 'evaluator';
  return null;
}

/**
 * Objects that will run code from what they are later given, judged where they are made:
 * - `ruamel.yaml.YAML(typ="unsafe")`: a loader whose every `load` builds any Python object
 *   (`!!python/object/apply`), where its default (`rt`) and `safe` build plain data;
 * - `logging.config.listen(port)`: a thread serving a socket on this machine whose configurations
 *   the standard library applies, and a configuration names callables to construct (`()` keys),
 *   unless `verify=` checks what arrives (a signature, say).
 * Their keyword arguments are the last argument (python/extract.ts).
 */
export type CodeTaker = 'unsafe-yaml' | 'config-listener';

export function codeTaker(call: CallSite): CodeTaker | null {
  const keywords = call.args.at(-1)?.keywords ? call.args.at(-1) : undefined;
  if (call.callee === 'ruamel.yaml.YAML' || call.callee === 'ruamel.yaml.main.YAML') return keywords?.properties?.typ === 'unsafe' ? 'unsafe-yaml' : null;
  if (call.callee === 'logging.config.listen') {
    const verified = keywords !== undefined && (Object.hasOwn(keywords.properties ?? {}, 'verify') || Object.hasOwn(keywords.propertyLabels ?? {}, 'verify') || Object.hasOwn(keywords.references ?? {}, 'verify') || keywords.callback !== undefined);
    return verified || call.args.filter((argument) => !argument.keywords).length > 1 ? null : 'config-listener';
  }
  return null;
}

/** `yaml.load(data)` with no Loader, or with one that builds any object; a loader not known (a subclass of the bundle's) is not judged. */
function unsafeYamlLoader(call: CallSite): boolean {
  const positional = call.args[1]?.properties === undefined ? call.args[1] : undefined;
  const loader = positional?.reference ?? call.args.at(-1)?.references?.Loader;
  const given = positional !== undefined || Object.hasOwn(call.args.at(-1)?.propertyLabels ?? {}, 'Loader') || Object.hasOwn(call.args.at(-1)?.properties ?? {}, 'Loader');
  return loader === undefined ? !given : UNSAFE_YAML_LOADERS.has(loader);
}

// Script run in a browser page the server drives (puppeteer, playwright, chrome-remote-interface;
// Python's playwright, pyppeteer and selenium): it runs with the page's origin, as whoever the
// browser is signed in as when it uses the user's profile or is the user's own browser over the
// DevTools protocol. Browser-automation servers do this by design; what matters is who writes the
// script. The page is a value of unknown type (`const page = await browser.newPage()`), so its
// methods are known by name: distinctive names anywhere, `evaluate` and its kin only in a file that
// imports such a package (mathjs and expr-eval have an `evaluate` too). The extractors name them
// `<package>.Page.<method>` (pageCallee).

/** Browser-automation packages, by import specifier (Python: the top-level module), and the family their callees are named after. */
const BROWSER_PACKAGES: Readonly<Record<string, string>> = {
  puppeteer: 'puppeteer',
  'puppeteer-core': 'puppeteer',
  'puppeteer-extra': 'puppeteer',
  playwright: 'playwright',
  'playwright-core': 'playwright',
  'playwright-chromium': 'playwright',
  '@playwright/test': 'playwright',
  'chrome-remote-interface': 'chrome-remote-interface',
  pyppeteer: 'pyppeteer',
  selenium: 'selenium',
};

/** The family of a browser-automation package a file imports (`playwright/test`, `playwright.sync_api` count), or null. */
export function browserPackage(specifier: string): string | null {
  const root = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split(/[/.]/)[0]!;
  return Object.hasOwn(BROWSER_PACKAGES, root) ? BROWSER_PACKAGES[root]! : Object.hasOwn(BROWSER_PACKAGES, specifier) ? BROWSER_PACKAGES[specifier]! : null;
}

/** Methods that run script in a page: the position of the script, and whether the name says so wherever it is called. */
const PAGE_METHODS: Readonly<Record<string, { at: number; distinctive?: true }>> = {
  evaluate: { at: 0 },
  evaluateHandle: { at: 0, distinctive: true },
  evaluateOnNewDocument: { at: 0, distinctive: true },
  addInitScript: { at: 0, distinctive: true },
  $eval: { at: 1, distinctive: true },
  $$eval: { at: 1, distinctive: true },
  waitForFunction: { at: 0 },
  addScriptTag: { at: 0, distinctive: true },
  // chrome-remote-interface: `Runtime.evaluate({ expression })`, `Runtime.compileScript({ expression })`.
  compileScript: { at: 0 },
  // HTML written into the page, whose scripts run there: `page.setContent(html)`, CDP's
  // `Page.setDocumentContent({ frameId, html })`, Python's `page.set_content(html)`.
  setContent: { at: 0 },
  setDocumentContent: { at: 0, distinctive: true },
  set_content: { at: 0 },
  // Python: playwright's snake case, selenium's WebDriver.
  evaluate_handle: { at: 0, distinctive: true },
  eval_on_selector: { at: 1, distinctive: true },
  eval_on_selector_all: { at: 1, distinctive: true },
  add_init_script: { at: 0, distinctive: true },
  add_script_tag: { at: 0 },
  wait_for_function: { at: 0 },
  execute_script: { at: 0 },
  execute_async_script: { at: 0, distinctive: true },
};

/** Options properties that hold the script (`{ expression }`, `{ content }`, Python's `script=`, `expression=`). */
const SCRIPT_KEYS = ['expression', 'content', 'script', 'source', 'html'];

/**
 * The canonical callee of a method call that runs script in a browser page (`puppeteer.Page.evaluate`,
 * `chrome-remote-interface.Runtime.evaluate`), given the browser package the file imports; null
 * when the method is none of them, or not distinctive and no such package is imported.
 */
export function pageCallee(method: string, family: string | null): string | null {
  const known = Object.hasOwn(PAGE_METHODS, method) ? PAGE_METHODS[method]! : undefined;
  if (known === undefined || (family === null && !known.distinctive)) return null;
  const domain = family === 'chrome-remote-interface' && method !== 'setDocumentContent' ? 'Runtime' : 'Page';
  return `${family ?? 'browser'}.${domain}.${method}`;
}

/**
 * What a page call runs: the script argument's labels, or those of its script property when it is
 * an options object, and whether it is a function or a constant (run as written). Null when the
 * call runs no page script.
 */
export function pageScript(call: CallSite): { at: number; labels: readonly string[]; written: boolean } | null {
  const dot = call.callee.lastIndexOf('.');
  if (dot < 0 || !/\.(?:Page|Runtime)\.[^.]+$/.test(call.callee)) return null;
  const family = call.callee.slice(0, call.callee.indexOf('.'));
  if (!Object.values(BROWSER_PACKAGES).includes(family) && family !== 'browser') return null;
  const method = call.callee.slice(dot + 1);
  const known = Object.hasOwn(PAGE_METHODS, method) ? PAGE_METHODS[method]! : undefined;
  if (known === undefined) return null;
  // Python keywords come last, as one fact: `page.add_init_script(script=code)`.
  const keywords = call.args.find((argument) => argument.keywords);
  const argument = call.args[known.at]?.keywords ? undefined : call.args[known.at];
  const options = argument?.properties !== undefined ? argument : keywords;
  if (argument !== undefined && argument.properties === undefined) {
    return { at: known.at, labels: argument.labels, written: argument.function === true || argument.literal !== undefined };
  }
  if (options === undefined) return null;
  const key = SCRIPT_KEYS.find((name) => Object.hasOwn(options.propertyLabels ?? {}, name) || Object.hasOwn(options.properties ?? {}, name));
  if (key === undefined) return null;
  const labels = options.propertyLabels?.[key] ?? [];
  return { at: call.args.indexOf(options), labels, written: Object.hasOwn(options.properties ?? {}, key) };
}
