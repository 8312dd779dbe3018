import { defineRule } from '../src/engine/rule.js';

export default defineRule({
  meta: {
    id: 'manifest-schema',
    category: 'manifest',
    severity: 'medium',
    description:
      'manifest.json breaks the schema of its manifest version: a required field is missing, a value has the wrong type or format.',
    remediation:
      'Fix the field named in the finding (the official validator, `mcpb validate`, rejects the manifest); treat declarations it cannot parse as absent.',
    messages: {
      issue: 'manifest.json {where} {problem} (checked against {schema}); the official validator rejects it.',
    },
    docs: {
      why:
        'Each manifest version has a schema; a manifest that breaks it (a required field missing, a value of the wrong type or ' +
        'format) is rejected by the official validator, `mcpb validate`, and Claude Desktop may read it differently from what ' +
        'the publisher intended. For an audit, a declaration that cannot be parsed is treated as absent: a malformed `tools` ' +
        'list, say, cannot be compared with what the code registers. Medium.',
      falsePositives:
        "Keys the schema does not define are `manifest-unknown-key`'s finding, reported there at low by default. The manifest " +
        "is checked against the version it declares (`manifest_version`, or the deprecated `dxt_version`); a manifest whose " +
        "version is unknown is `manifest-version`'s finding, and its fields are then checked against the DXT-era format only " +
        "when it declares a `dxt_version` string. The number of issues reported per bundle is capped, so a garbage manifest " +
        "does not flood the report.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'MCPB command-line tool: pack, sign, verify (CLI.md)', url: 'https://github.com/anthropics/mcpb/blob/main/CLI.md' },
      ],
    },
  },
  check({ manifest }, context) {
    const schema =
      manifest.version.known === null ? 'the DXT-era manifest format' : `manifest version ${manifest.version.known}`;
    for (const issue of manifest.schemaIssues) {
      if (issue.keyword === 'additionalProperties') continue; // manifest-unknown-key
      context.report({
        messageId: 'issue',
        data: { where: issue.pointer === '' ? 'at the top level' : `at ${issue.pointer}`, problem: issue.message, schema },
        location: { file: 'manifest.json', pointer: issue.pointer },
      });
    }
  },
});
