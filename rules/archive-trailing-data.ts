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
