import type { Severity } from '../src/report.js';
import { judgeCommand, type CommandSignal } from '../src/analysis/catalog/commands.js';
import { EVALUATORS } from '../src/analysis/catalog/dynamic-code.js';
import { networkApi } from '../src/analysis/catalog/network.js';
import { processApi } from '../src/analysis/catalog/processes.js';
import type { ScriptSignalSite, ScriptSite } from '../src/analysis/model/code-facts.js';
import { resolveScriptReference } from '../src/analysis/scripts.js';
import { topLevelKeyOffsets } from '../src/deps/inventory.js';
import { defineRule } from '../src/engine/rule.js';
import { COMMAND_DOES } from '../src/engine/wording.js';
import { isObject } from '../src/manifest/access.js';
import { lineAndColumn } from '../src/manifest/syntax.js';

// Lifecycle scripts are how most malicious npm packages run: `curl … | sh` in a postinstall runs on
// every machine that installs the package. Claude Desktop does not run npm for a bundle, whose
// dependencies are already installed, so a script here is what the package wants to run when
// someone reinstalls or rebuilds it: low on its own, and otherwise as severe as what its text does.
// The text is judged by the command catalogue that judges every command of the bundle
// (catalog/commands.ts, docs/commands.md): critical when it downloads and runs code, opens a reverse
// shell, wipes files or sends secrets off; high when it reads credentials, persists, or names a raw
// IP or drop-box host. A shell script of the bundle that the hook runs (`sh scripts/setup.sh`) is
// judged with it (analysis/scripts.ts). Text the catalogue has no entry for but no build step needs
// (any download, an encoded PowerShell command, a long encoded blob, inline code naming an address,
// a credential or start-up file named at all) keeps this rule's own checks: high or medium.
//
// What npm (7 and later) actually runs depends on where the package.json sits:
// - a package root outside node_modules (the server's own): install hooks, prepare and prepublish,
//   on `npm install` in that folder;
// - an installed package (`node_modules/<name>` or `node_modules/@scope/<name>`): only preinstall,
//   install and postinstall; prepare and prepublish run only for git or folder installs;
// - no current npm runs uninstall hooks; a package.json deeper inside a package (test fixtures) is
//   never a package npm installs.
// Hooks that will not run are reported only when their text is high-risk (it still shows intent),
// or at info in the server's own package; otherwise a dependency tree would drown the report in
// `prepublish: npm run build` (about 150 of them in one real bundle).
//
// Python packaging's hook is a class: `setup(cmdclass={"install": PostInstall})` runs PostInstall.run()
// whenever the package is built or installed from source (pip, `uv sync` of a bundle's project), as
// the code-analysed file declares it (python/setup-commands.ts). Low on its own, in the server's own
// code; medium when the class's run() starts a program, reaches the network or runs code, which an
// install has no need of. A dependency's setup.py was already run when it was installed, and is not reported.

export const LIFECYCLE_HOOKS = ['preinstall', 'install', 'postinstall', 'prepare', 'prepublish', 'preuninstall', 'uninstall', 'postuninstall'] as const;
type Hook = (typeof LIFECYCLE_HOOKS)[number];
const INSTALL_HOOKS: ReadonlySet<Hook> = new Set(['preinstall', 'install', 'postinstall']);
const UNINSTALL_HOOKS: ReadonlySet<Hook> = new Set(['preuninstall', 'uninstall', 'postuninstall']);

export type PackagePosition = 'root' | 'installed' | 'nested';

/** Where a package.json sits, which decides which of its hooks npm runs. */
export function packagePosition(path: string): PackagePosition {
  const segments = path.split('/');
  const last = segments.lastIndexOf('node_modules');
  if (last === -1) return 'root';
  const rest = segments.slice(last + 1, -1);
  const scoped = rest.length === 2 && rest[0]!.startsWith('@');
  return (rest.length === 1 && !rest[0]!.startsWith('@')) || scoped ? 'installed' : 'nested';
}

