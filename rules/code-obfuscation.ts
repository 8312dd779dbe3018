import type { CallSite, StringSite } from '../src/analysis/model/code-facts.js';
import { SOURCES } from '../src/analysis/catalog/sources.js';
import { isHighEntropyBlob, isWorthHiding, knownBlob, isSensitiveCallee, isSensitiveModule } from '../src/analysis/catalog/strings.js';
import { canonicalModule } from '../src/analysis/js/extract.js';
import { codeText } from '../src/analysis/model/code-text.js';
import { atCallSite, isReached } from '../src/engine/call-site.js';
import { defineRule, type RuleReport } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import { severityRank, type Severity } from '../src/report.js';
import { DISGUISED_LETTERS, HIDDEN_LABELS, hiddenIn, mayHideCharacters, type HiddenKind } from '../src/analysis/catalog/hidden-characters.js';
import { addToList } from '../src/common.js';

// Code that hides what it does from a reader is the mark of malware in packages: a module name
// spelled in char codes, base64 or pieces (`'child_' + 'process'`) so that a search for
// `child_process` finds nothing, a method reached through an assembled property name, a long
// random-looking blob carried in the code. Ordinary programs split long messages with `+` and
// minifiers fold constants, so only names on a short list of sensitive modules and APIs
// (catalog/strings.ts) count when they are merely assembled; a name decoded from base64, hex, char
// codes or escapes counts whatever it is, because nobody encodes a module name for a good reason.
//
// Severities: an encoded sensitive module name, or a hidden name whose API then receives tool
// input, network data or a decoded payload, is critical; any other hidden sensitive name (and an
// encoded name of any module) is high; a long high-entropy blob in first-party code is low, medium
// when the same file decodes it (one finding per file). Running decoded or fetched code is
// code-dynamic-code's finding. Dependency internals that nothing sets off (no tool, module load, listener or timer)
// are reported low, and blobs in dependencies not at all (vendored data is the norm there), nor
// blobs that encode images, fonts, WebAssembly or well-known primes.

/** A blob shorter than this is reported only when the file decodes it: keys and hashes are shorter. */
const LONG_BLOB = 1000;
/** Module loaders whose first argument names the module: Node's, and Python's `__import__` and `importlib.import_module`. */
const LOADERS = new Set(['require', 'import', 'builtins.__import__', 'importlib.import_module']);
const DECODING = new Set(['base64', 'base64url', 'hex']);

