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
    docs: {
      why:
        'Everything an audit compares code against (which server runs, with which command, which tools, which settings and ' +
        'hosts) comes from `manifest.json`. When it is missing, unparsable or not a JSON object, Claude Desktop cannot install ' +
        'the bundle and none of those declarations can be checked, so nothing else in the report can lean on them. High. When ' +
        'the archive itself could not be read in full, the message says the manifest was in the unread part rather than absent.',
      falsePositives:
        "Only the root `manifest.json` counts; a `manifest.json` elsewhere (a dependency's) is not the bundle's. JSON with " +
        "comments or trailing commas is invalid here, as it is for Claude Desktop and the official validator, even though some " +
        "editors accept it; the finding gives the line and column of the first error. An empty file (0 bytes) is not reported: " +
        "it holds no bundle at all, which `archive-not-zip` says.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'RFC 8259: The JSON Data Interchange Format', url: 'https://www.rfc-editor.org/rfc/rfc8259' },
      ],
    },
  },
  check({ container, manifest }, context) {
    // An empty file holds no bundle at all: archive-not-zip says so, and a missing manifest adds nothing.
    if (container.events.some((event) => event.kind === 'empty')) return;
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
