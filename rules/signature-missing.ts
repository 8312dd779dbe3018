import { defineRule } from '../src/engine/rule.js';

// Informational: most bundles are unsigned today, and the reference `verify` command reports every
// signed bundle as unsigned anyway. The fact still belongs in an install decision.
export default defineRule({
  meta: {
    id: 'signature-missing',
    category: 'signature',
    severity: 'info',
    description: 'The archive carries no signature block, so its publisher cannot be verified.',
    remediation: 'Prefer bundles signed by their publisher (`mcpb sign`), obtained from a source you trust.',
    messages: {
      unsigned: 'The bundle is not signed; nothing ties it to its publisher.',
    },
    docs: {
      why:
        'Without a signature nothing ties the bundle to its publisher: anyone who can replace the file on a download page, a ' +
        'mirror or a shared drive can ship their own code under the same name. Info: most bundles are unsigned today, and the ' +
        'reference `mcpb verify` command reports every signed one as unsigned too, but the fact belongs in an install decision, ' +
        'especially for bundles passed around outside a marketplace.',
      falsePositives:
        "Unpacked bundle folders are never reported, since they cannot carry a signature. A signed bundle is not flagged (the " +
        "`valid` example); its signature is judged by `signature-invalid`, `signature-untrusted` and `signature-self-signed`. " +
        "If you require signed bundles, look for this " +
        "rule's id in the JSON report (`--format json`) rather than relying on `--fail-on`, which an info finding passes " +
        "unless the gate is `info`.",
      references: [
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
        { title: 'CWE-345: Insufficient Verification of Data Authenticity', url: 'https://cwe.mitre.org/data/definitions/345.html' },
      ],
    },
  },
  check({ container }, context) {
    if (container.kind === 'archive' && container.layout !== null && container.layout.signature === null) {
      context.report({ messageId: 'unsigned', location: { file: '.' } });
    }
  },
});
