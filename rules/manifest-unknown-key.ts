import { defineRule } from '../src/engine/rule.js';
import { pointerOf } from '../src/manifest/access.js';
import { KNOWN_MANIFEST_VERSIONS } from '../src/manifest/facts.js';

// The reference validator rejects any key it does not know, which fails several official examples
// and many real manifests (tool annotations, privacy_policies under 0.1, custom compatibility
// clients). By default they are low: worth fixing, rarely a risk. With strictManifest they count
// as what the official validator makes them: a failure.
export default defineRule({
  meta: {
    id: 'manifest-unknown-key',
    category: 'manifest',
    severity: 'low',
    description: 'manifest.json has a key its manifest version does not define (medium with strict manifest checking).',
    remediation: 'Remove the key, or declare a manifest version that defines it there.',
    messages: {
      acceptedElsewhere:
        'manifest.json has key "{key}" {where}, which {declared} does not define ({accepted} would accept it); the official validator rejects the manifest.',
      acceptedNowhere:
        'manifest.json has key "{key}" {where}, which no manifest version defines (known: {known}); the official validator rejects the manifest.',
    },
    docs: {
      why:
        'The official validator rejects any key its schema does not define, so a manifest with one fails `mcpb validate`, and ' +
        'a key that is meaningful in one manifest version is ignored by hosts reading another. A security-relevant declaration ' +
        'in the wrong place (a `compatibility` entry, tool annotations) silently does nothing. Low by default, because several ' +
        'official examples and many real manifests carry such keys; medium with `--strict-manifest`, which treats them as the ' +
        'reference validator does.',
      falsePositives:
        'The message says which manifest versions would accept the key, if any: a key defined by a newer version is usually ' +
        'the publisher declaring the wrong `manifest_version`. Unknown keys inside an unknown key are reported once, at the ' +
        'outer key. Extensions that need custom data should put it under `_meta` in versions that define it, where any key is ' +
        'allowed.',
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
      ],
    },
  },
  check({ manifest, settings }, context) {
    const declared =
      manifest.version.known === null ? 'the DXT-era manifest format' : `manifest version ${manifest.version.known}`;
    for (const issue of manifest.schemaIssues) {
      if (issue.keyword !== 'additionalProperties' || issue.unknownKey === undefined) continue;
      const accepted = issue.acceptedBy ?? [];
      const where = issue.pointer === '' ? 'at the top level' : `in ${issue.pointer}`;
      context.report({
        ...(accepted.length === 0
          ? { messageId: 'acceptedNowhere', data: { key: issue.unknownKey, where, known: KNOWN_MANIFEST_VERSIONS.join(', ') } }
          : {
              messageId: 'acceptedElsewhere',
              data: { key: issue.unknownKey, where, declared, accepted: versions(accepted) },
            }),
        location: { file: 'manifest.json', pointer: issue.pointer + pointerOf([issue.unknownKey]) },
        severity: settings.strictManifest ? 'medium' : 'low',
      });
    }
  },
});

function versions(list: readonly string[]): string {
  return list.length === 1 ? `manifest version ${list[0]}` : `manifest versions ${list.join(', ')}`;
}
