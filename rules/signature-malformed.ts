import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'signature-malformed',
    category: 'signature',
    severity: 'high',
    description: 'A signature block is present but not well-formed (length, end marker, or bytes after it).',
    remediation: 'Do not trust the signature; ask the publisher to re-sign the bundle with the official tool.',
    messages: {
      malformed: 'The {flavour} signature block is malformed: {problem}.',
    },
  },
  check({ container }, context) {
    const signature = container.layout?.signature;
    if (!signature) return;
    for (const problem of signature.problems) {
      context.report({ messageId: 'malformed', data: { flavour: signature.flavour, problem }, location: { file: '.' } });
    }
  },
});
