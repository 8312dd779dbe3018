import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/audit-content.js';
import { diffReports } from '../../src/diff/diff.js';
import { renderDiff } from '../../src/diff/render.js';
import type { BundleSurface } from '../../src/diff/surface.js';
import { REPO_ROOT } from '../helpers/fixtures.js';
import { bundleReport } from '../helpers/reports.js';

// Everything a bundle names reaches the reader escaped: a tool named with a terminal escape, a
// description written as markdown, a host with a bidi control.

const HOSTILE_TOOL = 'run\u001b[2J\u202e';
const HOSTILE_DESCRIPTION = '[Click](https://evil.example/x) <img src=x> @admin';

function side(version: string, surface: BundleSurface) {
  const bundle = bundleReport({
    source: `ext-${version}`,
    id: 'ext\u001b[31m',
    manifest: { name: 'ext', displayName: null, version, manifestVersion: '0.3', serverType: 'node' },
    signature: 'not-applicable',
  });
  return { bundle, surface };
}

const empty: BundleSurface = { tools: [], hosts: [], launch: [], userConfig: [], dependencies: [], nativeFiles: [], publisher: null };
const diff = diffReports(
  side('1.0.0', empty),
  side('1.0.1', { ...empty, tools: [{ name: HOSTILE_TOOL, descriptions: [HOSTILE_DESCRIPTION] }], hosts: [{ host: 'evil\u2066.example', declared: false }] }),
  { gate: 'high', internalError: false },
);
const render = (format: 'text' | 'markdown' | 'json') => renderDiff(diff, format, { color: false, cwd: REPO_ROOT, rules: RULES });

describe('rendering bundle text', () => {
  it('text shows controls as escapes', () => {
    const text = render('text');
    expect(text).not.toMatch(/[\u001b\u202e\u2066]/);
    expect(text).toContain('tool "run\\u{1B}[2J\\u{202E}"');
    expect(text).toContain('This update adds: tool "run\\u{1B}[2J\\u{202E}"; host "evil\\u{2066}.example" (undeclared)');
  });

  it('markdown makes links, tags and mentions inert', () => {
    const markdown = render('markdown');
    expect(markdown).not.toMatch(/[\u001b\u202e\u2066]/);
    expect(markdown).not.toContain('[Click]');
    expect(markdown).not.toContain('<img');
    expect(markdown).toContain('&#91;Click&#93;');
    expect(markdown).toContain('@&#8203;admin');
  });

  it('JSON keeps the exact values, printed as escapes', () => {
    const json = render('json');
    expect(json).not.toMatch(/[\u202e\u2066]/);
    expect((JSON.parse(json) as typeof diff).drift.map((item) => item.subject)).toEqual([HOSTILE_TOOL, 'evil\u2066.example']);
  });
});

describe('an incomplete side', () => {
  it('never reads as a clean update', () => {
    const old = side('1.0.0', empty);
    const partial = side('1.0.1', empty);
    partial.bundle = { ...partial.bundle, complete: false, incompleteReasons: ['server/index.js could not be parsed'] };
    const unfinished = diffReports(old, partial, { gate: 'high', internalError: false });
    const text = renderDiff(unfinished, 'text', { color: false, cwd: REPO_ROOT, rules: RULES });
    expect(text).toContain('This update adds nothing dxt-audit could see, but the new version was not audited completely.');
    expect(text).toContain('not audited: server/index.js could not be parsed');
    const markdown = renderDiff(unfinished, 'markdown', { color: false, cwd: REPO_ROOT, rules: RULES });
    expect(markdown).toContain('**The new version was not audited completely**');
  });
});