export default defineRule({
  meta: {
    id: 'code-obfuscation',
    category: 'obfuscation',
    severity: 'high',
    description:
      'Server code hides what it uses: module or method names assembled or decoded so that a text search misses them (`\'child_\' + \'process\'`, char codes, base64), or long high-entropy blobs.',
    remediation: 'Write module and function names as plain literals and ship readable code; a publisher who needs to embed data should say what it is.',
    messages: {
      hiddenModule: '{api} loads "{module}" through a name {how}, so that a search of the code does not find it{then}.',
      decodedByBundle: 'The code decodes constants with its own function {api} at run time, into {values}: names and addresses hidden from a search of the code.',
      hiddenCallee: '{api} is called through a property name spelled in pieces, encoded or looked up reflectively, so that a search of the code does not find it{then}.',
      bracketedCallee: '{api} is called as {written}, its name a string in brackets where a dot would do, so that a search of the code for the method does not find the call.',
      hiddenCharacters: 'The code holds {what}, invisible on screen: what a reviewer reads is not what runs.',
      obfuscatorOutput: 'This file is the output of {tool} ({evidence}): {what}.',
      disguisedLetters: 'The code spells names in mathematical look-alike letters that Python reads as plain ones, so that a search for them finds nothing.',
      blob: 'The code carries a {alphabet} string of random-looking data, {length} characters long ({entropy} bits per character){decoded}{more}; what it holds cannot be reviewed.',
    },
    docs: {
      why:
        "Code that hides what it uses from a reader is the mark of malware in packages: a module name spelled in char codes, " +
        "base64 or pieces (`'child_' + 'process'`) so that a search for `child_process` finds nothing, a method reached " +
        "through an assembled property name, a long random-looking blob carried in the code. Critical: a sensitive module name " +
        "decoded at run time, or a hidden sensitive name whose API then receives tool input, network data or a decoded " +
        "payload. High: any other hidden sensitive module or method name, and an encoded name of any module (nobody encodes a " +
        "module name for a good reason). Medium: a long high-entropy base64 or hex blob that the same file decodes; low when " +
        "nothing in the file decodes it (one finding per file). Medium too, once per file: a first-party file an obfuscator wrote " +
        "whole, by the marks it leaves even where its tables cannot be unrolled: javascript-obfuscator's hexadecimal names " +
        "(`_0x4a2b`, at least eight distinct ones) and PyArmor's runtime (`__pyarmor__(…)`, `from pyarmor_runtime_000000 import`, " +
        "`pytransform`), whose encrypted code no one can review. Low: a sensitive module's function called in the server's own " +
        "code with its name as a plain string in brackets (`os['hostname']()`, `cp['exec'].call(…)`): readable, but a search for " +
        "`os.hostname` misses it, and minifiers write dots, so the code chose to. A name looked up reflectively hides it as well: " +
        "`Reflect.get(cp, 'exec')`, `Object.getOwnPropertyDescriptor(cp, 'spawn').value`, `cp[Object.keys(cp).find((n) => n === 'exec')]`, " +
        "`Object.entries(cp).find(([n]) => n === 'exec')[1]`, also through a variable that holds it, and calls forwarded with " +
        "`.call`, `.apply`, `.bind(…)()` or `Reflect.apply` are calls of what they forward to. Node's loader under other names " +
        "is `require`: `module.require`, `process.mainModule.require`, `require.main.require`, `module.constructor._load`, " +
        "`require('module')._load`; and names are folded through `decodeURIComponent` (percent-encoded letters count as " +
        "encoding), `Buffer.from([99, 104, …]).toString()` and `String.fromCodePoint`. An obfuscator's string table is " +
        "read as the program reads it: the table (an array, or a function that hands one out and replaces itself), the " +
        "self-invoking function that rotates it at load until a checksum matches, and the accessors that index it " +
        "(`_0x4cfd(0x1a4)`, through local aliases) are evaluated by a small interpreter over numbers, strings, arrays and " +
        "loops, within a step budget, and each lookup counts as a name decoded from an encoded form; an ordinary array " +
        "of strings read only by index counts as a name assembled. A key held in a constant of the scope " +
        "(`const name = 'cexe'.split('').reverse().join(''); cp[name](…)`) is read too. In Python the same shapes are `getattr(os, \"sys\" + \"tem\")`, " +
        "`getattr(__import__(\"os\"), \"system\")`, `vars(__builtins__)[\"exec\"]`, `os.__dict__[\"system\"]`, `os.__getattribute__(\"system\")` " +
        "and `f.__call__(…)`, the builtins reached through their module (`__builtins__.getattr(builtins, …)`), " +
        "and `__import__` or `importlib.import_module` given an assembled name, also through a variable that holds the " +
        "member (`cc = getattr(builtins, …); cc(…)`). The standard library's decoders are folded over constants, so a name " +
        "they hide counts as encoded: `base64` and `binascii` (base64, base32, hex), `bytes.fromhex`, `codecs.decode` with " +
        "`rot13`, `zlib` and `gzip` decompression, `.decode()` with UTF-8, Latin-1, UTF-16 or an EBCDIC code page (cp037, " +
        "cp500, cp1026, cp1140), `chr`, `bytes([…])`, `\"\".join(…)` and `[::-1]`. " +
        "Characters a reviewer cannot see in the server's own code are hidden on purpose: bidi override, embedding and " +
        "isolate controls that make the code on screen differ from the code that runs (Trojan Source, CVE-2021-42574) and " +
        "Unicode tag characters are high, zero-width characters and runs of variation selectors medium (one finding per file). " +
        "Python normalises identifiers with NFKC, so `𝚎𝚡𝚎𝚌(…)` in mathematical letters is `exec(…)`: such a file is " +
        "read as Python reads it, and the letters are high. A small decoder of the bundle's own (hex pairs through " +
        "`String.fromCharCode(parseInt(…, 16))`, letters shifted with `charCodeAt`, `atob`) called with constants is run by " +
        "the same bounded interpreter that unrolls obfuscators' string tables (no host object reachable, a step budget per " +
        "file, patterns that cannot backtrack), so what it yields is folded where it is used (`require(g('6f73'))` loads " +
        "`os`), and each such decoder of first-party code that yields a sensitive name, a module of Node's or a URL is high, " +
        "once per decoder and file, with what it yields.",
      falsePositives:
        "Ordinary programs split long strings with `+` and minifiers fold constants, so an assembled name counts only when it " +
        "spells a module or API on a short list of sensitive ones (processes, files, network, evaluation); an assembled " +
        "`'lodash' + '.get'` does not. Blobs in dependencies are not reported at all (vendored fonts and tables are the norm " +
        "there), nor blobs that encode images, fonts, WebAssembly or well-known primes, nor blobs under 1,000 characters that " +
        "nothing decodes (keys and hashes). Dependency internals that nothing sets off (no tool, module load, listener or timer) are reported " +
        "low. The `valid` example holds an embedded PNG, a well-known prime, a font in a dependency, a method name assembled " +
        "from innocuous pieces and ordinary string concatenation. A decoder of the bundle's own that yields plain words (a " +
        "puzzle's answer), or that is given input rather than constants, is not reported. Running decoded or fetched code is `code-dynamic-code`'s " +
        "finding.",
      references: [
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'MITRE ATT&CK T1027: Obfuscated Files or Information', url: 'https://attack.mitre.org/techniques/T1027/' },
      ],
    },
  },
  check({ code, container, originOf }, context) {
    for (const file of code.reachable) {
      const bytes = container.files.get(file)?.bytes;
      if (bytes === undefined || originOf(file) !== 'first-party') continue;
      const text = codeText(bytes);
      const python = /\.pyw?$/i.test(file);
      const disguised = python ? DISGUISED_LETTERS.exec(text) : null;
      if (disguised !== null) {
        const line = text.slice(0, disguised.index).split('\n').length;
        context.report({
          messageId: 'disguisedLetters',
          data: {},
          severity: 'high',
          location: { file, line },
          evidence: text.split('\n')[line - 1]!.slice(0, 120),
          origin: 'first-party',
        });
      }
      const packed = obfuscatorOutput(text, python);
      if (packed !== null) {
        context.report({
          messageId: 'obfuscatorOutput',
          data: { tool: packed.tool, evidence: packed.evidence, what: packed.what },
          severity: 'medium',
          location: { file, line: packed.line },
          evidence: packed.excerpt,
          origin: 'first-party',
        });
      }
      const hidden = hiddenInCode(text);
      if (hidden === null) continue;
      context.report({
        messageId: 'hiddenCharacters',
        data: { what: hidden.what },
        severity: hidden.severity,
        location: { file, line: hidden.line, column: hidden.column },
        evidence: hidden.excerpt,
        origin: 'first-party',
      });
    }
    const callsByFile = new Map<string, CallSite[]>();
    for (const call of code.calls) addToList(callsByFile, call.file, call);

    for (const call of code.calls) {
      const sameFile = callsByFile.get(call.file) ?? [];
      const module = LOADERS.has(call.callee) ? hiddenModule(call) : null;
      if (module !== null) {
        const use = dangerousUse(sameFile, (callee) => callee === module.canonical || callee.startsWith(`${module.canonical}.`));
        const severity: Severity = (module.encoded && module.sensitive) || (module.sensitive && use !== null) ? 'critical' : 'high';
        context.report({
          messageId: 'hiddenModule',
          data: { api: `${call.callee}()`, module: module.name, how: module.how, then: use?.text ?? '' },
          severity: worthReporting(call) ? severity : 'low',
          ...atCallSite(call),
          ...withToolsOf(use, call),
        });
        continue;
      }
      if (call.builtName && isSensitiveCallee(call.callee)) {
        const use = dangerousUse([call], () => true);
        context.report({
          messageId: 'hiddenCallee',
          data: { api: `${call.callee.replace(/^member:/, '')}()`, then: use?.text ?? '' },
          severity: worthReporting(call) ? (use === null ? 'high' : 'critical') : 'low',
          ...atCallSite(call),
          ...withToolsOf(use, call),
        });
      } else if (call.bracketedName && call.origin === 'first-party' && isSensitiveCallee(call.callee) && !call.callee.startsWith('member:')) {
        // `os['hostname']()`: plainly readable, but out of reach of a search for `os.hostname`;
        // minifiers write dots, so first-party code that does this chose to.
        const api = `${call.callee.replace(/^new /, '')}()`;
        context.report({
          messageId: 'bracketedCallee',
          data: { api, written: bracketedText(call.excerpt) },
          severity: 'low',
          ...atCallSite(call),
        });
      }
    }

    // A decoder of the bundle's own called with constants: one finding per decoder and file, at the
    // first call that yields a name or an address worth hiding, with what they all yield.
    const decoders = new Map<string, CallSite[]>();
    for (const call of code.calls) {
      if (call.decoded === undefined || call.origin !== 'first-party') continue;
      const key = `${call.file}|${call.callee}`;
      addToList(decoders, key, call);
    }
    for (const calls of decoders.values()) {
      const first = calls.find((call) => isWorthHiding(call.decoded!));
      if (first === undefined) continue;
      const values = [...new Set(calls.filter((call) => isWorthHiding(call.decoded!)).map((call) => shorten(call.decoded!)))];
      context.report({
        messageId: 'decodedByBundle',
        data: { api: `${first.callee.replace(/^local:/, '')}()`, values: quoteList(values) },
        severity: worthReporting(first) ? 'high' : 'low',
        ...atCallSite(first),
      });
    }

    // One finding per file: a vendored PDF library carries a dozen compressed fonts, and one
    // sentence says as much as twelve.
    const blobsByFile = new Map<string, Array<{ blob: StringSite; decoded: boolean }>>();
    for (const blob of code.strings) {
      if (blob.kind !== 'blob' || blob.origin !== 'first-party' || blob.entropy === undefined) continue;
      if (!isHighEntropyBlob(blob.value, blob.entropy) || knownBlob(blob.value) !== undefined) continue;
      const decoded = isDecoded(blob, callsByFile.get(blob.file) ?? []);
      if (!decoded && blob.length < LONG_BLOB) continue;
      addToList(blobsByFile, blob.file, { blob, decoded });
    }
    for (const found of blobsByFile.values()) {
      const shown = found.find((entry) => entry.decoded) ?? found.reduce((longest, entry) => (entry.blob.length > longest.blob.length ? entry : longest));
      const { blob, decoded } = shown;
      context.report({
        messageId: 'blob',
        data: {
          length: blob.length,
          alphabet: /^[0-9a-fA-F]+$/.test(blob.value) ? 'hex' : 'base64',
          entropy: blob.entropy!.toFixed(1),
          decoded: decoded ? ', decoded at run time in the same file' : '',
          more: found.length > 1 ? `, and ${found.length - 1} more like it in this file` : '',
        },
        severity: decoded ? 'medium' : 'low',
        location: { file: blob.file, line: blob.line, column: blob.column },
        evidence: `${blob.key === undefined ? '' : `${blob.key} = `}'${blob.value.slice(0, 60)}…'`,
        origin: blob.origin,
        tools: blob.tools,
      });
    }
  },
});

