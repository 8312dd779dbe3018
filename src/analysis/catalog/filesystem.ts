import { builtinModules } from 'node:module';
import type { ArgumentFact, Label } from '../model/file-facts.js';

// Filesystem APIs by canonical callee (see CallFact.callee), what each does to the paths it is
// given, and which arguments are paths. `fs`, `fs.promises`, `fs/promises`, `fs-extra` and
// `graceful-fs` share one table: the wrappers keep Node's names and argument order. Also here:
// where a path points (the zones below) and the names of functions that confine paths.

export type FileOperation = 'read' | 'write' | 'delete' | 'move' | 'list' | 'metadata' | 'permissions';

export interface FileApi {
  operation: FileOperation;
  /** Positions of the path arguments (`rename(from, to)` has two). */
  pathArgs: number[];
  /** Deletes whole trees (`fs-extra.remove`, `rimraf`); `rm`/`rmdir` do when given `{ recursive: true }` (see isRecursive). */
  recursive?: boolean;
  /** Position of an `open` flags argument: `'w'`, `'a'`, `'x'` or `'+'` there make the call a write. */
  flagsAt?: number;
  /** Python: the keyword that may hold the same flags (`open(p, mode="w")`). */
  flagsKeyword?: string;
  /** Python's `os.open(p, os.O_WRONLY | os.O_CREAT)`: flag names that make the call a write, read from the call's text. */
  writeFlagNames?: RegExp;
  /** Position of an options object whose `recursive: true` makes a delete recursive. */
  optionsAt?: number;
}

const FIRST: number[] = [0];
const BOTH: number[] = [0, 1];

