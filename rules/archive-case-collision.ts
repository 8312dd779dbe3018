import { collisionKey, entryNameShape } from '../src/bundle/paths.js';
import { defineRule } from '../src/engine/rule.js';

// macOS and Windows file systems ignore case (and macOS normalises Unicode), so `Index.js` and
// `index.js` become one file there: one silently overwrites the other.
export default defineRule({
  meta: {
    id: 'archive-case-collision',
    category: 'archive',
    severity: 'medium',
    description: 'Two entry names differ only in letter case or Unicode normalisation.',
    remediation: 'Rename one of the files; on macOS and Windows only one of them survives extraction.',
    messages: {
      collision: 'Entries "{first}" and "{second}" are the same file on macOS and Windows; one overwrites the other.',
    },
  },
  check({ container }, context) {
    const firstByKey = new Map<string, string>();
    for (const entry of container.entries) {
      const path = entryNameShape(entry.name).path;
      if (path === null) continue;
      const key = collisionKey(path);
      const first = firstByKey.get(key);
      if (first === undefined) firstByKey.set(key, path);
      else if (first !== path) {
        context.report({ messageId: 'collision', data: { first, second: path }, location: { file: entry.name } });
      }
    }
  },
});
