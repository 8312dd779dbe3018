import { defineRule } from '../src/engine/rule.js';

// The reference packer follows links and never stores one, so a symlink entry was put there on
// purpose: once extracted it can point the server, or a later entry, at any file on the machine.
export default defineRule({
  meta: {
    id: 'archive-symlink',
    category: 'archive',
    severity: 'high',
    description: 'The bundle contains a symbolic link (a crafted archive entry, or a link in an unpacked folder).',
    remediation: 'Do not install unless the publisher explains the link; replace it with the file it points to.',
    messages: {
      archiveLink: 'Entry "{name}" is a symbolic link; once extracted it can point anywhere on this machine.',
      folderLink: '"{name}" is a symbolic link; it was not followed, and whatever it points to was not audited.',
    },
  },
  check({ container }, context) {
    for (const entry of container.entries) {
      if (entry.kind !== 'symlink') continue;
      const messageId = container.kind === 'archive' ? 'archiveLink' : 'folderLink';
      context.report({ messageId, data: { name: entry.name }, location: { file: entry.name } });
    }
  },
});