interface HiddenModule {
  name: string;
  canonical: string;
  how: string;
  encoded: boolean;
  sensitive: boolean;
}

/** `require('child_' + 'process')`, `require(atob('…'))`, `const m = 'fs' + ''; import(m)`: the module and how its name was hidden. */
function hiddenModule(call: CallSite): HiddenModule | null {
  const specifier = call.args[0];
  if (specifier === undefined) return null;
  let name: string;
  let encoded = false;
  if (specifier.literal !== undefined) {
    if (!specifier.built) return null;
    name = specifier.literal;
    encoded = specifier.encoded === true;
  } else {
    // Assembled in a variable first: its pieces, joined in order, spell the module.
    if (specifier.parts === undefined || specifier.parts.length < 2) return null;
    name = specifier.parts.join('');
  }
  const sensitive = isSensitiveModule(name);
  if (!sensitive && !encoded) return null;
  return { name, canonical: canonicalModule(name, null), how: encoded ? 'decoded at run time from an encoded form' : 'assembled from pieces', encoded, sensitive };
}

/**
 * What makes a hidden API's use critical: tool input, a network response or a decoded payload
 * reaching a call to it; `tools` are the tools whose input does, which the text names.
 */
function dangerousUse(calls: readonly CallSite[], isUse: (callee: string) => boolean): { text: string; tools: readonly string[] } | null {
  for (const call of calls) {
    if (!isUse(call.callee)) continue;
    const api = `${call.callee.replace(/^member:/, '')}()`;
    if (call.taintedBy.length > 0) return { text: `, and the input of tool ${quoteList(call.taintedBy)} reaches ${api}`, tools: call.taintedBy };
    if (call.args.some((argument) => argument.labels.includes(SOURCES.network))) return { text: `, and ${api} is given data received from the network`, tools: [] };
    if (call.args.some((argument) => argument.encoded || argument.labels.includes(SOURCES.decoded))) return { text: `, and ${api} is given a decoded payload`, tools: [] };
  }
  return null;
}

