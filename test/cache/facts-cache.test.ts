import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { audit, type AuditOptions } from '../../src/audit.js';
import { isEntryName } from '../../src/cache/entries.js';
import { codeFingerprint, defaultCacheDirectory, pruneCache } from '../../src/cache/open.js';
import { renderJson } from '../../src/reporters/json.js';
import { repoPath } from '../helpers/fixtures.js';

// `--cache` (docs/cache.md): a warm scan reads the facts a cold one wrote and prints the same
// report; whatever is wrong with the cache is ignored with one warning line and rebuilt. The
// bundle's whole audit, also cached (audit-cache.test.ts), is taken out of the folder where a test
// needs the facts read back.

const JS_BUNDLE = repoPath('fixtures/rules/code-shell-exec/invalid');
const PYTHON_BUNDLE = repoPath('fixtures/examples/notes-server');

let directory: string;
let warnings: string[];

beforeEach(() => {
  directory = fs.mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-cache-'));
  warnings = [];
});
afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

const cached = (location = directory): AuditOptions => ({ cache: { directory: location }, onWarning: (line) => warnings.push(line) });
const scan = async (bundle: string, options: AuditOptions = {}) => renderJson(await audit([bundle], options));
const entries = () => fs.readdirSync(directory).filter(isEntryName).sort();
const factsEntries = () => entries().filter((name) => name.endsWith('.facts'));
const forgetAudits = () => {
  for (const name of entries().filter((entry) => entry.endsWith('.audit'))) fs.rmSync(path.join(directory, name));
};
const entryPath = (name: string) => path.join(directory, name);

describe('a warm scan', () => {
  it.each([
    ['JavaScript', JS_BUNDLE],
    ['Python', PYTHON_BUNDLE],
  ])('of a %s bundle prints, byte for byte, the report of a scan without the cache', async (_language, bundle) => {
    const uncached = await scan(bundle);
    expect(await scan(bundle, cached())).toBe(uncached);
    expect(entries().length).toBeGreaterThan(0);
    expect(await scan(bundle, cached())).toBe(uncached);
    forgetAudits();
    expect(await scan(bundle, cached())).toBe(uncached);
    expect(warnings).toEqual([]);
  });

  it('reads its facts from the cache instead of the code', async () => {
    await scan(JS_BUNDLE, cached());
    // An entry rewritten with a valid header but no calls: the finding only the code's calls give goes.
    forgetAudits();
    for (const name of factsEntries()) {
      const [, body] = fs.readFileSync(entryPath(name), 'utf8').split('\n');
      const facts = { ...JSON.parse(body!), calls: [] };
      const text = JSON.stringify(facts);
      const header = { ...JSON.parse(fs.readFileSync(entryPath(name), 'utf8').split('\n')[0]!), sha256: sha256(text) };
      fs.writeFileSync(entryPath(name), `${JSON.stringify(header)}\n${text}`);
    }
    const warm = JSON.parse(await scan(JS_BUNDLE, cached()));
    expect(warm.bundles[0].findings.map((finding: { ruleId: string }) => finding.ruleId)).not.toContain('code-shell-exec');
    expect(JSON.parse(await scan(JS_BUNDLE)).bundles[0].findings.map((finding: { ruleId: string }) => finding.ruleId)).toContain('code-shell-exec');
  });

  it('stores facts, never the bundle’s text', async () => {
    const marker = 'comment-only-marker-0f9c';
    const bundle = fs.mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-cache-bundle-'));
    try {
      fs.cpSync(JS_BUNDLE, bundle, { recursive: true });
      fs.appendFileSync(path.join(bundle, 'server', 'index.js'), `\n// ${marker}\n`);
      await scan(bundle, cached());
      expect(entries().length).toBeGreaterThan(0);
      for (const name of fs.readdirSync(directory)) expect(fs.readFileSync(entryPath(name), 'utf8')).not.toContain(marker);
    } finally {
      fs.rmSync(bundle, { recursive: true, force: true });
    }
  });
});

