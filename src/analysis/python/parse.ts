import { createRequire } from 'node:module';
import type { Node, Parser, Tree } from 'web-tree-sitter';
import { tooLargeToParse } from '../model/code-text.js';
import type { ParseProblem } from '../model/file-facts.js';

// Python is parsed with tree-sitter's Python grammar compiled to WebAssembly (web-tree-sitter and the
// `.wasm` that tree-sitter-python ships): no native build, no install script, the same bytes on every
// platform and in worker threads, and memory freed as soon as a tree is deleted. Measured against
// the native binding in docs/architecture.md ("Python analysis"). Loading the grammar is
// asynchronous (loadPythonParser): the audit loads it at most once per run, on its first Python
// bundle, and hands the parser to the analysis; parsing itself is synchronous. tree-sitter recovers
// from errors and never recurses on the input, so deep nesting cannot overflow the stack here; a
// time budget bounds pathological inputs.

export const PYTHON_EXTENSIONS = ['.py', '.pyw'] as const;

export function isPythonScript(path: string): boolean {
  return PYTHON_EXTENSIONS.some((extension) => path.endsWith(extension));
}

/** A parse that takes longer than this is abandoned (tree-sitter's progress callback cancels it). */
const PARSE_BUDGET_MS = 5_000;

export interface PythonParser {
  /**
   * Parses one module; never throws. The tree must be deleted by the caller (`extractPythonFacts` does).
   * A syntax error anywhere is a problem (the first error's position): the tree is still returned,
   * since tree-sitter recovers and the rest of the file can be read.
   */
  parse(text: string): { tree: Tree | null; problem: ParseProblem | null };
}

/** Loads the grammar; the caller keeps the parser for the rest of its run. */
export async function loadPythonParser(): Promise<PythonParser> {
  // Imported here, not with this module: a run with no Python bundle never loads web-tree-sitter.
  const { Language, Parser } = await import('web-tree-sitter');
  const require = createRequire(import.meta.url);
  await Parser.init();
  const language = await Language.load(require.resolve('tree-sitter-python/tree-sitter-python.wasm'));
  const parser = new Parser();
  parser.setLanguage(language);
  return { parse: (text) => parseModule(parser, text) };
}

/** What a Python server is analysed with when no parser was handed in: every module is a parse problem. */
export const PYTHON_PARSER_NOT_LOADED: PythonParser = {
  parse: () => ({ tree: null, problem: { message: 'the Python parser was not loaded', line: 1, column: 1 } }),
};

function parseModule(parser: Parser, text: string): { tree: Tree | null; problem: ParseProblem | null } {
  const tooLarge = tooLargeToParse(text);
  if (tooLarge !== null) return { tree: null, problem: tooLarge };
  const started = performance.now();
  let tree: Tree | null;
  try {
    tree = parser.parse(text, null, { progressCallback: () => performance.now() - started > PARSE_BUDGET_MS }) ?? null;
  } catch (error) {
    parser.reset();
    return { tree: null, problem: { message: `the parser failed (${String((error as Error).message)})`, line: 1, column: 1 } };
  }
  if (tree === null) {
    parser.reset();
    return { tree: null, problem: { message: 'parsing took too long and was abandoned', line: 1, column: 1 } };
  }
  return { tree, problem: tree.rootNode.hasError ? firstError(tree.rootNode) : null };
}

/** The first ERROR or MISSING node in source order, found without recursion. */
function firstError(root: Node): ParseProblem {
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === 'ERROR' || node.isMissing) {
        const { row, column } = node.startPosition;
        const what = node.isMissing ? `missing ${node.type}` : 'invalid syntax';
        return { message: what, line: row + 1, column: column + 1 };
      }
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { message: 'invalid syntax', line: 1, column: 1 };
      }
    }
  } finally {
    cursor.delete();
  }
}
