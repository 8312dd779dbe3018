import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// Zip-slip: an extractor that joins `..` segments onto its target writes outside the install folder.
export default defineRule({
  meta: {
    id: 'archive-path-traversal',
    category: 'archive',
    severity: 'critical',
    description: 'An entry name climbs out of the bundle folder with `..` segments (zip-slip).',
    remediation: 'Do not install. A packer never writes `..` into entry names; this archive was crafted.',
    messages: {
      traversal: 'Entry "{name}" climbs out of the bundle folder with ".." and would be written outside it on extraction.',
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      if (entryNameShape(entry.name).traversal) {
        context.report({ messageId: 'traversal', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
