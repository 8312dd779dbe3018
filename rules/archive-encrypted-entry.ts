import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-encrypted-entry',
    category: 'archive',
    severity: 'high',
    description: 'An entry is encrypted, so its content cannot be audited.',
    remediation: 'Ask the publisher for an unencrypted bundle; nothing legitimate needs encrypted entries.',
    messages: {
      encrypted: 'Entry "{name}" is encrypted; its content could not be audited.',
    },
  },
  check({ container }, context) {
    for (const event of container.events) {
      if (event.kind === 'encrypted' && event.entry !== undefined) {
        context.report({ messageId: 'encrypted', data: { name: event.entry }, location: { file: event.entry } });
      }
    }
  },
});
