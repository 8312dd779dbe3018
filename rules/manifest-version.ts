import { defineRule } from '../src/engine/rule.js';
import { isObject } from '../src/manifest/access.js';
import { KNOWN_MANIFEST_VERSIONS } from '../src/manifest/facts.js';

const KNOWN = KNOWN_MANIFEST_VERSIONS.map((version) => `"${version}"`).join(', ');

export default defineRule({
  meta: {
    id: 'manifest-version',
    category: 'manifest',
    severity: 'medium',
    description: 'manifest.json declares no manifest version, or one that no known tooling defines.',
    remediation: `Declare "manifest_version" as one of the strings ${KNOWN} (the deprecated "dxt_version" is read when manifest_version is absent).`,
    messages: {
      missing:
        'manifest.json declares neither manifest_version nor dxt_version; the official validator rejects it, and the known versions are {known}.',
      mcpbVersionOnly:
        'manifest.json declares only mcpb_version, which no tool reads; the official validator rejects it. Use manifest_version, one of {known}.',
      unknown:
        'manifest.json declares {field} {value}, which is not a known manifest version ({known}); the official validator rejects it, and its other fields were {checked}.',
    },
    docs: {
      why:
        'The manifest version decides which schema the manifest is checked against and which fields the host understands. With ' +
        'no `manifest_version` (or the deprecated `dxt_version`), or one no known tooling defines, the official validator ' +
        'rejects the bundle, and nothing can say what its other fields mean; this audit checks its fields against the DXT-era ' +
        'format only when an unknown `dxt_version` string is given, and otherwise against no schema. Medium.',
      falsePositives:
        "`dxt_version` is read when `manifest_version` is absent, as the reference tooling does. `mcpb_version` is not a field " +
        "any tool reads; a manifest declaring only it gets its own message saying so. Manifests that cannot be read at all are " +
        "`manifest-json`'s finding. When a newer manifest version is released, bundles declaring it are reported here until " +
        "dxt-audit learns the version.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
      ],
    },
  },
  check({ manifest }, context) {
    const { json, version } = manifest;
    // Unreadable or non-object manifests are manifest-json's finding.
    if (!isObject(json) || version.known !== null) return;
    if (version.field === null) {
      const messageId = Object.hasOwn(json, 'mcpb_version') ? 'mcpbVersionOnly' : 'missing';
      context.report({ messageId, data: { known: KNOWN }, location: { file: 'manifest.json', pointer: '' } });
      return;
    }
    // read.ts checks a manifest with only an unknown dxt_version string against the DXT-era schema.
    const dxtEra = version.field === 'dxt_version' && typeof version.raw === 'string';
    context.report({
      messageId: 'unknown',
      data: {
        field: version.field,
        value: describeValue(version.raw),
        known: KNOWN,
        checked: dxtEra ? 'checked against the DXT-era format' : 'not checked against any schema',
      },
      location: { file: 'manifest.json', pointer: `/${version.field}` },
    });
  },
});

/** A short rendering of any JSON value; containers are named, never serialised (they may be huge or deep). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${String(value)} (a ${typeof value}, not a string)`;
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : 'an object';
}
