import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { claudeDataDirectories } from '../../src/installed/locate.js';
import { readInstallation } from '../../src/installed/read.js';

let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'dxt-audit-installed-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function put(relative: string, content: unknown): Promise<void> {
  const file = path.join(root, relative);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
}

const manifest = {
  name: 'notes',
  user_config: {
    notes_dir: { type: 'directory', title: 'Notes' },
    extra_dirs: { type: 'directory', multiple: true, title: 'More' },
    api_key: { type: 'string', sensitive: true, title: 'Key' },
  },
};

it('keeps enablement and granted folders, and never a secret value', async () => {
  await put('Claude Extensions/local.dxt.acme.notes/manifest.json', manifest);
  await put('Claude Extensions Settings/local.dxt.acme.notes.json', {
    isEnabled: true,
    userConfig: { notes_dir: '/home/u/notes', extra_dirs: ['/srv/a', '/srv/b'], api_key: 'sk-live-SECRET' },
  });
  await put('Claude Extensions/local.dxt.acme.other/manifest.json', { name: 'other' });
  await put('extensions-installations.json', {
    extensions: { 'local.dxt.acme.notes': { id: 'local.dxt.acme.notes', version: '1.2.0', hash: 'abc', source: 'local', signatureInfo: { status: 'unsigned' } } },
  });
  const installation = await readInstallation(root);
  expect(installation.extensions).toEqual([
    {
      id: 'local.dxt.acme.notes',
      directory: path.join(root, 'Claude Extensions', 'local.dxt.acme.notes'),
      linked: false,
      enabled: true,
      grantedPaths: ['/home/u/notes', '/srv/a', '/srv/b'],
      registry: { version: '1.2.0', source: 'local', signatureStatus: 'unsigned', hash: 'abc' },
    },
    // No settings file: disabled, as Claude Desktop treats it.
    expect.objectContaining({ id: 'local.dxt.acme.other', enabled: false, grantedPaths: [], registry: null }),
  ]);
  expect(JSON.stringify(installation)).not.toContain('SECRET');
  expect(installation.problems).toEqual([]);
});

it('tolerates other registry shapes and reports unreadable files', async () => {
  await put('Claude Extensions/a/manifest.json', { name: 'a' });
  await put('Claude Extensions Settings/a.json', '{ not json');
  await put('extensions-installations.json', [{ id: 'a', version: '2.0.0', signatureStatus: 'signed' }]);
  const installation = await readInstallation(root);
  expect(installation.extensions[0]).toMatchObject({ id: 'a', enabled: false, registry: { version: '2.0.0', signatureStatus: 'signed' } });
  expect(installation.problems).toEqual([`${path.join('Claude Extensions Settings', 'a.json')} could not be read as JSON; it was ignored`]);
});

it('does not enter a linked extension folder', async () => {
  await put('elsewhere/manifest.json', manifest);
  await mkdir(path.join(root, 'Claude Extensions'), { recursive: true });
  await symlink(path.join(root, 'elsewhere'), path.join(root, 'Claude Extensions', 'linked'));
  await put('Claude Extensions Settings/linked.json', { isEnabled: true, userConfig: { notes_dir: '/x' } });
  const installation = await readInstallation(root);
  expect(installation.extensions).toEqual([expect.objectContaining({ id: 'linked', linked: true, enabled: true, grantedPaths: [] })]);
});

it('inventories hand-configured servers with env names only', async () => {
  await put('claude_desktop_config.json', {
    mcpServers: { web: { command: 'npx', args: ['-y', 'some-server@latest', 42], env: { TOKEN: 'ghp_SECRET' } }, broken: 'x' },
  });
  const installation = await readInstallation(root);
  expect(installation.configuredServers).toEqual([{ name: 'web', command: 'npx', args: ['-y', 'some-server@latest'], envKeys: ['TOKEN'] }]);
  expect(JSON.stringify(installation)).not.toContain('SECRET');
});

it.each([
  ['darwin', {}, ['/Users/u/Library/Application Support/Claude']],
  ['linux', {}, ['/Users/u/.config/Claude']],
  ['linux', { XDG_CONFIG_HOME: '/cfg' }, ['/cfg/Claude']],
  [
    'win32',
    { APPDATA: 'C:\\Users\\u\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\u\\AppData\\Local' },
    ['C:\\Users\\u\\AppData\\Roaming\\Claude', 'C:\\Users\\u\\AppData\\Local\\Packages\\Claude_pzs8sxrjxfjjc\\LocalCache\\Roaming\\Claude'],
  ],
] as const)('finds the data folder on %s', (platform, env, expected) => {
  expect(claudeDataDirectories({ platform, home: '/Users/u', env })).toEqual(expected);
});
