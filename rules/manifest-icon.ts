import { defineRule } from '../src/engine/rule.js';
import { arrayAt, pointerOf, stringAt, type JsonPath } from '../src/manifest/access.js';
import { caseVariantOf, resolveBundleRelative } from '../src/manifest/mcp-config.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return PNG_MAGIC.every((byte, index) => bytes[index] === byte);
}

export default defineRule({
  meta: {
    id: 'manifest-icon',
    category: 'manifest',
    severity: 'low',
    description:
      '`icon` or an `icons[].src` is a remote URL, an absolute or variable path, a file missing from the bundle, or not a PNG.',
    remediation: 'Ask the publisher to ship the icon as a PNG file inside the bundle, named by a relative path such as "icon.png".',
    messages: {
      remote: '{field} "{value}" is a URL: showing the icon fetches it from that server, and it can change after review.',
      absolute: '{field} "{value}" is an absolute path: it names a file on this machine, not in the bundle.',
      variable: '{field} "{value}" uses a substitution variable, which icon paths do not support: use a path relative to the bundle root.',
      outside: '{field} "{value}" climbs out of the bundle folder with "..": it names a file on this machine, not in the bundle.',
      missing: '{field} "{value}" is not in the bundle.',
      caseOnly: '{field} "{value}" is in the bundle only as "{actual}": it shows on macOS and Windows, not on Linux.',
      notPng: '{field} "{value}" is not a PNG file, whatever its name says.',
    },
    docs: {
      why:
        "The icon is the one part of a bundle Claude Desktop shows before anything runs. A remote URL makes the app fetch it " +
        "from the publisher's server on display, which tells that server when and where the extension is viewed and lets the " +
        "picture change after review; an absolute or `..` path reads a file from the user's machine rather than the bundle. " +
        "The rule also catches icons that are missing, present only with different letter case, or not PNG whatever their " +
        "extension. Low: none of this runs code, but each is either a privacy leak or a broken bundle.",
      falsePositives:
        "A relative path to a PNG inside the bundle passes (the `valid` example); the check is on the file's PNG signature, so " +
        "any PNG name works. A single letter before a colon is read as a Windows drive (`C:\\icon.png`), not as a URL scheme. " +
        "SVG or JPEG icons are reported as not PNG even though they may display somewhere, because the manifest specification " +
        "asks for PNG.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest, container }, context) {
    if (manifest.json === undefined) return;
    const places: Array<[string, JsonPath]> = [['icon', ['icon']]];
    (arrayAt(manifest.json, ['icons']) ?? []).forEach((_, index) => places.push([`icons[${index}].src`, ['icons', index, 'src']]));

    for (const [field, path] of places) {
      const value = stringAt(manifest.json, path);
      if (value === undefined || value === '') continue;
      const location = { file: 'manifest.json' as const, pointer: pointerOf(path) };
      const report = (messageId: 'remote' | 'absolute' | 'variable' | 'outside' | 'missing' | 'notPng') =>
        context.report({ messageId, data: { field, value }, location });

      // Two or more letters before the colon, so that `C:\icon.png` counts as a drive, not a scheme.
      if (/^[a-z][a-z0-9+.-]+:/i.test(value)) {
        report('remote');
        continue;
      }
      if (value.includes('${')) {
        report('variable');
        continue;
      }
      const resolved = resolveBundleRelative(value);
      if (resolved.kind === 'outside') {
        report(resolved.reason === 'traversal' ? 'outside' : 'absolute');
        continue;
      }
      if (resolved.kind !== 'inside') continue;
      const file = container.files.get(resolved.path);
      if (file === undefined) {
        const actual = caseVariantOf(container, resolved.path);
        if (actual !== null) context.report({ messageId: 'caseOnly', data: { field, value, actual }, location });
        else report('missing');
        continue;
      }
      if (!isPng(file.bytes)) report('notPng');
    }
  },
});
