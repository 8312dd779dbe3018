import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './common.js';

/**
 * The parsed JSON of a file the user gives dxt-audit (the policy file, `--advisories`), resolved
 * against `cwd`, a leading byte-order mark allowed. `undefined` when `missingOk` and there is no
 * such file. Throws UsageError, naming the file as `what` (`policy file`), when it cannot be read
 * or is not JSON: the command line's mistake, exit 2.
 */
export async function readUserJson(file: string, cwd: string, what: string, missingOk = false): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    if (missingOk && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UsageError(`cannot read the ${what} ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new UsageError(`the ${what} ${file} is not valid JSON: ${(error as Error).message}`);
  }
}
