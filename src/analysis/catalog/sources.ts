import { builtinModules } from 'node:module';
import { REQUEST_LABEL } from '../model/file-facts.js';
import { fileApi } from './filesystem.js';
import { captureOf } from './host-capture.js';
import { networkApi } from './network.js';
import { processApi } from './processes.js';

// Where a value comes from, when that matters to a rule: the environment, the command line the
// manifest passes, the user's home, the bundle's own directory, file contents, a network response,
// or a payload decoded at run time. Values carry these as taint labels next to tool-parameter labels
// (see Label in model/file-facts.ts), through variables within a function.

export const SOURCES = {
  /** One environment variable: `process.env.KEY`, `process.env[name]`. */
  env: '@env',
  /** The whole environment: `process.env` used as a value. */
  envAll: '@env-all',
  /** `process.argv`: what the manifest's `mcp_config.args` passes, user_config directories included. */
  argv: '@argv',
  home: '@home',
  tmp: '@tmp',
  /** `__dirname`, `__filename`, `import.meta.url`: the bundle's own files. */
  bundleDir: '@bundle-dir',
  cwd: '@cwd',
  /** User name, host name, network interfaces: what identifies the machine. */
  hostInfo: '@host-info',
  /** The contents of a file. */
  file: '@file',
  /** A response read from the network. */
  network: '@network',
  /** Bytes decoded from base64 or hex at run time. */
  decoded: '@decoded',
  /** What a network listener's request holds (see REQUEST_LABEL in model/file-facts.ts). */
  request: REQUEST_LABEL,
} as const;

export type SourceLabel = (typeof SOURCES)[keyof typeof SOURCES];

export function isSourceLabel(label: string): label is SourceLabel {
  return label.startsWith('@');
}

const CALL_SOURCES: Readonly<Record<string, SourceLabel>> = {
  'os.homedir': SOURCES.home,
  'os.tmpdir': SOURCES.tmp,
  'process.cwd': SOURCES.cwd,
  'os.userInfo': SOURCES.hostInfo,
  'os.hostname': SOURCES.hostInfo,
  'os.networkInterfaces': SOURCES.hostInfo,
  atob: SOURCES.decoded,
};

const DECODING = new Set(['base64', 'base64url', 'hex']);

/** The source a call's result comes from; `encoding` is its second argument when constant (`Buffer.from(x, 'base64')`). */
export function sourceOfCall(callee: string, encoding: string | undefined): SourceLabel | null {
  if (Object.hasOwn(CALL_SOURCES, callee)) return CALL_SOURCES[callee]!;
  if (callee === 'Buffer.from' && encoding !== undefined && DECODING.has(encoding.toLowerCase())) return SOURCES.decoded;
  // A browser's cookie store, read and decrypted by a library, is the contents of that file.
  if (fileApi(callee)?.operation === 'read' || captureOf(callee) === 'browser-cookies') return SOURCES.file;
  const network = networkApi(callee);
  if (network !== null && network.kind !== 'listen' && network.kind !== 'dns' && !network.builds) return SOURCES.network;
  return null;
}

/** Variables that hold the user's home or the temp directory: a path built on them is not one the manifest chose. */
const ENV_LOCATIONS: Readonly<Record<string, SourceLabel>> = {
  HOME: SOURCES.home,
  USERPROFILE: SOURCES.home,
  APPDATA: SOURCES.home,
  LOCALAPPDATA: SOURCES.home,
  XDG_CONFIG_HOME: SOURCES.home,
  XDG_DATA_HOME: SOURCES.home,
  TMPDIR: SOURCES.tmp,
  TEMP: SOURCES.tmp,
  TMP: SOURCES.tmp,
};

/** The source a global or a member path denotes (`__dirname`, `process.argv`, `process.env.API_KEY`, `process.env.HOME`). */
export function sourceOfName(root: string, path: readonly string[]): SourceLabel | null {
  if (root === '__dirname' || root === '__filename') return path.length === 0 ? SOURCES.bundleDir : null;
  if (root !== 'process') return null;
  if (path[0] === 'argv') return SOURCES.argv;
  if (path[0] !== 'env') return null;
  if (path.length === 1) return SOURCES.envAll;
  return Object.hasOwn(ENV_LOCATIONS, path[1]!) ? ENV_LOCATIONS[path[1]!]! : SOURCES.env;
}

