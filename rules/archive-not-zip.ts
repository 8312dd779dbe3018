import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-not-zip',
    category: 'archive',
    severity: 'high',
    description: 'The file given as a bundle is not a ZIP archive at all, or is empty.',
    remediation: 'Check that the file is really the .dxt/.mcpb bundle you meant to install.',
    messages: {
      notZip: 'The file is not a ZIP archive, so it is not a valid bundle and nothing in it could be audited.',
      empty: 'The file is empty (0 bytes): it is not an extension, and there is nothing in it to audit.',
    },
    docs: {
      why:
        "A `.dxt` or `.mcpb` bundle is a ZIP archive. A file that is not one cannot be installed as an extension and nothing " +
        "in it can be audited; it may be a mislabelled download, an HTML error page saved under the bundle's name, or a " +
        "different kind of file disguised as a bundle. High, so that a CI gate fails on it rather than passing a file that was " +
        "never examined. An empty file (0 bytes) is low: it holds nothing that could run or hide anything, it is simply not an " +
        "extension (an interrupted download, a placeholder), and there is no manifest to report missing.",
      falsePositives:
        "A normal bundle is not flagged (the `valid` example). The check is the absence of any ZIP structure, not the " +
        "extension: a ZIP with a stub prepended is read as a ZIP and reported by `archive-trailing-data` instead. If you " +
        "expected a bundle, the likely cause is the download itself: look at the file's first bytes (`PK\\x03\\x04` for a ZIP).",
      references: [
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
        { title: 'MCPB: bundle format and packaging (README)', url: 'https://github.com/anthropics/mcpb/blob/main/README.md' },
      ],
    },
  },
  check({ container }, context) {
    if (container.events.some((event) => event.kind === 'empty')) {
      context.report({ messageId: 'empty', severity: 'low', location: { file: '.' } });
    } else if (container.events.some((event) => event.kind === 'not-zip')) {
      context.report({ messageId: 'notZip', location: { file: '.' } });
    }
  },
});
