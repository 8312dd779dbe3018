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
