// Services that receive data for whoever holds a URL, with no account of the receiver's own: request
// catchers, chat webhooks and bot APIs, paste sites, tunnels, and out-of-band testing hosts. Stolen
// environments and keys are posted to these (see ../shared/docs/threats.md); an MCP server has no
// business calling them. One list serves every rule that looks at hosts: the network rules on
// reachable code and the text scan of files the entry does not load (analysis/text-signals.ts).

export interface ExfiltrationService {
  /** The registered domain; subdomains match too (`abc.ngrok.io`). */
  host: string;
  /** When only part of the host receives data for anyone (`discord.com/api/webhooks`). */
  path?: string;
  /** What it is, for messages. */
  service: string;
}

const CATCHER = 'request catcher';
const PASTE = 'paste site';
const DROP = 'file-drop site';
const OOB = 'out-of-band testing host';
// An IP logger records who opens its links (address, browser, time) for whoever made the link: a
// request reaching it tells the link's owner that this machine ran the code, and from where.
const IP_LOGGER = 'IP logger';

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
  { host: 'discord.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'discordapp.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'hooks.slack.com', service: 'Slack webhook' },
  { host: 'api.telegram.org', path: '/bot', service: 'Telegram bot API' },
  // Reading /raw fetches a payload; posting to /api is how a paste is made.
  { host: 'pastebin.com', path: '/raw', service: PASTE },
  { host: 'pastebin.com', path: '/api', service: PASTE },
  { host: 'paste.ee', service: PASTE },
  { host: 'hastebin.com', service: PASTE },
  { host: 'termbin.com', service: PASTE },
  { host: 'transfer.sh', service: DROP },
  { host: 'file.io', service: DROP },
  { host: '0x0.st', service: DROP },
  { host: 'ngrok.io', service: 'ngrok tunnel' },
  { host: 'ngrok.app', service: 'ngrok tunnel' },
  { host: 'ngrok.dev', service: 'ngrok tunnel' },
  { host: 'ngrok-free.app', service: 'ngrok tunnel' },
  { host: 'ngrok-free.dev', service: 'ngrok tunnel' },
  { host: 'trycloudflare.com', service: 'Cloudflare quick tunnel' },
  { host: 'loca.lt', service: 'localtunnel tunnel' },
  { host: 'localtunnel.me', service: 'localtunnel tunnel' },
  { host: 'serveo.net', service: 'Serveo tunnel' },
  { host: 'serveousercontent.com', service: 'Serveo tunnel' },
  { host: 'lhr.life', service: 'localhost.run tunnel' },
  { host: 'localhost.run', service: 'localhost.run tunnel' },
  { host: 'pinggy.link', service: 'Pinggy tunnel' },
  { host: 'bore.pub', service: 'bore tunnel' },
  { host: 'oast.pro', service: OOB },
  { host: 'oast.live', service: OOB },
  { host: 'oast.site', service: OOB },
  { host: 'oast.online', service: OOB },
  { host: 'oast.fun', service: OOB },
  { host: 'oast.me', service: OOB },
  { host: 'interact.sh', service: OOB },
  { host: 'interactsh.com', service: OOB },
  { host: 'dnslog.cn', service: OOB },
  { host: 'ceye.io', service: OOB },
  { host: 'oastify.com', service: 'Burp Collaborator' },
  { host: 'burpcollaborator.net', service: 'Burp Collaborator' },
  { host: 'grabify.link', service: IP_LOGGER },
  { host: 'iplogger.org', service: IP_LOGGER },
  { host: 'iplogger.com', service: IP_LOGGER },
  { host: '2no.co', service: IP_LOGGER },
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

// Link shorteners: the short URL says nothing of where it leads, and whoever owns the link can point
// it somewhere else at any time, after anyone reviewed the code. Malware fetches its second stage
// through them for both reasons. Only the hosts that serve short links are listed, not the services'
// APIs (`api-ssl.bitly.com` is how a URL-shortening tool does its job).
export interface LinkShortener {
  /** The host serving the short links; subdomains match too. */
  host: string;
  /** Who runs it, for messages. */
  service: string;
}

export const LINK_SHORTENERS: readonly LinkShortener[] = [
  { host: 'bit.ly', service: 'Bitly' },
  { host: 'bitly.is', service: 'Bitly' },
  { host: 'j.mp', service: 'Bitly' },
  { host: 'tinyurl.com', service: 'TinyURL' },
  { host: 'is.gd', service: 'is.gd' },
  { host: 'v.gd', service: 'v.gd' },
  { host: 'cutt.ly', service: 'Cuttly' },
  { host: 'rebrand.ly', service: 'Rebrandly' },
  { host: 'rb.gy', service: 'Rebrandly' },
  { host: 't.ly', service: 'T.LY' },
  { host: 'shorturl.at', service: 'ShortURL' },
  { host: 'ow.ly', service: 'Hootsuite' },
  { host: 'goo.gl', service: 'Google (retired shortener)' },
  { host: 'tiny.cc', service: 'tiny.cc' },
];

/** The shortener serving a host's links (`bit.ly`), or undefined. */
export function linkShortener(host: string): LinkShortener | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  return LINK_SHORTENERS.find((entry) => name === entry.host || name.endsWith(`.${entry.host}`));
}
