import type { SignalKind } from '../src/analysis/model/code-facts.js';
import { defineRule } from '../src/engine/rule.js';
import type { Category } from '../src/report.js';

// Code rules read only the files the server's entry point loads, so that library code a server
// never runs (the MCP SDK's client-side process spawning, say) raises no capability. A payload can
// still be planted elsewhere in the bundle: in a file another package's entry would load, in a
// test or script a publisher runs, or waiting for a later `require` by a computed name. The other
// script files are therefore scanned as text for a few signals that ordinary code does not carry
// (src/analysis/text-signals.ts), and reported here low, never higher: the entry point does not
// load the file, so nothing says it runs. Each finding takes the category of what it found; none of
// those categories claims a capability for the bundle.
const CATEGORY: Record<SignalKind, Category> = {
  'decode-and-run': 'obfuscation',
  'exfiltration-host': 'exfiltration',
  'download-and-run': 'supply-chain',
  persistence: 'sensitive-path',
};

const MESSAGE: Record<SignalKind, 'decodeAndRun' | 'exfiltrationHost' | 'downloadAndRun' | 'persistence'> = {
  'decode-and-run': 'decodeAndRun',
  'exfiltration-host': 'exfiltrationHost',
  'download-and-run': 'downloadAndRun',
  persistence: 'persistence',
};

const WEAKER = "the server's entry point does not load this file, so the signal is weaker";

export default defineRule({
  meta: {
    id: 'code-unreachable-signal',
    category: 'obfuscation',
    severity: 'low',
    description:
      'A script file the server never loads holds a strong malware signal: decoded code run, an exfiltration service, a download piped to a shell, or a persistence location.',
    remediation: 'Remove files the server does not use from the bundle, and find out why this one carries that code.',
    messages: {
      decodeAndRun: 'The file runs decoded text as code, {detail}{more}; ' + WEAKER + '.',
      exfiltrationHost: 'The file names {detail}, a service that collects data for anyone{more}; ' + WEAKER + '.',
      downloadAndRun: 'The file holds a command that downloads a script and runs it ({detail}){more}; ' + WEAKER + '.',
      persistence: 'The file names a location that starts programs with the session ({detail}){more}; ' + WEAKER + '.',
    },
    docs: {
      why:
        "Code rules read only the files the server's entry point loads, so that library code a server never runs (the MCP " +
        "SDK's client-side process spawning, say) raises no capability. A payload can still be planted elsewhere in the " +
        "bundle: in a file another package's entry would load, in a test or script a publisher runs, or waiting for a later " +
        "`require` by a computed name. The other script files are therefore scanned as text for four signals ordinary code " +
        "does not carry: decoded text run as code (`eval(atob(...))`, Python's `exec(base64.b64decode(...))`), an exfiltration " +
        "service, a download piped to a shell (or run by `exec(urlopen(...).read())`), and a persistence location (a shell " +
        "start-up file appended to, LaunchAgents). Python modules the entry script never imports are scanned the same way. " +
        "Always low: nothing says the file runs. Each finding takes the category of what it found.",
      falsePositives:
        "Directory names are never a reason to skip a file (`dist/`, `build/` and `node_modules/` hide real payloads), so a " +
        "security tool or test suite bundled in `node_modules` that mentions webhook.site or LaunchAgents in its own patterns " +
        "is reported; the excerpt shows whether the text is code that acts or a pattern that detects. Mentions in comments " +
        "(`#` lines in Python) are skipped. Shell-completion templates and test fixtures that only name such places (the `valid` example's `yargs` " +
        "completion script) are not signals. Text scanning has a per-bundle byte budget; what it could not scan is reported as " +
        "a gap in the audit.",
      references: [
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'MITRE ATT&CK T1027: Obfuscated Files or Information', url: 'https://attack.mitre.org/techniques/T1027/' },
        { title: 'MITRE ATT&CK T1547: Boot or Logon Autostart Execution', url: 'https://attack.mitre.org/techniques/T1547/' },
      ],
    },
  },
  check({ code }, context) {
    for (const signal of code.unreachedSignals) {
      context.report({
        messageId: MESSAGE[signal.kind],
        data: { detail: signal.detail, more: signal.occurrences > 1 ? `, ${signal.occurrences - 1} more times in this file` : '' },
        severity: 'low',
        category: CATEGORY[signal.kind],
        location: { file: signal.file, line: signal.line, column: signal.column },
        evidence: signal.excerpt,
        origin: signal.origin,
      });
    }
  },
});
