import { defineRule } from '../src/engine/rule.js';

// Overlapping entries let many names share one compressed stream: the construction behind the
// smallest, most explosive ZIP bombs. No packer produces them.
export default defineRule({
  meta: {
    id: 'archive-overlapping-entries',
    category: 'archive',
    severity: 'high',
    description: 'Two entries share bytes in the archive (an overlapping-entry ZIP bomb or a crafted file).',
    remediation: 'Do not install: no packer writes overlapping entries.',
    messages: {
      overlap: 'Entry "{name}" overlaps another entry: {detail}.',
    },
    docs: {
      why:
        'When two central-directory records point at the same or overlapping bytes, one compressed stream is unpacked under ' +
        'several names. This is the construction behind the most explosive ZIP bombs (a few kilobytes inflating to gigabytes) ' +
        'and a way to make one reviewed file appear under a second, unreviewed name. No packer writes overlapping entries, so ' +
        'the archive was crafted. High.',
      falsePositives:
        "Two files with the same content, stored separately, do not overlap (the `valid` example). The byte ranges of the " +
        "entries' compressed data in the file are compared; there are no known benign causes.",
      references: [
        { title: 'David Fifield: A better zip bomb (overlapping entries)', url: 'https://www.bamsoftware.com/hacks/zipbomb/' },
        { title: 'CWE-409: Improper Handling of Highly Compressed Data (Data Amplification)', url: 'https://cwe.mitre.org/data/definitions/409.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'overlap' && event.entry !== undefined) {
        context.report({ messageId: 'overlap', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
