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
  },
  check({ container }, context) {
    const count = container.layout?.eocdCount ?? 0;
    if (count > 1) context.report({ messageId: 'multiple', data: { count }, location: { file: '.' } });
  },
});
