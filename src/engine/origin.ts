import { originOf, type Origin } from '../analysis/analyze.js';
import { serverEntries } from '../analysis/entries.js';
import { isPythonDependency } from '../analysis/python/resolve.js';
import { stringAt } from '../manifest/access.js';
import type { BundleFacts } from './facts.js';

// File rules judge a finding by whose file it is: the publisher wrote (or chose to ship) first-party
// files, while test fixtures and docs inside dependencies routinely hold example keys and build
// hooks. The code analysis already decides this for Node (node_modules, except the package the
// server starts from) and for Python servers (the folders their packages are installed in, such as
// server/lib: python/resolve.ts), and file rules must agree with it; vendored Python packages under
// site-packages or dist-packages are dependencies whatever the server type.
const PYTHON_DEPENDENCY_DIRS: ReadonlySet<string> = new Set(['site-packages', 'dist-packages']);

/** Whose file each bundle path is, with the server's entry points computed once. */
export function originResolver({ manifest, container }: Pick<BundleFacts, 'manifest' | 'container'>): (path: string) => Origin {
  const serverType = stringAt(manifest.json, ['server', 'type']);
  const python = serverType === 'python' || serverType === 'uv';
  const entries = python ? serverEntries(manifest.json, container.files, /\.pyw?$/i) : serverEntries(manifest.json, container.files);
  return (path) => {
    if (path.split('/').some((segment) => PYTHON_DEPENDENCY_DIRS.has(segment))) return 'dependency';
    if (python && isPythonDependency(path, entries)) return 'dependency';
    return originOf(path, entries);
  };
}
