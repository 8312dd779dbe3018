import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isEntryName } from '../../src/cache/entries.js';
import { runCli } from '../helpers/cli.js';
import { repoPath } from '../helpers/fixtures.js';

const BUNDLE = repoPath('fixtures/rules/code-shell-exec/invalid');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dxt-audit-cli-cache-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const entriesIn = (directory: string) => (fs.existsSync(directory) ? fs.readdirSync(directory).filter(isEntryName) : []);

describe('the cache on the command line', () => {
  it('is off unless asked for', async () => {
    const home = path.join(scratch, 'off');
    await runCli(['scan', BUNDLE], { env: { XDG_CACHE_HOME: home } });
    expect(fs.existsSync(home)).toBe(false);
  });

  it('--cache uses the user cache folder (XDG_CACHE_HOME), and prints the same report warm', async () => {
    const home = path.join(scratch, 'xdg');
    const cold = await runCli(['scan', BUNDLE, '--format', 'json', '--cache'], { env: { XDG_CACHE_HOME: home } });
    expect(entriesIn(path.join(home, 'dxt-audit')).length).toBeGreaterThan(0);
    const warm = await runCli(['scan', BUNDLE, '--format', 'json', '--cache'], { env: { XDG_CACHE_HOME: home } });
    expect(warm.stdout).toBe(cold.stdout);
    expect([cold.stderr, warm.stderr]).toEqual(['', '']);
  });

  it('--cache-location turns it on, relative to the working folder; diff takes it too', async () => {
    await runCli(['diff', BUNDLE, BUNDLE, '--cache-location', 'here'], { cwd: scratch });
    expect(entriesIn(path.join(scratch, 'here')).length).toBeGreaterThan(0);
  });

  it('says in one line on standard error what it ignored, and the report is unchanged', async () => {
    const directory = path.join(scratch, 'damaged');
    const cold = await runCli(['scan', BUNDLE, '--format', 'json', '--cache-location', directory]);
    for (const name of entriesIn(directory)) fs.writeFileSync(path.join(directory, name), '{');
    const warm = await runCli(['scan', BUNDLE, '--format', 'json', '--cache-location', directory]);
    expect(warm.stdout).toBe(cold.stdout);
    expect(warm.code).toBe(cold.code);
    expect(warm.stderr).toBe(`dxt-audit: cache: ignored corrupt or truncated cache data in ${directory} and rebuilt it\n`);
  });
});
