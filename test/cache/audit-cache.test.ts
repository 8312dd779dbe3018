import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildSignedBundle, buildZip, fakeSignatureBlob } from '../../scripts/lib/zip-writer.js';
import { audit, type AuditOptions } from '../../src/audit.js';
import { RULES } from '../../src/audit-content.js';
import { isEntryName } from '../../src/cache/entries.js';
import { renderJson } from '../../src/reporters/json.js';
import { renderMarkdown } from '../../src/reporters/markdown.js';
import { renderSarif } from '../../src/reporters/sarif.js';
import { renderText } from '../../src/reporters/text.js';
import type { Report } from '../../src/report.js';
import { repoPath } from '../helpers/fixtures.js';
import { tempFolder } from '../helpers/temp.js';

// `--cache` keeps whole audits (docs/cache.md): a bundle audited before, byte for byte, with the
// same settings, is read back whole instead of unpacked and analysed; anything else is audited anew.

const SHELL_FIXTURE = repoPath('fixtures/rules/code-shell-exec/invalid');

let directory: string;
let scratch: string;
let warnings: string[];

beforeEach(() => {
  directory = tempFolder('audit-cache');
  scratch = tempFolder('audit-cache-bundles');
  warnings = [];
});

const cached = (extra: AuditOptions = {}): AuditOptions => ({ ...extra, cache: { directory }, onWarning: (line) => warnings.push(line) });
const auditEntries = () => fs.readdirSync(directory).filter((name) => isEntryName(name) && name.endsWith('.audit')).sort();
const everyFormat = (report: Report) => [
  renderJson(report),
  renderText(report, { color: true, rules: RULES }),
  renderMarkdown(report, { rules: RULES }),
  renderSarif(report, { rules: RULES, cwd: scratch }),
];

