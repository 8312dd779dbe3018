import { defineRule } from '../src/engine/rule.js';

// A damaged archive is not a usage error: the bytes that cannot be read cannot be vouched for.
export default defineRule({
  meta: {
    id: 'archive-corrupt-entry',
    category: 'archive',
    severity: 'high',
    description: 'The archive or one of its entries is damaged (bad CRC, broken compressed data, truncated directory) or unreadable.',
    remediation: 'Download the bundle again; if it stays damaged, do not install it.',
    messages: {
      entry: 'Entry "{name}" could not be read: {detail}.',
      archive: 'The archive is damaged: {detail}.',
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind !== 'corrupt' && event.kind !== 'unsupported-method' && event.kind !== 'unreadable') continue;
      if (event.entry === undefined) {
        context.report({ messageId: 'archive', data: { detail: event.detail }, location: { file: '.' } });
      } else {
        context.report({ messageId: 'entry', data: { name: event.entry, detail: event.detail }, location: { file: event.entry } });
      }
    }
  },
});
