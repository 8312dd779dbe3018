import { defineRule } from '../src/engine/rule.js';

// Harmless in itself, but a sign the bundle was zipped by hand rather than by the packer, and
// AppleDouble `._` files carry extended attributes from the publisher's machine.
function isJunk(name: string): boolean {
  const segments = name.split(/[/\\]/);
  const base = segments.filter((segment) => segment !== '').at(-1) ?? '';
  return segments[0] === '__MACOSX' || base === '.DS_Store' || base.startsWith('._') || base === 'Thumbs.db' || base === 'desktop.ini';
}

export default defineRule({
  meta: {
    id: 'archive-os-junk',
    category: 'archive',
    severity: 'low',
    description: 'Operating-system junk (`__MACOSX/`, `.DS_Store`, `._*`, `Thumbs.db`) was packed into the bundle.',
    remediation: 'Pack the bundle with the official packer, which leaves these files out.',
    messages: {
      junk: '{count} operating-system junk entries, such as "{name}": the bundle was zipped by hand, not by the packer.',
    },
  },
  check({ container }, context) {
    const junk = container.entries.filter((entry) => isJunk(entry.name));
    const first = junk[0];
    if (first !== undefined) {
      context.report({ messageId: 'junk', data: { count: junk.length, name: first.name }, location: { file: first.name } });
    }
  },
});
