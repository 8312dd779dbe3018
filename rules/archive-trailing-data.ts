import { defineRule } from '../src/engine/rule.js';

// Parser differential: `unzip` and most libraries read an archive from its end, while the
// reference unpacker strips a signature first. Bytes outside the archive proper (a second ZIP
// appended after the signature, a stub prepended before it) let two tools see two bundles.
export default defineRule({
  meta: {
    id: 'archive-trailing-data',
    category: 'archive',
    severity: 'high',
    description: 'Bytes before the first entry or after the archive that are not a well-formed signature block.',
    remediation: 'Do not install: different tools may read different content from this file.',
    messages: {
      trailing: '{bytes} bytes follow the end of the archive and are not a well-formed signature block; other tools may read them as the bundle.',
      prefix: '{bytes} bytes precede the first entry (a stub or a second file); other tools may read them as the bundle.',
    },
    docs: {
      why:
        '`unzip` and most libraries locate an archive from its end, while the MCPB tooling first strips a signature block ' +
        'there. Bytes that are neither part of the archive nor a well-formed signature, such as a second complete ZIP appended ' +
        'after the first or a shell script prepended to make a polyglot, let two tools read two different bundles from one ' +
        'file: the one that was reviewed and the one that is installed. High.',
      falsePositives:
        "A well-formed MCPB signature block after the archive is expected and not flagged (the `valid` example); a signature " +
        "block that is present but broken is `signature-malformed`'s finding. Self-extracting archives also carry a prefix and " +
        "are reported, since they are not bundles. A few padding bytes added by a download tool would also be reported; if the " +
        "byte count in the message is small and the rest of the audit is clean, ask the publisher for a fresh copy.",
      references: [
        { title: 'CWE-436: Interpretation Conflict', url: 'https://cwe.mitre.org/data/definitions/436.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
      ],
    },
  },
  check({ container }, context) {
    const layout = container.layout;
    if (layout === null) return;
    if (layout.trailingBytes > 0) {
      context.report({ messageId: 'trailing', data: { bytes: layout.trailingBytes }, location: { file: '.' } });
    }
    if (layout.prefixBytes > 0) {
      context.report({ messageId: 'prefix', data: { bytes: layout.prefixBytes }, location: { file: '.' } });
    }
  },
});
