import type { CallSite } from '../src/analysis/model/code-facts.js';
import { entityExpansion, fileApi, isInScope, isPathBuilder, isPathGuardName, isRecursive, operationOf, pathPieces, zoneOf, type FileOperation, type PathZone } from '../src/analysis/catalog/filesystem.js';
import { sensitivePathOfArgument } from '../src/analysis/catalog/sensitive-paths.js';
import { programDownloads } from '../src/analysis/downloads.js';
import { atCallSite, isReached, sourceTrigger, worstInput } from '../src/engine/call-site.js';
import { onlyThrough } from '../src/analysis/model/file-facts.js';
import { triggerKey } from '../src/analysis/model/triggers.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, inputWords, triggerPhrase, whoWords } from '../src/engine/wording.js';
import { launchStrings, userConfigOptions, userConfigRefs } from '../src/manifest/mcp-config.js';
import { severityRank, type Severity } from '../src/report.js';
import { addToList } from '../src/common.js';

// An extension may touch what the manifest lets the user choose (user_config directories and files
// passed through args or env), its own directory and the temp directory; anything else should be
// visible before install. Severities:
// - a path taken from tool input, with no path check on the way: high for reads, writes, moves,
//   deletes and permission changes (the model, steered by whatever it last read, picks any file the
//   user can reach: desktop-commander), medium for directory listings; metadata calls (stat, exists,
//   realpath) are not reported, they are how checks are written;
// - the same after a path check (`validatePath`, `isPathAllowed`, `startsWith(root + sep)`,
//   `path.relative` and `..`; see PathGuards in js/path-guards.ts; in Python `validate_path`,
//   `is_relative_to`, `relative_to`, `os.path.commonpath`, `startswith(root + os.sep)`, see
//   isPathCheck in python/path-checks.ts), or through a helper that returns only a path it confined
//   (resolve or realpath and such a check, throwing or returning nothing otherwise, before every
//   return of a value: FunctionFact.confines, credited wherever it is called, across modules), when
//   the manifest declares the
//   directories the user allows, or the path is built on the bundle or temp directory: not reported,
//   this is server-filesystem confining tools to what the user picked. Otherwise the check can only
//   compare against the server's own list (desktop-commander's defaults to everything), so it stays
//   high and says so;
// - the same from a network listener's request: changes critical on every interface (reads high,
//   listings medium), one step lower on loopback or an unknown bind, one more when the handler checks
//   the Origin or a token (listenerSeverity in engine/call-site.ts);
// - a constant path outside that scope: writes, moves, deletes and permission changes medium (high
//   for a recursive delete of a whole zone: the home directory itself), reads and listings low, reads of system locations (/etc, /proc) not at
//   all; paths naming credentials or persistence spots are left to code-sensitive-path;
// - a containment check written `path.startsWith(root)` (Python `path.startswith(root)`) without a separator: "/allowed_evil" passes
//   for "/allowed" (CVE-2025-53110 in server-filesystem before 2025.7.1): medium, high when a tool
//   or a listener reaches it. Dependency code that nothing sets off (no tool, module load, listener or timer) is not reported;
// - a path a first-party `path.join`/`path.resolve` (`os.path.join`) builds from tool or request input with no check,
//   where no file operation the analysis follows takes input from that tool or listener: low, whatever opens it
//   (a package not shipped, an archive extractor, a caller outside the bundle) is handed a path `..` can climb out of;
// - an XML parser told to substitute external entities (libxmljs `noent: true`, lxml `resolve_entities=True`):
//   the document names the files read into it (XXE); high when tool or request input is the document, else medium;
// - first-party file operations on paths computed at run time from nothing known: one info line per file (an inventory);
// - a download saved as a program (named as one, or made executable or renamed to one just after): high, a dropper's
//   first half (running it is code-shell-exec's).
export default defineRule({
  meta: {
    id: 'code-filesystem',
    category: 'filesystem',
    severity: 'medium',
    description:
      'Server code reads, writes, moves or deletes files outside the directories the manifest declares, or on paths the model chooses; high when tool input picks the path unchecked.',
    remediation:
      'Declare the directories the extension needs as user_config options, resolve every tool path with realpath and check it against them with a separator-terminated prefix (or path.relative without ".."), and keep your own files in the bundle or temp directory.',
    messages: {
      toolPath: '{api} {action} a path taken from {input}{check}: {who} can {consequence}.',
      outside: '{api} {action} {where}{reach}, outside the directories the manifest declares.',
      computed: '{api} {action} a path computed at run time{reach}{more}.',
      savesProgram: '{api} saves data fetched over the network as a program ({how}){reach}: it installs code that was never in the bundle and never audited.',
      xmlEntitiesInput:
        '{api} parses XML from {input} with external entities substituted ({how}): {who} can name any file this user can read (an SSH key, a token file) in the document and have it read in.',
      xmlEntities: '{api} parses XML with external entities substituted ({how}){reach}: a document it is given can name any file this user can read and have it read in.',
      xmlEntityParser: '{api} makes an XML parser that substitutes external entities ({how}){reach}: every document it parses can name any file this user can read and have it read in.',
      handedOff:
        '{api} builds a file path from {input} with no check that it stays under its base directory, and no file operation the analysis can follow opens it: whatever does (a package, a caller outside the bundle) can be sent anywhere with "../".',
      bareStartsWith:
        'Path containment is checked with {check}, without a separator after the root: "/allowed_evil" passes a check for "/allowed" (the shape of CVE-2025-53110){reach}.',
    },
    docs: {
      why:
        "An extension may touch what the manifest lets the user choose (`user_config` directories and files passed in `args` " +
        "or `env`), its own folder and the temp directory; anything else should be visible before install. High: a path taken " +
        "from tool input with no path check on the way, for reads, writes, moves, deletes and permission changes: the model, " +
        "steered by whatever it last read, picks any file the user can reach. High too when the check can only compare against " +
        "the server's own list because the manifest declares no directories. Medium: a directory listing from tool input; " +
        "writes, moves and deletes at constant paths outside that scope (high for a recursive delete of a whole zone such as " +
        "the home directory); and a containment check written `path.startsWith(root)` (in Python `path.startswith(root)`) " +
        "without a separator, so that " +
        "`/allowed_evil` passes for `/allowed`, the shape of CVE-2025-53110 in the official filesystem server (high when a " +
        "tool or a network listener reaches it); and an XML parser told to substitute external entities (libxmljs's " +
        "`parseXml(doc, { noent: true })`, lxml's `XMLParser(resolve_entities=True)`), with which a document names any file " +
        "to be read into it (XXE): high when tool input or a listener's request is the document. Low: reads and listings of constant paths outside the scope; and a path the " +
        "server's own `path.join`/`path.resolve` (Python `os.path.join`) builds from tool input or a listener's request with " +
        "no check, when no file operation the analysis follows takes input from that tool or listener: whatever opens the " +
        "path (a package that is not shipped, an archive extractor, a caller outside the bundle) gets one that `../` climbs " +
        "out of (the `invalid-path-handed-off` examples). A path taken from a network " +
        "listener's request (HTTP, WebSocket, socket data) with no check is judged by whom the listener lets in: writes, " +
        "moves, deletes and permission changes are critical when it takes connections on every interface (anyone on the " +
        "network can plant or destroy files), reads high and listings medium; one step lower on loopback or an unknown bind, " +
        "and one step lower again when its handler checks the request's Origin or a secret token. Express's " +
        "`res.sendFile(path)` (and the `send` and `koa-send` packages) counts as a read, Python's `urlretrieve(url, filename)` " +
        "as a write of filename. Info: the server's own file " +
        "operations on paths computed at run time from nothing the analysis can name (a setting, a path built elsewhere), " +
        "listed once per file as an inventory to review. High, whatever the path: a download saved as a program, written " +
        "under a program's name (`.exe`, `.dll`, `.so`, `.dylib`, `.sh`, `.ps1`…) or made executable (`os.chmod` with an " +
        "execute bit, `chmod +x`) or renamed to such a name within the next lines of the same file: the first half of a " +
        "dropper, code that was never in the bundle (running it is `code-shell-exec`'s finding).",
      falsePositives:
        "Metadata calls (`stat`, `exists`, `realpath`) are not reported: they are how checks are written. Tool paths that go " +
        "through a recognised path check (`validatePath`, `isPathAllowed`, `startsWith(root + sep)`, `path.relative` without " +
        "`..`; in Python `validate_path`, `is_relative_to`, `relative_to`, `os.path.commonpath`, `startswith(root + os.sep)`) " +
        "are not reported when the manifest declares the directories the user allows, or the path is built on the bundle " +
        "or temp directory (the `valid` example). So are tool paths returned by a helper of the bundle that confines them, " +
        "wherever it is called and in whichever module it is written (`valid-helper-esm`, `valid-helper-commonjs`, " +
        "`valid-helper-python`): it resolves the path (or its real path) and checks it with a separator-terminated " +
        "`startsWith`, `path.relative` without `..` and not absolute, `is_relative_to`, `relative_to` in a `try` or " +
        "`os.path.commonpath`, and throws (or returns nothing) otherwise, before every return of a value. A helper that checks " +
        "without a separator, only logs, returns the path on both branches, or reads the file before its check is not credited " +
        "(the `invalid-helper-*` examples), and a call written before its function's check is not behind it. A built path " +
        "is not reported when its function checks paths after building it, when the input is reduced to its last segment " +
        "(`path.basename`) or passed through a function of the bundle named as a sanitiser or a path check, or when the " +
        "tool's input also reaches a file operation the rule judges itself (`valid-path-handed-off`); an unrecognised " +
        "sanitiser (a regular expression stripping `..`, an `indexOf` comparison) leaves it at low. Reads of system locations such as `/etc/os-release` or `/proc` identify the " +
        "machine and are not reported. Credentials, keys and persistence spots are `code-sensitive-path`'s to report. A check " +
        "the analysis does not recognise as one (a helper in a package that is not shipped, a check through a callback or a " +
        "class it cannot follow) leaves the finding at high: read the code around the call. The `startsWith` check is matched by the names on both sides (path-like and root-like, not URLs or " +
        "prefixes), so string matching that happens to use such names can trigger it; a separator-terminated root or " +
        "`path.relative` removes it.",
      references: [
        { title: "CWE-22: Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')", url: 'https://cwe.mitre.org/data/definitions/22.html' },
        { title: 'CWE-73: External Control of File Name or Path', url: 'https://cwe.mitre.org/data/definitions/73.html' },
        { title: 'CVE-2025-53110: MCP filesystem server directory containment bypass through a prefix check', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-53110' },
        { title: 'CVE-2025-53109: MCP filesystem server symlink escape', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-53109' },
        { title: 'Node.js: path.relative and path.sep', url: 'https://nodejs.org/api/path.html#pathrelativefrom-to' },
      ],
    },
  },
  check({ code, manifest, settings }, context) {
    // Directories the user granted an installed extension (and the policy file's allowedPaths) are
    // the scope its checks confine paths to, and constant paths inside them are in scope.
    const granted = settings.grantedPaths ?? [];
    const scope = [...declaredScope(manifest.json), ...granted];
    // The server's own file operations on paths nobody can read off the code: an inventory, one line per file.
    const computed = new Map<string, Array<{ call: CallSite; action: string }>>();
    // A download saved as a program: that is what the write is, whatever its path.
    const programs = programDownloads(code.calls).filter(({ write }) => worthReporting(write));
    for (const { write, evidence } of programs) {
      context.report({
        messageId: 'savesProgram',
        data: { api: apiName(write.callee, write.excerpt), how: evidence === 'named' ? 'a file named as one' : `${apiName(evidence.callee, evidence.excerpt)} at line ${evidence.line} makes it one`, reach: triggerPhrase(write.triggers) },
        severity: 'high',
        ...atCallSite(write),
      });
    }
    const saved = new Set(programs.map(({ write }) => write));
    for (const call of code.calls) {
      const expansion = worthReporting(call) ? entityExpansion(call) : null;
      if (expansion === null) continue;
      const fromInput = expansion.document !== undefined && call.taintedArgs.includes(expansion.document) ? worstInput(call, 'high', 'high') : null;
      if (fromInput !== null) {
        context.report({
          messageId: 'xmlEntitiesInput',
          data: { api: apiName(call.callee, call.excerpt), how: expansion.how, input: inputWords(fromInput.source), who: whoWords(fromInput.source) },
          severity: fromInput.severity,
          ...atCallSite(call),
          trigger: sourceTrigger(fromInput.source),
        });
      } else {
        context.report({ messageId: expansion.document === undefined ? 'xmlEntityParser' : 'xmlEntities', data: { api: apiName(call.callee, call.excerpt), how: expansion.how, reach: triggerPhrase(call.triggers) }, severity: 'medium', ...atCallSite(call) });
      }
    }
    for (const call of handedOffPaths(code.calls)) {
      const worst = worstInput(call, 'low', 'low')!;
      context.report({
        messageId: 'handedOff',
        data: { api: apiName(call.callee, call.excerpt), input: inputWords(worst.source) },
        severity: 'low',
        ...atCallSite(call),
        trigger: sourceTrigger(worst.source),
      });
    }
    for (const call of code.calls) {
      if (!worthReporting(call) || saved.has(call)) continue;
      if (call.callee === 'member:startsWith' || call.callee === 'member:startswith') {
        const check = bareContainmentCheck(call);
        if (check === null) continue;
        context.report({
          messageId: 'bareStartsWith',
          data: { check, reach: triggerPhrase(call.triggers) },
          // Where requests arrive (a tool, a listener), a bypassed check hands over files.
          severity: call.triggers.some((trigger) => trigger.kind === 'tool' || trigger.kind === 'listener') ? 'high' : 'medium',
          ...atCallSite(call),
        });
        continue;
      }
      const api = fileApi(call.callee);
      if (api === null) continue;
      const operation = operationOf(api, call.args, call.excerpt);
      if (operation === 'metadata') continue;
      const recursive = operation === 'delete' && isRecursive(api, call.args);
      const verdict = judge(call, api.pathArgs, operation, recursive, scope, granted);
      if (verdict === null) {
        if (call.origin === 'first-party' && computedPath(call, api.pathArgs)) {
          addToList(computed, call.file, { call, action: actionOf(call.callee, operation, false).action });
        }
        continue;
      }
      const { action, consequence } = actionOf(call.callee, operation, recursive);
      if (verdict.kind === 'tool') {
        // From a listener: changing files is as bad as running code (critical on every interface); reading them high.
        const worst = worstInput(call, verdict.severity, CHANGES.includes(operation) ? 'critical' : operation === 'list' ? 'medium' : 'high') ?? {
          source: { kind: 'tool', tools: call.taintedBy },
          severity: verdict.severity,
        };
        context.report({
          messageId: 'toolPath',
          data: { api: apiName(call.callee, call.excerpt), action, input: inputWords(worst.source), who: whoWords(worst.source), check: verdict.check, consequence },
          severity: worst.severity,
          ...atCallSite(call),
          trigger: sourceTrigger(worst.source),
          ...(CHANGES.includes(operation) && call.taintedBy.length > 0 ? { roles: [{ kind: 'sink', tools: call.taintedBy, power: 'file-change' }] } : {}),
        });
      } else {
        context.report({
          messageId: 'outside',
          data: { api: apiName(call.callee, call.excerpt), action, where: verdict.where, reach: triggerPhrase(call.triggers) },
          severity: verdict.severity,
          ...atCallSite(call),
        });
      }
    }
    for (const [head, ...others] of computed.values()) {
      const { call: first, action } = head!;
      context.report({
        messageId: 'computed',
        data: { api: apiName(first.callee, first.excerpt), action, reach: triggerPhrase(first.triggers), more: others.length > 0 ? ` (and ${others.length} more file operation${others.length > 1 ? 's' : ''} on computed paths in this file)` : '' },
        severity: 'info',
        ...atCallSite(first),
      });
    }
  },
});

/**
 * Paths built from unchecked tool or request input by the bundle's own code (isPathBuilder) that no
 * file operation the analysis sees takes input from the same tool or listener: the open happens
 * where the analysis cannot follow. A path built before its function's check (`checkedAfter`) is
 * the value being checked.
 */
function handedOffPaths(calls: readonly CallSite[]): CallSite[] {
  const built = calls.filter(
    (call) =>
      call.origin === 'first-party' &&
      !call.checkedAfter &&
      isPathBuilder(call.callee) &&
      // `path.join(root, path.basename(name))`: a last segment cannot climb out of root.
      !/\bbasename\s*\(/.test(call.excerpt) &&
      call.taintedArgs.some((position) => !call.checkedArgs.includes(position) && !sanitized(call.args[position])),
  );
  if (built.length === 0) return [];
  const opened = new Set(calls.filter((call) => call.taintedArgs.length > 0 && fileApi(call.callee) !== null).flatMap((call) => call.inputFrom.map(triggerKey)));
  return built.filter((call) => !call.inputFrom.some((trigger) => opened.has(triggerKey(trigger))));
}

/** Input that reaches the argument only through a function named as a path check or a sanitiser (`sanitizeName(x)`). */
function sanitized(arg: CallSite['args'][number] | undefined): boolean {
  return onlyThrough(arg?.labels.filter((label) => !label.startsWith('@')) ?? [], isSanitizerName);
}

function isSanitizerName(name: string): boolean {
  return isPathGuardName(name) || /^(?:saniti(?:z|se)|clean|escape|safe)/i.test(name);
}

/** A path argument that is neither constant nor anchored anywhere known, and that no tool input reaches. */
function computedPath(call: CallSite, pathArgs: readonly number[]): boolean {
  return pathArgs.some((position) => {
    const arg = call.args[position];
    return arg !== undefined && !arg.function && arg.literal === undefined && !call.taintedArgs.includes(position) && zoneOf(arg) === 'unknown';
  });
}

/** Operations through which a steered model changes the machine: a chain's file sink. */
const CHANGES: readonly FileOperation[] = ['write', 'delete', 'move', 'permissions'];

const ACTIONS: Record<FileOperation, string> = {
  read: 'reads',
  write: 'writes to',
  delete: 'deletes',
  move: 'moves',
  list: 'lists',
  metadata: 'inspects',
  permissions: 'changes the permissions of',
};

const CONSEQUENCES: Record<FileOperation, string> = {
  read: 'read any file this user can read',
  write: 'create or overwrite any file this user can write',
  delete: 'delete any file this user can delete',
  move: 'move or replace any file this user can write',
  list: 'list any directory this user can open',
  metadata: 'inspect any file',
  permissions: 'change the permissions of any file this user owns',
};

function actionOf(callee: string, operation: FileOperation, recursive: boolean): { action: string; consequence: string } {
  if (/mkdir|ensureDir|mkdtemp/i.test(callee)) return { action: 'creates a directory at', consequence: 'create directories wherever this user can write' };
  if (recursive) return { action: 'deletes a whole tree at', consequence: 'delete any directory tree this user can delete' };
  return { action: ACTIONS[operation], consequence: CONSEQUENCES[operation] };
}

function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isReached(call);
}

type Verdict = { kind: 'tool'; severity: Severity; check: string } | { kind: 'outside'; severity: Severity; where: string };

/** The worst of the call's path arguments (`rename(from, to)` has two), or null when none is worth a word. */
function judge(
  call: CallSite,
  pathArgs: readonly number[],
  operation: FileOperation,
  recursive: boolean,
  scope: readonly string[],
  granted: readonly string[],
): Verdict | null {
  let worst: Verdict | null = null;
  for (const position of pathArgs) {
    const arg = call.args[position];
    // Credentials, keys and persistence spots are code-sensitive-path's to report.
    if (!arg || sensitivePathOfArgument(arg) !== null) continue;
    let verdict: Verdict | null;
    if (call.taintedArgs.includes(position)) {
      verdict = judgeToolPath(call.checkedArgs.includes(position), anchoredInScope(arg), operation, scope);
    } else {
      verdict = isGranted(arg, granted) ? null : judgeConstantPath(zoneOf(arg), arg, operation, recursive);
    }
    if (verdict && (worst === null || severityRank(verdict.severity) > severityRank(worst.severity))) worst = verdict;
  }
  return worst;
}

function judgeToolPath(checked: boolean, anchored: boolean, operation: FileOperation, scope: readonly string[]): Verdict | null {
  // A check can only confine a path to roots the user or the publisher chose: the declared
  // directories, or the bundle or temp directory the path is built on (`join(tmpdir(), safeName(x))`).
  if (checked && (scope.length > 0 || anchored)) return null;
  const check = checked
    ? ' after a path check, but the manifest declares no directories for it to confine paths to'
    : scope.length > 0
      ? ` with no check against the directories the manifest declares (${scope.join(', ')})`
      : '';
  return { kind: 'tool', severity: operation === 'list' ? 'medium' : 'high', check };
}

/** Built on the bundle's directory, the temp directory or a declared path, next to the tool input. */
function anchoredInScope(arg: CallSite['args'][number]): boolean {
  return arg.labels.some((label) => label === '@bundle-dir' || label === '@tmp' || label === '@argv' || label === '@env');
}

/**
 * A constant path at or under a granted or allowed path, or one whose constant start is already
 * inside one (`/srv/data/` + name; `/srv/data` + name could be `/srv/data_evil`).
 */
function isGranted(arg: CallSite['args'][number], granted: readonly string[]): boolean {
  const text = arg.literal ?? arg.prefix;
  if (text === undefined) return false;
  const path = text.replaceAll('\\', '/');
  return granted.some((entry) => {
    const root = entry.replaceAll('\\', '/').replace(/\/+$/, '');
    return root !== '' && ((arg.literal !== undefined && path === root) || path.startsWith(`${root}/`));
  });
}

const PLACES: Partial<Record<PathZone, string>> = {
  home: 'a path under the home directory',
  cwd: 'a path in the working directory',
};

function judgeConstantPath(zone: PathZone, arg: CallSite['args'][number], operation: FileOperation, recursive: boolean): Verdict | null {
  if (zone === 'unknown' || isInScope(zone)) return null;
  const changes = operation !== 'read' && operation !== 'list';
  // Reading /etc/os-release or /proc/mounts says what machine this is; it reads nobody's files.
  if (!changes && zone === 'system') return null;
  const severity: Severity = !changes ? 'low' : recursive && isZoneRoot(arg) ? 'high' : 'medium';
  return { kind: 'outside', severity, where: describePath(zone, arg) };
}

/** `os.homedir()` itself, `/Users`: a recursive delete there wipes everything, not one cache folder. */
function isZoneRoot(arg: CallSite['args'][number]): boolean {
  if (arg.literal !== undefined) return arg.literal.split(/[\\/]/).filter(Boolean).length <= 1;
  return arg.prefix === undefined && (arg.parts ?? []).length === 0;
}

function describePath(zone: PathZone, arg: CallSite['args'][number]): string {
  const text = arg.literal ?? arg.prefix;
  if (text !== undefined && zone !== 'home' && zone !== 'cwd') return `"${text}${arg.literal === undefined ? '…' : ''}"`;
  const parts = pathPieces(arg).filter((part) => /[\w.]/.test(part)).slice(0, 3);
  if (zone === 'home' && parts.length === 0 && arg.prefix === undefined) return 'the home directory itself';
  const place = PLACES[zone] ?? 'a path';
  return parts.length > 0 ? `${place} (${parts.map((part) => `"${part}"`).join(', ')})` : place;
}

// Names on both sides of a `startsWith` that make it a path containment check rather than string
// matching (`name.startsWith(prefix)`, `url.startsWith(baseUrl)`).
const PATH_SUBJECT = /path|file|dir|folder|resolved|real|abs|target|requested|normali[sz]ed|full|candidate|child|dest|source/i;
const ROOT_NAME = /dir|root|base|folder|allowed|workspace|sandbox|home|cwd|parent|scope|path/i;
const NOT_A_PATH = /url|uri\b|href|host|origin|domain|scheme|protocol|mime|header|prefix|ext(?:ension)?\b/i;

/** `resolved.startsWith(root)`: the excerpt of a containment check whose prefix has no trailing separator, else null. */
function bareContainmentCheck(call: CallSite): string | null {
  const root = call.args[0];
  if (root === undefined || call.args.length !== 1 || root.literal !== undefined) return null;
  // `root + path.sep`, `'/'`-terminated parts, `rootWithSep`: a separator is there.
  if (root.parts?.some((part) => part.endsWith('/') || part.endsWith('\\'))) return null;
  const match = /^(.+)\.(?:startsWith|startswith)\((.+)\)$/s.exec(call.excerpt);
  if (!match) return null;
  const [, subject, prefix] = match as unknown as [string, string, string];
  if (/sep(?:arator)?(?![a-z])/i.test(prefix) || /[+`]/.test(prefix)) return null;
  if (!/^[\w$.]+(?:\(.*\))?$/s.test(prefix)) return null;
  if (!PATH_SUBJECT.test(subject) || !ROOT_NAME.test(prefix) || NOT_A_PATH.test(subject) || NOT_A_PATH.test(prefix)) return null;
  return call.excerpt;
}

/**
 * What the manifest lets the user choose: user_config directories and files (and path-named string
 * options) that mcp_config passes in args or env, and `${HOME}`-style locations written there.
 */
export function declaredScope(manifest: unknown): string[] {
  const options = new Map(userConfigOptions(manifest).map(({ name, option }) => [name, option]));
  const names = new Set<string>();
  for (const { value, field } of launchStrings(manifest)) {
    if (field === 'command') continue;
    for (const name of userConfigRefs(value)) {
      const option = options.get(name);
      const type = option?.type;
      const title = typeof option?.title === 'string' ? option.title : '';
      const pathLike = type === 'directory' || type === 'file' || (type === 'string' && /dir|folder|path|root|workspace|file/i.test(`${name} ${title}`));
      if (pathLike) names.add(name);
    }
    for (const match of value.matchAll(/\$\{(HOME|DOCUMENTS|DESKTOP|DOWNLOADS)\}/g)) names.add(`\${${match[1]}}`);
  }
  return [...names].sort();
}
