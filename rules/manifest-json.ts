import { readingGaps } from '../src/bundle/container.js';
import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'manifest-json',
    category: 'manifest',
    severity: 'high',
    description: 'manifest.json is missing at the bundle root, is not valid JSON, or does not hold an object.',
    remediation:
      'Put a manifest.json holding one JSON object at the root of the bundle (UTF-8, no comments or trailing commas); do not install a bundle whose manifest cannot be read.',
    messages: {
      missing:
        'The bundle has no manifest.json at its root: Claude Desktop cannot install it, and nothing it would run can be checked against a declaration.',
      notRead:
        'manifest.json was not among the parts of the bundle that could be read (see the archive findings); nothing it declares could be checked.',
      invalid: 'manifest.json cannot be read as JSON ({problem} at line {line}, column {column}); nothing it declares can be trusted or checked.',
      notObject: 'manifest.json holds {kind} instead of a JSON object; it declares no server, tools or settings.',
    },
  },
  check({ container, manifest }, context) {
    if (!manifest.present) {
      // When the reader left part of the bundle unread, the manifest may be in that part.
      const messageId = readingGaps(container).length > 0 ? 'notRead' : 'missing';
      context.report({ messageId, location: { file: 'manifest.json' } });
      return;
    }
    const { parseError } = manifest;
    if (parseError !== null) {
      context.report({
        messageId: 'invalid',
        data: { problem: parseError.message, line: parseError.line, column: parseError.column },
        location: { file: 'manifest.json', line: parseError.line, column: parseError.column },
      });
      return;
    }
    const kind = kindOf(manifest.json);
    if (kind !== null) context.report({ messageId: 'notObject', data: { kind }, location: { file: 'manifest.json', pointer: '' } });
  },
});

/** What the top-level value is, when it is not an object. */
function kindOf(value: unknown): string | null {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return null;
  return `a ${typeof value}`;
}
