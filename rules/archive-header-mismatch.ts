import { defineRule } from '../src/engine/rule.js';

// The central directory and the local header each carry the name; tools that stream an archive
// read the local one, tools that seek read the central one.
export default defineRule({
  meta: {
    id: 'archive-header-mismatch',
    category: 'archive',
    severity: 'high',
    description: "An entry's local header names a different file than the central directory does.",
    remediation: 'Do not install: streaming and seeking extractors would write different files.',
    messages: {
      mismatch: 'Entry "{name}" is named differently in its local header: {detail}.',
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'header-mismatch' && event.entry !== undefined) {
        context.report({ messageId: 'mismatch', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
