import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-encrypted-entry',
    category: 'archive',
    severity: 'high',
    description: 'An entry is encrypted, so its content cannot be audited.',
    remediation: 'Ask the publisher for an unencrypted bundle; nothing legitimate needs encrypted entries.',
    messages: {
      encrypted: 'Entry "{name}" is encrypted; its content could not be audited.',
    },
    docs: {
      why:
        'An encrypted entry hides its content from every reviewer and from this audit. Claude Desktop cannot extract it either ' +
        'without a password, so the only reason to ship one is to carry something that a later step (the server itself, given ' +
        'the key) decrypts and runs, out of sight. High: nothing legitimate in an extension needs ZIP encryption, and the ' +
        'entry is reported as not audited.',
      falsePositives:
        "Only the encryption flag in the entry's header counts, never the file name: `server/encrypted.js` that is ordinary " +
        "text is not flagged (the `valid` example). Data that is encrypted inside a normal, readable file (an encrypted " +
        "configuration blob, say) is not this rule's concern; a long random-looking string in code is `code-obfuscation`'s.",
      references: [
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
      ],
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'encrypted' && event.entry !== undefined) {
        context.report({ messageId: 'encrypted', data: { name: event.entry }, location: { file: event.entry } });
      }
    }
  },
});
