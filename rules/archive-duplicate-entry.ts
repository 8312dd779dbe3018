import { defineRule } from '../src/engine/rule.js';

// Two entries with one name: which one lands on disk depends on the extractor, so the file that
// was reviewed need not be the file that runs. Zip libraries silently keep only one of them.
export default defineRule({
  meta: {
    id: 'archive-duplicate-entry',
    category: 'archive',
    severity: 'high',
    description: 'Two or more entries in the central directory have exactly the same name.',
    remediation: 'Do not install: different tools would extract different content under this name.',
    messages: {
      duplicate: 'Entry "{name}" appears {count} times; which copy is installed depends on the extractor.',
    },
    docs: {
      why:
        "Two central-directory records with the same name let different tools see different files under one path: some " +
        "extractors keep the first copy, some the last, and a reviewer's unzip tool may show a third. This is the construction " +
        "behind the Android \"Master Key\" bug (CVE-2013-4787), where the verified copy of a file was not the one that ran. " +
        "For an extension it means the `server/index.js` you read need not be the one Claude Desktop installs. High: no packer " +
        "writes the same name twice.",
      falsePositives:
        "Distinct names with identical contents are not duplicates (the `valid` example ships `server/a.js` and `server/b.js` " +
        "with the same bytes). Names that differ only in case are `archive-case-collision`'s finding. Folder entries " +
        "(`server/`) repeated by a careless zip tool are still reported, because an extractor may also treat those " +
        "differently; such a bundle should simply be repacked.",
      references: [
        { title: 'CVE-2013-4787: Android APK signature bypass through duplicate ZIP entries', url: 'https://nvd.nist.gov/vuln/detail/CVE-2013-4787' },
        { title: 'CWE-436: Interpretation Conflict', url: 'https://cwe.mitre.org/data/definitions/436.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    const counts = new Map<string, number>();
    for (const entry of container.entries) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
    for (const [name, count] of counts) {
      if (count > 1) context.report({ messageId: 'duplicate', data: { name, count }, location: { file: name } });
    }
  },
});