/**
 * Calls that start another program, whose results (a child process, its output) do not hold the
 * environment passed in their options: `execFileSync(cmd, args, { env: { ...process.env, KUBECONFIG } })`
 * is the routine way to run a tool, and bundles wrap it in functions of their own (`execFileSyncSafe`).
 */
export function startsProgram(callee: string): boolean {
  if (processApi(callee) !== null) return true;
  const name = callee.slice(Math.max(callee.lastIndexOf('.'), callee.lastIndexOf(':')) + 1);
  return /exec|spawn|fork/i.test(name);
}

const BUILTIN_MODULES = new Set(builtinModules.map((name) => name.replace(/^node:/, '').split('/')[0]!));
/** Globals that copy, encode or wrap what they are given (`new URLSearchParams(process.env)`). */
const WRAPPING_GLOBALS = new Set([
  'URLSearchParams', 'URL', 'String', 'Object', 'Array', 'Map', 'Set', 'TextEncoder', 'Blob', 'FormData', 'Uint8Array',
  'encodeURIComponent', 'encodeURI', 'escape', 'btoa', 'structuredClone', 'Promise',
]);

/**
 * Whether a call's result may hold an argument whole: a copy, an encoding or a serialisation
 * (`JSON.stringify`, `Buffer.from`, `zlib.gzipSync`, `Object.entries`, any method), as opposed to what
 * a function of the bundle or of a package computes from it (`loadConfig(process.env)`,
 * `cleanEnv(process.env, spec)` read a few variables). Decides whether `@env-all` survives the call.
 */
export function keepsArgumentsWhole(callee: string): boolean {
  const name = callee.replace(/^new /, '');
  if (name.startsWith('member:')) return true;
  if (name.startsWith('local:')) return WRAPPING_GLOBALS.has(name.slice('local:'.length));
  const root = name.split('.')[0]!;
  return BUILTIN_MODULES.has(root) || !name.includes('/') && /^(?:JSON|Buffer|Reflect|String|Object|process|WebAssembly|atob|btoa|fetch|eval|Function|require|import|setTimeout|setInterval|WebSocket|XMLHttpRequest)$/.test(root);
}

// Python: the same sources under Python's names (see python/extract.ts for canonical callees).
const PYTHON_CALL_SOURCES: Readonly<Record<string, SourceLabel>> = {
  'pathlib.Path.home': SOURCES.home,
  'os.path.expanduser': SOURCES.home,
  'tempfile.gettempdir': SOURCES.tmp,
  'tempfile.mkdtemp': SOURCES.tmp,
  'tempfile.mkstemp': SOURCES.tmp,
  'tempfile.NamedTemporaryFile': SOURCES.tmp,
  'tempfile.TemporaryDirectory': SOURCES.tmp,
  'os.getcwd': SOURCES.cwd,
  'pathlib.Path.cwd': SOURCES.cwd,
  'getpass.getuser': SOURCES.hostInfo,
  'socket.gethostname': SOURCES.hostInfo,
  'platform.node': SOURCES.hostInfo,
  'platform.uname': SOURCES.hostInfo,
  'os.uname': SOURCES.hostInfo,
  'base64.b64decode': SOURCES.decoded,
  'base64.urlsafe_b64decode': SOURCES.decoded,
  'base64.b32decode': SOURCES.decoded,
  'base64.b85decode': SOURCES.decoded,
  'base64.a85decode': SOURCES.decoded,
  'base64.decodebytes': SOURCES.decoded,
  'binascii.a2b_base64': SOURCES.decoded,
  'binascii.unhexlify': SOURCES.decoded,
  'bytes.fromhex': SOURCES.decoded,
  'codecs.decode': SOURCES.decoded,
  'zlib.decompress': SOURCES.decoded,
  'gzip.decompress': SOURCES.decoded,
  'lzma.decompress': SOURCES.decoded,
  'bz2.decompress': SOURCES.decoded,
  'marshal.loads': SOURCES.decoded,
  'os.environ.copy': SOURCES.envAll,
  'os.environ.items': SOURCES.envAll,
  'os.environ.keys': SOURCES.envAll,
  'os.environ.values': SOURCES.envAll,
};

