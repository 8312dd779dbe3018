// The files a server starts from: the manifest's entry point, plus scripts its launch arguments name
// (`node ${__dirname}/dist/index.js`, `-r ${__dirname}/preload.cjs`), which may differ from it.
import type { VirtualFile } from '../bundle/container.js';
import { stringAt } from '../manifest/access.js';
import { dirnamePath, launchStrings, resolveBundleRelative, type BundlePath } from '../manifest/mcp-config.js';

const SCRIPT_EXTENSIONS = /\.(js|mjs|cjs|ts|mts|cts|tsx|jsx)$/i;

/** Bundle paths of the entry point and the scripts named in mcp_config args (base and overrides), each once. */
export function serverEntries(manifestJson: unknown, files: ReadonlyMap<string, VirtualFile>, extensions: RegExp = SCRIPT_EXTENSIONS): string[] {
  const entries = new Set<string>();
  const entryPoint = stringAt(manifestJson, ['server', 'entry_point']);
  if (entryPoint !== undefined) {
    const path = insidePath(dirnamePath(entryPoint) ?? resolveBundleRelative(entryPoint));
    if (path !== null && files.has(path)) entries.add(path);
  }
  for (const arg of launchStrings(manifestJson)) {
    if (arg.field !== 'args') continue;
    // Without `${__dirname}`, a relative argument counts only when the bundle holds that exact file.
    const path = insidePath(dirnamePath(arg.value) ?? (arg.value.includes('${') ? null : resolveBundleRelative(arg.value)));
    if (path !== null && files.has(path) && extensions.test(path)) entries.add(path);
  }
  return [...entries];
}

function insidePath(located: BundlePath | null): string | null {
  return located?.kind === 'inside' && located.path !== '' ? located.path : null;
}
