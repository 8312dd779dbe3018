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
    docs: {
      why:
        "`__MACOSX/`, `._*` AppleDouble files, `.DS_Store`, `Thumbs.db` and `desktop.ini` are written by the publisher's " +
        "operating system, not by the packer: the bundle was zipped by hand, so nothing guarantees it holds exactly what the " +
        "project builds. AppleDouble files also carry extended attributes from the publisher's machine, and `.DS_Store` files " +
        "can list file names from their folders that were not shipped. Low: harmless in themselves, but a sign to look at the " +
        "rest with care.",
      falsePositives:
        'Deliberate dot-files such as `.gitkeep`, and files that only mention the names (`DS_Store.md`), are not flagged (the ' +
        '`valid` example). One finding covers all junk entries in the bundle, with their count and the first one as an example.',
      references: [
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
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
