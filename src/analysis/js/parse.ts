import type { ParserPlugin } from '@babel/parser';
import type { File } from '@babel/types';
import { createRequire } from 'node:module';
import { tooLargeToParse } from '../model/code-text.js';
import type { ParseProblem } from '../model/file-facts.js';

export const JS_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.mts', '.cts', '.tsx'] as const;

export function isScript(path: string): boolean {
  return JS_EXTENSIONS.some((extension) => path.endsWith(extension)) && !path.endsWith('.d.ts');
}

/** Babel, loaded on the first parse (about 40 ms): a scan whose files are all in the `--cache` parses nothing. */
let babel: typeof import('@babel/parser') | undefined;

/** Parses a module of any flavour; never throws. Bundled servers mix ESM and CommonJS freely. */
export function parseScript(path: string, text: string): { ast: File } | { problem: ParseProblem } {
  const tooLarge = tooLargeToParse(text);
  if (tooLarge !== null) return { problem: tooLarge };
  const typescript = /\.[mc]?tsx?$/.test(path);
  const plugins: ParserPlugin[] = typescript ? ['typescript', 'decorators-legacy'] : ['jsx'];
  if (path.endsWith('.tsx')) plugins.push('jsx');
  babel ??= createRequire(import.meta.url)('@babel/parser') as typeof import('@babel/parser');
  try {
    const ast = babel.parse(text, {
      sourceType: 'unambiguous',
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
      allowNewTargetOutsideFunction: true,
      allowSuperOutsideMethod: true,
      // Nothing reads comments: attaching them to nodes only costs time and memory.
      attachComment: false,
      plugins,
    });
    return { ast };
  } catch (error) {
    const loc = (error as { loc?: { line: number; column: number } }).loc;
    // A stack overflow on absurdly nested code is a parse failure of the file, not of the audit.
    const message = error instanceof RangeError ? 'nested too deeply to parse' : String((error as Error).message).replace(/ \(\d+:\d+\)$/, '');
    return { problem: { message, line: loc?.line ?? 1, column: (loc?.column ?? 0) + 1 } };
  }
}
