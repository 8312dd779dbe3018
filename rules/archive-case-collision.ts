import { collisionKey, entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// macOS and Windows file systems ignore case (and macOS normalises Unicode), so `Index.js` and
// `index.js` become one file there: one silently overwrites the other.
export default defineRule({
  meta: {
    id: 'archive-case-collision',
    category: 'archive',
    severity: 'medium',
    description: 'Two entry names differ only in letter case or Unicode normalisation.',
    remediation: 'Rename one of the files; on macOS and Windows only one of them survives extraction.',
    messages: {
      collision: 'Entries "{first}" and "{second}" are the same file on macOS and Windows; one overwrites the other.',
    },
    docs: {
      why:
        'macOS and Windows file systems ignore letter case (and macOS also normalises Unicode), so `server/Index.js` and ' +
        '`server/index.js` land on the same file there: whichever is extracted last wins. An attacker can ship a harmless ' +
        '`index.js` that a reviewer reads and a second, case-variant entry that silently replaces it on the machines that ' +
        'actually run Claude Desktop. The same collision has been used against extractors to redirect writes (node-tar, ' +
        'CVE-2021-37701). Medium: the content that runs depends on extraction order, not on what was reviewed.',
      falsePositives:
        'Names that differ by more than case, such as `index.js` and `index.jsx`, are not flagged (the `valid` example). The ' +
        'rule compares whole normalised paths, so two files with the same base name in different folders never collide. A real ' +
        'collision can come from a careless build that emitted both `README.md` and `readme.md`; even then only one survives ' +
        'installation on macOS and Windows, so the finding still describes what happens.',
      references: [
        { title: 'CWE-178: Improper Handling of Case Sensitivity', url: 'https://cwe.mitre.org/data/definitions/178.html' },
        { title: 'CVE-2021-37701: node-tar arbitrary file write through case-insensitive path collisions', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-37701' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    const firstByKey = new Map<string, string>();
    for (const entry of container.entries) {
      const path = entryNameShape(entry.name).path;
      if (path === null) continue;
      const key = collisionKey(path);
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, path);
      else if (first !== path) {
        context.report({ messageId: 'collision', data: { first, second: path }, location: { file: entry.name } });
      }
    }
  },
});
