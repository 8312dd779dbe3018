import type { VirtualFile } from '../bundle/container.js';
import { stringAt } from '../manifest/access.js';
import { launchConfigs } from '../manifest/mcp-config.js';
import { serverEntries } from './entries.js';
import { originOf, type Origin } from './model/origin.js';
import { isPythonDependency, pythonPathOf } from './python/resolve.js';

// What the manifest says of the server, decided once per bundle and read by the code analysis
// (analyze.ts) and the file rules (engine/build-facts.ts) alike: its type, the language its code is
// analysed as, the files it starts from, and, for Python, the folders its launch puts on PYTHONPATH.

export interface ServerFacts {
  /** False when the bundle has no manifest that could be read: nothing says what the server is. */
  manifest: boolean;
  /** `server.type` as declared. */
  type: string | undefined;
  /** `node` for Node servers, `python` for `python` and `uv` ones, null when no code of it is analysed. */
  language: 'node' | 'python' | null;
  /** The entry point and the scripts the launch arguments name (entries.ts), Python files only for Python servers. */
  entries: string[];
  /** Python: the bundle folders on PYTHONPATH (mcp_config.env), searched after the entry's folder. */
  pythonPath: string[];
  /** `server.entry_point` as written. */
  entryPoint: string | undefined;
  /** What Claude Desktop runs to start the server: the command and arguments of mcp_config, then of each platform override. */
  launches: string[][];
}

const PYTHON_ENTRY = /\.pyw?$/i;

export function describeServer(manifestJson: unknown, files: ReadonlyMap<string, VirtualFile>): ServerFacts {
  const type = stringAt(manifestJson, ['server', 'type']);
  const language = type === 'python' || type === 'uv' ? 'python' : type === 'node' ? 'node' : null;
  return {
    manifest: manifestJson !== undefined,
    type,
    language,
    entries: language === 'python' ? serverEntries(manifestJson, files, PYTHON_ENTRY) : serverEntries(manifestJson, files),
    pythonPath: language === 'python' ? pythonPathOf(manifestJson) : [],
    entryPoint: stringAt(manifestJson, ['server', 'entry_point']),
    launches: launchConfigs(manifestJson).map((config) => [...(config.command === null ? [] : [config.command.value]), ...config.args.map((arg) => arg.value)]),
  };
}

// File rules judge a finding by whose file it is: the publisher wrote (or chose to ship) first-party
// files, while test fixtures and docs inside dependencies routinely hold example keys and build
// hooks. The code analysis already decides this for Node (node_modules, except the package the
// server starts from) and for Python servers (the folders their packages are installed in, such as
// server/lib: python/resolve.ts), and file rules must agree with it; vendored Python packages under
// site-packages or dist-packages are dependencies whatever the server type.
const PYTHON_DEPENDENCY_DIRS: ReadonlySet<string> = new Set(['site-packages', 'dist-packages']);

/** Whose file any bundle path is, for the file rules. */
export function originOfFile(path: string, server: ServerFacts): Origin {
  if (path.split('/').some((segment) => PYTHON_DEPENDENCY_DIRS.has(segment))) return 'dependency';
  if (server.language === 'python' && isPythonDependency(path, server.entries)) return 'dependency';
  return originOf(path, server.entries);
}
