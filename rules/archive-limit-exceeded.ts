import { defineRule } from '../src/engine/rule.js';

// Limits are counted while inflating, never taken from headers (docs/limits.md). Hitting one means
// part of the bundle was deliberately left unread, so the audit is incomplete.
export default defineRule({
  meta: {
    id: 'archive-limit-exceeded',
    category: 'archive',
    severity: 'high',
    description: 'Reading stopped at a size, count, depth or compression-ratio limit (a ZIP bomb or an oversized bundle).',
    remediation: 'Do not install a bomb. For a genuinely large bundle, raise the limit with the matching --max-* flag and scan again.',
    messages: {
      entry: 'Entry "{name}" was not read: {detail}.',
      bundle: 'The bundle was not read in full: {detail}.',
    },
    docs: {
      why:
        'dxt-audit reads bundles in memory and counts sizes while inflating, never trusting what headers claim, so a ZIP bomb ' +
        'cannot exhaust the machine that audits it. When a limit stops reading (total or per-entry size, number of entries, ' +
        'compression ratio above 100:1 past the first MiB, archive size), part of the bundle was deliberately left unread and ' +
        'is unaudited; the bundle is marked incomplete. A bomb also threatens the machine that installs it: extracting it can ' +
        'fill the disk. High.',
      falsePositives:
        "Large but ordinary files pass: a 2 MiB generated JavaScript file that compresses about 7:1 is the `valid` example, " +
        "well under the 100:1 ratio. A genuinely large bundle (bundled Chromium, big models or datasets) can exceed the size " +
        "or entry limits without being a bomb; the message says which limit was hit, and the matching `--max-*` option " +
        "(`--max-entry-bytes`, `--max-total-bytes`, `--max-entries`, `--max-ratio`, `--max-archive-bytes`) lets you scan it in " +
        "full. A ratio in the thousands, as in the `invalid` example's 64 MiB of zeros, is never a normal file.",
      references: [
        { title: 'CWE-409: Improper Handling of Highly Compressed Data (Data Amplification)', url: 'https://cwe.mitre.org/data/definitions/409.html' },
        { title: 'David Fifield: A better zip bomb (overlapping entries)', url: 'https://www.bamsoftware.com/hacks/zipbomb/' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind !== 'limit' && event.kind !== 'too-large') continue;
      if (event.entry === undefined) {
        context.report({ messageId: 'bundle', data: { detail: event.detail }, location: { file: '.' } });
      } else {
        context.report({ messageId: 'entry', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
