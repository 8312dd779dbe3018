import type { BinaryStringKind, KindEvidence } from '../src/analysis/binary/evidence.js';
import { identifyNative } from '../src/analysis/binary/identify.js';
import { entryPointPath, serverProgramPaths } from '../src/analysis/binary/program.js';
import { SEARCH_LIMITS, searchNativeFiles } from '../src/analysis/binary/search.js';
import { SENSITIVE_PATHS } from '../src/analysis/catalog/sensitive-paths.js';
import { declaredHosts } from '../src/analysis/hosts.js';
import type { VirtualFile } from '../src/bundle/container.js';
import { defineRule } from '../src/engine/rule.js';
import { stringAt } from '../src/manifest/access.js';
import { serverType } from '../src/manifest/mcp-config.js';
import type { Severity } from '../src/report.js';

// Machine code cannot be read the way JavaScript can, but its printable strings can: the URLs it
// was built with, command lines it may hand a shell, paths it may open. They are evidence, not proof:
// a string in a binary does not show that the program uses it, libraries carry strings for code the
// program never calls, and a program can build or decrypt any string at run time, so the absence of
// a string shows nothing either. Every finding says so. Severities: info for hosts, raw public IP
// addresses and ordinary shell command lines (context for a reviewer); low for sensitive paths and
// persistence locations, services that collect data for anyone, and commands that download a script
// and run it, which ordinary programs do not carry (info for a sensitive path the bundle's
// description explains, such as `.kube` in a Kubernetes server). Never higher: nothing here is seen
// running. One finding per binary and kind, with at most five examples.
//
// Which binaries: a binary server's programs (its command on each platform and its entry point)
// first, then the other native files the publisher ships as its own (first-party). Prebuilt binaries
// inside dependencies (node_modules, site-packages) are not read: they are builds of public packages,
// file-native-code lists them, and their strings (libc's, OpenSSL's, libvips's) would bury the
// publisher's own under noise. Reading is bounded per file and per bundle; a file read only in part,
// and files not read at all, are reported at info.

const KINDS: ReadonlyArray<{ kind: BinaryStringKind; messageId: 'host' | 'ip' | 'command' | 'downloadAndRun' | 'sensitivePath' | 'exfiltrationHost'; severity: Severity }> = [
  { kind: 'exfiltration-host', messageId: 'exfiltrationHost', severity: 'low' },
  { kind: 'download-and-run', messageId: 'downloadAndRun', severity: 'low' },
  { kind: 'sensitive-path', messageId: 'sensitivePath', severity: 'low' },
  { kind: 'command', messageId: 'command', severity: 'info' },
  { kind: 'host', messageId: 'host', severity: 'info' },
  { kind: 'ip', messageId: 'ip', severity: 'info' },
];

const SHOWN = 5;
const MiB = 1024 * 1024;
const megabytes = (bytes: number): string => (bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0);

/**
 * The distinct values found, at most five shown: `"a", "b" and 3 more` (quoted: hosts, addresses,
 * commands) or `SSH keys and browser profiles` (names of kinds of place), raw (the engine escapes them).
 */