const OPERATIONS: Readonly<Record<string, FileApi>> = {
  readFile: { operation: 'read', pathArgs: FIRST },
  createReadStream: { operation: 'read', pathArgs: FIRST },
  readJson: { operation: 'read', pathArgs: FIRST },
  readJSON: { operation: 'read', pathArgs: FIRST },
  open: { operation: 'read', pathArgs: FIRST, flagsAt: 1 },
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
  rm: { operation: 'delete', pathArgs: FIRST, optionsAt: 1 },
  rmdir: { operation: 'delete', pathArgs: FIRST, optionsAt: 1 },
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

// Python, by import path (python/extract.ts): builtins, `os`, `os.path`, `shutil`, `glob`, and the
// methods of pathlib paths, whose path is argument 0 (the path the method is called on), so that
// `p.rename(q)` has its paths at 0 and 1 as `os.rename(p, q)` does.
const PY_OPEN: FileApi = { operation: 'read', pathArgs: FIRST, flagsAt: 1, flagsKeyword: 'mode' };
const PYTHON_APIS: Readonly<Record<string, FileApi>> = {
  'builtins.open': PY_OPEN,
  'io.open': PY_OPEN,
  'codecs.open': PY_OPEN,
  'aiofiles.open': PY_OPEN,
  'os.open': { operation: 'read', pathArgs: FIRST, writeFlagNames: /\bO_(?:WRONLY|RDWR|CREAT|APPEND|TRUNC)\b/ },
  'os.remove': { operation: 'delete', pathArgs: FIRST },
  'os.unlink': { operation: 'delete', pathArgs: FIRST },
  'os.rmdir': { operation: 'delete', pathArgs: FIRST },
  'os.removedirs': { operation: 'delete', pathArgs: FIRST },
  'shutil.rmtree': { operation: 'delete', pathArgs: FIRST, recursive: true },
  'os.rename': { operation: 'move', pathArgs: BOTH },
  'os.renames': { operation: 'move', pathArgs: BOTH },
  'os.replace': { operation: 'move', pathArgs: BOTH },
  'shutil.move': { operation: 'move', pathArgs: BOTH },
  'os.mkdir': { operation: 'write', pathArgs: FIRST },
  'os.makedirs': { operation: 'write', pathArgs: FIRST },
  'os.symlink': { operation: 'write', pathArgs: BOTH },
  'os.link': { operation: 'write', pathArgs: BOTH },
  'os.truncate': { operation: 'write', pathArgs: FIRST },
  'os.utime': { operation: 'write', pathArgs: FIRST },
  'shutil.copy': { operation: 'write', pathArgs: BOTH },
  'shutil.copy2': { operation: 'write', pathArgs: BOTH },
  'shutil.copyfile': { operation: 'write', pathArgs: BOTH },
  'shutil.copytree': { operation: 'write', pathArgs: BOTH },
  'shutil.unpack_archive': { operation: 'write', pathArgs: BOTH },
  // `urlretrieve(url, filename)` saves what it fetches at filename (none: a temp file it names itself).
  'urllib.request.urlretrieve': { operation: 'write', pathArgs: [1] },
  'urllib.urlretrieve': { operation: 'write', pathArgs: [1] },
  'os.readlink': { operation: 'read', pathArgs: FIRST },
  'os.listdir': { operation: 'list', pathArgs: FIRST },
  'os.scandir': { operation: 'list', pathArgs: FIRST },
  'os.walk': { operation: 'list', pathArgs: FIRST },
  'glob.glob': { operation: 'list', pathArgs: FIRST },
  'glob.iglob': { operation: 'list', pathArgs: FIRST },
  'os.chmod': { operation: 'permissions', pathArgs: FIRST },
  'os.chown': { operation: 'permissions', pathArgs: FIRST },
  'os.lchown': { operation: 'permissions', pathArgs: FIRST },
  'shutil.chown': { operation: 'permissions', pathArgs: FIRST },
  ...Object.fromEntries(['stat', 'lstat', 'access'].map((name) => [`os.${name}`, { operation: 'metadata', pathArgs: FIRST }])),
  ...Object.fromEntries(
    ['exists', 'lexists', 'isfile', 'isdir', 'islink', 'getsize', 'getmtime', 'getctime', 'getatime', 'realpath', 'samefile'].map((name) => [`os.path.${name}`, { operation: 'metadata', pathArgs: FIRST }]),
  ),
};

/** Methods of `pathlib.Path` (the path is argument 0, see PYTHON_APIS). */
const PATHLIB_METHODS: Readonly<Record<string, FileApi>> = {
  open: PY_OPEN,
  read_text: { operation: 'read', pathArgs: FIRST },
  read_bytes: { operation: 'read', pathArgs: FIRST },
  readlink: { operation: 'read', pathArgs: FIRST },
  write_text: { operation: 'write', pathArgs: FIRST },
  write_bytes: { operation: 'write', pathArgs: FIRST },
  mkdir: { operation: 'write', pathArgs: FIRST },
  touch: { operation: 'write', pathArgs: FIRST },
  symlink_to: { operation: 'write', pathArgs: BOTH },
  hardlink_to: { operation: 'write', pathArgs: BOTH },
  unlink: { operation: 'delete', pathArgs: FIRST },
  rmdir: { operation: 'delete', pathArgs: FIRST },
  rename: { operation: 'move', pathArgs: BOTH },
  replace: { operation: 'move', pathArgs: BOTH },
  iterdir: { operation: 'list', pathArgs: FIRST },
  glob: { operation: 'list', pathArgs: FIRST },
  rglob: { operation: 'list', pathArgs: FIRST },
  chmod: { operation: 'permissions', pathArgs: FIRST },
  lchmod: { operation: 'permissions', pathArgs: FIRST },
  ...Object.fromEntries(['stat', 'lstat', 'exists', 'is_file', 'is_dir', 'is_symlink', 'resolve', 'samefile', 'owner', 'group'].map((name) => [name, { operation: 'metadata', pathArgs: FIRST }])),
};

/** A web framework's response that reads a file and sends it: express's `res.sendFile(path)`, `res.download(path)` is too common a name. */
const RESPONSE_FILES: Readonly<Record<string, FileApi>> = {
  'member:sendFile': { operation: 'read', pathArgs: FIRST },
  'send.send': { operation: 'read', pathArgs: [1] },
  send: { operation: 'read', pathArgs: [1] },
  'koa-send': { operation: 'read', pathArgs: [1] },
};

export function fileApi(callee: string): FileApi | null {
  if (Object.hasOwn(PYTHON_APIS, callee)) return PYTHON_APIS[callee]!;
  if (Object.hasOwn(RESPONSE_FILES, callee)) return RESPONSE_FILES[callee]!;
  if (callee.startsWith('pathlib.Path.')) {
    const method = callee.slice('pathlib.Path.'.length);
    return Object.hasOwn(PATHLIB_METHODS, method) ? PATHLIB_METHODS[method]! : null;
  }
  if (TREE_DELETERS.has(callee)) return { operation: 'delete', pathArgs: FIRST, recursive: true };
  const module = FS_MODULES.filter((prefix) => callee.startsWith(prefix)).sort((a, b) => b.length - a.length)[0];
  if (module === undefined) return null;
  const name = callee.slice(module.length).replace(/Sync$/, '');
  return Object.hasOwn(OPERATIONS, name) ? OPERATIONS[name]! : null;
}

/**
 * Calls that build a path from pieces without touching the disk: Node's `path.join`/`path.resolve`
 * (and their `posix`/`win32` forms), Python's `os.path.join` and its platform modules. A `..` in a
 * later piece climbs out of the first.
 */
const PATH_BUILDERS = new Set(
  [
    ...['path', 'path.posix', 'path.win32', 'node:path'].flatMap((module) => [`${module}.join`, `${module}.resolve`]),
    ...['os.path', 'posixpath', 'ntpath'].map((module) => `${module}.join`),
  ],
);

export function isPathBuilder(callee: string): boolean {
  return PATH_BUILDERS.has(callee);
}

/**
 * XML parsers told to substitute entities, external ones included: a document's
 * `<!ENTITY k SYSTEM "file:///home/me/.ssh/id_rsa">` is read into what it yields (XXE). libxmljs's
 * `noent: true` (options after the document), and lxml's `XMLParser(resolve_entities=True)`, made for
 * parses to come (no document yet: `document` absent). Their defaults leave external entities alone.
 */
export function entityExpansion(call: { callee: string; args: readonly ArgumentFact[] }): { document?: number; how: string } | null {
  if (/^libxmljs2?\.(?:parseXml|parseXmlString|parseXmlAsync)$/.test(call.callee)) return call.args[1]?.properties?.noent === true ? { document: 0, how: 'noent: true' } : null;
  if (call.callee === 'lxml.etree.XMLParser' || call.callee === 'lxml.etree.XMLPullParser') {
    const keywords = call.args.at(-1);
    return keywords?.keywords && keywords.properties?.resolve_entities === true ? { how: 'resolve_entities=True' } : null;
  }
  return null;
}

/** What a call does, given its arguments (and, for flag names, its text): `open(p, 'w')` writes. */
export function operationOf(api: FileApi, args: readonly ArgumentFact[], excerpt = ''): FileOperation {
  let flags = api.flagsAt === undefined ? undefined : args[api.flagsAt]?.literal;
  if (flags === undefined && api.flagsKeyword !== undefined) {
    const keyword = args.at(-1)?.properties?.[api.flagsKeyword];
    if (typeof keyword === 'string') flags = keyword;
  }
  if (api.writeFlagNames?.test(excerpt)) return 'write';
  return flags !== undefined && /[wax+]/.test(flags) ? 'write' : api.operation;
}

/** A delete of a whole tree: `rimraf(p)`, `fs.rm(p, { recursive: true })`. */
export function isRecursive(api: FileApi, args: readonly ArgumentFact[]): boolean {
  return api.recursive === true || (api.optionsAt !== undefined && args[api.optionsAt]?.properties?.recursive === true);
}

/**
 * Where a path points, as far as its sources and constant text say. `declared` paths come from what
 * the manifest passes (`process.argv`, an environment variable: user_config directories and files
 * travel that way), `bundle` from the bundle's own directory, `tmp` from the OS temp directory:
 * these three are the scope a bundle may use. `home`, `cwd`, `user-data` (other users' folders,
 * mounted volumes), `system` and `absolute` lie outside it. `unknown`: a value from a caller, or
 * nothing to go on.
 */
export type PathZone = 'declared' | 'bundle' | 'tmp' | 'home' | 'cwd' | 'user-data' | 'system' | 'absolute' | 'unknown';

const IN_SCOPE: ReadonlySet<PathZone> = new Set(['declared', 'bundle', 'tmp']);

export function isInScope(zone: PathZone): boolean {
  return IN_SCOPE.has(zone);
}

const TEMP = /^(?:\/tmp|\/var\/tmp|\/private\/tmp|\/private\/var\/folders|\/var\/folders|%te?mp%|\$te?mpdir)(?:\/|$)|^[a-z]:\/windows\/temp(?:\/|$)|\/appdata\/local\/temp(?:\/|$)/i;
const HOME = /^(?:~|\$home|%userprofile%)(?:\/|$)/i;
const USER_DATA = /^(?:\/home|\/users|\/root|\/mnt|\/media|\/volumes|[a-z]:\/users)(?:\/|$)/i;
const SYSTEM = /^(?:\/etc|\/usr|\/opt|\/bin|\/sbin|\/lib\w*|\/var|\/proc|\/sys|\/dev|\/run|\/boot|\/srv|\/system|\/library|\/applications|\/private|[a-z]:\/windows|[a-z]:\/program files(?: \(x86\))?|[a-z]:\/programdata)(?:\/|$)/i;

/** The zone of a constant path's text, `/`-normalised; null when it is relative (its meaning depends on the working directory). */
export function zoneOfText(text: string): PathZone | null {
  const value = text.replace(/\\+/g, '/');
  if (TEMP.test(value)) return 'tmp';
  if (HOME.test(value)) return 'home';
  if (USER_DATA.test(value)) return 'user-data';
  if (SYSTEM.test(value)) return 'system';
  if (value.startsWith('/') || /^[a-z]:\//i.test(value)) return 'absolute';
  return null;
}

/**
 * The zone of a path argument. Any parameter label means part of the path comes from a caller, so
 * nothing is claimed about it here (tool input is judged by taint, not here). A path from the
 * declared scope or the bundle stays in scope even when a fallback elsewhere is mixed in: the user
 * or the publisher chose it.
 */
export function zoneOf(arg: ArgumentFact): PathZone {
  if (arg.labels.some((label) => !label.startsWith('@'))) return 'unknown';
  const has = (source: Label) => arg.labels.includes(source);
  if (has('@argv') || has('@env')) return 'declared';
  if (has('@bundle-dir')) return 'bundle';
  if (has('@tmp')) return 'tmp';
  if (has('@home')) return 'home';
  if (has('@cwd')) return 'cwd';
  const text = arg.literal ?? arg.prefix;
  if (text !== undefined) return zoneOfText(text) ?? 'unknown';
  // `path.join('/etc', name)`: the parts are not in order, so only a well-known root among them counts.
  const zone = arg.parts?.[0] === undefined ? null : zoneOfText(arg.parts[0]);
  return zone === null || zone === 'absolute' ? 'unknown' : zone;
}

// Functions that confine a path to allowed roots, by name: `validatePath` (server-filesystem and
// many servers modelled on it), `sanitizePath`, `isPathAllowed`, `isPathWithinAllowedDirectories`,
// `ensureInside`, `resolveSafe`, `safeJoin`. Names that only check existence (`ensureDirExists`) do
// not match. A name is a claim, not a proof: rules say which check they took on trust.
const PATH_WORD = '(?:paths?|dirs?|director(?:y|ies)|files?|file_?names?|folders?|locations?|roots?|scope|workspace|sandbox)';
const GUARD_NAMES: readonly RegExp[] = [
  new RegExp(`^(?:validate|sanitize|normali[sz]eAndValidate)\\w*${PATH_WORD}$`, 'i'),
  new RegExp(`^(?:is|ensure|assert|check|verify|require)\\w*(?:allowed|permitted|within|inside|contained|subpath|safe)(?:allowed)?${PATH_WORD}?$`, 'i'),
  /^(?:safe|secure)(?:resolve|join|path)|^resolve\w*(?:safe|within|inside)|^confine|^jail/i,
];

export function isPathGuardName(name: string): boolean {
  return GUARD_NAMES.some((pattern) => pattern.test(name));
}

const MODULE_NAMES = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/**
 * The strings a path is built from, less the module names that come along with the variables it
 * mentions (`path.join(os.homedir(), '.kube')` is built from `path` and `os`, bound to 'node:path'
 * and 'node:os').
 */
export function pathPieces(arg: ArgumentFact): string[] {
  return (arg.parts ?? []).filter((part) => !MODULE_NAMES.has(part));
}
