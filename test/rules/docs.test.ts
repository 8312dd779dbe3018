import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { generatedFiles, pagesOnDisk, PAGES_DIR, readOrNull, staleness, type GeneratedFile } from '../../scripts/generate.js';
import { closestIds, renderRulePage, renderRulesIndex } from '../../src/docs/rule-page.js';
import { RULE_EXAMPLES } from '../../src/docs/examples.js';
import { fixtureCases } from '../helpers/rule-fixtures.js';

// Hosts whose pages stay put: specifications, vulnerability databases, official API docs.
const STABLE_HOSTS = [
  'cwe.mitre.org',
  'attack.mitre.org',
  'nvd.nist.gov',
  'github.com',
  'nodejs.org',
  'docs.npmjs.com',
  'semver.org',
  'www.rfc-editor.org',
  'modelcontextprotocol.io',
  'pkware.cachefly.net',
  'www.bamsoftware.com',
  'www.unicode.org',
  'peps.python.org',
  'pip.pypa.io',
  'docs.astral.sh',
  'toml.io',
];

const SECTIONS = ['Why it matters', 'What it flags', 'Examples', 'False positives', 'What to do', 'References'];

/** The text under each `## ` heading of a page. */
function sections(page: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const part of page.split(/^## /m).slice(1)) {
    const newline = part.indexOf('\n');
    found.set(part.slice(0, newline), part.slice(newline).trim());
  }
  return found;
}

describe.each(RULES.map((rule) => [rule.meta.id, rule.meta] as const))('%s documentation', (id, meta) => {
  it('has prose of its own and references on stable hosts', () => {
    expect(meta.docs.why.length).toBeGreaterThan(150);
    expect(meta.docs.falsePositives.length).toBeGreaterThan(100);
    expect(meta.docs.why).not.toBe(meta.docs.falsePositives);
    expect(meta.docs.references.length).toBeGreaterThan(0);
    for (const { title, url } of meta.docs.references) {
      expect(title.trim()).not.toBe('');
      const parsed = new URL(url);
      expect(parsed.protocol, url).toBe('https:');
      expect(STABLE_HOSTS, url).toContain(parsed.host);
    }
    expect(new Set(meta.docs.references.map(({ url }) => url)).size).toBe(meta.docs.references.length);
  });

  it('has a page with every section filled and examples of both kinds from its fixtures', () => {
    const page = renderRulePage(meta, RULE_EXAMPLES[id] ?? []);
    const found = sections(page);
    expect([...found.keys()]).toEqual(SECTIONS);
    for (const [heading, text] of found) expect(text, heading).not.toBe('');
    expect(page).toContain(meta.docs.why);
    expect(page).toContain(meta.remediation);
    const unescaped = page.replace(/\\/g, '');
    for (const template of Object.values<string>(meta.messages)) expect(unescaped).toContain(`- ${template.replace(/\\/g, '')}\n`);

    // The examples are exactly the fixtures fixture-pairs.test.ts runs, marked the way it runs them.
    const cases = fixtureCases(id);
    const examples = RULE_EXAMPLES[id] ?? [];
    const names = (kind: string[]) => kind.map((fixture) => path.basename(fixture)).sort();
    expect(examples.filter((example) => example.triggers).map((example) => example.name).sort()).toEqual(names(cases.invalid));
    expect(examples.filter((example) => !example.triggers).map((example) => example.name).sort()).toEqual(names(cases.valid));
    expect(found.get('Examples')).toMatch(/: must trigger\n/);
    expect(found.get('Examples')).toMatch(/: must not trigger\n/);
    for (const example of examples) {
      expect(example.description !== undefined || example.files.length > 0, example.name).toBe(true);
    }
  });
});

describe('rule pages', () => {
  it('index lists every rule once, linking to its page', () => {
    const index = renderRulesIndex(RULES.map((rule) => rule.meta));
    for (const { meta } of RULES) expect(index.split(`| [\`${meta.id}\`](${meta.id}.md) |`)).toHaveLength(2);
  });

  it('keep a backslash in a message a backslash once rendered as Markdown', () => {
    const page = renderRulePage(RULES.find((rule) => rule.meta.id === 'archive-backslash-path')!.meta, []);
    expect(page).toContain('- Entry "{name}" uses "\\\\" as a separator');
  });

  it('show folder fixtures file by file, trimmed, and describe crafted archives', () => {
    const blob = RULE_EXAMPLES['code-obfuscation']!.find((example) => example.name === 'invalid-blob')!;
    const table = blob.files.find((file) => file.path === 'server/table.js')!;
    expect(table.note).toContain('long lines cut');
    expect(Math.max(...table.text!.split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(161);
    const icon = RULE_EXAMPLES['manifest-icon']!.find((example) => example.name === 'invalid')!;
    expect(icon.files.find((file) => file.path === 'icon.png')).toEqual({ path: 'icon.png', note: expect.stringMatching(/^binary file, \d+ bytes/) });
    const traversal = renderRulePage(RULES.find((rule) => rule.meta.id === 'archive-path-traversal')!.meta, RULE_EXAMPLES['archive-path-traversal']!);
    expect(traversal).toContain('### `invalid.dxt`: must trigger\n\nA crafted archive: entry ../../evil.js climbs out of the extraction root.');
  });

  it('are fresh, with no page left over from a removed rule (run `npm run generate`)', async () => {
    expect(staleness(await generatedFiles(), readOrNull, pagesOnDisk())).toEqual([]);
  });
});

describe('staleness', () => {
  const page = (name: string) => path.join(PAGES_DIR, name);
  const expected: GeneratedFile[] = [
    { file: page('README.md'), content: '# Rules\n' },
    { file: page('a-rule.md'), content: '# a-rule\n' },
  ];
  const disk = (files: Record<string, string>) => (file: string) => files[file] ?? null;

  it('finds nothing when the files on disk are what the generator writes', () => {
    expect(staleness(expected, disk({ [page('README.md')]: '# Rules\n', [page('a-rule.md')]: '# a-rule\n' }), [page('README.md'), page('a-rule.md')])).toEqual([]);
  });

  it('reports a page edited by hand, a missing page, and a page no rule generates', () => {
    expect(staleness(expected, disk({ [page('README.md')]: '# Rules\n', [page('a-rule.md')]: '# a-rule\n\nEdited.\n' }), [page('README.md'), page('a-rule.md')])).toEqual([
      { file: page('a-rule.md'), problem: 'stale' },
    ]);
    expect(staleness(expected, disk({ [page('README.md')]: '# Rules\n' }), [page('README.md')])).toEqual([{ file: page('a-rule.md'), problem: 'missing' }]);
    const withOld = disk({ [page('README.md')]: '# Rules\n', [page('a-rule.md')]: '# a-rule\n', [page('removed-rule.md')]: '# removed-rule\n' });
    expect(staleness(expected, withOld, [page('README.md'), page('a-rule.md'), page('removed-rule.md')])).toEqual([
      { file: page('removed-rule.md'), problem: 'extra' },
    ]);
  });
});

describe('closestIds', () => {
  const ids = RULES.map((rule) => rule.meta.id);

  it.each([
    ['shell', ['code-shell-exec']],
    ['code-shel-exec', ['code-shell-exec']],
    ['manifest-jsn', ['manifest-json']],
    ['archiv-symlnk', ['archive-symlink', 'archive-nested-archive']],
    ['secrets', ['file-secret', 'manifest-secret-option']],
    ['qqqqqq', []],
    ['', []],
  ])('%s -> %j', (input, closest) => {
    expect(closestIds(input, ids)).toEqual(closest);
  });
});
