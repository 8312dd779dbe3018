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
    docs: {
      why:
        "`mcp_config.platform_overrides` keys and `compatibility.platforms` values are Node's `process.platform` names: " +
        "`darwin`, `win32`, `linux`. An override under `mac` or `windows` never applies, so on that platform the base command " +
        "runs instead, which may be a Unix shell line on Windows or a command the publisher never meant to run there. A " +
        "misspelled `compatibility.platforms` entry lets the bundle install where it cannot work. Low; the message suggests " +
        "the intended name for the usual slips (`mac`, `osx`, `windows`, `win64`, `ubuntu`).",
      falsePositives:
        'The three real platform names are never flagged (the `valid` example), and non-string values in ' +
        '`compatibility.platforms` are left to `manifest-schema`. Names outside the three are always reported, even plausible ' +
        'ones such as `freebsd`, because Claude Desktop runs only on macOS, Windows and Linux.',
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'Node.js: process.platform', url: 'https://nodejs.org/api/process.html#processplatform' },
      ],
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
