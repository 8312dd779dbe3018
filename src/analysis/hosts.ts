import { isIP } from 'node:net';
import { arrayAt, stringAt, valueAt } from '../manifest/access.js';

// Host names as the network rules see them: what a URL in code points at, what kind of place that is
// (this machine, a private network, a raw public address, a placeholder that is no endpoint at all),
// and whether the manifest or the user vouches for it. Declared means named by the manifest's own
// URLs (homepage, repository, documentation, support, author, privacy policies, URLs in descriptions)
// or given with --allow-host; subdomains of a declared domain are declared too.

export type HostClass = 'loopback' | 'unspecified' | 'private' | 'metadata' | 'public-ip' | 'placeholder' | 'name';

const URL_SCHEMES = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

/** `API.Example.com.` -> `api.example.com`; `[::1]:80` -> `::1`; `host:443` -> `host`. */
export function normalizeHost(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) name = name.slice(1, name.indexOf(']') === -1 ? undefined : name.indexOf(']'));
  else if (/^[^:]+:\d*$/.test(name)) name = name.slice(0, name.indexOf(':'));
  return name.replace(/\.$/, '');
}

/**
 * The host, path and scheme (`https`, lower case) of an absolute URL with a network scheme, or null.
 * With `complete: false` the text is only the start of a URL (`https://api.example.com/users/` + id):
 * its host counts only when something after it shows where the host ends.
 */
export function hostOfUrl(text: string, complete = true): { host: string; path: string; scheme: string } | null {
  // Constants in hostile code can be megabytes long; a URL's host and the start of its path are enough.
  const head = text.length > MAX_URL ? text.slice(0, MAX_URL) : text;
  const scheme = /^([a-z][a-z0-9+.-]*:)\/\/([^/?#]{0,300})/i.exec(head);
  if (!scheme || !URL_SCHEMES.has(scheme[1]!.toLowerCase())) return null;
  if (!complete && head.length === scheme[0].length && !scheme[2]!.includes(':')) return null;
  try {
    const url = new URL(head);
    const host = normalizeHost(url.hostname);
    return isHostName(host) ? { host, path: url.pathname || '/', scheme: url.protocol.slice(0, -1) } : null;
  } catch {
    return null;
  }
}

const MAX_URL = 2048;

/** A name DNS could hold (253 characters at most), or an address. */
export function isHostName(host: string): boolean {
  return host !== '' && host.length <= 253 && !/[\s/\\]/.test(host);
}

/** Names that identify a format or an example, never a server anyone connects to. */
const PLACEHOLDERS = new Set([
  'example.com', 'example.org', 'example.net', 'www.w3.org', 'w3.org', 'json-schema.org', 'schemas.xmlsoap.org',
  'schemas.openxmlformats.org', 'schemas.microsoft.com', 'purl.org', 'ns.adobe.com', 'xmlns.com', 'spdx.org', 'opensource.org',
]);
const PLACEHOLDER_SUFFIXES = ['.example', '.test', '.invalid', '.example.com', '.example.org', '.example.net'];
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'instance-data', 'instance-data.ec2.internal']);
const PRIVATE_SUFFIXES = ['.local', '.internal', '.lan', '.home.arpa', '.intranet', '.corp'];

export function classifyHost(host: string): HostClass {
  const name = normalizeHost(host);
  const version = isIP(name);
  if (version === 4) return classifyIpv4(name);
  if (version === 6) return classifyIpv6(name);
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback';
  if (METADATA_NAMES.has(name)) return 'metadata';
  if (PLACEHOLDERS.has(name) || PLACEHOLDER_SUFFIXES.some((suffix) => name.endsWith(suffix))) return 'placeholder';
  if (!name.includes('.') || PRIVATE_SUFFIXES.some((suffix) => name.endsWith(suffix))) return 'private';
  return 'name';
}

function classifyIpv4(address: string): HostClass {
  const [a, b, c, d] = address.split('.').map(Number) as [number, number, number, number];
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'private';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127)) return 'private';
  if (a >= 224) return 'private';
  return 'public-ip';
}

function classifyIpv6(address: string): HostClass {
  if (address === '::') return 'unspecified';
  if (address === '::1') return 'loopback';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return classifyIpv4(mapped[1]!);
  if (address === 'fd00:ec2::254') return 'metadata';
  if (/^f[cd]/.test(address) || /^fe[89ab]/.test(address) || address.startsWith('ff')) return 'private';
  return 'public-ip';
}

