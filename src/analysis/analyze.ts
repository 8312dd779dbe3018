import type { VirtualFile } from '../bundle/container.js';
import { DEFAULT_LIMITS } from '../bundle/limits.js';
import { readByRules } from './catalog/members.js';
import { analyzeNode } from './js/analyze.js';
import { isScript } from './js/parse.js';
import { addUnreachedSignals, collectFacts, noCodeFacts, type CodeFacts } from './model/code-facts.js';
import type { FactsCache } from './model/server-code.js';
import { analyzePython } from './python/analyze.js';
import { isPythonScript, PYTHON_PARSER_NOT_LOADED, type PythonParser } from './python/parse.js';
import { analyzeScripts } from './scripts.js';
import { originOfFile, type ServerFacts } from './server.js';
import { scanFiles } from './text-signals.js';

// From the server as the manifest describes it (server.ts) to the facts code rules read: the
// server's language turns its code into the model (js/analyze.ts, python/analyze.ts), the model
// assembles the code facts (model/code-facts.ts), script files of either language that the entry
// point does not load are scanned as text (text-signals.ts), and shell, PowerShell and batch scripts
// the bundle ships are judged and linked to what starts them (scripts.ts), whatever the server type.

/** `pythonParser`: the grammar the run loaded (python/parse.ts), needed for Python servers only; `codeBudget`: Limits.maxCodeBytes. */
export function analyzeCode(
  server: ServerFacts,
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  pythonParser?: PythonParser,
  codeBudget = DEFAULT_LIMITS.maxCodeBytes,
): CodeFacts {
  const facts = noCodeFacts();
  if (!server.manifest) return facts;
  if (server.language === null) {
    facts.gaps.push(`the server type is ${server.type === undefined ? 'not declared' : `"${server.type}"`}; only Node and Python servers' code is analysed so far`);
  } else if (server.entries.length === 0) {
    facts.gaps.push('the server entry point is not in the bundle, so no server code was analysed');
  } else {
    analyzeServerCode(facts, server, files, cache, pythonParser, codeBudget);
  }
  const scripts = analyzeScripts(server, files, facts.calls, (path) => originOfFile(path, server));
  facts.scripts = scripts.scripts;
  facts.gaps.push(...scripts.gaps);
  return facts;
}

function analyzeServerCode(
  facts: CodeFacts,
  server: ServerFacts,
  files: ReadonlyMap<string, VirtualFile>,
  cache: FactsCache,
  pythonParser: PythonParser | undefined,
  codeBudget: number,
): void {
  const code =
    server.language === 'python'
      ? analyzePython(server.entries, server.pythonPath, files, cache, pythonParser ?? PYTHON_PARSER_NOT_LOADED, codeBudget)
      : analyzeNode(server.entries, files, cache, codeBudget);
  collectFacts(facts, code, readByRules);
  const loaded = new Set(code.reachable);
  const unreached = [...files.values()].filter((file) => (isScript(file.path) || isPythonScript(file.path)) && !loaded.has(file.path));
  addUnreachedSignals(facts, scanFiles(unreached), code.originOf);
}
