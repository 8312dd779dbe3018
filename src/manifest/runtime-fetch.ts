import semver from 'semver';
import { commandName, isShell, shellWords } from './mcp-config.js';

// Whether a launch command downloads the code it runs when the server starts (`npx pkg`, `uvx pkg`,
// `curl … | sh`), read from its argv. Rule manifest-runtime-fetch reports it for a bundle's
// mcp_config, and `--installed` for the servers configured by hand in Claude Desktop. Even an exact
// version pins only the top package: npx, uvx and friends resolve its dependencies by range.

/** The rule that reports a runtime fetch, whether the command line is a bundle's or Claude Desktop's. */
export const RUNTIME_FETCH_RULE_ID = 'manifest-runtime-fetch';

export interface RuntimeFetch {
  /** How the fetch is spelled: `npx`, `uv run --with`, `docker run`, `curl` (for a download piped to a shell). */
  launcher: string;
  /** The package spec, image or URL that is fetched, as written. */
  spec: string;
  /** Index in the argv given to `detectRuntimeFetch` of the element holding the spec (or the script holding it). */
  at: number;
  /** No fixed version: no version at all, a tag such as `@latest`, a range, a URL or a git reference. */
  pinned: boolean;
  /** A download run by a shell script rather than a package launcher. */
  script: boolean;
  /** An installer given a package in the bundle (`npm install ${__dirname}/server`): what it downloads is what that package depends on. */
  dependencies?: true;
}

interface Spec {
  spec: string;
  at: number;
  /** The option that named the spec (`--from`), when not positional. */
  option?: string;
}

/**
 * The spec a launcher fetches: the value of an explicit option (`--package`, `--from`) when given,
 * else the first positional argument. Options in `takesValue` consume the next argument.
 */
function specOf(argv: readonly string[], from: number, takesValue: ReadonlySet<string>, explicit: ReadonlySet<string>): Spec | null {
  let positional: Spec | null = null;
  for (let i = from; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      if (positional === null && i + 1 < argv.length) positional = { spec: argv[i + 1]!, at: i + 1 };
      break;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const eq = arg.indexOf('=');
      const key = eq === -1 ? arg : arg.slice(0, eq);
      if (eq !== -1) {
        if (explicit.has(key)) return { spec: arg.slice(eq + 1), at: i, option: key };
      } else if (takesValue.has(key)) {
        if (explicit.has(key) && i + 1 < argv.length) return { spec: argv[i + 1]!, at: i + 1, option: key };
        i++;
      }
      continue;
    }
    // Everything after the package is its own command line, not the launcher's options.
    return positional ?? { spec: arg, at: i };
  }
  return positional;
}

/** Index of the first argument from `from` that is neither an option nor an option's value (a subcommand). */
function subcommandAt(argv: readonly string[], from: number, takesValue: ReadonlySet<string> = NONE): number {
  let i = from;
  while (i < argv.length && argv[i]!.startsWith('-')) i += takesValue.has(argv[i]!) ? 2 : 1;
  return i;
}

