import { defineRule } from '../src/engine/rule.js';
import { pointerOf, stringAt, type JsonPath } from '../src/manifest/access.js';
import {
  caseVariantOf,
  dirnamePath,
  fieldLabel,
  launchConfigs,
  presenceOf,
  resolveBundleRelative,
  type BundlePath,
} from '../src/manifest/mcp-config.js';

type OutsideReason = Extract<BundlePath, { kind: 'outside' }>['reason'];

// The reference validator accepts any string here, `../../etc/passwd` included. A path outside the
// bundle means the code that runs was never shipped, so nobody (this audit included) could review it.
export default defineRule({
  meta: {
    id: 'manifest-entry-point',
    category: 'manifest',
    severity: 'medium',
    description:
      'server.entry_point, or a bundle path passed in mcp_config, points outside the bundle (absolute, drive letter, `..`) or at a file that is not in it.',
    remediation:
      'Do not install when a path leads outside the bundle. A missing file means the bundle is broken or incomplete: ask the publisher for a bundle that ships its server code.',
    messages: {
      absolute: '{field} "{value}" is an absolute path: the server code it names lies outside the bundle and was not audited.',
      drive: '{field} "{value}" starts with a drive letter: the server code it names lies outside the bundle and was not audited.',
      traversal: '{field} "{value}" climbs out of the bundle folder with "..": the file it names lies outside the bundle and was not audited.',
      variable: '{field} "{value}" starts in a user folder, not in the bundle: the file it names was not audited.',
      missing: '{field} "{value}" names "{path}", which is not in the bundle: the code meant to run there was not shipped or audited.',
      caseOnly: '{field} "{value}" names "{path}", but the bundle has it only as "{actual}": it works on macOS and Windows, not on Linux.',
    },
    docs: {
      why:
        '`server.entry_point` and the bundle paths in `mcp_config` (`${__dirname}/...`) say which code Claude Desktop runs. ' +
        'The reference validator accepts any string there, including `../../` paths, absolute paths and drive letters, so a ' +
        'manifest can point at code outside the bundle: code that was never shipped, never reviewed and never audited here, ' +
        'which may be whatever a previous step left on the machine. Such paths are reported high. A path inside the bundle ' +
        'that names a missing file is medium (the bundle is broken, or its real code arrives some other way), and a file ' +
        'present only with different letter case is low (it starts on macOS and Windows, not on Linux).',
      falsePositives:
        'A `${__dirname}/...` prefix on `entry_point` is accepted and resolved against the bundle, and `..` that stays inside ' +
        'the bundle is fine. In `mcp_config`, only strings containing `${__dirname}` are taken as bundle paths; other ' +
        'arguments (flags, `${user_config.*}` values) are not judged. `env` values are checked only for leaving the bundle, ' +
        'not for presence, because variables such as `PYTHONPATH` legitimately name folders that may be empty. A path starting ' +
        'with `${HOME}`, `${DESKTOP}`, `${DOCUMENTS}` or `${DOWNLOADS}` is reported as starting in a user folder; other ' +
        'variables inside a path cannot be resolved before install, and such paths are skipped. Each place in the manifest is ' +
        'reported once, even when several platform overrides inherit it.',
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'CWE-22: Improper Limitation of a Pathname to a Restricted Directory', url: 'https://cwe.mitre.org/data/definitions/22.html' },
      ],
    },
  },
  check({ manifest, container }, context) {
    if (manifest.json === undefined) return;

    const outside = (reason: OutsideReason, field: string, value: string, path: JsonPath) =>
      context.report({ messageId: reason, severity: 'high', data: { field, value }, location: { file: 'manifest.json', pointer: pointerOf(path) } });

    const checkInside = (target: string, field: string, value: string, path: JsonPath) => {
      if (presenceOf(container, target) !== null) return;
      const location = { file: 'manifest.json' as const, pointer: pointerOf(path) };
      const actual = caseVariantOf(container, target);
      if (actual !== null) {
        context.report({ messageId: 'caseOnly', severity: 'low', data: { field, value, path: target, actual }, location });
      } else {
        context.report({ messageId: 'missing', data: { field, value, path: target }, location });
      }
    };

    const entryPath = ['server', 'entry_point'];
    const entry = stringAt(manifest.json, entryPath);
    if (entry !== undefined && entry !== '') {
      // entry_point is not substituted, but `${__dirname}/server/index.js` is a common way of writing it.
      const resolved = entry.startsWith('${__dirname}') ? dirnamePath(entry) : resolveBundleRelative(entry);
      if (resolved?.kind === 'outside') outside(resolved.reason, 'server.entry_point', entry, entryPath);
      else if (resolved?.kind === 'inside') checkInside(resolved.path, 'server.entry_point', entry, entryPath);
    }

    // Effective configs share the base values on platforms without their own: report each place once.
    const seen = new Set<string>();
    for (const config of launchConfigs(manifest.json)) {
      const placed = [
        ...config.args.map((arg) => ({ ...arg, checkPresence: true })),
        ...config.env.map((entry) => ({ ...entry, checkPresence: false })),
      ];
      for (const { value, path, checkPresence } of placed) {
        const pointer = pointerOf(path);
        if (seen.has(pointer)) continue;
        seen.add(pointer);
        const resolved = dirnamePath(value);
        if (resolved === null || resolved.kind === 'unknown') continue;
        if (resolved.kind === 'outside') outside(resolved.reason, fieldLabel(path), value, path);
        // Env values are often folder lists for PYTHONPATH and friends, which may legitimately be empty.
        else if (checkPresence) checkInside(resolved.path, fieldLabel(path), value, path);
      }
    }
  },
});
