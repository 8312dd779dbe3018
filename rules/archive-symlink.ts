import path from 'node:path/posix';
import type { ContainerEntry } from '../src/bundle/container.js';
import { defineRule } from '../src/engine/rule.js';

// The reference packer follows links and never stores one, so a symlink entry in an archive was put
// there on purpose: once extracted it can point the server, or a later entry, at any file on the
// machine. In an unpacked folder, links are never followed; one that stays inside the bundle
// (node_modules/.bin in a developer's folder) points at a file that is audited at its own path.
export default defineRule({
  meta: {
    id: 'archive-symlink',
    category: 'archive',
    severity: 'high',
    description: 'The bundle contains a symbolic link: a crafted archive entry, or a link in an unpacked folder that leads outside it.',
    remediation: 'Do not install unless the publisher explains the link; replace it with the file it points to.',
    messages: {
      archiveLink: 'Entry "{name}" is a symbolic link to "{target}"; once extracted it can point anywhere on this machine.',
      folderLink: '"{name}" is a symbolic link to "{target}", outside the bundle; it was not followed, and what it points to was not audited.',
      folderLinkInside: '"{name}" is a symbolic link to "{target}" inside the bundle; it was not followed, and its target is audited at its own path.',
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      if (entry.kind !== 'symlink') continue;
      const data = { name: entry.name, target: entry.linkTarget ?? '' };
      if (container.kind === 'archive') {
        context.report({ messageId: 'archiveLink', data, location: { file: entry.name } });
      } else if (staysInside(entry)) {
        context.report({ messageId: 'folderLinkInside', data, location: { file: entry.name }, severity: 'info' });
      } else {
        context.report({ messageId: 'folderLink', data, location: { file: entry.name } });
      }
    }
  },
});

function staysInside(entry: ContainerEntry): boolean {
  const target = entry.linkTarget;
  if (!target || path.isAbsolute(target) || /^[a-zA-Z]:|\\/.test(target)) return false;
  const resolved = path.normalize(path.join(path.dirname(entry.name), target));
  return resolved !== '..' && !resolved.startsWith('../') && entry.name !== '.';
}