/** The fixture folder as an archive in the scratch folder, with `edit` applied to its files first. */
function archiveOf(folder: string, name = 'bundle.mcpb', edit: (files: Map<string, string>) => void = () => {}): string {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(folder, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  edit(files);
  const archive = path.join(scratch, name);
  fs.writeFileSync(archive, buildZip([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([entry, data]) => ({ name: entry, data }))));
  return archive;
}

describe('an archive audited before', () => {
  it('is read back: every format prints, byte for byte, the report of a scan without the cache', async () => {
    const archive = archiveOf(SHELL_FIXTURE);
    const uncached = everyFormat(await audit([archive]));
    expect(everyFormat(await audit([archive], cached()))).toEqual(uncached);
    expect(auditEntries()).toHaveLength(1);
    expect(everyFormat(await audit([archive], cached()))).toEqual(uncached);
    expect(warnings).toEqual([]);
  });

  it('is neither unpacked nor analysed again: the stored audit is what the report shows', async () => {
    const archive = archiveOf(SHELL_FIXTURE);
    await audit([archive], cached());
    const [name] = auditEntries();
    rewriteBody(path.join(directory, name!), (stored) => ({ ...stored, report: { ...(stored['report'] as object), findings: [] } }));
    expect((await audit([archive], cached())).bundles[0]!.findings).toEqual([]);
    expect((await audit([archive])).bundles[0]!.findings.map((finding) => finding.ruleId)).toContain('code-shell-exec');
  });

  it('is another archive once one byte changes', async () => {
    const archive = archiveOf(SHELL_FIXTURE);
    await audit([archive], cached());
    archiveOf(SHELL_FIXTURE, 'bundle.mcpb', (files) => files.set('server/index.js', `${files.get('server/index.js')}\n// changed\n`));
    expect(renderJson(await audit([archive], cached()))).toBe(renderJson(await audit([archive])));
    expect(auditEntries()).toHaveLength(2);
  });

  it.each<[string, AuditOptions]>([
    ['an allowed host', { allowedHosts: ['example.com'] }],
    ['the limits', { limits: { maxEntries: 500 } }],
    ['the manifest strictness', { strictManifest: true }],
  ])('is audited again when %s differ', async (_what, options) => {
    const archive = archiveOf(SHELL_FIXTURE);
    await audit([archive], cached());
    expect(renderJson(await audit([archive], cached(options)))).toBe(renderJson(await audit([archive], options)));
    expect(auditEntries()).toHaveLength(2);
  });

  it('is audited again from another path: the report names the path it was given', async () => {
    const archive = archiveOf(SHELL_FIXTURE);
    await audit([archive], cached());
    const copy = path.join(scratch, 'copy.mcpb');
    fs.copyFileSync(archive, copy);
    const report = await audit([copy], cached());
    expect(report.bundles[0]!.source).toBe(copy);
    expect(auditEntries()).toHaveLength(2);
  });
});

describe('a folder audited before', () => {
  /** The fixture folder copied into the scratch folder. */
  const folderCopy = () => {
    const folder = path.join(scratch, 'folder');
    fs.cpSync(SHELL_FIXTURE, folder, { recursive: true });
    return folder;
  };

  it('is read back while every file is as it was', async () => {
    const folder = folderCopy();
    const uncached = everyFormat(await audit([folder]));
    expect(everyFormat(await audit([folder], cached()))).toEqual(uncached);
    const [name] = auditEntries();
    rewriteBody(path.join(directory, name!), (stored) => ({ ...stored, report: { ...(stored['report'] as object), findings: [] } }));
    expect((await audit([folder], cached())).bundles[0]!.findings).toEqual([]);
  });

  it.each<[string, (folder: string) => void]>([
    ['a file changes', (folder) => fs.appendFileSync(path.join(folder, 'server', 'index.js'), '\n// changed\n')],
    ['a file is added', (folder) => fs.writeFileSync(path.join(folder, 'server', 'notes.txt'), 'new')],
    ['a file becomes executable', (folder) => fs.chmodSync(path.join(folder, 'server', 'index.js'), 0o755)],
  ])('is audited again once %s', async (_change, change) => {
    const folder = folderCopy();
    await audit([folder], cached());
    change(folder);
    expect(renderJson(await audit([folder], cached()))).toBe(renderJson(await audit([folder])));
    expect(auditEntries()).toHaveLength(2);
  });
});

describe('what is never stored whole', () => {
  it('a partial audit: a file that could not be parsed is retried on every scan', async () => {
    const archive = archiveOf(SHELL_FIXTURE, 'broken.mcpb', (files) => files.set('server/index.js', 'function (\n'));
    const report = await audit([archive], cached());
    expect(report.bundles[0]!.complete).toBe(false);
    expect(auditEntries()).toEqual([]);
  });

  it('a signed archive: whether its signature holds depends on the day it is checked', async () => {
    const archive = path.join(scratch, 'signed.mcpb');
    fs.writeFileSync(archive, buildSignedBundle(fs.readFileSync(archiveOf(SHELL_FIXTURE)), 'MCPB', fakeSignatureBlob()));
    const report = await audit([archive], cached());
    expect(report.bundles[0]!.signature).not.toBe('unsigned');
    expect(auditEntries()).toEqual([]);
  });

  it('the bundle’s own text: an audit entry holds the report, not the code', async () => {
    const marker = 'comment-only-marker-7d21';
    const archive = archiveOf(SHELL_FIXTURE, 'marked.mcpb', (files) => files.set('server/index.js', `${files.get('server/index.js')}\n// ${marker}\n`));
    await audit([archive], cached());
    expect(auditEntries()).toHaveLength(1);
    for (const name of fs.readdirSync(directory)) expect(fs.readFileSync(path.join(directory, name), 'utf8')).not.toContain(marker);
  });
});

describe('a damaged audit entry is ignored with one warning line and written again', () => {
  const damaged: Array<[string, (file: string) => void, RegExp]> = [
    ['corrupt', (file) => fs.writeFileSync(file, 'not a cache entry'), /corrupt or truncated/],
    ['truncated', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), /corrupt or truncated/],
    ['bit-flipped', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"findings":[', '"findings" :[')), /corrupt or truncated/],
    ['not shaped like an audit', (file) => rewriteBody(file, (stored) => ({ ...stored, report: 'clean' })), /corrupt or truncated/],
    ['the answer to another question', (file) => rewriteHeader(file, (header) => ({ ...header, key: 'another archive' })), /another version's/],
    [
      'unreadable',
      (file) => {
        fs.rmSync(file);
        fs.mkdirSync(file);
      },
      /unreadable/,
    ],
  ];
  it.each(damaged)('%s', async (kind, damage, wording) => {
    const archive = archiveOf(SHELL_FIXTURE);
    const uncached = renderJson(await audit([archive]));
    await audit([archive], cached());
    for (const name of auditEntries()) damage(path.join(directory, name));
    expect(renderJson(await audit([archive], cached()))).toBe(uncached);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(wording);
    if (kind !== 'unreadable') {
      warnings = [];
      expect(renderJson(await audit([archive], cached()))).toBe(uncached);
      expect(warnings).toEqual([]);
    }
  });
});

function rewriteBody(file: string, change: (stored: Record<string, unknown>) => unknown): void {
  const [headerLine, body] = fs.readFileSync(file, 'utf8').split('\n');
  const text = JSON.stringify(change(JSON.parse(body!)));
  fs.writeFileSync(file, `${JSON.stringify({ ...JSON.parse(headerLine!), sha256: sha256(text) })}\n${text}`);
}

function rewriteHeader(file: string, change: (header: Record<string, unknown>) => unknown): void {
  const [headerLine, body] = fs.readFileSync(file, 'utf8').split('\n');
  fs.writeFileSync(file, `${JSON.stringify(change(JSON.parse(headerLine!)))}\n${body}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
