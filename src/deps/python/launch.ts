// What mcp_config says about installing Python dependencies when the server starts: which `uv run`
// (or `uv sync`) commands install the bundle's own project, from which folder and with which extras
// and groups; which requirements files a command names; which package indexes it points the
// installer at (options such as `--extra-index-url`, and variables such as `UV_INDEX_URL`).
// Packages fetched from outside the bundle (`uvx pkg`, `uv run --with pkg`) are
// manifest-runtime-fetch's finding, not read here.
import type { VirtualFile } from '../../bundle/container.js';
import type { JsonPath } from '../../manifest/access.js';
import { commandName, dirnamePath, isShell, launchConfigs, resolveBundleRelative, shellWords } from '../../manifest/mcp-config.js';

export interface UvRun {
  /** Bundle folder given with `--directory` or `--project` (`''` for `${__dirname}`), or null when none is given. */
  projectDir: string | null;
  extras: string[] | 'all';
  groups: string[] | 'all';
  noDefaultGroups: boolean;
  /** `--no-project`, `--script`: the bundle's pyproject.toml is not installed. */
  noProject: boolean;
  /** `--frozen`, `--locked`: uv.lock is used as it is (or the start fails), never resolved again. */
  frozen: boolean;
  /** `--isolated`: a fresh environment, never the project's `.venv`. */
  isolated: boolean;
}

export interface LaunchIndex {
  /** The option or variable, as a reader would look for it: `--extra-index-url`, `UV_INDEX_URL`. */
  option: string;
  value: string;
  path: JsonPath;
}

export interface LaunchFacts {
  uvRuns: UvRun[];
  /** Some launch command installs Python packages (`uv run`, `uv sync`, `pip install`, `uv pip install`). */
  installs: boolean;
  /** A command runs Python or a Python installer: the bundle is a Python server whatever its type says. */
  python: boolean;
  /** Bundle paths of the files launch commands name (requirements files, when they exist). */
  named: Set<string>;
  indexes: LaunchIndex[];
}

interface Word {
  text: string;
  path: JsonPath;
}

const UV_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set([
  '--directory', '--project', '--extra', '--group', '--only-group', '--no-group', '--python', '-p', '--with', '--with-editable',
  '--with-requirements', '--index', '--default-index', '--index-url', '-i', '--extra-index-url', '--find-links', '-f',
  '--allow-insecure-host', '--trusted-host', '--env-file', '--cache-dir', '--config-file', '--index-strategy', '--keyring-provider',
  '--python-preference', '--package', '--constraints', '--overrides', '--refresh-package', '--reinstall-package', '--upgrade-package', '-P',
]);
const INDEX_OPTIONS: Readonly<Record<string, string>> = {
  '--index': '--index',
  '--default-index': '--default-index',
  '--index-url': '--index-url',
  '-i': '--index-url',
  '--extra-index-url': '--extra-index-url',
  '--find-links': '--find-links',
  '-f': '--find-links',
  '--allow-insecure-host': '--allow-insecure-host',
  '--trusted-host': '--trusted-host',
};
// Variables uv and pip read for the same settings.
const INDEX_VARIABLES: ReadonlySet<string> = new Set([
  'UV_INDEX', 'UV_DEFAULT_INDEX', 'UV_INDEX_URL', 'UV_EXTRA_INDEX_URL', 'UV_FIND_LINKS', 'UV_INSECURE_HOST',
  'PIP_INDEX_URL', 'PIP_EXTRA_INDEX_URL', 'PIP_FIND_LINKS', 'PIP_TRUSTED_HOST',
]);
const SEPARATORS: ReadonlySet<string> = new Set(['&&', '||', ';', '|', '&']);
const REQUIREMENT_OPTIONS: ReadonlySet<string> = new Set(['-r', '--requirement', '--requirements', '--with-requirements', '-c', '--constraint', '--constraints']);

/** The words of a launch config: the command (split when it is a whole command line), the args, and the words of shell scripts in them. */
function wordsOf(config: ReturnType<typeof launchConfigs>[number]): Word[] {
  const words: Word[] = [];
  if (config.command !== null) {
    const split = shellWords(config.command.value);
    for (const text of split.length > 1 ? split : [config.command.value]) words.push({ text, path: config.command.path });
  }
  const shell = config.command !== null && isShell(commandName(shellWords(config.command.value)[0] ?? ''));
  for (const arg of config.args) {
    // `sh -c "uv pip install -r … && uv run …"`: the script's own words, with separators kept apart.
    if (shell && /\s/.test(arg.value)) {
      for (const text of shellWords(arg.value.replace(/(&&|\|\||[;|&])/g, ' $1 '))) words.push({ text, path: arg.path });
    } else words.push({ text: arg.value, path: arg.path });
  }
  return words;
}

/** The bundle file a launch word names, if it names one that exists. */
function bundleFileOf(text: string, files: ReadonlyMap<string, VirtualFile>, bases: readonly string[]): string | null {
  const located = dirnamePath(text);
  if (located !== null) return located.kind === 'inside' && files.has(located.path) ? located.path : null;
  if (text.includes('${')) return null;
  for (const base of bases) {
    const relative = resolveBundleRelative(base === '' ? text : `${base}/${text}`);
    if (relative.kind === 'inside' && files.has(relative.path)) return relative.path;
  }
  return null;
}

