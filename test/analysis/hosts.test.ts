import { describe, expect, it } from 'vitest';
import { exfiltrationService, exfiltrationServiceOfUrl } from '../../src/analysis/catalog/exfiltration.js';
import { destinationOf, networkApi } from '../../src/analysis/catalog/network.js';
import { classifyHost, declaredHosts, hostOfUrl, normalizeAllowedHost, registrableDomain } from '../../src/analysis/hosts.js';
import type { ArgumentFact } from '../../src/analysis/model/file-facts.js';

describe('hosts', () => {
  it.each([
    ['localhost', 'loopback'],
    ['127.0.0.53', 'loopback'],
    ['[::1]', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['192.168.1.20', 'private'],
    ['172.20.0.4', 'private'],
    ['10.0.0.1', 'private'],
    ['fd12::1', 'private'],
    ['printer.local', 'private'],
    ['169.254.169.254', 'metadata'],
    ['metadata.google.internal', 'metadata'],
    ['45.61.136.7', 'public-ip'],
    ['2606:4700::1111', 'public-ip'],
    ['172.32.0.1', 'public-ip'],
    ['www.w3.org', 'placeholder'],
    ['api.example.com', 'placeholder'],
    ['service.test', 'placeholder'],
    ['api.github.com', 'name'],
  ])('%s is %s', (host, kind) => {
    expect(classifyHost(host)).toBe(kind);
  });

  it.each([
    ['api.eu.example.com', 'example.com'],
    ['a.b.co.uk', 'b.co.uk'],
    ['me.github.io', 'me.github.io'],
    ['docs.me.github.io', 'me.github.io'],
    ['45.61.136.7', '45.61.136.7'],
  ])('%s is registered as %s', (host, domain) => {
    expect(registrableDomain(host)).toBe(domain);
  });

  it('reads a host from a URL, and from the start of one only when the host is closed', () => {
    expect(hostOfUrl('https://API.Weatherly.dev:8443/v2?q=1')).toEqual({ host: 'api.weatherly.dev', path: '/v2', scheme: 'https' });
    expect(hostOfUrl('wss://[2606:4700::1111]/socket')).toEqual({ host: '2606:4700::1111', path: '/socket', scheme: 'wss' });
    expect(hostOfUrl('https://api.vendor.dev/users/', false)?.host).toBe('api.vendor.dev');
    expect(hostOfUrl('https://api.', false)).toBeNull();
    expect(hostOfUrl('https://', false)).toBeNull();
    expect(hostOfUrl('file:///etc/passwd')).toBeNull();
    expect(hostOfUrl('/relative/path')).toBeNull();
    expect(hostOfUrl(`https://${'a'.repeat(300)}.com/`)).toBeNull();
    expect(hostOfUrl(`https://api.vendor.dev/${'x'.repeat(5_000_000)}`)?.host).toBe('api.vendor.dev');
  });
});

describe('declared hosts', () => {
  const manifest = {
    homepage: 'https://docs.weatherly.dev/mcp',
    repository: { type: 'git', url: 'git+https://github.com/acme/weather.git' },
    author: { name: 'Acme', url: 'https://acme.github.io' },
    support: 'not a url',
    description: 'Forecasts from https://open-meteo.com (no key needed).',
    privacy_policies: ['https://acme-legal.net/privacy'],
  };

  it('collects the manifest URLs as registrable domains, and covers their subdomains on a dot boundary', () => {
    const declared = declaredHosts(manifest);
    expect(declared.names).toEqual(['acme-legal.net', 'acme.github.io', 'github.com', 'open-meteo.com', 'weatherly.dev']);
    expect(declared.covers('api.weatherly.dev')).toBe(true);
    expect(declared.covers('api.github.com')).toBe(true);
    expect(declared.covers('evilweatherly.dev')).toBe(false);
    expect(declared.covers('other.github.io')).toBe(false);
    expect(declared.covers('api.open-meteo.com')).toBe(true);
  });

  it('adds the hosts the user allows, as given', () => {
    const declared = declaredHosts({ author: { name: 'x' } }, ['hooks.internal.corp', 'https://Api.Vendor.dev/v1']);
    expect(declared.covers('hooks.internal.corp')).toBe(true);
    expect(declared.covers('api.vendor.dev')).toBe(true);
    expect(declared.covers('vendor.dev')).toBe(false);
  });

  it('survives a manifest of any shape', () => {
    expect(declaredHosts(null).names).toEqual([]);
    expect(declaredHosts({ homepage: 42, repository: ['x'], privacy_policies: 'nope', description: {} }).names).toEqual([]);
  });

  it.each([
    ['api.example.com', 'api.example.com'],
    ['*.Example.com', 'example.com'],
    ['https://hooks.slack.com/services/x', 'hooks.slack.com'],
    ['10.0.0.5', '10.0.0.5'],
    ['not a host', ''],
    ['', ''],
    ['.example.com', ''],
  ])('--allow-host %j is %j', (value, host) => {
    expect(normalizeAllowedHost(value)).toBe(host);
  });
});

describe('exfiltration services', () => {
  it('matches hosts, their subdomains, and the path where only part of a host is a drop', () => {
    expect(exfiltrationService('webhook.site')?.service).toBe('request catcher');
    expect(exfiltrationService('abc123.ngrok-free.app')?.service).toMatch(/tunnel/);
    expect(exfiltrationServiceOfUrl('https://discord.com/api/webhooks/1/x')?.service).toBe('Discord webhook');
    expect(exfiltrationServiceOfUrl('https://discord.com/invite/abc')).toBeUndefined();
    expect(exfiltrationServiceOfUrl('https://api.telegram.org/bot123:x/sendMessage')?.service).toBe('Telegram bot API');
    expect(exfiltrationService('notwebhook.site')).toBeUndefined();
    expect(exfiltrationServiceOfUrl('not a url')).toBeUndefined();
  });
});

describe('network destinations', () => {
  const at = (callee: string, ...args: ArgumentFact[]) => destinationOf(args, networkApi(callee)!);
  const value = (fact: Partial<ArgumentFact>): ArgumentFact => ({ labels: [], ...fact });

  it('reads the host from a URL, its constant start, the constants it is built from, options or a bare host', () => {
    expect(at('fetch', value({ literal: 'https://api.vendor.dev/v1' }))).toEqual({ host: 'api.vendor.dev', path: '/v1' });
    expect(at('fetch', value({ prefix: 'https://api.vendor.dev/users/' }))?.host).toBe('api.vendor.dev');
    expect(at('fetch', value({ parts: ['/forecast', 'https://api.vendor.dev'] }))?.host).toBe('api.vendor.dev');
    expect(at('https.request', value({ properties: { hostname: 'telemetry.vendor.dev', path: '/collect' } }))).toEqual({ host: 'telemetry.vendor.dev', path: '/collect' });
    expect(at('axios.create', value({ properties: { baseURL: 'https://api.vendor.dev/' } }))?.host).toBe('api.vendor.dev');
    expect(at('axios.get', value({ literal: '/users' }), value({ properties: { baseURL: 'https://api.vendor.dev' } }))?.host).toBe('api.vendor.dev');
    expect(at('net.connect', value({}), value({ literal: '45.61.136.7' }))?.host).toBe('45.61.136.7');
    expect(at('dns.promises.resolveTxt', value({ parts: ['.collector.vendor.dev'] }))?.host).toBe('collector.vendor.dev');
    expect(at('dns.lookup', value({ literal: 'api.vendor.dev' }))?.host).toBe('api.vendor.dev');
  });

  it('says when the destination is reached unencrypted: by its URL scheme, or because the API never encrypts', () => {
    expect(at('fetch', value({ literal: 'http://mirror.vendor.dev/feed' }))?.cleartext).toBe('HTTP');
    expect(at('new WebSocket', value({ prefix: 'ws://events.vendor.dev/' }))?.cleartext).toBe('WebSocket');
    expect(at('urllib.request.urlretrieve', value({ literal: 'ftp://files.vendor.dev/a.tgz' }))?.cleartext).toBe('FTP');
    expect(at('requests.get', value({}), value({ keywords: true, properties: { url: 'http://api.vendor.dev/x' } }))?.cleartext).toBe('HTTP');
    // Node's http module and Python's plain connections carry no scheme: the API says it.
    expect(at('http.request', value({ properties: { hostname: 'telemetry.vendor.dev' } }))?.cleartext).toBe('HTTP');
    expect(at('ftplib.FTP', value({ literal: 'files.vendor.dev' }))?.cleartext).toBe('FTP');
    expect(at('telnetlib.Telnet', value({ literal: 'router.vendor.dev' }))?.cleartext).toBe('Telnet');
    expect(at('urllib3.connectionpool.HTTPConnectionPool', value({ literal: 'api.vendor.dev' }))?.cleartext).toBe('HTTP');
    // Encrypted ones say nothing.
    for (const [callee, fact] of [
      ['fetch', value({ literal: 'https://api.vendor.dev/v1' })],
      ['https.request', value({ properties: { hostname: 'telemetry.vendor.dev' } })],
      ['ftplib.FTP_TLS', value({ literal: 'files.vendor.dev' })],
      ['http.client.HTTPSConnection', value({ literal: 'api.vendor.dev' })],
    ] as const) expect(at(callee, fact)).not.toHaveProperty('cleartext');
  });

  it('is null for a destination computed at run time', () => {
    expect(at('fetch', value({ labels: ['12#0'] }))).toBeNull();
    expect(at('fetch', value({ prefix: 'https://' }))).toBeNull();
    expect(at('https.get', value({ properties: { method: 'GET' } }))).toBeNull();
  });

  it('knows the clients and listeners', () => {
    expect(networkApi('dns.promises.resolve4')?.kind).toBe('dns');
    expect(networkApi('new ws.WebSocketServer')?.kind).toBe('listen');
    expect(networkApi('ky.post')?.kind).toBe('http');
    expect(networkApi('fs.readFile')).toBeNull();
  });
});
