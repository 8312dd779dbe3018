import type { ScriptSignalSite, ScriptSite, ScriptStarter } from '../src/analysis/model/code-facts.js';
import type { Trigger } from '../src/analysis/model/triggers.js';
import { findingTrigger } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { COMMAND_DOES } from '../src/engine/wording.js';
import type { Category } from '../src/report.js';

// Shell, PowerShell, batch and AppleScript files a bundle ships are code like any other: a server
// that spawns `setup.sh` runs whatever that file says, with the user's rights. Each script is read as
// text and judged by the command catalogue (src/analysis/scripts.ts, docs/commands.md); a script the
// manifest, the server's code or another such script starts is reported at the severity of what it
// does, with the trigger of whatever starts it. A script nothing starts may still be run by hand or
// by a later computed command, so its strongest signals are reported, low.

/** Categories of signals in scripts nothing starts: none of them claims a capability for the bundle. */
const UNREACHED_CATEGORY: Readonly<Record<ScriptSignalSite['kind'], Category>> = {
  'download-and-run': 'supply-chain',
  'decode-and-run': 'obfuscation',
  'reverse-shell': 'supply-chain',
  exfiltration: 'supply-chain',
  destructive: 'supply-chain',
  persistence: 'sensitive-path',
  'credential-read': 'sensitive-path',
  'raw-ip-host': 'supply-chain',
  'drop-box-host': 'supply-chain',
  'defence-evasion': 'obfuscation',
  privilege: 'supply-chain',
  opaque: 'obfuscation',
};

export default defineRule({
  meta: {
    id: 'code-script',
    category: 'shell-exec',
    severity: 'high',
    description:
      'A shell, PowerShell, batch or AppleScript file in the bundle does what the command catalogue calls dangerous (downloads and runs code, opens a reverse shell, reads credentials, persists); at its own severity when the manifest, the server code or another script starts it, low otherwise.',
    remediation:
      'Read the script and what starts it; do not install a bundle whose scripts download and run code, read credentials or keep themselves running, and remove scripts the server does not use.',
    messages: {
      reached: 'The script {script} {what}: {detail}{more}; it is started by {starter}{reach}.',
      unreached: 'The script {script} {what}: {detail}{more}; nothing the server runs starts it, so the signal is weaker.',
    },
    docs: {
      why:
        'An extension runs with your privileges and no sandbox, and so does every script it starts: a server that spawns ' +
        '`setup.sh` runs whatever that file says. Shell (`.sh`, `.bash`, `.zsh`, `.command`, `#!/bin/sh`), PowerShell ' +
        '(`.ps1`, `.psm1`), batch (`.bat`, `.cmd`) and AppleScript files in the bundle are read as text, never run, and judged ' +
        'line by line by the same command catalogue that judges commands in JavaScript and Python ' +
        '([docs/commands.md](../commands.md)). A script is reached when the manifest starts it (`bash ${__dirname}/server/start.sh`), ' +
        'when a call in the server code starts it (`spawn(\'bash\', [path.join(__dirname, \'setup.sh\')])`, `execSync(\'sh ./x.sh\')`, ' +
        "Python's `subprocess.run(['bash', 'setup.sh'])`, paths resolved against the calling file's folder, the server's folder " +
        'and the bundle root), or when a reached script starts it (`. "$(dirname "$0")/env.sh"`). Each finding takes the ' +
        "severity of the catalogue's entry: critical for download-and-run, reverse shells, secrets sent off and wiping; high " +
        'for credential reads, persistence, raw-IP and drop-box hosts, decoded code run and defences turned off; medium for ' +
        'elevation and text too long to judge. It carries the trigger of whatever starts the script (a tool, the module load ' +
        "that spawns it; the manifest's launch is the server's load), and names the starter. A script nothing starts is " +
        'reported low, for its critical and high signals only: it may still be run by hand, by an install step, or by a command ' +
        'computed at run time.',
      falsePositives:
        'Commands with nothing dangerous in them (`npm run build`, `tsc`, `git --version`) are not reported: starting them is ' +
        "`code-shell-exec`'s finding (the `valid` example ships such a `build.sh` and spawns it). Official installers use " +
        '`curl … | sh` too; it is still code the bundle does not contain, fetched each time it runs. A script is linked to what ' +
        'starts it only when the path can be read from the code: a path computed from tool input or the environment leaves the ' +
        'script unreached (reported low at most), so read the starter when a finding says nothing starts a script the server ' +
        'plainly uses. Scripts are read up to 1 MB each and 16 MB per bundle; what is left unread makes the audit incomplete.',
      references: [
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'MITRE ATT&CK T1059: Command and Scripting Interpreter', url: 'https://attack.mitre.org/techniques/T1059/' },
        { title: 'MITRE ATT&CK T1105: Ingress Tool Transfer', url: 'https://attack.mitre.org/techniques/T1105/' },
        { title: 'MITRE ATT&CK T1552.004: Unsecured Credentials: Private Keys', url: 'https://attack.mitre.org/techniques/T1552/004/' },
      ],
    },
  },
  check({ code }, context) {
    for (const script of code.scripts) {
      for (const { signal, more } of grouped(script)) {
        const data = { script: script.file, what: COMMAND_DOES[signal.kind], detail: signal.detail, more: more > 0 ? ` (and ${more} more ${more === 1 ? 'line' : 'lines'})` : '' };
        const at = { location: { file: script.file, line: signal.line, column: signal.column }, evidence: signal.excerpt, origin: script.origin };
        if (script.reached) {
          const trigger = script.startedBy[0];
          const tools = script.startedBy.flatMap((candidate) => (candidate.kind === 'tool' ? [candidate.name] : []));
          context.report({
            messageId: 'reached',
            data: { ...data, starter: starterWords(script.starters), reach: reachWords(trigger) },
            severity: signal.severity,
            ...at,
            tools,
            ...(trigger === undefined ? {} : { trigger: findingTrigger(trigger) }),
          });
        } else if (signal.severity === 'critical' || signal.severity === 'high') {
          context.report({ messageId: 'unreached', data, severity: 'low', category: UNREACHED_CATEGORY[signal.kind], ...at });
        }
      }
    }
  },
});

/** The script's signals, one per kind and detail (the first line it is on), with how many more lines show it. */
function grouped(script: ScriptSite): Array<{ signal: ScriptSignalSite; more: number }> {
  const byKey = new Map<string, { signal: ScriptSignalSite; more: number }>();
  for (const signal of script.signals) {
    const key = `${signal.kind}\u0000${signal.detail}`;
    const known = byKey.get(key);
    if (known === undefined) byKey.set(key, { signal, more: 0 });
    else known.more += 1;
  }
  return [...byKey.values()];
}

function starterWords(starters: readonly ScriptStarter[]): string {
  const first = starters[0];
  if (first === undefined) return 'the server';
  const words =
    first.kind === 'manifest' ? "the manifest's launch command"
    : first.kind === 'script' ? `the script ${first.file}`
    : `${first.callee ?? 'a call'}() in ${first.file}${first.line === undefined ? '' : `:${first.line}`}`;
  return starters.length > 1 ? `${words} (and ${starters.length - 1} more)` : words;
}

function reachWords(trigger: Trigger | undefined): string {
  switch (trigger?.kind) {
    case undefined:
      return '';
    case 'tool':
      return `, from tool "${trigger.name}"`;
    case 'load':
      return ', as soon as the server loads';
    case 'listener':
      return `, from a network listener (${trigger.name})`;
    case 'timer':
      return `, on a timer (${trigger.name})`;
    case 'install':
      return `, on install (${trigger.name})`;
  }
}