const NONE: ReadonlySet<string> = new Set();
const NPX_VALUES = new Set(['-p', '--package', '-c', '--call', '--registry', '--cache', '--userconfig', '-w', '--workspace']);
const NPX_EXPLICIT = new Set(['-p', '--package']);
/** pnpm's options that take a value and may come before its subcommand (`pnpm --package x dlx cmd`, `pnpm -C dir dlx x`). */
const PNPM_VALUES = new Set(['--package', '-C', '--dir', '--filter', '-F']);
const UV_VALUES = new Set([
  '--from', '--with', '--with-editable', '--with-requirements', '--python', '-p', '--index', '--index-url', '--default-index',
  '--extra-index-url', '--find-links', '-f', '--directory', '--project', '--env-file', '--cache-dir', '--constraints',
  '--overrides', '--python-preference', '--index-strategy', '--keyring-provider', '--config-file', '--refresh-package',
]);
const UVX_EXPLICIT = new Set(['--from']);
const UV_RUN_EXPLICIT = new Set(['--with', '--with-editable', '--with-requirements', '--from']);
const PIPX_VALUES = new Set(['--spec', '--python', '--pip-args', '--index-url']);
const PIPX_EXPLICIT = new Set(['--spec']);
const PIP_VALUES = new Set(['-r', '--requirement', '-c', '--constraint', '-i', '--index-url', '--extra-index-url', '-t', '--target', '--prefix', '-e', '--editable']);
const PIP_EXPLICIT = new Set(['-r', '--requirement', '-e', '--editable']);
const DOCKER_GLOBAL_VALUES = new Set(['-c', '--context', '-H', '--host', '--config', '-l', '--log-level']);
const DOCKER_VALUES = new Set([
  '-e', '--env', '--env-file', '-v', '--volume', '--mount', '--name', '--network', '--net', '-p', '--publish', '--entrypoint',
  '-w', '--workdir', '-u', '--user', '--platform', '--pull', '-l', '--label', '--add-host', '--cap-add', '--cap-drop',
  '--device', '-m', '--memory', '--cpus', '-h', '--hostname', '--dns', '--restart', '--tmpfs', '--ulimit', '--log-driver',
  '--security-opt', '--ipc', '--pid', '--gpus', '--runtime', '--shm-size', '--stop-signal', '--init-path',
]);

type Ecosystem = 'npm' | 'python' | 'image' | 'go' | 'url';

/** A spec that names something already in the bundle or on disk. */
function isLocal(spec: string): boolean {
  return /^(\.|\/|\\|~|\$\{__dirname\}|file:|[a-zA-Z]:[/\\])/.test(spec);
}

function isUrlLike(spec: string): boolean {
  return /^[a-z][\w+.-]*:\/\//i.test(spec) || /^(git\+|github:|gitlab:|bitbucket:|gist:)/i.test(spec);
}

/** Whether a spec names one exact release. */
export function isPinned(spec: string, ecosystem: Ecosystem): boolean {
  if (ecosystem === 'url' || isUrlLike(spec)) return false;
  switch (ecosystem) {
    case 'npm': {
      const version = /^(?:@[^/@]+\/)?[^@]+@(.+)$/.exec(spec)?.[1];
      return version !== undefined && semver.valid(version) !== null;
    }
    case 'python': {
      const version = /(?:==|@)\s*([\w.!+-]+)$/.exec(spec)?.[1];
      return version !== undefined && /^\d/.test(version) && !spec.includes('*');
    }
    case 'image':
      return /@sha256:[0-9a-f]{64}$/i.test(spec);
    case 'go': {
      const version = /@(.+)$/.exec(spec)?.[1];
      return version !== undefined && version !== 'latest' && semver.valid(version) !== null;
    }
  }
}

/**
 * `uv run` installs the bundle's own pyproject.toml, which is not a fetch; `--with` (and friends) add
 * packages from outside it, each option on its own (`--with ./vendored --with requests` fetches
 * `requests`), and a script given as a URL (`uv run https://…/server.py`) is downloaded and run.
 */
function uvRunFetch(argv: readonly string[], from: number): RuntimeFetch | null {
  for (let i = from; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      const script = argv[i + 1];
      return script !== undefined && /^https?:\/\//i.test(script) ? fetched('uv run', { spec: script, at: i + 1 }, 'url') : null;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const eq = arg.indexOf('=');
      const key = eq === -1 ? arg : arg.slice(0, eq);
      const value = eq === -1 ? (UV_VALUES.has(key) ? argv[i + 1] : undefined) : arg.slice(eq + 1);
      const at = eq === -1 ? i + 1 : i;
      if (eq === -1 && UV_VALUES.has(key)) i++;
      if (UV_RUN_EXPLICIT.has(key) && value !== undefined) {
        const hit = fetched(`uv run ${key}`, { spec: value, at, option: key }, 'python');
        if (hit !== null) return hit;
      }
      continue;
    }
    // The script (or command): what follows is its own command line.
    return /^https?:\/\//i.test(arg) ? fetched('uv run', { spec: arg, at: i }, 'url') : null;
  }
  return null;
}