/** The tools a finding names: those of the loading call, and those whose input reaches the hidden API's use. */
function withToolsOf(use: { tools: readonly string[] } | null, call: CallSite): Pick<RuleReport<string>, 'tools'> {
  const tools = [...new Set([...call.tools, ...(use?.tools ?? [])])];
  return tools.length === 0 ? {} : { tools };
}

/** The same file passes the blob to a decoder: `atob(blob)`, `Buffer.from(blob, 'base64')`, directly or through a variable. */
function isDecoded(blob: StringSite, calls: readonly CallSite[]): boolean {
  return calls.some((call) => {
    const decoder = call.callee === 'atob' || (call.callee === 'Buffer.from' && DECODING.has(call.args[1]?.literal?.toLowerCase() ?? ''));
    const data = call.args[0];
    if (!decoder || data === undefined) return false;
    return data.literal?.startsWith(blob.value) === true || (data.parts ?? []).some((part) => part.startsWith(blob.value));
  });
}

/** Invisible characters worth a finding in code, by severity: bidi controls reorder what is shown (Trojan Source). */
const CODE_HIDDEN: Partial<Record<HiddenKind, Severity>> = { 'bidi-control': 'high', tag: 'high', 'selector-run': 'medium', 'zero-width': 'medium' };

/** The worst kind of hidden character a source file holds (a byte-order mark at its start is none), with where the first one is. */
function hiddenInCode(text: string): { what: string; severity: Severity; line: number; column: number; excerpt: string } | null {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (!mayHideCharacters(body)) return null;
  const found = hiddenIn(body).found.filter((entry) => CODE_HIDDEN[entry.kind] !== undefined);
  if (found.length === 0) return null;
  const worst = found.reduce((a, b) => (severityRank(CODE_HIDDEN[b.kind]!) > severityRank(CODE_HIDDEN[a.kind]!) ? b : a));
  const before = Array.from(body).slice(0, worst.first).join('');
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = body.indexOf('\n', before.length);
  return {
    what: found.map((entry) => `${HIDDEN_LABELS[entry.kind]} (${entry.count})`).join(', '),
    severity: CODE_HIDDEN[worst.kind]!,
    line: before.split('\n').length,
    column: Array.from(before.slice(lineStart)).length + 1,
    excerpt: body.slice(lineStart, lineEnd === -1 ? undefined : lineEnd).slice(0, 120),
  };
}

