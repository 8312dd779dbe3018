import path from 'node:path';

/**
 * What the benchmark counts as JavaScript: the extensions Node runs. `.ts` files under
 * node_modules are left out: Node refuses to strip types there, so they are shipped sources
 * nobody runs, and most are declarations the packer already drops (`*.d.ts`).
 */
export const JS_EXTENSIONS: readonly string[] = ['.js', '.mjs', '.cjs'];

export function isJsPath(name: string): boolean {
  return JS_EXTENSIONS.includes(path.posix.extname(name).toLowerCase());
}
