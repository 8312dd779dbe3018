import { entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// The ZIP format mandates `/`. Windows extractors treat `\` as a separator too, others keep it in
// the file name, so the same archive unpacks to different trees on different machines.
export default defineRule({
  meta: {
    id: 'archive-backslash-path',
    category: 'archive',
    severity: 'medium',
    description: 'An entry name uses `\\` as a path separator, which extracts differently on Windows.',
    remediation: 'Repack the bundle with the official packer, which writes `/` separators.',
    messages: {
      backslash: 'Entry "{name}" uses "\\" as a separator: Windows unpacks it into folders, other systems into one oddly named file.',
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      const shape = entryNameShape(entry.name);
      // Traversal and absolute names are already critical; one finding per defect is enough.
      if (shape.backslash && shape.path !== null) {
        context.report({ messageId: 'backslash', data: { name: entry.name }, location: { file: entry.name } });
      }
    }
  },
});
