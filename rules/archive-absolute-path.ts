import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-absolute-path',
    category: 'archive',
    severity: 'critical',
    description: 'An entry name is an absolute path or starts with a Windows drive letter.',
    remediation: 'Do not install. Entry names must be relative to the bundle root; this archive was crafted.',
    messages: {
      absolute: 'Entry "{name}" is an absolute path; an extractor that honours it writes outside the bundle folder.',
      drive: 'Entry "{name}" starts with a drive letter; on Windows it would be written outside the bundle folder.',
    },
    docs: {
      why:
        'Claude Desktop unpacks a bundle into its extensions folder and then runs it with your privileges, outside any ' +
        'sandbox. An entry named `/etc/cron.d/job` or `C:/Users/you/AppData/...` asks the extractor to write that exact path ' +
        'instead: an extractor that honours it plants a file anywhere you can write, before any server code has run and ' +
        'whatever the manifest says. The official packer only ever writes paths relative to the bundle root, so such a name ' +
        'means the archive was built by hand to do this. Always critical: there is no benign reading of it.',
      falsePositives:
        "Only the entry name counts, and only when it starts with `/` or with a drive letter (`C:`). Relative names that " +
        "merely look like system paths, such as `server/etc/cron.d/x` or `server/C-drive.js`, are not flagged (see the `valid` " +
        "example); nor are absolute paths written inside file contents. A leading backslash is reported by " +
        "`archive-backslash-path` instead when the rest of the name is relative. There are no known false positives: if a " +
        "finding appears, the name really is absolute in the archive's central directory.",
      references: [
        { title: 'CWE-36: Absolute Path Traversal', url: 'https://cwe.mitre.org/data/definitions/36.html' },
        { title: 'Snyk: Zip Slip, affected extractors and fixes', url: 'https://github.com/snyk/zip-slip-vulnerability' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      const shape = entryNameShape(entry.name);
      if (shape.absolute || shape.driveLetter) {
        context.report({ messageId: shape.absolute ? 'absolute' : 'drive', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
