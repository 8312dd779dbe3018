import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './common.js';
import { findJsonSyntaxError, lineAndColumn } from './manifest/syntax.js';

/**
 * The parsed JSON of a file the user gives dxt-audit (the policy file, `--advisories`), resolved
 * against `cwd`, a leading byte-order mark allowed. `undefined` when `missingOk` and there is no
 * such file. Throws UsageError, naming the file as `what` (`policy file`), when it cannot be read
 * or is not JSON (saying where): the command line's mistake, exit 2.
 */
export async function readUserJson(file: string, cwd: string, what: string, missingOk = false): Promise<unknown> {
  return (await readUserJsonText(file, cwd, what, missingOk))?.json;
}

/** As readUserJson, with the text the value was parsed from (byte-order mark removed), to say where a value is. */
export async function readUserJsonText(file: string, cwd: string, what: string, missingOk = false): Promise<{ text: string; json: unknown } | undefined> {
  let text: string;
  try {
    text = (await readFile(path.resolve(cwd, file), 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return { text, json: JSON.parse(text) };
  } catch (error) {
    const problem = findJsonSyntaxError(text);
    const where = problem === null ? (error as Error).message : `${positionIn(file, text, problem.offset)}: ${problem.message}`;
    throw new UsageError(`the ${what} ${file} is not valid JSON: ${where}`);
  }
}

/** `file:line:column` of an offset in the text of a file the user gave. */
export function positionIn(file: string, text: string, offset: number): string {
  const { line, column } = lineAndColumn(text, offset);
  return `${file}:${line}:${column}`;
}
