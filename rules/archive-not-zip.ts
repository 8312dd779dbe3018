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
  },
  check({ container }, context) {
    if (container.events.some((event) => event.kind === 'not-zip')) {
      context.report({ messageId: 'notZip', location: { file: '.' } });
    }
  },
});
