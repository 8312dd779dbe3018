import type { CallSite } from '../src/analysis/model/code-facts.js';
import { SOURCES } from '../src/analysis/catalog/sources.js';
import { REQUEST_LABEL, type ArgumentFact } from '../src/analysis/model/file-facts.js';
import { atCallSite, isReached, sourceTrigger, worstInput, type InputSource } from '../src/engine/call-site.js';
import { codeArguments, codeTaker, DESERIALISERS, dynamicCodeKind, EVALUATORS, pageScript, type DynamicCodeKind } from '../src/analysis/catalog/dynamic-code.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, inputWords, triggerPhrase, whoWords } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// Code evaluated at run time is code nobody reviewed: an auditor cannot say what it does, and when a
// tool's input reaches it the model can run anything; a network listener's request reaching it is
// remote code execution, judged by whom the listener lets in (listenerSeverity in engine/call-site.ts). Python deserialisers whose formats run code on
// load (pickle, unsafe YAML loaders) are judged as evaluators are. Two more cases are critical whoever wrote
// them: code fetched from the network and then run (the server's behaviour is decided elsewhere,
// after the audit), and a payload decoded from base64 or hex, char codes or escapes and then run
// (no ordinary program encodes the code it runs; malware does, to pass a text search). Both are
// reported low in dependency internals that nothing sets off (no tool, module load, listener or timer). Constant
// evaluation in dependencies (`Function('return this')()` finding the global object) is a common
// idiom and not reported.
export default defineRule({
  meta: {
    id: 'code-dynamic-code',
    category: 'dynamic-code',
    severity: 'medium',
    description:
      'Server code evaluates strings as code (eval, Function, vm, string workers; Python eval, exec, compile, the code module, sub-interpreters), deserialises formats that run code (pickle, marshal, yaml.load with an unsafe Loader) or loads modules named at run time (require, import, __import__, importlib), or runs computed script in a browser page (puppeteer, playwright, chrome-remote-interface, selenium); critical when a tool\'s input, a network response or a decoded payload reaches it (medium for a browser page).',
    remediation: 'Replace evaluation with data handling (JSON.parse, a lookup table) and load modules by literal names.',
    messages: {
      evaluatesInput: '{api} evaluates code built from {input}: {who} can run any {language} in the server.',
      loadsInput: '{api} loads a module named by {input}: {who} chooses which code runs.',
      runsFetched: '{api} runs code received from the network{reach}: what the server does is decided by that server, after any audit.',
      loadsFetched: '{api} loads a module named by a network response{reach}: what the server runs is decided elsewhere, after any audit.',
      runsDecoded: '{api} runs a payload decoded from base64, hex or char codes{reach}: code hidden from review on purpose.',
      loadsDecoded: '{api} loads a module whose name is decoded at run time{reach}: code hidden from review on purpose.',
      evaluates: '{api} evaluates code computed at run time{reach}; what it runs cannot be audited.',
      evaluatesConstant: '{api} evaluates a constant string{reach}.',
      evaluatesFile: '{api} evaluates the contents of a file{reach}: it runs whatever that file holds (a version file, a bundled script).',
      loads: '{api} loads a module whose name is computed at run time{reach}; that code was not audited.',
      deserialisesInput: '{api} deserialises {format} data from {input}: a crafted payload runs any {language} in the server.',
      deserialises: '{api} deserialises {format} data computed at run time{reach}; the format runs code on load, so whoever can write that data runs code in the server.',
      pageInput: '{api} runs script built from {input} in a browser page: {who} can make the page do anything its site allows, as whoever the browser is signed in as.',
      pageComputed: '{api} runs script computed at run time in a browser page{reach}.',
      unsafeYaml: '{api} makes a YAML loader that builds any Python object (typ="unsafe"){reach}: every document it loads can run code in the server.',
      configListener:
        '{api} serves a socket on this machine{reach} and applies the logging configurations sent to it, with no verify function: a configuration can construct any callable, so any local program that connects runs code in the server.',
    },
    docs: {
      why:
        "Code evaluated at run time is code nobody reviewed: an auditor cannot say what `eval(x)` does, and Node's `vm` module " +
        "is explicitly not a security boundary, nor is vm2 (`new VMScript(code)`, whose escapes are public). Critical when a " +
        "tool's input reaches `eval`, `Function`, `vm.*`, vm2's `VMScript` and the `run` of a `VM` or `NodeVM` (held in a " +
        "variable or made in place), the `sandbox` package's `run`, Module's own `m._compile(source, filename)`, a string " +
        "`setTimeout`, a worker thread started from a string (`new Worker(source, { eval: true })`), `safe-eval` and " +
        "`notevil`, or a `require`/`import` with a computed name (the model can then run any JavaScript in the server); " +
        "critical too when a network listener's request (HTTP, WebSocket, socket data) reaches them and the listener takes " +
        "connections on every interface (remote code execution from the network), high on loopback or an unknown bind (any " +
        "local program or web page can still send to it), one step lower when its handler checks the Origin or a secret token; " +
        "also critical, whoever wrote it, when the code comes from the network (the server's behaviour is decided elsewhere, " +
        "after any audit) or from a payload decoded from base64, hex, char codes or escapes (no ordinary program encodes the " +
        "code it runs; malware does, to pass a text search). Medium: evaluation or module loading by a name computed at run " +
        "time in first-party code. Low: a constant string evaluated (whatever context, callback or options go with it), and code read from a file and nothing else (the setup " +
        "idiom `exec(open(\"pkg/version.py\").read())`). Python's deserialisers count as evaluation: `pickle.loads` " +
        "(and `dill`, `joblib`, `pandas.read_pickle`, `shelve`), `marshal.loads`, and `yaml.load` with `yaml.Loader`, " +
        "`yaml.UnsafeLoader` or no Loader at all (unsafe before PyYAML 5.1): critical when a tool's input, a network response " +
        "or a decoded payload reaches them, medium for data computed at run time (a cache file: whoever can write it runs code). " +
        "So do Node's `node-serialize.unserialize` and `serialize-to-js.deserialize`, which rebuild functions with eval. Python's " +
        "own interpreter loop evaluates too: the `code` module's `InteractiveConsole.push`, `runsource` and `compile_command` " +
        "(whose code object `runcode` then runs), and sub-interpreters (`_xxsubinterpreters.run_string`, `_interpreters`, " +
        "`_testcapi.run_in_subinterp`), which share the server's process and can do all it can. An evaluator handed to " +
        "something that calls it (`loop.run_in_executor(None, exec, code)`, `functools.partial(eval, expr)`, " +
        "`Thread(target=exec, args=(code,))`) is judged as the call it makes. Script run in a browser page the server drives " +
        "(puppeteer's and playwright's `evaluate`, `$eval`, `$$eval`, `evaluateHandle`, `waitForFunction`, `addInitScript`, " +
        "`evaluateOnNewDocument`, `addScriptTag`, and `setContent`, whose HTML's scripts run in the page; chrome-remote-interface's " +
        "`Runtime.evaluate`, `compileScript` and `Page.setDocumentContent`; Python's " +
        "playwright, pyppeteer and selenium's `execute_script`) runs in the page, not the server, as whoever the browser is signed " +
        "in as when it uses the user's profile or is the user's own browser: medium when tool input writes it (browser-automation " +
        "servers offer this by design; the finding names the tool), high from a listener on every interface, medium for script " +
        "fetched or decoded, low for script computed from nothing untrusted. Medium, where they are made, two objects that " +
        "run code from what they are given later: a ruamel.yaml loader made with `typ=\"unsafe\"` (every `load` builds any " +
        "Python object), and `logging.config.listen()` without a `verify` function (a thread serving a socket on this " +
        "machine whose logging configurations are applied, and a configuration constructs whatever callable it names).",
      falsePositives:
        "`require(path.join(__dirname, '../package.json'))` and other loads of `.json` files read data and are not reported; " +
        "nor are loads by literal name. Constant evaluation inside dependencies, such as `Function('return this')()` to find " +
        "the global object, is a common idiom and not reported (the `valid` example's `globals-polyfill`). Network-fetched or " +
        "decoded code in dependency internals that nothing sets off (no tool, module load, listener or timer) is reported low. A plugin loader " +
        "that imports modules named in the server's own configuration is reported medium; it is legitimate when the names come " +
        "from a fixed list, which you can see in the excerpt. `yaml.safe_load` and `yaml.load` with `SafeLoader`, `CSafeLoader`, " +
        "`BaseLoader` or `FullLoader` are not reported, nor a Loader class of the bundle's own (usually a SafeLoader subclass: " +
        "check its base). Nor is a ruamel.yaml loader of its default (`rt`), `safe` or `base` type, nor `logging.config.listen` " +
        "given a `verify` function. A `marshal.loads` whose result an `exec` on the same line runs is reported once, at the `exec`. " +
        "A page script written in the code (a function or a constant) is not reported, even with tool input passed beside " +
        "it (`page.evaluate((css) => …, selector)`: the input arrives as data); nor is an `evaluate` method in a file that " +
        "imports no browser-automation package (expr-eval's and mathjs' read arithmetic).",
      references: [
        { title: "CWE-94: Improper Control of Generation of Code ('Code Injection')", url: 'https://cwe.mitre.org/data/definitions/94.html' },
        { title: "CWE-95: Improper Neutralization of Directives in Dynamically Evaluated Code ('Eval Injection')", url: 'https://cwe.mitre.org/data/definitions/95.html' },
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
        { title: 'Node.js: vm (not a security mechanism)', url: 'https://nodejs.org/api/vm.html' },
      ],
    },
  },
  check({ code }, context) {
    // `exec(marshal.loads(payload))`: the evaluator's finding says it all.
    const evaluatorLines = new Set(code.calls.filter((call) => EVALUATORS.has(call.callee)).map((call) => `${call.file}:${call.line}`));
    for (const call of code.calls) {
      const taker = call.origin === 'first-party' || isReached(call) ? codeTaker(call) : null;
      if (taker !== null) {
        context.report({ messageId: taker === 'unsafe-yaml' ? 'unsafeYaml' : 'configListener', data: { api: apiName(call.callee, call.excerpt), reach: triggerPhrase(call.triggers) }, severity: 'medium', ...atCallSite(call) });
        continue;
      }
      const page = pageScript(call);
      const kind = page === null ? dynamicCodeKind(call) : null;
      if (kind === 'deserialiser' && evaluatorLines.has(`${call.file}:${call.line}`)) continue;
      const verdict = page !== null ? judgePage(call, page) : kind !== null ? judge(call, kind) : null;
      if (verdict === null) continue;
      // A page's script is the tool's sink only when the tool's input writes it; other code, whenever input reaches the call.
      const sink = page !== null ? verdict.source?.kind === 'tool' : call.taintedBy.length > 0;
      context.report({
        messageId: verdict.messageId,
        data: {
          api: apiName(call.callee, call.excerpt),
          input: verdict.source === undefined ? '' : inputWords(verdict.source),
          who: verdict.source === undefined ? '' : whoWords(verdict.source),
          reach: triggerPhrase(call.triggers),
          language: /\.pyw?$/i.test(call.file) ? 'Python' : 'JavaScript',
          format: DESERIALISERS[call.callee]?.format ?? '',
        },
        severity: verdict.severity,
        ...atCallSite(call),
        ...(verdict.source === undefined ? {} : { trigger: sourceTrigger(verdict.source) }),
        ...(sink ? { roles: [{ kind: 'sink', tools: call.taintedBy, power: 'code-execution' }] } : {}),
      });
    }
  },
});

