import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-multiple-eocd',
    category: 'archive',
    severity: 'high',
    description: 'The file holds more than one end-of-central-directory record: several archives in one file.',
    remediation: 'Do not install: which archive a tool reads depends on how it searches the file.',
    messages: {
      multiple: 'The file holds {count} end-of-central-directory records; different tools would read different archives from it.',
    },
    docs: {
      why:
        'A ZIP is located by its end-of-central-directory record, which readers find by searching backwards from the end of ' +
        'the file. A second record hidden in the archive comment, or left by appending one archive to another, means different ' +
        'readers can settle on different records and so read different archives from one file. High: this is the basis of ' +
        'parser-differential attacks, where the bundle that was checked is not the bundle that is unpacked.',
      falsePositives:
        'An ordinary archive comment is not flagged (the `valid` example carries one). Only a plausible record counts, one ' +
        'whose central directory lies before it and starts with a central header, not a stray `PK\\x05\\x06` byte sequence ' +
        'inside compressed data. A bundle built by concatenating archives by mistake is still unsafe to install for the same ' +
        'reason, and should be repacked.',
      references: [
        { title: 'CWE-436: Interpretation Conflict', url: 'https://cwe.mitre.org/data/definitions/436.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    const count = container.layout?.eocdCount ?? 0;
    if (count > 1) context.report({ messageId: 'multiple', data: { count }, location: { file: '.' } });
  },
});