/** The bundle folder a `--directory` value names, or null when it names none inside the bundle. */
function bundleDirOf(text: string): string | null {
  const located = dirnamePath(text) ?? (text.includes('${') ? null : resolveBundleRelative(text));
  return located?.kind === 'inside' ? located.path : null;
}

export function readLaunch(manifestJson: unknown, files: ReadonlyMap<string, VirtualFile>, bases: readonly string[]): LaunchFacts {
  const facts: LaunchFacts = { uvRuns: [], installs: false, python: false, named: new Set(), indexes: [] };
  for (const config of launchConfigs(manifestJson)) {
    const words = wordsOf(config);
    let configInstalls = false;
    for (let i = 0; i < words.length; i++) {
      const name = commandName(words[i]!.text);
      const previous = i > 0 ? words[i - 1]!.text : null;
      if (previous !== null && REQUIREMENT_OPTIONS.has(previous)) {
        const file = bundleFileOf(words[i]!.text, files, bases);
        if (file !== null) facts.named.add(file);
      }
      const eq = /^(--[\w-]+)=(.*)$/.exec(words[i]!.text);
      if (eq !== null && REQUIREMENT_OPTIONS.has(eq[1]!)) {
        const file = bundleFileOf(eq[2]!, files, bases);
        if (file !== null) facts.named.add(file);
      }
      if (/(^|[/\\])requirements[^/\\]*\.(txt|in)$/i.test(words[i]!.text)) {
        const file = bundleFileOf(words[i]!.text, files, bases);
        if (file !== null) facts.named.add(file);
      }
      if (/^python[\d.]*w?$|^py$/.test(name) || name === 'pip' || name === 'pip3' || name === 'uvx' || name === 'pipx') facts.python = true;
      if (name !== 'uv' && name !== 'pip' && name !== 'pip3' && !(/^python[\d.]*w?$|^py$/.test(name) && words[i + 1]?.text === '-m' && words[i + 2]?.text === 'pip')) continue;
      facts.python = true;
      const end = words.findIndex((word, index) => index > i && SEPARATORS.has(word.text));
      const command = words.slice(i, end === -1 ? words.length : end);
      const installs = name === 'uv' ? readUv(command, facts) : command.some((word) => word.text === 'install');
      if (installs) {
        configInstalls = true;
        for (const index of indexOptions(command)) facts.indexes.push(index);
      }
    }
    if (configInstalls) facts.installs = true;
    for (const variable of config.env) {
      if (INDEX_VARIABLES.has(variable.name) && variable.value.trim() !== '') {
        facts.indexes.push({ option: variable.name, value: variable.value.trim(), path: variable.path });
      }
    }
  }
  return facts;
}

/** Reads one `uv …` command; true when it installs packages into the project or an environment. */
function readUv(command: readonly Word[], facts: LaunchFacts): boolean {
  let sub: string | null = null;
  let second: string | null = null;
  const run: UvRun = { projectDir: null, extras: [], groups: [], noDefaultGroups: false, noProject: false, frozen: false, isolated: false };
  for (let k = 1; k < command.length; k++) {
    const text = command[k]!.text;
    if (text.startsWith('-')) {
      const eq = text.indexOf('=');
      const option = eq === -1 ? text : text.slice(0, eq);
      const value = eq === -1 ? (UV_OPTIONS_WITH_VALUE.has(option) ? command[k + 1]?.text : undefined) : text.slice(eq + 1);
      if (eq === -1 && UV_OPTIONS_WITH_VALUE.has(option)) k++;
      if ((option === '--directory' || option === '--project') && value !== undefined) run.projectDir = bundleDirOf(value);
      else if (option === '--extra' && value !== undefined && run.extras !== 'all') run.extras.push(value);
      else if (option === '--all-extras') run.extras = 'all';
      else if ((option === '--group' || option === '--only-group') && value !== undefined && run.groups !== 'all') run.groups.push(value);
      else if (option === '--all-groups') run.groups = 'all';
      else if (option === '--no-default-groups' || option === '--no-dev' || option === '--only-group') run.noDefaultGroups = true;
      else if (option === '--no-project' || option === '--script') run.noProject = true;
      else if (option === '--isolated') run.isolated = true;
      else if (option === '--frozen' || option === '--locked') run.frozen = true;
      continue;
    }
    if (sub === null) {
      sub = text;
      continue;
    }
    if (sub === 'pip' || sub === 'tool') second ??= text;
    // `uv run <script> …`: what follows the script is the script's own command line.
    break;
  }
  if (sub === 'run' || sub === 'sync') {
    facts.uvRuns.push(run);
    return true;
  }
  return (sub === 'pip' && (second === 'install' || second === 'sync')) || sub === 'add';
}

function indexOptions(command: readonly Word[]): LaunchIndex[] {
  const found: LaunchIndex[] = [];
  for (let k = 1; k < command.length; k++) {
    const { text, path } = command[k]!;
    const eq = text.indexOf('=');
    const option = INDEX_OPTIONS[eq === -1 ? text : text.slice(0, eq)];
    if (option === undefined) continue;
    const value = eq === -1 ? command[k + 1]?.text : text.slice(eq + 1);
    if (value === undefined || value === '') continue;
    found.push({ option, value, path: eq === -1 ? command[k + 1]!.path : path });
    if (eq === -1) k++;
  }
  return found;
}
