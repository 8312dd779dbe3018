import { defineRule } from '../src/engine/rule.js';

// Two entries with one name: which one lands on disk depends on the extractor, so the file that
// was reviewed need not be the file that runs. Zip libraries silently keep only one of them.
export default defineRule({
  meta: {
    id: 'archive-duplicate-entry',
    category: 'archive',
    severity: 'high',
    description: 'Two or more entries in the central directory have exactly the same name.',
    remediation: 'Do not install: different tools would extract different content under this name.',
    messages: {
      duplicate: 'Entry "{name}" appears {count} times; which copy is installed depends on the extractor.',
    },
  },
  check({ container }, context) {
    const counts = new Map<string, number>();
    for (const entry of container.entries) counts.set(entry.name, (counts.get(entry.name) ?? 0) + 1);
    for (const [name, count] of counts) {
      if (count > 1) context.report({ messageId: 'duplicate', data: { name, count }, location: { file: name } });
    }
  },
});
