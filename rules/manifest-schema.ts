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