type MessageId =
  | 'evaluatesInput' | 'loadsInput' | 'runsFetched' | 'loadsFetched' | 'runsDecoded' | 'loadsDecoded' | 'evaluates' | 'evaluatesConstant' | 'evaluatesFile' | 'loads'
  | 'deserialisesInput' | 'deserialises';

function judge(call: CallSite, kind: DynamicCodeKind): { messageId: MessageId; severity: Severity; source?: InputSource } | null {
  // Tool input, or a listener's request on every interface: code execution, critical (lowered for listeners by whom they let in).
  const input = worstInput(call, 'critical', 'critical');
  if (input !== null) {
    return { messageId: kind === 'loader' ? 'loadsInput' : kind === 'deserialiser' ? 'deserialisesInput' : 'evaluatesInput', severity: input.severity, source: input.source };
  }
  const code = codeArguments(call);
  const severity: Severity = worthReporting(call) ? 'critical' : 'low';
  if (code.some((argument) => argument.labels.includes(SOURCES.network))) return { messageId: kind === 'loader' ? 'loadsFetched' : 'runsFetched', severity };
  if (code.some((argument) => argument.encoded || argument.labels.includes(SOURCES.decoded))) {
    return { messageId: kind === 'loader' ? 'loadsDecoded' : 'runsDecoded', severity };
  }
  // The code is constant; what else is passed (a context, a callback, options) does not change what runs.
  const constant = code.length > 0 && code.every((argument) => argument.literal !== undefined);
  if (call.origin === 'dependency') return null;
  if (kind === 'loader') return { messageId: 'loads', severity: 'medium' };
  if (kind === 'deserialiser') return { messageId: 'deserialises', severity: 'medium' };
  if (constant) return { messageId: 'evaluatesConstant', severity: 'low' };
  // `exec(open("pkg/version.py").read())`: the setup idiom runs a file of the package, not input.
  return kind === 'evaluator' && readFromFile(code) ? { messageId: 'evaluatesFile', severity: 'low' } : { messageId: 'evaluates', severity: 'medium' };
}