describe('a damaged cache is ignored with one warning line and rebuilt', () => {
  const damaged: Array<[string, (file: string) => void, RegExp]> = [
    ['corrupt', (file) => fs.writeFileSync(file, 'not a cache entry'), /corrupt or truncated/],
    ['truncated', (file) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2)), /corrupt or truncated/],
    ['bit-flipped', (file) => fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"calls":\[/, '"calls" :[')), /corrupt or truncated/],
    [
      'unreadable',
      (file) => {
        fs.rmSync(file);
        fs.mkdirSync(file);
      },
      /unreadable/,
    ],
  ];
  it.each(damaged)('%s entries', async (_kind, damage, wording) => {
    const uncached = await scan(JS_BUNDLE);
    await scan(JS_BUNDLE, cached());
    forgetAudits();
    for (const name of factsEntries()) damage(entryPath(name));
    expect(await scan(JS_BUNDLE, cached())).toBe(uncached);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(wording);
    expect(warnings[0]).toContain(directory);
    if (_kind !== 'unreadable') {
      // Rebuilt: the next scan finds nothing wrong.
      warnings = [];
      expect(await scan(JS_BUNDLE, cached())).toBe(uncached);
      expect(warnings).toEqual([]);
    }
  });

  it('a cache written by another version: its entries are dropped, and nothing else in the folder', async () => {
    await scan(JS_BUNDLE, cached());
    const before = entries();
    fs.writeFileSync(path.join(directory, 'index.json'), JSON.stringify({ format: 'dxt-audit-facts-cache', version: 1, tool: 'another version' }));
    fs.writeFileSync(path.join(directory, 'notes.txt'), 'the user keeps this here');
    const stale = `${'a'.repeat(64)}.facts`;
    fs.writeFileSync(entryPath(stale), 'from the other version');
    expect(await scan(JS_BUNDLE, cached())).toBe(await scan(JS_BUNDLE));
    expect(warnings).toEqual([expect.stringMatching(/another version's/)]);
    expect(entries()).toEqual(before);
    expect(fs.readFileSync(path.join(directory, 'notes.txt'), 'utf8')).toBe('the user keeps this here');
    expect(JSON.parse(fs.readFileSync(path.join(directory, 'index.json'), 'utf8')).tool).toBe(codeFingerprint());
  });

  it('a damaged index', async () => {
    await scan(JS_BUNDLE, cached());
    fs.writeFileSync(path.join(directory, 'index.json'), '{"format": "dxt-au');
    expect(await scan(JS_BUNDLE, cached())).toBe(await scan(JS_BUNDLE));
    expect(warnings).toEqual([expect.stringMatching(/corrupt or truncated/)]);
  });

  it('a folder that cannot be written: the scan runs without the cache', async () => {
    const blocked = path.join(directory, 'a-file');
    fs.writeFileSync(blocked, '');
    expect(await scan(JS_BUNDLE, cached(path.join(blocked, 'cache')))).toBe(await scan(JS_BUNDLE));
    expect(warnings).toEqual([expect.stringMatching(/cannot be written; scanning without storing facts$/)]);
  });

  it('an empty folder is a new cache, not a damaged one', async () => {
    await scan(JS_BUNDLE, cached(path.join(directory, 'new')));
    expect(warnings).toEqual([]);
    expect(fs.readFileSync(path.join(directory, 'new', 'CACHEDIR.TAG'), 'utf8')).toMatch(/^Signature: 8a477f597d28d172789f06886806bc55/);
  });
});

describe('the cache is bounded', () => {
  it('evicts the least recently used entries first, and only entries', () => {
    const write = (name: string, bytes: number, ageSeconds: number) => {
      fs.writeFileSync(entryPath(name), 'x'.repeat(bytes));
      const when = new Date(Date.UTC(2026, 0, 1) - ageSeconds * 1000);
      fs.utimesSync(entryPath(name), when, when);
    };
    const [oldest, middle, newest] = ['1', '2', '3'].map((digit) => `${digit.repeat(64)}.facts`);
    write(oldest!, 100, 30);
    write(middle!, 100, 20);
    write(newest!, 100, 10);
    write('index.json', 1000, 40);
    pruneCache(directory, 250, Date.UTC(2026, 0, 1));
    expect(fs.readdirSync(directory).sort()).toEqual([middle, newest, 'index.json'].sort());
  });

  it('removes temporary files a dead process left, not a write in progress', () => {
    const now = Date.UTC(2026, 0, 1);
    const left = `${'b'.repeat(64)}.facts.123-0-1.tmp`;
    const writing = `${'c'.repeat(64)}.facts.124-0-1.tmp`;
    for (const [name, age] of [[left, 3600], [writing, 1]] as const) {
      fs.writeFileSync(entryPath(name), 'partial');
      fs.utimesSync(entryPath(name), new Date(now - age * 1000), new Date(now - age * 1000));
    }
    pruneCache(directory, 0, now);
    expect(fs.readdirSync(directory)).toEqual([writing]);
  });
});

describe('where the cache lives by default', () => {
  it('follows XDG_CACHE_HOME, then each platform’s user cache folder', () => {
    expect(defaultCacheDirectory({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u')).toBe(path.join('/x/cache', 'dxt-audit'));
    expect(defaultCacheDirectory({}, 'linux', '/home/u')).toBe(path.join('/home/u', '.cache', 'dxt-audit'));
    expect(defaultCacheDirectory({}, 'darwin', '/Users/u')).toBe(path.join('/Users/u', 'Library', 'Caches', 'dxt-audit'));
    expect(defaultCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' }, 'win32', 'C:\\Users\\u')).toBe(
      path.join('C:\\Users\\u\\AppData\\Local', 'dxt-audit', 'Cache'),
    );
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
