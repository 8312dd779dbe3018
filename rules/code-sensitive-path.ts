import type { CallSite, StringSite } from '../src/analysis/model/code-facts.js';
import type { ArgumentFact } from '../src/analysis/model/file-facts.js';
import { fileApi, operationOf, pathPieces, type FileOperation } from '../src/analysis/catalog/filesystem.js';
import { sensitivePathOf, sensitivePathOfArgument, type SensitiveClass, type SensitivePath } from '../src/analysis/catalog/sensitive-paths.js';
import { atCallSite, isReached } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { quoteList, triggerPhrase } from '../src/engine/wording.js';
import { stringAt } from '../src/manifest/access.js';
import { SEVERITIES, severityRank, type Severity } from '../src/report.js';

// What an extension does with credentials, keys, browser data, keychains, other AI clients'
// configuration and the places programs restart from decides whether it is a thief or a foothold,
// whatever else it does. Severities, for a file call whose path names such a place:
// - persistence writes (shell start-up files, LaunchAgents, crontab, systemd user units, Run keys,
//   Startup, authorized_keys, git hooks) and writes to AI clients' configuration (a new MCP server
//   there runs at the next start): critical when something sets them off (a tool, a module load,
//   a listener, a timer), else high;
// - reads of credentials, keys, browser data, keychains and AI clients' configuration: critical when
//   something sets them off (the model can hand them to anything it talks to), else high; one step lower when the bundle says the credential is its job (a Kubernetes server reading
//   kube config); other writes and deletes there high, existence checks low;
// - reads of persistence files low, deletes medium, existence checks info;
// - a `.env` file: low at most (usually the server's own), and never reported as a mere mention;
// - a path named in code with no file call seen using it: low in first-party code, info in a
//   dependency something sets off, nothing otherwise (libraries such as
//   @kubernetes/client-node know where kube config lives).
export default defineRule({
  meta: {
    id: 'code-sensitive-path',
    category: 'sensitive-path',
    severity: 'high',
    description:
      'Server code reads credentials, keys, browser data, keychains or other AI clients\' configuration, or writes to shell start-up files, LaunchAgents, crontab and other persistence spots.',
    remediation:
      'Take credentials through user_config (sensitive options) instead of reading them from disk, and never write start-up files or other clients\' configuration from an extension.',
    messages: {
      read: '{api} reads {what} ({path}){reach}{purpose}.',
      write: '{api} writes to {what} ({path}){reach}: {consequence}.',
      remove: '{api} deletes {what} ({path}){reach}.',
      probe: '{api} checks for {what} ({path}){reach}.',
      mention: 'The code names {what} ("{path}"){reach}, though no file call seen here uses it.',
    },
    docs: {
      why:
        "What an extension does with credentials, keys, browser data, keychains, other AI clients' configuration and the " +
        "places programs restart from decides whether it is a thief or a foothold. Critical when something sets the code " +
        "off (a tool, a module's load, a network listener, a timer): writing a persistence spot (shell start-up files, LaunchAgents, crontab, systemd user units, Windows Run " +
        "keys and Startup, `authorized_keys`, git hooks) or another AI client's configuration (a new MCP server there runs " +
        "with your privileges at the client's next start), and reading credentials, keys (crypto wallets among them: desktop " +
        "wallets, Solana's key file, MetaMask, Phantom and other wallet extensions' storage), browser data, keychains or AI " +
        "clients' configuration (the model can hand them to anything it talks to). High for the same in first-party code " +
        "nothing sets off, and for other writes and deletes of credentials. One step lower for reads when the bundle's name or " +
        "description says the credential is its job (a Kubernetes server reading kube config). Lower still: reads of " +
        "persistence files (low), deletes there (medium), existence checks (low, info for persistence files).",
      falsePositives:
        "`.env` files are usually the server's own configuration: reported low at most, never for an existence check, and " +
        "never as a mere mention. A path named in code with no file call seen using it is low in first-party code and info in " +
        "a dependency something sets off, nothing otherwise: libraries such as `@kubernetes/client-node` know where kube config " +
        "lives without reading it for an attacker (the `valid` example's `aws-profile-lib`). A purpose that matches the " +
        "bundle's description lowers reads but never writes. If a finding names a file the extension plainly needs (a Git " +
        "credential helper in a Git extension), the description match failed; judge by the tool named in the message.",
      references: [
        { title: 'MITRE ATT&CK T1552.001: Unsecured Credentials: Credentials In Files', url: 'https://attack.mitre.org/techniques/T1552/001/' },
        { title: 'MITRE ATT&CK T1547: Boot or Logon Autostart Execution', url: 'https://attack.mitre.org/techniques/T1547/' },
        { title: 'MITRE ATT&CK T1546.004: Event Triggered Execution: Unix Shell Configuration Modification', url: 'https://attack.mitre.org/techniques/T1546/004/' },
        { title: 'CWE-522: Insufficiently Protected Credentials', url: 'https://cwe.mitre.org/data/definitions/522.html' },
      ],
    },
  },
  check({ code, manifest }, context) {
    const about = [stringAt(manifest.json, ['name']), stringAt(manifest.json, ['display_name']), stringAt(manifest.json, ['description'])].join(' ');
    const named = new Set<string>();
    for (const call of code.calls) {
      const api = fileApi(call.callee);
      if (api === null || !worthReporting(call)) continue;
      const found = namedPath(call, api.pathArgs);
      if (!found) continue;
      const operation = operationOf(api, call.args, call.excerpt);
      const purposeMet = found.entry.purpose?.test(about) ?? false;
      const verdict = judge(found.entry, operation, isActive(call), purposeMet);
      named.add(`${call.file}|${found.entry.name}`);
      if (verdict === null) continue;
      context.report({
        messageId: verdict.messageId,
        data: {
          api: `${call.callee}()`,
          what: found.entry.name,
          path: describe(call.args[found.position]!, call, found.position),
          reach: triggerPhrase(call.triggers),
          purpose: purposeMet ? ', which the bundle\'s description says it works with' : '',
          consequence: CONSEQUENCES[found.entry.class],
        },
        severity: verdict.severity,
        ...atCallSite(call),
      });
    }
    for (const site of code.strings) {
      if (site.kind !== 'sensitive-path') continue;
      const entry = sensitivePathOf(site.value);
      if (entry === null || entry.weak || named.has(`${site.file}|${entry.name}`)) continue;
      const severity = mentionSeverity(site);
      if (severity === null) continue;
      context.report({
        messageId: 'mention',
        data: { what: entry.name, path: site.value, reach: triggerPhrase(site.triggers) },
        severity,
        location: { file: site.file, line: site.line, column: site.column },
        origin: site.origin,
        tools: site.tools,
      });
    }
  },
});

