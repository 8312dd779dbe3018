import { defineRule } from '../src/engine/rule.js';

// The central directory and the local header each carry the name; tools that stream an archive
// read the local one, tools that seek read the central one.
export default defineRule({
  meta: {
    id: 'archive-header-mismatch',
    category: 'archive',
    severity: 'high',
    description: "An entry's local header names a different file than the central directory does.",
    remediation: 'Do not install: streaming and seeking extractors would write different files.',
    messages: {
      mismatch: 'Entry "{name}" is named differently in its local header: {detail}.',
    },
    docs: {
      why:
        "Every ZIP entry is described twice: in its local header, next to the data, and in the central directory at the end. " +
        "Tools that stream an archive read the local header; tools that seek to the end read the central one. When the two " +
        "disagree, a reviewer's tool can show `server/safe.js` while an extractor writes `server/evil.js`, or the reverse. " +
        "High: the archive was crafted to make two tools see two bundles.",
      falsePositives:
        'Matching headers are never flagged (the `valid` example). Besides the name (compared byte for byte), the rule reports ' +
        'a local header that disagrees with the central directory on the compression method, the encryption flag, the CRC-32 ' +
        'or the sizes; when an entry uses a data descriptor (flag bit 3), its local CRC and sizes are legitimately zero and ' +
        'are not compared. Standard zip writers fill both headers from the same values, so there are no known benign causes.',
      references: [
        { title: 'CWE-436: Interpretation Conflict', url: 'https://cwe.mitre.org/data/definitions/436.html' },
        { title: 'CVE-2013-4787: Android APK signature bypass through ZIP parsing differences', url: 'https://nvd.nist.gov/vuln/detail/CVE-2013-4787' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'header-mismatch' && event.entry !== undefined) {
        context.report({ messageId: 'mismatch', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
