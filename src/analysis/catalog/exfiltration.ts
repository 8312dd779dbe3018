// Services that hand whatever is sent to them to whoever holds the URL, with no account of the
// receiver's own: request catchers, chat webhooks and bot APIs, paste and file-drop sites, tunnels to
// someone's laptop, and out-of-band testing hosts. Stolen environments and keys are posted to these
// (threats.md: Discord webhooks, the Telegram bot API, webhook.site, pastebin, ngrok, requestbin); an
// MCP server rarely has business calling them unless its manifest says so.

export interface ExfiltrationService {
  /** The registered name; subdomains match too (`abc.ngrok.io`). */
  host: string;
  /** When only part of the host receives data for anyone (`discord.com/api/webhooks`). */
  path?: string;
  /** What it is, for messages: "request catcher", "Discord webhook". */
  service: string;
}

const CATCHER = 'request catcher';
const TUNNEL = 'public tunnel to another machine';
const PASTE = 'paste or file-drop site';
const OOB = 'out-of-band testing host';

export const EXFILTRATION_SERVICES: readonly ExfiltrationService[] = [
  { host: 'webhook.site', service: CATCHER },
  { host: 'requestbin.net', service: CATCHER },
  { host: 'requestbin.com', service: CATCHER },
  { host: 'requestcatcher.com', service: CATCHER },
  { host: 'm.pipedream.net', service: CATCHER },
  { host: 'hookbin.com', service: CATCHER },
  { host: 'beeceptor.com', service: CATCHER },
  { host: 'ptsv2.com', service: CATCHER },
  { host: 'ptsv3.com', service: CATCHER },
  { host: 'postb.in', service: CATCHER },
  { host: 'webhook.cool', service: CATCHER },
  { host: 'discord.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'discordapp.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'canary.discord.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'ptb.discord.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'hooks.slack.com', service: 'Slack webhook' },
  { host: 'api.telegram.org', path: '/bot', service: 'Telegram bot API' },
  { host: 'pastebin.com', service: PASTE },
  { host: 'paste.ee', service: PASTE },
  { host: 'hastebin.com', service: PASTE },
  { host: 'ghostbin.co', service: PASTE },
  { host: 'dpaste.com', service: PASTE },
  { host: 'termbin.com', service: PASTE },
  { host: 'transfer.sh', service: PASTE },
  { host: 'file.io', service: PASTE },
  { host: '0x0.st', service: PASTE },
  { host: 'ngrok.io', service: TUNNEL },
  { host: 'ngrok.app', service: TUNNEL },
  { host: 'ngrok.dev', service: TUNNEL },
  { host: 'ngrok-free.app', service: TUNNEL },
  { host: 'ngrok-free.dev', service: TUNNEL },
  { host: 'trycloudflare.com', service: TUNNEL },
  { host: 'loca.lt', service: TUNNEL },
  { host: 'localtunnel.me', service: TUNNEL },
  { host: 'serveo.net', service: TUNNEL },
  { host: 'serveousercontent.com', service: TUNNEL },
  { host: 'lhr.life', service: TUNNEL },
  { host: 'localhost.run', service: TUNNEL },
  { host: 'pinggy.link', service: TUNNEL },
  { host: 'bore.pub', service: TUNNEL },
  { host: 'interact.sh', service: OOB },
  { host: 'interactsh.com', service: OOB },
  { host: 'oast.pro', service: OOB },
  { host: 'oast.live', service: OOB },
  { host: 'oast.site', service: OOB },
  { host: 'oast.online', service: OOB },
  { host: 'oast.fun', service: OOB },
  { host: 'oast.me', service: OOB },
  { host: 'dnslog.cn', service: OOB },
  { host: 'ceye.io', service: OOB },
  { host: 'burpcollaborator.net', service: 'Burp Collaborator host' },
  { host: 'oastify.com', service: 'Burp Collaborator host' },
];

/** The service a host name and path belong to (`hooks.example.com` gives undefined). */
export function exfiltrationService(host: string, path = '/'): ExfiltrationService | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return EXFILTRATION_SERVICES.find(
    (entry) => (name === entry.host || name.endsWith(`.${entry.host}`)) && (entry.path === undefined || path.startsWith(entry.path)),
  );
}

/** The service a URL points at, or undefined (also for text that is not a URL). */
export function exfiltrationServiceOfUrl(url: string): ExfiltrationService | undefined {
  try {
    const parsed = new URL(url);
    return exfiltrationService(parsed.hostname, parsed.pathname);
  } catch {
    return undefined;
  }
}
