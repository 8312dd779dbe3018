import { defineRule } from '../src/engine/rule.js';

// Recognised by content, not name: an archive inside the bundle is code that was not audited and
// that the server can unpack and run at any time.
const MAGIC: ReadonlyArray<{ format: string; bytes: readonly number[]; at?: number }> = [
  { format: 'ZIP', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { format: 'ZIP', bytes: [0x50, 0x4b, 0x05, 0x06] },
  { format: 'gzip', bytes: [0x1f, 0x8b] },
  { format: '7z', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { format: 'RAR', bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07] },
  { format: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { format: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  // `ustar\0` + version `00` (POSIX) or `ustar  \0` (GNU): the word alone at 257 occurs in text.
  { format: 'tar', bytes: [0x75, 0x73, 0x74, 0x61, 0x72, 0x00, 0x30, 0x30], at: 257 },
  { format: 'tar', bytes: [0x75, 0x73, 0x74, 0x61, 0x72, 0x20, 0x20, 0x00], at: 257 },
];

function archiveFormat(bytes: Uint8Array): string | null {
  const match = MAGIC.find(({ bytes: magic, at = 0 }) => magic.every((byte, index) => bytes[at + index] === byte));
  return match?.format ?? null;
}

export default defineRule({
  meta: {
    id: 'archive-nested-archive',
    category: 'archive',
    severity: 'medium',
    description: 'A file inside the bundle is itself an archive (by its leading bytes), whose content is not audited.',
    remediation: 'Ask the publisher to ship the files unpacked, so that they can be audited.',
    messages: {
      nested: 'File "{name}" is a {format} archive inside the bundle; its content was not audited.',
    },
    docs: {
      why:
        'dxt-audit audits the files in the bundle; it does not open archives inside it. A ZIP, gzip, tar, 7z, RAR, xz or zstd ' +
        'file inside the bundle is therefore code and data nobody checked, which the server can unpack and run at any time (a ' +
        'classic way to smuggle a payload past a scanner). Files are recognised by their leading bytes, so renaming ' +
        '`payload.zip` to `data.bin` does not hide it. Medium: some bundles legitimately carry archives (templates, test ' +
        'data), but their contents are unaudited either way.',
      falsePositives:
        'A name is never the reason: `server/zipUtils.js` that is JavaScript is not flagged (the `valid` example), and neither ' +
        'is a file whose archive signature appears somewhere other than at its start. Formats built on ZIP, such as `.jar`, ' +
        '`.docx`, `.xlsx` or a Python wheel, are reported because they are ZIP archives; check whether the server needs them ' +
        'and what they hold. tar is recognised only by its full `ustar` header at offset 257, so text that merely contains the ' +
        'word does not trigger it.',
      references: [
        { title: 'CWE-506: Embedded Malicious Code', url: 'https://cwe.mitre.org/data/definitions/506.html' },
        { title: 'PKWARE APPNOTE.TXT: the ZIP file format specification', url: 'https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT' },
      ],
    },
  },
  check({ container }, context) {
    for (const file of container.files.values()) {
      const format = archiveFormat(file.bytes);
      if (format !== null) context.report({ messageId: 'nested', data: { name: file.path, format }, location: { file: file.path } });
    }
  },
});
