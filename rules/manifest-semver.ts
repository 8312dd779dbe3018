import semver from 'semver';
import { defineRule } from '../src/engine/rule.js';
import { objectAt, pointerOf, stringAt, valueAt } from '../src/manifest/access.js';

/**
 * Strict semver: the `semver` package itself forgives a leading `v` or `=` and surrounding blanks
 * (`v1.2.0`), which the specification does not.
 */
export function isStrictSemver(version: string): boolean {
  return semver.valid(version) !== null && /^\d/.test(version) && version.trim() === version;
}

export function isSemverRange(range: string): boolean {
  return semver.validRange(range) !== null;
}

export default defineRule({
  meta: {
    id: 'manifest-semver',
    category: 'manifest',
    severity: 'low',
    description: '`version` is not a semantic version, or a compatibility requirement (claude_desktop, runtimes) is not a semver range.',
    remediation: 'Ask the publisher to use semantic versions; hosts cannot compare versions or enforce requirements they cannot parse.',
    messages: {
      version: 'version "{value}" is not a semantic version (MAJOR.MINOR.PATCH): updates cannot be ordered or compared.',
      range: '{field} "{value}" is not a semver range: the requirement cannot be checked before install.',
    },
    docs: {
      why:
        'Hosts decide whether a bundle is an update, and whether it can run on this Claude Desktop or this runtime, by ' +
        'comparing semantic versions. A `version` such as `v1.2` or `1.0` cannot be ordered, and a ' +
        '`compatibility.claude_desktop` or `compatibility.runtimes` requirement that is not a semver range cannot be enforced ' +
        'before install, so the bundle may install where it cannot run. Low.',
      falsePositives:
        "`version` is held to the specification strictly: a leading `v` or `=`, or surrounding blanks, are reported even " +
        "though the `semver` package itself forgives them. Ranges use the same grammar as npm (`>=0.10.0`, `^20`, `>=3.10 " +
        "<4`), so any range npm accepts passes, including partial versions such as `>=0.10`. Non-string values are " +
        "`manifest-schema`'s finding.",
      references: [
        { title: 'Semantic Versioning 2.0.0', url: 'https://semver.org/' },
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest }, context) {
    if (manifest.json === undefined) return;
    const version = stringAt(manifest.json, ['version']);
    if (version !== undefined && !isStrictSemver(version)) {
      context.report({ messageId: 'version', data: { value: version }, location: { file: 'manifest.json', pointer: pointerOf(['version']) } });
    }
    const ranges: Array<[string, Array<string>]> = [['compatibility.claude_desktop', ['compatibility', 'claude_desktop']]];
    for (const runtime of Object.keys(objectAt(manifest.json, ['compatibility', 'runtimes']) ?? {})) {
      ranges.push([`compatibility.runtimes.${runtime}`, ['compatibility', 'runtimes', runtime]]);
    }
    for (const [field, path] of ranges) {
      const value = valueAt(manifest.json, path);
      if (typeof value === 'string' && !isSemverRange(value)) {
        context.report({ messageId: 'range', data: { field, value }, location: { file: 'manifest.json', pointer: pointerOf(path) } });
      }
    }
  },
});
