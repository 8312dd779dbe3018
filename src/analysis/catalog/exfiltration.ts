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

export const EXFILTRATION_SERVICES: readonly ExfiltrationService[] = [
  { host: 'webhook.site', service: 'request catcher' },
  { host: 'requestbin.net', service: 'request catcher' },
  { host: 'requestcatcher.com', service: 'request catcher' },
  { host: 'm.pipedream.net', service: 'request catcher' },
  { host: 'discord.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'discordapp.com', path: '/api/webhooks', service: 'Discord webhook' },
  { host: 'api.telegram.org', path: '/bot', service: 'Telegram bot API' },
  { host: 'pastebin.com', path: '/raw', service: 'paste site' },
  { host: 'ngrok.io', service: 'ngrok tunnel' },
  { host: 'ngrok.app', service: 'ngrok tunnel' },
  { host: 'ngrok-free.app', service: 'ngrok tunnel' },
  { host: 'trycloudflare.com', service: 'Cloudflare quick tunnel' },
  { host: 'oast.pro', service: 'out-of-band testing host' },
  { host: 'oast.live', service: 'out-of-band testing host' },
  { host: 'oast.site', service: 'out-of-band testing host' },
  { host: 'oast.online', service: 'out-of-band testing host' },
  { host: 'oast.fun', service: 'out-of-band testing host' },
  { host: 'oast.me', service: 'out-of-band testing host' },
  { host: 'interact.sh', service: 'out-of-band testing host' },
  { host: 'oastify.com', service: 'Burp Collaborator' },
  { host: 'burpcollaborator.net', service: 'Burp Collaborator' },
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
