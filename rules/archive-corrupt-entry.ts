import { defineRule } from '../src/engine/rule.js';

// A damaged archive is not a usage error: the bytes that cannot be read cannot be vouched for.
export default defineRule({
  meta: {
    id: 'archive-corrupt-entry',
    category: 'archive',
    severity: 'high',
    description: 'The archive or one of its entries is damaged (bad CRC, broken compressed data, truncated directory) or unreadable.',
    remediation: 'Download the bundle again; if it stays damaged, do not install it.',
    messages: {
      entry: 'Entry "{name}" could not be read: {detail}.',
      archive: 'The archive is damaged: {detail}.',
    },
    docs: {
      why:
        'A bundle is hostile input until shown otherwise, and bytes that cannot be read cannot be vouched for. A wrong CRC-32, ' +
        'compressed data that will not inflate, an unsupported compression method or a truncated central directory mean that ' +
        'part of the bundle was not audited, and a lenient extractor may still unpack something from it, which is exactly the ' +
        'part nobody checked. High, and the bundle is marked incomplete: a partial audit must never look clean.',
      falsePositives:
        "Intact entries are never flagged, however large or unusual (the `valid` example holds the same two entries, intact). " +
        "A download cut short produces this finding too; download the bundle again and compare its size and checksum with what " +
        "the publisher lists before concluding that it was tampered with. An entry compressed with a method dxt-audit does not " +
        "implement (anything other than stored and deflate) is reported here as unreadable; Claude Desktop's extractor cannot " +
        "read it either.",
      references: [
        { title: 'CWE-354: Improper Validation of Integrity Check Value', url: 'https://cwe.mitre.org/data/definitions/354.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind !== 'corrupt' && event.kind !== 'unsupported-method' && event.kind !== 'unreadable') continue;
      if (event.entry === undefined) {
        context.report({ messageId: 'archive', data: { detail: event.detail }, location: { file: '.' } });
      } else {
        context.report({ messageId: 'entry', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
