import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-not-zip',
    category: 'archive',
    severity: 'high',
    description: 'The file given as a bundle is not a ZIP archive at all.',
    remediation: 'Check that the file is really the .dxt/.mcpb bundle you meant to install.',
    messages: {
      notZip: 'The file is not a ZIP archive, so it is not a valid bundle and nothing in it could be audited.',
    },
    docs: {
      why:
        "A `.dxt` or `.mcpb` bundle is a ZIP archive. A file that is not one cannot be installed as an extension and nothing " +
        "in it can be audited; it may be a mislabelled download, an HTML error page saved under the bundle's name, or a " +
        "different kind of file disguised as a bundle. High, so that a CI gate fails on it rather than passing a file that was " +
        "never examined.",
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
    if (container.events.some((event) => event.kind === 'not-zip')) {
      context.report({ messageId: 'notZip', location: { file: '.' } });
    }
  },
});
