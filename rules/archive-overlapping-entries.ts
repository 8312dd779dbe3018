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
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'overlap' && event.entry !== undefined) {
        context.report({ messageId: 'overlap', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
