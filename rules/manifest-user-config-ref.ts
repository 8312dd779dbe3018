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
    docs: {
      why:
        'Claude Desktop substitutes only the options `user_config` declares. A `${user_config.api_key}` in `mcp_config` with ' +
        'no matching option reaches the server as that literal text, so the server runs with a placeholder where it expects a ' +
        'path, a key or a directory limit: a filesystem server may then treat the text as a relative path, or fall back to a ' +
        'default the user never chose. Medium. The reverse, a declared option that `mcp_config` never passes on, is low: ' +
        'whatever the user enters (possibly a secret) goes nowhere, and the setting they think confines the extension does not.',
      falsePositives:
        'References are looked for in `command`, `args` and `env`, including platform overrides. An option that the server ' +
        'reads some other way than through `mcp_config` (there is no other supported way) is still reported unused. Names are ' +
        'matched exactly, including case.',
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
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