/** The source a Python call's result comes from (`Path.home()`, `base64.b64decode(x)`, `requests.get(u)`, `open(p)`, `request.get_json()`). */
export function pythonSourceOfCall(callee: string): SourceLabel | null {
  if (Object.hasOwn(PYTHON_CALL_SOURCES, callee)) return PYTHON_CALL_SOURCES[callee]!;
  if (isPythonRequest(callee) || callee === 'aiohttp.web.WebSocketResponse') return SOURCES.request;
  return sourceOfCall(callee, undefined);
}

/**
 * The request a Flask or Quart handler is serving, imported as a global (`from flask import
 * request`): whatever is read from it (`request.args`, `.form`, `.json`, `.get_json()`, `.headers`)
 * is the `@request` source. aiohttp's `web.WebSocketResponse()` in a handler yields the frames the
 * client sends (pythonSourceOfCall).
 */
const PYTHON_REQUEST_OBJECTS = ['flask.request', 'quart.request'];

function isPythonRequest(path: string): boolean {
  return PYTHON_REQUEST_OBJECTS.some((object) => path.startsWith(object) && (path.length === object.length || path[object.length] === '.'));
}

/**
 * In a method of an `http.server` or `socketserver` request handler class, the attributes of `self`
 * that hold the request (python/values.ts): its path, headers and body stream, the socket.
 */
const PYTHON_REQUEST_ATTRIBUTES = new Set(['path', 'headers', 'rfile', 'request', 'requestline', 'raw_requestline']);

export function isPythonRequestAttribute(name: string): boolean {
  return PYTHON_REQUEST_ATTRIBUTES.has(name);
}

/**
 * The source a Python dotted name denotes: `sys.argv`, `os.environ` (whole), `os.environ.<KEY>` (one
 * variable, home or temp for HOME, TMPDIR and the like; `?` for a key not known), Flask's `request`
 * and what is read from it.
 */
export function pythonSourceOfName(path: string): SourceLabel | null {
  if (path === 'sys.argv') return SOURCES.argv;
  if (isPythonRequest(path)) return SOURCES.request;
  if (path === 'os.environ' || path === 'os.environb') return SOURCES.envAll;
  if (path.startsWith('os.environ.')) {
    const key = path.slice('os.environ.'.length);
    return Object.hasOwn(ENV_LOCATIONS, key) ? ENV_LOCATIONS[key]! : SOURCES.env;
  }
  return null;
}

/**
 * Python modules whose functions return what they are given, copied, serialised, encoded or
 * compressed (`json.dumps(dict(os.environ))`); with builtins (`dict`, `str`, `list`) and methods,
 * the calls through which `@env-all` survives. What a function of the bundle or of a package
 * computes from the environment (`Settings(os.environ)`) is a few variables of it (see
 * keepsArgumentsWhole for JavaScript).
 */
const PYTHON_WRAPPING_MODULES = new Set(['json', 'base64', 'binascii', 'codecs', 'zlib', 'gzip', 'bz2', 'lzma', 'pickle', 'marshal', 'urllib.parse', 'copy', 'pprint', 'yaml', 'reprlib']);

export function pythonKeepsArgumentsWhole(callee: string): boolean {
  if (callee.startsWith('member:') || callee.startsWith('builtins.')) return true;
  const dot = callee.lastIndexOf('.');
  return dot > 0 && PYTHON_WRAPPING_MODULES.has(callee.slice(0, dot));
}

/** The whole environment as a reader of a file's language knows it, for messages. */
export function environmentName(file: string): string {
  return /\.pyw?$/i.test(file) ? 'os.environ' : 'process.env';
}
