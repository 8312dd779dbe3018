import { defineRule } from '../src/engine/rule.js';
import { arrayAt, objectAt, pointerOf } from '../src/manifest/access.js';
import { MCP_CONFIG_PATH, PLATFORMS } from '../src/manifest/mcp-config.js';

// Platform names are Node's `process.platform` values. These are the usual slips; with one of them
// the override never applies and the base command runs on that platform instead.
const LIKELY: ReadonlyMap<string, string> = new Map([
  ['mac', 'darwin'], ['macos', 'darwin'], ['osx', 'darwin'], ['macosx', 'darwin'], ['darwin', 'darwin'],
  ['win', 'win32'], ['windows', 'win32'], ['win64', 'win32'], ['win32', 'win32'],
  ['linux', 'linux'], ['ubuntu', 'linux'],
]);

function isPlatform(value: string): boolean {
  return (PLATFORMS as readonly string[]).includes(value);
}

export default defineRule({
  meta: {
    id: 'manifest-platform-overrides',
    category: 'manifest',
    severity: 'low',
    description: 'A platform_overrides key or a compatibility.platforms value is not one of darwin, win32, linux.',
    remediation: 'Ask the publisher to use darwin, win32 or linux; an override under another name never applies.',
    messages: {
      overrideKey: 'platform_overrides has the key "{key}", which is not a platform: the override never applies and the base command runs there instead.',
      overrideKeyHint:
        'platform_overrides has the key "{key}", which is not a platform (did you mean "{hint}"?): the override never applies and the base command runs there instead.',
      platform: 'compatibility.platforms lists "{value}", which is not darwin, win32 or linux.',
      platformHint: 'compatibility.platforms lists "{value}", which is not a platform name (did you mean "{hint}"?).',
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    const overridesPath = [...MCP_CONFIG_PATH, 'platform_overrides'];
    for (const key of Object.keys(objectAt(manifest.json, overridesPath) ?? {})) {
      if (isPlatform(key)) continue;
      const hint = LIKELY.get(key.toLowerCase());
      const location = { file: 'manifest.json' as const, pointer: pointerOf([...overridesPath, key]) };
      if (hint === undefined) context.report({ messageId: 'overrideKey', data: { key }, location });
      else context.report({ messageId: 'overrideKeyHint', data: { key, hint }, location });
    }
    const platforms = arrayAt(manifest.json, ['compatibility', 'platforms']) ?? [];
    platforms.forEach((value, index) => {
      if (typeof value !== 'string' || isPlatform(value)) return;
      const hint = LIKELY.get(value.toLowerCase());
      const location = { file: 'manifest.json' as const, pointer: pointerOf(['compatibility', 'platforms', index]) };
      if (hint === undefined) context.report({ messageId: 'platform', data: { value }, location });
      else context.report({ messageId: 'platformHint', data: { value, hint }, location });
    });
  },
});