/**
 * Script run in a browser page: the designed work of a browser-automation server, so medium when tool
 * input writes it (the page's site, signed in or not, does what the model says), high from a listener
 * on every interface (one step lower on loopback, again when it checks the Origin); medium when it was
 * fetched or decoded, low when computed from nothing untrusted. A function or a constant is the
 * script as written, with data passed beside it: nothing to report.
 */
function judgePage(call: CallSite, page: { at: number; labels: readonly string[]; written: boolean }): { messageId: 'pageInput' | 'pageComputed'; severity: Severity; source?: InputSource } | null {
  if (page.written) return null;
  const input = call.taintedArgs.includes(page.at) && page.labels.some((label) => !label.startsWith('@') || label === REQUEST_LABEL) ? worstInput(call, 'medium', 'high') : null;
  if (input !== null) return { messageId: 'pageInput', severity: input.severity, source: input.source };
  // The automation library's own calls pass on what the server gave them.
  if (call.origin === 'dependency') return null;
  const hidden = page.labels.includes(SOURCES.network) || page.labels.includes(SOURCES.decoded);
  return { messageId: 'pageComputed', severity: hidden ? 'medium' : 'low' };
}

/** Code that is the contents of a file and nothing else known: no input, no network, nothing decoded. */
function readFromFile(code: readonly ArgumentFact[]): boolean {
  const labels = code.flatMap((argument) => argument.labels);
  return labels.includes(SOURCES.file) && labels.every((label) => FILE_READ.has(label));
}

/** What the contents of a file read from the bundle or a fixed place carry. */
const FILE_READ: ReadonlySet<string> = new Set([SOURCES.file, SOURCES.bundleDir, SOURCES.cwd]);

/** First-party code, and code something sets off (a tool, the module's load, a listener, a timer). */
function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isReached(call);
}
