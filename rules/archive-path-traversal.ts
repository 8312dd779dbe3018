import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// Zip-slip: an extractor that joins `..` segments onto its target writes outside the install folder.
export default defineRule({
  meta: {
    id: 'archive-path-traversal',
    category: 'archive',
    severity: 'critical',
    description: 'An entry name climbs out of the bundle folder with `..` segments (zip-slip).',
    remediation: 'Do not install. A packer never writes `..` into entry names; this archive was crafted.',
    messages: {
      traversal: 'Entry "{name}" climbs out of the bundle folder with ".." and would be written outside it on extraction.',
    },
    docs: {
      why:
        "This is zip-slip: an entry named `../../.bashrc` makes an extractor that joins names onto its target directory write " +
        "outside it. Claude Desktop extracts bundles into your profile, so a traversal entry can overwrite shell start-up " +
        "files, other extensions or Claude's own configuration before the extension has even started. A packer never writes " +
        "`..` segments, so the archive was built to do this. Always critical.",
      falsePositives:
        'Only whole `..` path segments count, after splitting on both `/` and `\\`; dots inside a name, as in ' +
        '`server/..hidden.js` or `server/a..b.js`, are not traversal (the `valid` example). A `..` inside file contents is ' +
        'never flagged. There are no known false positives.',
      references: [
        { title: 'Snyk: Zip Slip, affected extractors and fixes', url: 'https://github.com/snyk/zip-slip-vulnerability' },
        { title: 'CWE-22: Improper Limitation of a Pathname to a Restricted Directory', url: 'https://cwe.mitre.org/data/definitions/22.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      if (entryNameShape(entry.name).traversal) {
        context.report({ messageId: 'traversal', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
