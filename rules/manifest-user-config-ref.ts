import { defineRule } from '../src/engine/rule.js';
import { objectAt, pointerOf } from '../src/manifest/access.js';
import { fieldLabel, launchStrings, userConfigRefs } from '../src/manifest/mcp-config.js';

// The host substitutes only declared options; an unknown `${user_config.X}` reaches the server
// verbatim, so the server gets a literal placeholder where it expects a path or a key.
export default defineRule({
  meta: {
    id: 'manifest-user-config-ref',
    category: 'manifest',
    severity: 'medium',
    description:
      'mcp_config refers to a `${user_config.X}` option that user_config does not declare, or declares an option that mcp_config never passes to the server.',
    remediation:
      'Ask the publisher to declare every option mcp_config uses and to drop options it never passes; until then the server receives literal placeholders.',
    messages: {
      undeclared:
        '{field} uses the option "{name}", which user_config does not declare: the server receives the placeholder text itself instead of a value.',
      unused: 'user_config option "{name}" is never passed to the server by mcp_config: whatever the user enters there goes nowhere.',
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    const declared = objectAt(manifest.json, ['user_config']) ?? {};
    const used = new Set<string>();
    for (const { value, path } of launchStrings(manifest.json)) {
      for (const name of new Set(userConfigRefs(value))) {
        used.add(name);
        if (!Object.prototype.hasOwnProperty.call(declared, name)) {
          context.report({ messageId: 'undeclared', data: { field: fieldLabel(path), name }, location: { file: 'manifest.json', pointer: pointerOf(path) } });
        }
      }
    }
    for (const name of Object.keys(declared)) {
      if (!used.has(name)) {
        context.report({ messageId: 'unused', severity: 'low', data: { name }, location: { file: 'manifest.json', pointer: pointerOf(['user_config', name]) } });
      }
    }
  },
});
