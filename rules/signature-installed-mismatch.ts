import { isObject } from '../src/manifest/access.js';
import { defineRule } from '../src/engine/rule.js';

/** Paths reported per finding; a rewritten manifest differs everywhere and the first few tell the story. */
const MAX_PATHS = 8;

export default defineRule({
  meta: {
    id: 'signature-installed-mismatch',
    category: 'signature',
    severity: 'medium',
    description: "An installed extension's manifest.json is no longer the one Claude Desktop recorded when it installed it.",
    remediation:
      'Find out who changed the installed files; reinstall the extension from a bundle you trust (and scan that bundle first).',
    messages: {
      changed: 'manifest.json differs from the manifest Claude Desktop recorded at install: {paths}.',
    },
    docs: {
      why:
        "When Claude Desktop installs a bundle it unpacks it under `Claude Extensions/<id>/` and records the manifest, a hash and " +
        'the signature status in `extensions-installations.json`. Whatever can write to the unpacked folder afterwards (another ' +
        'program, another extension running with your privileges, a sync tool) can change what the extension runs, ' +
        '`mcp_config` first of all, without any install dialog, signature check or update prompt. With `--installed`, ' +
        'dxt-audit compares the manifest in the folder with the recorded one and names the fields that differ. Medium: the ' +
        'extension no longer is what was installed, whoever changed it.',
      falsePositives:
        "Only extensions scanned with `--installed` whose registry entry holds a manifest are compared. The recorded `hash` is " +
        'not compared: it is a digest of the `.mcpb` archive Claude Desktop discarded after unpacking, which the folder cannot ' +
        "reproduce (it is shown in the report's `installation.registry.hash` to compare with the publisher's). The server " +
        'files themselves are not covered by any record, so an edit to them alone is not reported here; their code is audited ' +
        'like any bundle. A developer editing an extension in place will see this finding, rightly.',
      references: [
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
      ],
    },
  },
  check({ manifest, settings }, context) {
    const recorded = settings.recordedManifest;
    if (recorded === undefined || !manifest.present) return;
    const paths = differingPaths(recorded, manifest.json, '');
    if (paths.length === 0) return;
    const shown = paths.slice(0, MAX_PATHS).join(', ');
    context.report({
      messageId: 'changed',
      data: { paths: paths.length > MAX_PATHS ? `${shown} and ${paths.length - MAX_PATHS} more` : shown },
      location: { file: 'manifest.json' },
    });
  },
});

/** The JSON paths (`tools[0].description`) at which two values differ; key order is not a difference. */
function differingPaths(recorded: unknown, now: unknown, at: string): string[] {
  if (isObject(recorded) && isObject(now)) {
    const keys = [...new Set([...Object.keys(recorded), ...Object.keys(now)])].sort();
    return keys.flatMap((key) => differingPaths(recorded[key], now[key], at === '' ? key : `${at}.${key}`));
  }
  if (Array.isArray(recorded) && Array.isArray(now) && recorded.length === now.length) {
    return recorded.flatMap((item, index) => differingPaths(item, now[index], `${at}[${index}]`));
  }
  return JSON.stringify(recorded) === JSON.stringify(now) ? [] : [at === '' ? '(the whole manifest)' : at];
}