/** Distinct `_0x…` names that make a file javascript-obfuscator's output: hand-written and minified code have none. */
const MANGLED_NAMES = 8;
const MANGLED_NAME = /\b_0x[0-9a-f]{4,6}\b/g;
/** PyArmor's runtime: the bootstrap call every armored module makes, and the runtime packages it imports. */
const PYARMOR = /^[ \t]*(?:from[ \t]+\.{0,3}(?:pytransform|pyarmor_runtime(?:_\d{6})?)[ \t]+import\b|import[ \t]+pytransform\b)|\b__pyarmor__[ \t]*\(/m;

/**
 * A file an obfuscator wrote whole, by the marks it leaves: javascript-obfuscator's hexadecimal
 * names (`_0x4a2b`, at least MANGLED_NAMES distinct ones), PyArmor's bootstrap and runtime imports.
 * Its string tables and decoders are unrolled where they can be; this says the file is packed even
 * when they cannot, once per file.
 */
function obfuscatorOutput(text: string, python: boolean): { tool: string; evidence: string; what: string; line: number; excerpt: string } | null {
  if (python) {
    const found = PYARMOR.exec(text);
    if (found === null) return null;
    const place = placeOf(text, found.index);
    return { tool: 'PyArmor', evidence: found[0].includes('(') ? '__pyarmor__(…)' : place.excerpt, what: "its code is encrypted and runs only through PyArmor's native runtime, so no one can review what it does", ...place };
  }
  if (!text.includes('_0x')) return null;
  const names = new Set<string>();
  let first = -1;
  MANGLED_NAME.lastIndex = 0;
  for (let match = MANGLED_NAME.exec(text); match !== null && names.size < MANGLED_NAMES; match = MANGLED_NAME.exec(text)) {
    if (first === -1) first = match.index;
    names.add(match[0]);
  }
  if (names.size < MANGLED_NAMES) return null;
  return {
    tool: 'javascript-obfuscator',
    evidence: `names such as ${[...names].slice(0, 3).join(', ')}`,
    what: 'every name is replaced by a hexadecimal number, and strings usually move to a table decoded at run time, so what it does cannot be read off the code',
    ...placeOf(text, first),
  };
}

/** The line of an offset, and that line's text (at most 120 characters). */
function placeOf(text: string, index: number): { line: number; excerpt: string } {
  const start = text.lastIndexOf('\n', index) + 1;
  const end = text.indexOf('\n', index);
  return { line: text.slice(0, index).split('\n').length, excerpt: text.slice(start, end === -1 ? undefined : end).trim().slice(0, 120) };
}

/** A decoded value as shown in a message: its first 80 characters. */
function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 80)}…` : value;
}

function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isReached(call);
}

/** The bracketed member as written in the call (`os['hostname']`), else the call's start. */
function bracketedText(excerpt: string): string {
  const match = /[\w$.]{0,40}\[\s*(["'`])[\w$]{1,60}\1\s*\]/.exec(excerpt);
  return match?.[0] ?? excerpt.slice(0, 40);
}
