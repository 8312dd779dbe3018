import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'archive-absolute-path',
    category: 'archive',
    severity: 'critical',
    description: 'An entry name is an absolute path or starts with a Windows drive letter.',
    remediation: 'Do not install. Entry names must be relative to the bundle root; this archive was crafted.',
    messages: {
      absolute: 'Entry "{name}" is an absolute path; an extractor that honours it writes outside the bundle folder.',
      drive: 'Entry "{name}" starts with a drive letter; on Windows it would be written outside the bundle folder.',
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      const shape = entryNameShape(entry.name);
      if (shape.absolute || shape.driveLetter) {
        context.report({ messageId: shape.absolute ? 'absolute' : 'drive', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
