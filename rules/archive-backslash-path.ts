import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// The ZIP format mandates `/`. Windows extractors treat `\` as a separator too, others keep it in
// the file name, so the same archive unpacks to different trees on different machines.
export default defineRule({
  meta: {
    id: 'archive-backslash-path',
    category: 'archive',
    severity: 'medium',
    description: 'An entry name uses `\\` as a path separator, which extracts differently on Windows.',
    remediation: 'Repack the bundle with the official packer, which writes `/` separators.',
    messages: {
      backslash: 'Entry "{name}" uses "\\" as a separator: Windows unpacks it into folders, other systems into one oddly named file.',
    },
    docs: {
      why:
        "The ZIP specification requires `/` as the separator. Windows extractors also split on `\\`, while macOS and Linux " +
        "keep it as part of one file name, so `server\\util.js` becomes `server/util.js` on one machine and a file literally " +
        "called `server\\util.js` on another. The server that runs is then not the tree that was reviewed, and a " +
        "`require('./util')` works on one platform only. Medium: it is usually a hand-zipped bundle made on Windows rather " +
        "than an attack, but it makes the audited layout differ from the installed one.",
      falsePositives:
        'Backslashes inside file contents (Windows paths in strings, regular expressions) are never flagged, only in entry ' +
        'names. Names whose backslashes also make them absolute or climbing out with `..` are left to `archive-absolute-path` ' +
        'and `archive-path-traversal`, so one defect gives one finding. A bundle zipped with a Windows tool that wrote `\\` is ' +
        'a packaging mistake; repacking with `mcpb pack` removes the finding.',
      references: [
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
        { title: 'CWE-22: Improper Limitation of a Pathname to a Restricted Directory', url: 'https://cwe.mitre.org/data/definitions/22.html' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
      ],
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      const shape = entryNameShape(entry.name);
      // Traversal and absolute names are already critical; one finding per defect is enough.
      if (shape.backslash && shape.path !== null) {
        context.report({ messageId: 'backslash', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