const CONSEQUENCES: Record<SensitiveClass, string> = {
  persistence: 'what is written there runs again at every login or shell start, long after the conversation',
  'ai-client-config': 'a server added there runs with the user\'s privileges at the client\'s next start',
  credentials: 'the user\'s access to other systems changes',
  'browser-data': 'the browser\'s stored sessions and passwords change',
  keychain: 'the system\'s store of secrets changes',
};

type MessageId = 'read' | 'write' | 'remove' | 'probe';

/** The first path argument that names a sensitive place. */
function namedPath(call: CallSite, pathArgs: readonly number[]): { entry: SensitivePath; position: number } | null {
  for (const position of pathArgs) {
    const arg = call.args[position];
    const found = arg ? sensitivePathOfArgument(arg) : null;
    if (found) return { ...found, position };
  }
  return null;
}

function judge(entry: SensitivePath, operation: FileOperation, active: boolean, purposeMet: boolean): { messageId: MessageId; severity: Severity } | null {
  const messageId: MessageId =
    operation === 'read' || operation === 'list' ? 'read' : operation === 'delete' ? 'remove' : operation === 'metadata' ? 'probe' : 'write';
  // `existsSync('.env')` is how dotenv-style loading starts.
  if (entry.weak && messageId === 'probe') return null;
  let severity = baseSeverity(entry.class, messageId, active);
  if (purposeMet && messageId !== 'write') severity = lower(severity);
  if (entry.weak && severityRank(severity) > severityRank('low')) severity = 'low';
  return { messageId, severity };
}

function baseSeverity(kind: SensitiveClass, messageId: MessageId, active: boolean): Severity {
  const plants = kind === 'persistence' || kind === 'ai-client-config';
  if (messageId === 'write') return plants && active ? 'critical' : 'high';
  if (kind === 'persistence') return messageId === 'read' ? 'low' : messageId === 'remove' ? 'medium' : 'info';
  if (messageId === 'read') return active ? 'critical' : 'high';
  return messageId === 'remove' ? 'high' : 'low';
}

function lower(severity: Severity): Severity {
  return SEVERITIES[Math.max(0, severityRank(severity) - 1)]!;
}

function mentionSeverity(site: StringSite): Severity | null {
  if (site.origin === 'first-party') return 'low';
  return isReached(site) ? 'info' : null;
}

/** Something sets the code off (a tool's handler, the module's load, a listener, a timer): it runs without anyone reviewing it. */
function isActive(call: CallSite): boolean {
  return isReached(call);
}

function worthReporting(call: CallSite): boolean {
  return call.origin === 'first-party' || isActive(call);
}

/** The path as written, or rebuilt from its pieces (`~/.ssh/id_rsa` from `path.join(os.homedir(), '.ssh', 'id_rsa')`). */
function describe(arg: ArgumentFact, call: CallSite, position: number): string {
  const joined = pathPieces(arg).join('/');
  // Python's `os.path.expanduser("~")` brings its own `~`.
  const root = arg.labels.includes('@home') ? (joined.startsWith('~') ? '' : '~/') : arg.labels.includes('@cwd') ? './' : '';
  const text = arg.literal ?? (arg.prefix !== undefined ? `${arg.prefix}…` : `${root}${joined}`);
  const chosen = call.taintedArgs.includes(position) ? `, with a part chosen by the input of tool ${quoteList(call.taintedBy)}` : '';
  return `"${text}"${chosen}`;
}