/** When npm runs `hook` for a package at `position`, or null when it does not. */
function whenRun(hook: Hook, position: PackagePosition): string | null {
  if (UNINSTALL_HOOKS.has(hook) || position === 'nested') return null;
  if (position === 'root') return 'when `npm install` runs in its folder';
  return INSTALL_HOOKS.has(hook) ? 'when the package is installed or rebuilt' : null;
}

/** For hooks npm does not run at this position: when it would, at most. */
function dormantWhen(hook: Hook): string {
  return UNINSTALL_HOOKS.has(hook)
    ? 'only in npm 6 and earlier, on removal'
    : 'only when the package is installed from a git repository or a folder';
}

// A lifecycle script is a line or two; past this, its length is the finding and only this much is read.
export const MAX_SCRIPT_CHARS = 65_536;
// `npm run <name>` chains are followed this deep, and at most this many scripts per hook.
const MAX_CHAIN_DEPTH = 4;
const MAX_CHAIN_SCRIPTS = 16;

interface Risk {
  severity: Severity;
  pattern: RegExp;
  /** What the script does, completing "a … script … that {what}". */
  what: string;
}

// Every pattern is linear: literal anchors, bounded repetition, no nested quantifiers.
const SENSITIVE_PATHS =
  /~\/\.ssh\b|\.ssh\/|\bid_(?:rsa|dsa|ecdsa|ed25519)\b|\.aws\/(?:credentials|config)\b|\.npmrc\b|\.netrc\b|\.pypirc\b|\.git-credentials\b|\.gnupg\b|\.kube\/config\b|\.docker\/config\.json\b|\/etc\/(?:passwd|shadow|sudoers)\b|\.(?:bashrc|zshrc|bash_profile|zprofile|zshenv)\b|\bLaunch(?:Agents|Daemons)\b|\bcrontab\b|\\CurrentVersion\\Run\b|\bKeychains?\b|find-generic-password|\bLogin Data\b|\.config\/gcloud\b|Start Menu\\Programs\\Startup|\bwallet\.dat\b/i;
const EXFILTRATION_HOSTS =
  /webhook\.site|discord(?:app)?\.com\/api\/webhooks|api\.telegram\.org|pastebin\.com|ngrok(?:-free)?\.(?:io|app|dev)|requestbin|pipedream\.net|burpcollaborator|interact\.sh|\boast\.(?:fun|me|pro|live|site|online)\b/i;
