// Filesystem APIs by canonical callee (see CallFact.callee), what each does to the paths it is
// given, and which arguments are paths. `fs`, `fs.promises`, `fs/promises`, `fs-extra` and
// `graceful-fs` share one table: the wrappers keep Node's names and argument order.

export type FileOperation = 'read' | 'write' | 'delete' | 'move' | 'list' | 'metadata' | 'permissions';

export interface FileApi {
  operation: FileOperation;
  /** Positions of the path arguments (`rename(from, to)` has two). */
  pathArgs: number[];
  /** Deletes whole trees (`rm` with `recursive`, `rmdir` with `recursive`, `fs-extra.remove`, `rimraf`). */
  recursive?: boolean;
}

const FIRST: number[] = [0];
const BOTH: number[] = [0, 1];

const OPERATIONS: Readonly<Record<string, FileApi>> = {
  readFile: { operation: 'read', pathArgs: FIRST },
  createReadStream: { operation: 'read', pathArgs: FIRST },
  readJson: { operation: 'read', pathArgs: FIRST },
  readJSON: { operation: 'read', pathArgs: FIRST },
  open: { operation: 'read', pathArgs: FIRST },
  openAsBlob: { operation: 'read', pathArgs: FIRST },
  readlink: { operation: 'read', pathArgs: FIRST },
  realpath: { operation: 'metadata', pathArgs: FIRST },
  writeFile: { operation: 'write', pathArgs: FIRST },
  appendFile: { operation: 'write', pathArgs: FIRST },
  createWriteStream: { operation: 'write', pathArgs: FIRST },
  outputFile: { operation: 'write', pathArgs: FIRST },
  outputJson: { operation: 'write', pathArgs: FIRST },
  writeJson: { operation: 'write', pathArgs: FIRST },
  writeJSON: { operation: 'write', pathArgs: FIRST },
  mkdir: { operation: 'write', pathArgs: FIRST },
  mkdirp: { operation: 'write', pathArgs: FIRST },
  ensureDir: { operation: 'write', pathArgs: FIRST },
  ensureFile: { operation: 'write', pathArgs: FIRST },
  mkdtemp: { operation: 'write', pathArgs: FIRST },
  truncate: { operation: 'write', pathArgs: FIRST },
  symlink: { operation: 'write', pathArgs: BOTH },
  link: { operation: 'write', pathArgs: BOTH },
  copyFile: { operation: 'write', pathArgs: BOTH },
  cp: { operation: 'write', pathArgs: BOTH },
  copy: { operation: 'write', pathArgs: BOTH },
  utimes: { operation: 'write', pathArgs: FIRST },
  rename: { operation: 'move', pathArgs: BOTH },
  move: { operation: 'move', pathArgs: BOTH },
  unlink: { operation: 'delete', pathArgs: FIRST },
  rm: { operation: 'delete', pathArgs: FIRST },
  rmdir: { operation: 'delete', pathArgs: FIRST },
  remove: { operation: 'delete', pathArgs: FIRST, recursive: true },
  emptyDir: { operation: 'delete', pathArgs: FIRST, recursive: true },
  readdir: { operation: 'list', pathArgs: FIRST },
  opendir: { operation: 'list', pathArgs: FIRST },
  watch: { operation: 'list', pathArgs: FIRST },
  stat: { operation: 'metadata', pathArgs: FIRST },
  lstat: { operation: 'metadata', pathArgs: FIRST },
  access: { operation: 'metadata', pathArgs: FIRST },
  exists: { operation: 'metadata', pathArgs: FIRST },
  pathExists: { operation: 'metadata', pathArgs: FIRST },
  chmod: { operation: 'permissions', pathArgs: FIRST },
  chown: { operation: 'permissions', pathArgs: FIRST },
};

/** Module prefixes whose members follow Node's fs API. */
const FS_MODULES = ['fs.promises.', 'fs.', 'fs-extra.', 'graceful-fs.', 'fs-extra.promises.', 'graceful-fs.promises.'];
/** Packages that are one delete-a-tree function. */
const TREE_DELETERS = new Set(['rimraf', 'rimraf.rimraf', 'rimraf.sync', 'rimraf.rimrafSync', 'del', 'del.deleteAsync', 'del.deleteSync', 'trash']);

export function fileApi(callee: string): FileApi | null {
  if (TREE_DELETERS.has(callee)) return { operation: 'delete', pathArgs: FIRST, recursive: true };
  const module = FS_MODULES.filter((prefix) => callee.startsWith(prefix)).sort((a, b) => b.length - a.length)[0];
  if (module === undefined) return null;
  const name = callee.slice(module.length).replace(/Sync$/, '');
  return Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name]! : null;
}