/**
 * Suffixes under which every name belongs to a different customer (github.io, vercel.app): a
 * manifest that names `me.github.io` declares that site, not all of github.io.
 */
const SHARED_SUFFIXES = [
  'github.io', 'gitlab.io', 'githubusercontent.com', 'herokuapp.com', 'vercel.app', 'netlify.app', 'pages.dev', 'workers.dev',
  'web.app', 'firebaseapp.com', 'appspot.com', 'run.app', 'azurewebsites.net', 'cloudfront.net', 'amazonaws.com', 'onrender.com',
  'fly.dev', 'railway.app', 'glitch.me', 'replit.dev', 'deno.dev', 'supabase.co', 'blogspot.com',
];

/** The name an organisation registered: `api.eu.example.com` -> `example.com`, `a.b.co.uk` -> `b.co.uk`. */
export function registrableDomain(host: string): string {
  const name = normalizeHost(host);
  if (isIP(name) !== 0) return name;
  const shared = SHARED_SUFFIXES.find((suffix) => name.endsWith(`.${suffix}`));
  const labels = name.split('.');
  const keep = shared ? shared.split('.').length + 1 : /^(?:co|com|net|org|gov|edu|ac|or|ne|go)$/.test(labels.at(-2) ?? '') && (labels.at(-1)?.length ?? 0) === 2 ? 3 : 2;
  return labels.slice(-keep).join('.');
}

export interface DeclaredHosts {
  /** The declared names, for messages and tests: registrable domains from the manifest, allowed hosts as given. */
  readonly names: readonly string[];
  covers(host: string): boolean;
}

const URL_IN_TEXT = /\b(?:https?|wss?):\/\/[^\s"'<>()[\]{}]+/gi;

/** Hosts the manifest vouches for, with the hosts the user allows. */
export function declaredHosts(manifest: unknown, allowed: readonly string[] = []): DeclaredHosts {
  const fromManifest: string[] = [];
  const addUrl = (value: unknown) => {
    if (typeof value !== 'string') return;
    const host = hostOfRepository(value) ?? hostOfUrl(value)?.host;
    if (host !== undefined && classifyHost(host) === 'name') fromManifest.push(registrableDomain(host));
  };
  for (const key of ['homepage', 'documentation', 'support']) addUrl(valueAt(manifest, [key]));
  addUrl(stringAt(manifest, ['author', 'url']));
  addUrl(stringAt(manifest, ['repository']) ?? stringAt(manifest, ['repository', 'url']));
  for (const policy of arrayAt(manifest, ['privacy_policies']) ?? []) addUrl(policy);
  for (const key of ['description', 'long_description']) {
    const text = stringAt(manifest, [key]);
    for (const match of text?.slice(0, 100_000).matchAll(URL_IN_TEXT) ?? []) addUrl(match[0]);
  }
  const names = [...new Set([...fromManifest, ...allowed.map(normalizeAllowedHost).filter((host) => host !== '')])].sort();
  return {
    names,
    covers: (host) => {
      const name = normalizeHost(host);
      return names.some((declared) => name === declared || name.endsWith(`.${declared}`));
    },
  };
}

/** `git+https://github.com/a/b.git`, `git@github.com:a/b.git`, `github:a/b`: the host a repository URL names. */
function hostOfRepository(value: string): string | undefined {
  const shorthand = /^(github|gitlab|bitbucket):/.exec(value);
  if (shorthand) return shorthand[1] === 'bitbucket' ? 'bitbucket.org' : `${shorthand[1]}.com`;
  const scp = /^[\w.-]+@([\w.-]+):/.exec(value);
  if (scp) return normalizeHost(scp[1]!);
  return value.startsWith('git+') ? hostOfUrl(value.slice(4))?.host : undefined;
}

/** What `--allow-host` accepts: a host name or address (`api.example.com`, `*.example.com`, `10.0.0.5`) or a URL. */
export function normalizeAllowedHost(value: string): string {
  const text = value.trim();
  const host = text.includes('://') ? (hostOfUrl(text)?.host ?? '') : normalizeHost(text.replace(/^\*\./, ''));
  return /^[a-z0-9.:_-]+$/.test(host) && !host.startsWith('.') ? host : '';
}
