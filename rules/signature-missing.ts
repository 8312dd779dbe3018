import { defineRule } from '../src/engine/rule.js';

// Informational: most bundles are unsigned today, and the reference `verify` command reports every
// signed bundle as unsigned anyway. The fact still belongs in an install decision.
export default defineRule({
  meta: {
    id: 'signature-missing',
    category: 'signature',
    severity: 'info',
    description: 'The archive carries no signature block, so its publisher cannot be verified.',
    remediation: 'Prefer bundles signed by their publisher (`mcpb sign`), obtained from a source you trust.',
    messages: {
      unsigned: 'The bundle is not signed; nothing ties it to its publisher.',
    },
  },
  check({ container }, context) {
    if (container.kind === 'archive' && container.layout !== null && container.layout.signature === null) {
      context.report({ messageId: 'unsigned', location: { file: '.' } });
    }
  },
});