/**
 * A launcher given a local path runs it (`npx ./tool`); an installer given one still downloads every
 * dependency it declares (`pip install -r requirements.txt`, `pip install ${__dirname}/server`).
 */
function fetched(launcher: string, found: Spec | null, ecosystem: Ecosystem, installer = false): RuntimeFetch | null {
  if (found === null || found.spec === '' || (!installer && isLocal(found.spec))) return null;
  return { launcher, spec: found.spec, at: found.at, pinned: isPinned(found.spec, ecosystem), script: false, ...(isLocal(found.spec) ? { dependencies: true as const } : {}) };
}

/**
 * `npm init x` and `npm create x` run the package `create-x` from the registry (`@scope/x` runs
 * `@scope/create-x`), as `yarn create`, `pnpm create` and `bun create` do; `npm init` alone, or
 * with only options, writes a package.json and fetches nothing.
 */
function initializer(launcher: string, argv: readonly string[], sub: number): RuntimeFetch | null {
  return fetched(launcher, specOf(argv, sub + 1, NONE, NONE), 'npm');
}

const DOWNLOADER = /\b(curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|downloadstring|downloadfile|start-bitstransfer|certutil)\b/i;
// What turns a download into code that runs: a pipe into an interpreter, command or process
// substitution, PowerShell's Invoke-Expression, or making the file executable and starting it.
const RUNS_DOWNLOAD = [
  /\|\s*(sudo\s+)?(sh|bash|zsh|dash|ksh|fish|python[\d.]*|node|perl|ruby|php|iex|invoke-expression|pwsh|powershell)\b/i,
  /(\$\(|<\(|`)\s*(curl|wget|iwr|irm)\b/i,
  /\b(iex|invoke-expression)\b/i,
  /\bchmod\b/i,
  // Then an interpreter or a local file started, unless what it starts is the bundle's own code
  // (`curl … -o /tmp/ping; node ${__dirname}/server/index.js` runs nothing it downloaded).
  /(&&|;|\n)\s*(?:(?:sh|bash|zsh|python[\d.]*|node)\b(?!\s+["']?\$\{__dirname\})|\.\/|start\b)/i,
];

function scriptFetch(script: string, at: number, depth: number): RuntimeFetch | null {
  const downloader = DOWNLOADER.exec(script);
  if (downloader !== null && RUNS_DOWNLOAD.some((pattern) => pattern.test(script))) {
    const url = /https?:\/\/[^\s'"|;)`]+/i.exec(script)?.[0];
    return { launcher: downloader[1]!.toLowerCase(), spec: url ?? script.trim(), at, pinned: false, script: true };
  }
  for (const part of script.split(/\|\||&&|[;|\n&]/)) {
    const hit = detect(shellWords(part), depth + 1);
    if (hit !== null) return { ...hit, at };
  }
  return null;
}

// Programs that only pass the rest of the command line on.
const WRAPPERS: ReadonlySet<string> = new Set(['env', 'nohup', 'exec', 'sudo', 'doas', 'time', 'command']);

function detect(argv: readonly string[], depth: number): RuntimeFetch | null {
  // Scripts inside scripts (`sh -c "bash -c '...'"`) are followed a few levels deep, no further.
  if (depth > 4) return null;
  let i = 0;
  while (i < argv.length && WRAPPERS.has(commandName(argv[i]!))) {
    i++;
    while (i < argv.length && (argv[i]!.startsWith('-') || /^\w+=/.test(argv[i]!))) i++;
  }
  if (i >= argv.length) return null;
  const name = commandName(argv[i]!);
  const next = i + 1;
  const sub = subcommandAt(argv, next, name === 'uv' ? UV_VALUES : name === 'docker' || name === 'podman' ? DOCKER_GLOBAL_VALUES : name === 'pnpm' ? PNPM_VALUES : NONE);
  const subcommand = argv[sub]?.toLowerCase();

  switch (name) {
    case 'npx':
    case 'pnpx':
    case 'bunx':
      return fetched(name, specOf(argv, next, NPX_VALUES, NPX_EXPLICIT), 'npm');
    case 'npm':
      if (subcommand === 'exec' || subcommand === 'x') return fetched(`npm ${subcommand}`, specOf(argv, sub + 1, NPX_VALUES, NPX_EXPLICIT), 'npm');
      if (subcommand === 'install' || subcommand === 'i' || subcommand === 'add') return fetched(`npm ${subcommand}`, specOf(argv, sub + 1, NONE, NONE), 'npm', true);
      if (subcommand === 'init' || subcommand === 'create') return initializer(`npm ${subcommand}`, argv, sub);
      return null;
    case 'pnpm':
    case 'yarn': {
      // `pnpm --package=x dlx cmd`: pnpm takes the package before the subcommand as well as after it.
      const early = specOf(argv.slice(0, sub), next, NPX_VALUES, NPX_EXPLICIT);
      if (subcommand === 'dlx') return fetched(`${name} dlx`, early?.option !== undefined ? early : specOf(argv, sub + 1, NPX_VALUES, NPX_EXPLICIT), 'npm');
      if (subcommand === 'add') return fetched(`${name} add`, specOf(argv, sub + 1, NONE, NONE), 'npm', true);
      if (subcommand === 'create') return initializer(`${name} create`, argv, sub);
      return null;
    }
    case 'bun':
      if (subcommand === 'x') return fetched('bun x', specOf(argv, sub + 1, NPX_VALUES, NPX_EXPLICIT), 'npm');
      if (subcommand === 'add') return fetched('bun add', specOf(argv, sub + 1, NONE, NONE), 'npm', true);
      if (subcommand === 'create') return initializer('bun create', argv, sub);
      return null;
    case 'uvx':
      return fetched('uvx', specOf(argv, next, UV_VALUES, UVX_EXPLICIT), 'python');
    case 'uv': {
      if (subcommand === 'tool' && argv[sub + 1] === 'run') return fetched('uv tool run', specOf(argv, sub + 2, UV_VALUES, UVX_EXPLICIT), 'python');
      if (subcommand === 'tool' && argv[sub + 1] === 'install') return fetched('uv tool install', specOf(argv, sub + 2, UV_VALUES, NONE), 'python', true);
      if (subcommand === 'run') return uvRunFetch(argv, sub + 1);
      if (subcommand === 'pip' && (argv[sub + 1] === 'install' || argv[sub + 1] === 'sync')) {
        return fetched(`uv pip ${argv[sub + 1]}`, specOf(argv, sub + 2, PIP_VALUES, PIP_EXPLICIT), 'python', true);
      }
      if (subcommand === 'add') return fetched('uv add', specOf(argv, sub + 1, UV_VALUES, NONE), 'python', true);
      return null;
    }
    case 'pipx':
      if (subcommand === 'run') return fetched('pipx run', specOf(argv, sub + 1, PIPX_VALUES, PIPX_EXPLICIT), 'python');
      if (subcommand === 'install') return fetched('pipx install', specOf(argv, sub + 1, PIPX_VALUES, NONE), 'python', true);
      return null;
    case 'pip':
    case 'pip3':
      if (subcommand === 'install') return fetched(`${name} install`, specOf(argv, sub + 1, PIP_VALUES, PIP_EXPLICIT), 'python', true);
      return null;
    case 'docker':
    case 'podman':
      if (subcommand === 'run') return fetched(`${name} run`, specOf(argv, sub + 1, DOCKER_VALUES, NONE), 'image');
      return null;
    case 'go':
      if (subcommand === 'run' || subcommand === 'install') {
        const found = specOf(argv, sub + 1, NONE, NONE);
        // `go run main.go` builds local code; `go run example.com/tool@v1` downloads a module.
        return found !== null && found.spec.includes('@') ? fetched(`go ${subcommand}`, found, 'go') : null;
      }
      return null;
    case 'deno': {
      const remote = argv.findIndex((arg, index) => index > i && /^(https?:\/\/|npm:|jsr:)/i.test(arg));
      return remote === -1 ? null : fetched('deno', { spec: argv[remote]!, at: remote }, /^https?:/i.test(argv[remote]!) ? 'url' : 'npm');
    }
    default:
      break;
  }

  if (/^python[\d.]*w?$|^py$/.test(name)) {
    const m = argv.indexOf('-m', next);
    if (m !== -1 && argv[m + 1] === 'pip' && argv[m + 2] === 'install') {
      return fetched('pip install', specOf(argv, m + 3, PIP_VALUES, PIP_EXPLICIT), 'python', true);
    }
    return null;
  }

  if (name === 'powershell' || name === 'pwsh') {
    for (let k = next; k < argv.length; k++) {
      const option = argv[k]!.toLowerCase();
      if (/^-(e|ec|enc|encodedcommand)$/.test(option) && k + 1 < argv.length) {
        // Base64 of UTF-16LE text: the usual way of hiding a download cradle from a reader.
        return scriptFetch(Buffer.from(argv[k + 1]!, 'base64').toString('utf16le'), k + 1, depth);
      }
      if (/^-c(o(m(m(a(n(d)?)?)?)?)?)?$/.test(option)) return commandLineFetch(argv, k + 1, depth);
    }
    return null;
  }
  if (name === 'cmd') {
    const c = argv.findIndex((arg, index) => index > i && /^\/[ck]$/i.test(arg));
    return c === -1 ? null : commandLineFetch(argv, c + 1, depth);
  }
  if (name === 'wsl') return detectShifted(argv, subcommandAt(argv, next), depth);
  if (isShell(name)) {
    const c = argv.findIndex((arg, index) => index > i && /^-[a-z]*c[a-z]*$/.test(arg));
    return c === -1 || c + 1 >= argv.length ? null : scriptFetch(argv[c + 1]!, c + 1, depth);
  }
  return null;
}

/**
 * `cmd /c` and `powershell -Command` join the rest of argv into one command line. When it is written
 * as several elements, point at the element holding the spec; a download cradle needs the whole line.
 */
function commandLineFetch(argv: readonly string[], from: number, depth: number): RuntimeFetch | null {
  if (from >= argv.length) return null;
  const line = argv.slice(from).join(' ');
  const cradle = scriptFetch(line, from, depth);
  if (cradle?.script === true || argv.length - from === 1) return cradle;
  return detectShifted(argv, from, depth) ?? cradle;
}

function detectShifted(argv: readonly string[], from: number, depth: number): RuntimeFetch | null {
  const hit = detect(argv.slice(from), depth + 1);
  return hit === null ? null : { ...hit, at: hit.at + from };
}

/** Whether argv (`[command, ...args]`) downloads code when the server starts, and where it says so. */
export function detectRuntimeFetch(argv: readonly string[]): RuntimeFetch | null {
  return detect(argv, 0);
}

/** The rule's messages, one per kind of fetch. */
export type RuntimeFetchMessage = 'script' | 'pinned' | 'unpinned' | 'dependencies';

/** Which of the rule's messages describes a fetch (for bundles' mcp_config and servers configured in Claude Desktop alike). */
export function runtimeFetchMessage(hit: RuntimeFetch): RuntimeFetchMessage {
  return hit.script ? 'script' : hit.dependencies ? 'dependencies' : hit.pinned ? 'pinned' : 'unpinned';
}

// Programs whose name, when a command field holds a whole command line (`npx -y pkg`), shows that
// the field should be read as words.
const KNOWN_FIRST_WORDS = /^(npx|pnpx|bunx|npm|pnpm|yarn|bun|uvx|uv|pipx|pip3?|docker|podman|go|deno|python[\d.]*|py|env|nohup|exec|sudo|doas|time|command)$/;

/** The words a command field stands for: a whole command line (`npx -y pkg`) split into words when it starts with a known program or a shell, else the field as one word. */
export function commandWords(command: string): string[] {
  const words = shellWords(command);
  const asWords = words.length > 1 && (KNOWN_FIRST_WORDS.test(commandName(words[0]!)) || isShell(commandName(words[0]!)));
  return asWords ? words : [command];
}