function valueList({ values, capped }: KindEvidence, quoted: boolean): string {
  const shown = values.slice(0, SHOWN).map((value) => (quoted ? `"${value}"` : value));
  const rest = values.length - shown.length;
  if (rest === 0) return shown.length < 2 ? shown.join('') : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)!}`;
  return `${shown.join(', ')} and ${capped ? 'at least ' : ''}${rest} more`;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;

export default defineRule({
  meta: {
    id: 'file-binary-strings',
    category: 'native-code',
    severity: 'low',
    description:
      "A binary server's program, or a native file the publisher ships, contains strings worth a look: hosts and IP addresses, shell command lines, sensitive paths, data-collecting services, download-and-run commands.",
    remediation:
      'Ask the publisher what the program uses these strings for; a download-and-run command, a data-collecting service or a credential path in a program that has no business with them is reason not to install.',
    messages: {
      host: 'Binary "{file}" contains URLs naming {count} the manifest does not declare: {list}. A string in a binary does not show that the program uses it.',
      ip: 'Binary "{file}" contains {count}: {list}. A string in a binary does not show that the program uses it.',
      command: 'Binary "{file}" contains shell command lines ({list}). A string in a binary does not show that the program runs it.',
      downloadAndRun:
        'Binary "{file}" contains a command line that downloads a script and runs it ({list}). A string in a binary does not show that the program runs it.',
      sensitivePath:
        'Binary "{file}" contains paths to {list}{purpose}. A string in a binary does not show that the program opens the file.',
      exfiltrationHost:
        'Binary "{file}" names {list}, {services}. A string in a binary does not show that the program contacts it.',
      truncated: 'Binary "{file}" ({total} MB) was searched for strings only in part: the search stops after {limit}.',
      skipped: '{count} ({size} MB), such as "{file}", were not searched for strings: the search stops after {budget} MB, or as many strings, per bundle.',
    },
    docs: {
      why:
        "Machine code cannot be read the way JavaScript can, but its printable strings can (runs of six or more printable " +
        "ASCII characters, and the same stored as UTF-16LE, as Windows programs keep them): the URLs a program was built " +
        "with, command lines it may hand a shell, paths it may open. For a binary server's programs (its command on each " +
        "platform and its entry point) and the other native files the publisher ships as its own, the strings are sorted " +
        "with the catalogs the code rules use, and each kind is one finding per file with up to five examples. Info: hosts " +
        "of URLs the manifest does not declare, raw public IP addresses, and shell command lines (`sh -c`, `cmd /c`, " +
        "`powershell -EncodedCommand`, `rm -rf`, `schtasks /create`, `launchctl load`). Low: sensitive paths and persistence " +
        "locations (SSH and cloud credentials, browser data, keychains, other AI clients' configuration, start-up files; " +
        "info when the bundle's description explains the location), services that collect data for anyone (webhook " +
        "catchers, chat webhooks, paste sites, tunnels), and a download piped into a shell (`curl … | sh`, `iwr … | iex`). " +
        "Never higher: a string in a binary does not show that the program uses it, and every finding says so.",
      falsePositives:
        "Strings are evidence, not proof: libraries linked into a program carry strings for code it never calls, and " +
        "comments, documentation and test data embedded in a binary carry URLs. Left out: prebuilt binaries inside " +
        "dependencies (`node_modules`, `site-packages`; `file-native-code` lists them), URLs of hosts the manifest declares, " +
        "placeholders and loopback, certificate revocation and issuer URLs of code signatures, dotted numbers that look like " +
        "versions, object identifiers or section numbers (an address counts with a port, or when it is the whole string, " +
        "does not end in `.0` and does not start with two one-digit numbers), `/etc/passwd` (every statically linked C library reads it to look names up), and bare file names without a " +
        "folder (`.netrc`, `id_rsa`). Conversely a program can build, download or decrypt any string at run time, so a " +
        "binary without findings is not shown to be harmless. The search stops after 64 MB of one file and 128 MB per " +
        "bundle, and after a number of strings far above what real programs hold (so that a file packed with tiny strings " +
        "costs no more than a real program); what was not searched is reported at info.",
      references: [
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'MITRE ATT&CK T1027: Obfuscated Files or Information', url: 'https://attack.mitre.org/techniques/T1027/' },
        { title: 'MITRE ATT&CK T1105: Ingress Tool Transfer', url: 'https://attack.mitre.org/techniques/T1105/' },
      ],
    },
  },
  check(facts, context) {
    const { manifest, container } = facts;
    const { originOf } = facts;
    const programs =
      manifest.json !== undefined && serverType(manifest.json) === 'binary' ? serverProgramPaths(manifest.json, container, entryPointPath(manifest.json)) : [];
    const programSet = new Set(programs);
    const native = (path: string): VirtualFile | null => {
      const file = container.files.get(path);
      return file !== undefined && identifyNative(file.bytes) !== null ? file : null;
    };
    // Programs first, then first-party native files smallest first, so that one huge file cannot starve the rest.
    const others = [...container.files.values()]
      .filter((file) => !programSet.has(file.path) && identifyNative(file.bytes) !== null && originOf(file.path) === 'first-party')
      .sort((a, b) => a.bytes.byteLength - b.bytes.byteLength || (a.path < b.path ? -1 : 1));
    const targets = [...programs.flatMap((path) => native(path) ?? []), ...others];

    const declared = declaredHosts(manifest.json, facts.settings.allowedHosts);
    const about = [stringAt(manifest.json, ['name']), stringAt(manifest.json, ['display_name']), stringAt(manifest.json, ['description'])].join(' ');
    const { searched, skipped } = searchNativeFiles(targets, { declared });
    for (const { file, evidence: { scan, found }, cutBy } of searched) {
      const base = { location: { file: file.path }, origin: originOf(file.path) } as const;
      for (const { kind, messageId, severity } of KINDS) {
        const evidence = found.get(kind);
        if (evidence === undefined || evidence.values.length === 0) continue;
        const count = evidence.values.length;
        const quoted = kind !== 'sensitive-path' && kind !== 'exfiltration-host';
        const data: Record<string, string> = { file: file.path, list: valueList(evidence, quoted) };
        let level = severity;
        if (kind === 'host') data.count = `${plural(count, 'host', 'hosts')}${evidence.capped ? ' or more' : ''}`;
        if (kind === 'ip') data.count = `${plural(count, 'raw public IP address', 'raw public IP addresses')}${evidence.capped ? ' or more' : ''}`;
        if (kind === 'exfiltration-host') data.services = count === 1 ? 'a service that collects data for anyone' : 'services that collect data for anyone';
        if (kind === 'sensitive-path') {
          // A location the bundle says it works with (`.kube` in a Kubernetes server) is context, not a warning.
          const explained = evidence.values.every((name) => SENSITIVE_PATHS.find((entry) => entry.name === name)?.purpose?.test(about) ?? false);
          data.purpose = explained ? ", which the bundle's description says it works with" : '';
          if (explained) level = 'info';
        }
        context.report({ messageId, severity: level, data, evidence: evidence.examples.map((example) => `"${example}"`).join(', '), ...base });
      }
      if (cutBy !== null) {
        const limit = (cutBy.scope === 'file' ? SEARCH_LIMITS.perFile : SEARCH_LIMITS.perBundle)[cutBy.measure];
        const amount =
          cutBy.measure === 'bytes'
            ? `${megabytes(limit)} MB`
            : `${limit.toLocaleString('en-US')} ${cutBy.measure === 'strings' ? 'strings' : 'strings worth a closer look'}`;
        context.report({
          messageId: 'truncated',
          severity: 'info',
          data: { file: file.path, total: megabytes(scan.totalBytes), limit: `${amount} per ${cutBy.scope}` },
          ...base,
        });
      }
    }
    if (skipped.length > 0) {
      context.report({
        messageId: 'skipped',
        severity: 'info',
        data: {
          count: plural(skipped.length, 'more native file', 'more native files'),
          size: megabytes(skipped.reduce((sum, file) => sum + file.bytes.byteLength, 0)),
          file: skipped[0]!.path,
          budget: megabytes(SEARCH_LIMITS.perBundle.bytes),
        },
        location: { file: skipped[0]!.path },
        origin: originOf(skipped[0]!.path),
      });
    }
  },
});
