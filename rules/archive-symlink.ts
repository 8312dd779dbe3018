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
    docs: {
      why:
        'The official packer follows links and stores the files they point to, so a symbolic link inside an archive was put ' +
        'there on purpose. Once extracted, it can point the server, or a later entry written through it, at any file on the ' +
        'machine: `server/link -> /etc/passwd`, or a folder link that makes the next entry land in `~/.ssh`. Extractors have ' +
        'repeatedly been exploited this way (node-tar, CVE-2021-32803). High for archives. In an unpacked folder, dxt-audit ' +
        'never follows links: a link leading outside the folder is high because what it points to was not audited; one that ' +
        'stays inside is info, since its target is audited at its own path.',
      falsePositives:
        "Executable regular files (mode `0o100755`) are not links (the `valid` example). In a developer's unpacked folder, " +
        "links inside `node_modules/.bin` that point at files in the bundle are reported at info only. A link to an absolute " +
        "path or out through `..` is reported high even if the target happens to be harmless on your machine, because it will " +
        "point somewhere else on another.",
      references: [
        { title: "CWE-59: Improper Link Resolution Before File Access ('Link Following')", url: 'https://cwe.mitre.org/data/definitions/59.html' },
        { title: 'CVE-2021-32803: node-tar arbitrary file creation and overwrite through symbolic links', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-32803' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
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
