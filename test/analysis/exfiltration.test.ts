import { expect, it } from 'vitest';
import { exfiltrationService, exfiltrationServiceOfUrl } from '../../src/analysis/catalog/exfiltration.js';

it.each([
  ['https://webhook.site/0b1c', 'request catcher'],
  ['https://ABC.ngrok-free.app/collect', 'ngrok tunnel'],
  ['https://discord.com/api/webhooks/1/token', 'Discord webhook'],
  ['https://api.telegram.org/bot123:abc/sendMessage', 'Telegram bot API'],
  ['http://x1.oast.pro', 'out-of-band testing host'],
])('%s is a %s', (url, service) => {
  expect(exfiltrationServiceOfUrl(url)?.service).toBe(service);
});

it.each(['https://discord.com/channels/1/2', 'https://mywebhook.site/', 'https://webhook.site.example.com/', 'https://pastebin.com/u/someone', 'not a url'])(
  '%s is not one',
  (url) => {
    expect(exfiltrationServiceOfUrl(url)).toBeUndefined();
  },
);

it('matches a bare host, ignoring a trailing dot and case', () => {
  expect(exfiltrationService('Tunnel.TryCloudflare.com.')?.service).toBe('Cloudflare quick tunnel');
  expect(exfiltrationService('pastebin.com')).toBeUndefined();
  expect(exfiltrationService('pastebin.com', '/raw/abc')?.service).toBe('paste site');
});