const URL = /\bhttps?:\/\/[^\s'"`)]{1,200}/i;
const INLINE_CODE = /\b(?:node|deno|bun|python[0-9.]{0,4}|perl|ruby|php|bash|sh|zsh)\s{1,8}(?:-[a-z]{0,3}[ecp]\b|--eval\b)/i;

const RISKS: readonly Risk[] = [
  { severity: 'high', pattern: /(?<!\|)\|(?!\|)\s{0,8}(?:sudo\s{1,8})?(?:(?:ba|z|da|k|c|fi)?sh|node|python[0-9.]{0,4}|perl|ruby|php|iex|invoke-expression)\b(?![-.])/i, what: 'pipes text into a shell or an interpreter' },
  { severity: 'high', pattern: /\b(?:curl|wget|invoke-webrequest|iwr|invoke-restmethod|irm|start-bitstransfer|bitsadmin|certutil)\b|\bdownload(?:string|file)\b|net\.webclient/i, what: 'downloads from the network' },
  { severity: 'high', pattern: /\b(?:powershell|pwsh)(?:\.exe)?\b[^\n|&;]{0,200}?\s[-/](?:e|ec|en[a-z]{0,14})\b/i, what: 'runs an encoded PowerShell command' },
  { severity: 'high', pattern: /\b(?:iex|invoke-expression)\b/i, what: 'evaluates text as PowerShell code' },
  { severity: 'high', pattern: /\bbase64\s{1,8}(?:-d|--decode|-D)\b|\batob\s{0,4}\(|frombase64string|['"]base64['"]|\bxxd\s{1,8}-r/i, what: 'decodes an encoded payload' },
  { severity: 'high', pattern: /(?:\\x[0-9a-f]{2}){4}|(?:\\u[0-9a-f]{4}){4}|fromcharcode/i, what: 'builds text from character codes or escapes' },
  { severity: 'high', pattern: /[A-Za-z0-9+/]{120,}={0,2}/, what: 'holds a long encoded blob' },
  { severity: 'high', pattern: SENSITIVE_PATHS, what: 'touches credentials or start-up files' },
  { severity: 'high', pattern: EXFILTRATION_HOSTS, what: 'contacts a service used to receive stolen data' },
  { severity: 'high', pattern: /\b(?:https?|ftp):\/\/\d{1,3}(?:\.\d{1,3}){3}\b/i, what: 'contacts a raw IP address' },
  { severity: 'medium', pattern: /\b(?:bash|sh|zsh|dash|ksh)\s{1,8}-c\b|\bcmd(?:\.exe)?\s{1,8}\/[ck]\b|\b(?:powershell|pwsh)(?:\.exe)?\b[^\n|&;]{0,200}?\s[-/]c(?:ommand)?\b/i, what: 'runs an inline shell command' },
  { severity: 'medium', pattern: URL, what: 'names a network address' },
];

// Build steps that compile or set up hooks locally, and prebuilt-binary installers that download one.
const LOCAL_BUILD =
  /^(?:npx\s{1,8})?(?:node-gyp(?:\s.{0,500})?|node-gyp-build(?:-optional-packages)?(?:\s.{0,500})?|husky(?:\s{1,8}install)?(?:\s.{0,500})?|patch-package(?:\s.{0,500})?|tsc(?:\s.{0,500})?|cmake-js(?:\s.{0,500})?|is-ci|not-in-publish|in-publish|in-install|exit\s{1,8}0|true|echo(?:\s[^>]{0,500})?)$/;
const PREBUILT_FETCH = /^(?:npx\s{1,8})?(?:prebuild-install|(?:@mapbox\/)?node-pre-gyp\s{1,8}install|prebuildify-ci)(?:\s.{0,500})?$/;
const RUN_SCRIPT = /^(?:npm\s{1,8}run(?:-script)?|pnpm(?:\s{1,8}run)?|yarn(?:\s{1,8}run)?)\s{1,8}([\w:.-]{1,200})(?:\s.{0,500})?$/;

export interface Assessment {
  severity: Severity;
  kind: 'risky' | 'build' | 'prebuilt' | 'script';
  /** For risky scripts: what it does and the text that shows it. */
  what?: string;
  match?: string;
  /** When the command catalogue gave the verdict: its signal. */
  signal?: Pick<CommandSignal, 'kind' | 'detail' | 'entry'>;
  /** When the verdict comes from a shell script of the bundle that the hook runs: its path and the line of the signal. */
  script?: { file: string; line: number };
  /** The script (hook or one it runs through `npm run`) whose text the verdict rests on. */
  source: string;
  /** Name of the script run through `npm run` where the risk was found. */
  via?: string;
}

interface Reached {
  name: string;
  text: string;
}

/** The hook's script and those it reaches through `npm run <name>`, each once. */
function reachedScripts(hook: string, scripts: Readonly<Record<string, unknown>>): Reached[] {
  const reached: Reached[] = [];
  const seen = new Set<string>();
  const visit = (name: string, depth: number): void => {
    const text = Object.hasOwn(scripts, name) ? scripts[name] : undefined;
    if (typeof text !== 'string' || seen.has(name) || reached.length >= MAX_CHAIN_SCRIPTS) return;
    seen.add(name);
    reached.push({ name, text });
    if (depth >= MAX_CHAIN_DEPTH) return;
    for (const command of commandsOf(text)) {
      const target = RUN_SCRIPT.exec(command)?.[1];
      if (target !== undefined) visit(target, depth + 1);
    }
  };
  visit(hook, 0);
  return reached;
}

function commandsOf(text: string): string[] {
  return text
    .slice(0, MAX_SCRIPT_CHARS)
    .split(/&&|\|\||[;&|\n]/)
    .map((command) => command.trim())
    .filter((command) => command !== '');
}

/** A shell script of the bundle a command names (`sh scripts/setup.sh`, as written), when there is one. */
export type ShippedScripts = (written: string) => ScriptSite | undefined;

const RANK: Readonly<Record<Severity, number>> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

/**
 * How risky the `hook` script of a package is, following `npm run` into its other scripts and into
 * the shell scripts of the bundle it runs (`shipped`): the worse of what the command catalogue says
 * and of this rule's own checks, the catalogue's words when it is at least as severe.
 */
export function assessScript(hook: string, scripts: Readonly<Record<string, unknown>>, shipped: ShippedScripts = () => undefined): Assessment {
  const reached = reachedScripts(hook, scripts);
  const own = reached[0]?.text ?? '';
  for (const { name, text } of reached) {
    if (text.length > MAX_SCRIPT_CHARS) {
      return { severity: 'high', kind: 'risky', what: `is ${text.length} characters long, far beyond any real lifecycle script`, match: around(text, 0, 50), source: text, ...via(name, hook) };
    }
  }
  const judged = catalogueVerdict(reached, hook, shipped);
  const checked = ownVerdict(reached, hook);
  if (judged !== null && (checked === null || RANK[judged.severity] >= RANK[checked.severity])) return judged;
  if (checked !== null) return checked;
  let prebuilt = false;
  const known = commandsOf(own).every((command) => {
    if (LOCAL_BUILD.test(command)) return true;
    if (PREBUILT_FETCH.test(command)) return (prebuilt = true);
    const target = RUN_SCRIPT.exec(command)?.[1];
    if (target === undefined || target === hook) return false;
    const inner = Object.hasOwn(scripts, target) ? scripts[target] : undefined;
    // One level down is enough to see `npm run build:native` -> `node-gyp rebuild`.
    return typeof inner === 'string' && commandsOf(inner).every((step) => LOCAL_BUILD.test(step) || (PREBUILT_FETCH.test(step) && (prebuilt = true)));
  });
  if (known && prebuilt) return { severity: 'low', kind: 'prebuilt', source: own };
  if (known) return { severity: 'info', kind: 'build', source: own };
  return { severity: 'low', kind: 'script', source: own };
}

/** The worst signal of the command catalogue in the scripts reached, and in the shell scripts of the bundle they run. */
function catalogueVerdict(reached: readonly Reached[], hook: string, shipped: ShippedScripts): Assessment | null {
  let worst: Assessment | null = null;
  const consider = (severity: Severity, found: Assessment): void => {
    if (severity === 'info' || severity === 'low') return;
    if (worst === null || RANK[severity] > RANK[worst.severity]) worst = found;
  };
  for (const { name, text } of reached) {
    const judgement = judgeCommand(text);
    for (const signal of judgement.signals) {
      consider(signal.severity, {
        severity: signal.severity,
        kind: 'risky',
        what: `${COMMAND_DOES[signal.kind]} (${signal.detail})`,
        match: signal.evidence,
        signal: { kind: signal.kind, detail: signal.detail, entry: signal.entry },
        source: text,
        ...via(name, hook),
      });
    }
    for (const written of judgement.scripts.slice(0, 8)) {
      const script = shipped(written);
      const signal = script === undefined ? undefined : worstSignal(script.signals);
      if (script === undefined || signal === undefined) continue;
      consider(signal.severity, {
        severity: signal.severity,
        kind: 'risky',
        what: `runs ${script.file}, which ${COMMAND_DOES[signal.kind]} (${signal.detail}, line ${signal.line})`,
        match: signal.excerpt,
        signal: { kind: signal.kind, detail: signal.detail, entry: signal.entry },
        script: { file: script.file, line: signal.line },
        source: text,
        ...via(name, hook),
      });
    }
  }
  return worst;
}

function worstSignal(signals: readonly ScriptSignalSite[]): ScriptSignalSite | undefined {
  let worst: ScriptSignalSite | undefined;
  for (const signal of signals) if (worst === undefined || RANK[signal.severity] > RANK[worst.severity]) worst = signal;
  return worst;
}

/** This rule's own checks, for text the catalogue has no entry for. */
function ownVerdict(reached: readonly Reached[], hook: string): Assessment | null {
  // Inline code naming a URL is fetch-and-run even without curl: `node -e "require('https').get(…)"`.
  for (const { name, text } of reached) {
    const inline = INLINE_CODE.exec(text);
    const url = URL.exec(text);
    if (inline && url) return { severity: 'high', kind: 'risky', what: 'runs inline code that names a network address', match: around(text, inline.index, url.index + url[0].length - inline.index), source: text, ...via(name, hook) };
  }
  for (const severity of ['high', 'medium'] as const) {
    for (const risk of RISKS) {
      if (risk.severity !== severity) continue;
      for (const { name, text } of reached) {
        const found = risk.pattern.exec(text);
        if (found) return { severity, kind: 'risky', what: risk.what, match: around(text, found.index, found[0].length), source: text, ...via(name, hook) };
      }
    }
  }
  return null;
}

/** The matched text with some of the command around it, at most about 80 characters. */
function around(text: string, index: number, length: number): string {
  if (text.length <= 100) return text.trim();
  const start = Math.max(0, index - 30);
  const end = Math.min(text.length, index + Math.max(length, 50));
  return `${start > 0 ? '…' : ''}${text.slice(start, end).trim()}${end < text.length ? '…' : ''}`;
}

function via(name: string, hook: string): { via?: string } {
  return name === hook ? {} : { via: name };
}

/**
 * Offsets of the keys of the top-level `scripts` object in `text`, which must be valid JSON. Like
 * JSON.parse, the last of duplicate keys wins. Iterative and linear: any size, any depth.
 */
export function scriptKeyOffsets(text: string): Map<string, number> {
  return topLevelKeyOffsets(text, 'scripts').inner;
}

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: false });

export default defineRule({
  meta: {
    id: 'file-install-script',
    category: 'install-script',
    severity: 'low',
    description:
      'A bundled package.json (the server\'s own or a dependency\'s) declares a lifecycle script (preinstall, install, postinstall, prepare, prepublish, uninstall hooks); as severe as what its text, or a shell script of the bundle it runs, does: critical for download-and-run, high for downloads, decoding and credentials. Python\'s equivalent, a setup() that replaces an install-time setuptools command with a class of its own, is reported too.',
    remediation:
      'Read the script before anyone reinstalls or rebuilds the bundle\'s packages; do not install a bundle whose scripts download and run code or touch credentials, and report such a package to its registry.',
    messages: {
      risky: 'The {hook} script of package "{package}"{via} {what}: "{match}"; it runs {when}.',
      script: 'The {hook} script of package "{package}" runs {when}.',
      build: 'The {hook} script of package "{package}" only runs common build tools, {when}.',
      prebuilt: 'The {hook} script of package "{package}" installs a prebuilt native binary, downloaded from wherever the package says, {when}.',
      setupCommand: 'setup() replaces setuptools\' "{command}" command with {handler}: its run() executes whenever the package is built or installed from source (pip install, uv sync), with the rights of whoever installs it.',
      setupCommandActs: 'setup() replaces setuptools\' "{command}" command with {handler}, whose run() calls {calls}: that runs whenever the package is built or installed from source (pip install, uv sync), with the rights of whoever installs it.',
      notJson:
        '"{file}" is not valid JSON, so its lifecycle scripts were not checked; npm refuses such a file, but tools that accept comments or trailing commas may still read it.',
    },
    docs: {
      why:
        'Lifecycle scripts are how most malicious npm packages run: `curl ... | sh` in a `postinstall` runs on every machine ' +
        'that installs the package. Claude Desktop does not run npm for a bundle, whose dependencies are already installed, so ' +
        'a script here is what the package wants to run when someone reinstalls or rebuilds it (a developer, a CI job, a user ' +
        'fixing a broken install); its text also shows intent. The text is judged by the command catalogue that judges every ' +
        'command of the bundle ([docs/commands.md](../commands.md)), `npm run` chains followed, and so is a shell script of ' +
        'the bundle that the hook runs (`sh scripts/setup.sh`, resolved in the package\'s folder): critical, whatever the ' +
        'package, when it downloads and runs code (`curl … | sh`, a fetched file made executable and run, `certutil ' +
        '-urlcache`), opens a reverse shell, wipes files or sends secrets to a raw IP or drop box; high when it reads ' +
        'credentials, persists, names a raw IP or a drop-box host, or runs decoded code. Beyond the catalogue, high too for ' +
        'text no build step needs: a script that pipes text into a shell or interpreter, downloads, decodes a payload, builds ' +
        'text from char codes, carries a long encoded blob, runs encoded PowerShell, names credentials or start-up files, an ' +
        'exfiltration service or a raw IP, or is absurdly long. Medium: an inline shell command or a network address. Low: ' +
        'any other hook npm runs, or one that installs a prebuilt binary (`prebuild-install`, `node-pre-gyp install`). Info: ' +
        'hooks that only run common build tools (`node-gyp rebuild`, `tsc`). Findings carry the `install` trigger with the ' +
        'hook\'s name. Python packages hook installs with a class: `setup(cmdclass={"install": PostInstall})` in the server\'s ' +
        'own analysed code makes `PostInstall.run()` execute whenever the package is built or installed from source (pip, ' +
        '`uv sync` of the bundle\'s project), through any install-time command (`install`, `develop`, `egg_info`, `build_py`, ' +
        '`build_ext`, `bdist_wheel` and the like): low, with the `install` trigger named `setup.py <command>`; medium when the ' +
        'class is in the file and its run() (or a function nested in it) starts a program, reaches the network or runs code ' +
        '(`subprocess.run`, `urlopen`, `exec`), named in the message.',
      falsePositives:
        "Only hooks npm (7 and later) actually runs where the file sits are reported at their own severity: in the server's " +
        "own package, install hooks, `prepare` and `prepublish` (on `npm install` in its folder); in an installed dependency, " +
        "only `preinstall`, `install` and `postinstall`. Hooks that will not run there, such as `prepare` in a dependency or " +
        "any uninstall hook, are reported only when their text is high-risk, or at info in the server's own package; a real " +
        "bundle otherwise carries about 150 `prepublish: npm run build` lines. A `package.json` nested deeper inside a package " +
        "(test fixtures) is never a package npm installs and is skipped. Keys named like hooks outside `\"scripts\"`, and " +
        "descriptions that mention them, are not scripts (the `valid` example). A `package.json` that is not valid JSON is " +
        "reported low, because tools that accept comments may still read its scripts. A `cmdclass` that replaces commands a " +
        "maintainer runs by hand (`upload`, `test`, `sdist`, `clean`) is no install hook and is not reported, nor a " +
        "dependency's setup.py (it ran when the dependency was installed). A build step that compiles assets with a program " +
        "(`npm run build` from `build_py`) is medium too: read what it runs.",
      references: [
        { title: 'npm Docs: scripts and lifecycle hooks', url: 'https://docs.npmjs.com/cli/v10/using-npm/scripts' },
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'MITRE ATT&CK T1195.002: Supply Chain Compromise: Compromise Software Supply Chain', url: 'https://attack.mitre.org/techniques/T1195/002/' },
      ],
    },
  },
  check(facts, context) {
    const { originOf } = facts;
    const shellScripts = new Map(facts.code.scripts.map((script) => [script.file, script]));
    const scriptPaths: ReadonlySet<string> = new Set(shellScripts.keys());
    for (const file of facts.container.files.values()) {
      if (file.path !== 'package.json' && !file.path.endsWith('/package.json')) continue;
      const position = packagePosition(file.path);
      if (position === 'nested') continue;
      const origin = originOf(file.path);
      const text = UTF8.decode(file.bytes);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        context.report({ messageId: 'notJson', data: { file: file.path }, location: { file: file.path }, origin });
        continue;
      }
      if (!isObject(json) || !Object.hasOwn(json, 'scripts') || !isObject(json.scripts)) continue;
      const scripts = json.scripts;
      const hooks = LIFECYCLE_HOOKS.filter((hook) => Object.hasOwn(scripts, hook) && typeof scripts[hook] === 'string');
      if (hooks.length === 0) continue;
      const keyOffsets = scriptKeyOffsets(text);
      const name = typeof json.name === 'string' && json.name !== '' ? json.name : file.path.slice(0, -'/package.json'.length) || '.';
      for (const hook of hooks) {
        const offset = keyOffsets.get(hook);
        const location = offset === undefined ? { file: file.path } : { file: file.path, ...lineAndColumn(text, offset) };
        // npm runs a package's scripts in the package's folder.
        const folder = file.path.includes('/') ? file.path.slice(0, file.path.lastIndexOf('/')) : '';
        const shipped: ShippedScripts = (written) => {
          const path = scriptPaths.size === 0 ? null : resolveScriptReference(written, [folder], scriptPaths);
          return path === null ? undefined : shellScripts.get(path);
        };
        const assessment = assessScript(hook, scripts, shipped);
        const when = whenRun(hook, position);
        const base = { location, origin, evidence: assessment.source, trigger: { kind: 'install' as const, name: hook } };
        const data = { package: name, hook };
        // A hook npm will not run in a dependency matters only for what it shows of intent; URLs and
        // `sh -c` are everyday publish tooling (`tsc --sourceRoot https://…`), downloads are not.
        const dormantDependency = when === null && position === 'installed';
        if (assessment.kind === 'risky' && !(dormantDependency && RANK[assessment.severity] < RANK.high)) {
          context.report({
            messageId: 'risky',
            data: {
              ...data,
              what: assessment.what!,
              match: assessment.match!,
              via: assessment.via === undefined ? '' : ` (through its "${assessment.via}" script)`,
              when: when ?? dormantWhen(hook),
            },
            severity: assessment.severity,
            ...base,
          });
        } else if (when === null) {
          if (position === 'root') context.report({ messageId: 'script', data: { ...data, when: dormantWhen(hook) }, severity: 'info', ...base });
        } else {
          context.report({ messageId: assessment.kind, data: { ...data, when }, severity: assessment.severity, ...base });
        }
      }
    }
    for (const replaced of facts.code.installCommands) {
      if (replaced.origin !== 'first-party') continue;
      // What run() does that an install has no need of: start programs, reach the network, run code.
      const acting = (replaced.runs ?? []).filter((callee) => processApi(callee) !== null || networkApi(callee) !== null || EVALUATORS.has(callee));
      context.report({
        messageId: acting.length > 0 ? 'setupCommandActs' : 'setupCommand',
        data: { command: replaced.command, handler: replaced.handler, calls: acting.slice(0, 3).map((callee) => `${callee}()`).join(', ') },
        severity: acting.length > 0 ? 'medium' : 'low',
        location: { file: replaced.file, line: replaced.line, column: replaced.column },
        origin: replaced.origin,
        evidence: `cmdclass={"${replaced.command}": ${replaced.handler}}`,
        trigger: { kind: 'install', name: `setup.py ${replaced.command}` },
      });
    }
  },
});
