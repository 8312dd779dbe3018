import { describe, expect, it } from 'vitest';
import { sensitivePathOf, sensitivePathOfArgument } from '../../../src/analysis/catalog/sensitive-paths.js';

describe('sensitive paths', () => {
  it.each([
    ['/home/me/.ssh/id_ed25519', 'SSH keys'],
    ['~/.ssh/authorized_keys', 'SSH authorized keys'],
    ['C:\\Users\\me\\.aws\\credentials', 'AWS credentials'],
    ['~/.kube/config', 'Kubernetes config'],
    ['/Users/me/Library/Application Support/Google/Chrome/Default/Cookies', 'browser cookies or saved passwords'],
    ['AppData/Local/Google/Chrome/User Data', 'browser profiles'],
    ['~/.mozilla/firefox/abc.default/logins.json', 'browser cookies or saved passwords'],
    ['Library/Keychains/login.keychain-db', 'macOS keychains'],
    ['AppData/Local/Google/Chrome/User Data/Default/Local Extension Settings/nkbihfbeogaeaoehlefnkodbefgpgknn', 'crypto wallets'],
    ['/home/me/.config/solana/id.json', 'crypto wallets'],
    ['AppData/Roaming/Exodus/exodus.wallet/seed.seco', 'crypto wallets'],
    ['AppData/Roaming/atomic/Local Storage/leveldb', 'crypto wallets'],
    ['~/.ethereum/keystore/UTC--2024', 'crypto wallets'],
    ['Claude/claude_desktop_config.json', 'Claude Desktop configuration'],
    ['.cursor/mcp.json', "other AI clients' configuration"],
    ['.zshrc', 'shell start-up files'],
    ['Library/LaunchAgents/com.example.plist', 'macOS launch agents'],
    ['HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run', 'Windows Run keys'],
    ['/etc/cron.d/job', 'cron tables'],
    ['.config/systemd/user/agent.service', 'systemd units'],
  ])('%s names %s', (path, name) => {
    expect(sensitivePathOf(path)?.name).toBe(name);
  });

  it.each([
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    '/usr/bin/google-chrome',
    'google-chrome',
    'Cookies',
    'COOKIES',
    '/var/run/secrets/kubernetes.io',
    'docs/ssh-setup.md',
    'solana/docs/id.json.md',
    'Local Extension Settings/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  ])('%s names nothing', (path) => {
    expect(sensitivePathOf(path)).toBeNull();
  });

  it('finds a place in the pieces a path is joined from', () => {
    expect(sensitivePathOfArgument({ labels: ['@home'], parts: ['Library', 'LaunchAgents'] })).toMatchObject({ entry: { name: 'macOS launch agents' }, text: 'Library/LaunchAgents' });
    expect(sensitivePathOfArgument({ labels: ['@home'], parts: ['.aws', 'credentials'] })).toMatchObject({ entry: { name: 'AWS credentials' }, text: '.aws' });
  });

  it('leaves the bundle its own .env', () => {
    expect(sensitivePathOfArgument({ labels: ['@bundle-dir'], parts: ['..', '.env'] })).toBeNull();
    expect(sensitivePathOfArgument({ labels: ['@cwd'], parts: ['.env'] })).toMatchObject({ entry: { weak: true } });
  });
});
