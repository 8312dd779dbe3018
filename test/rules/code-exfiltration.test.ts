import { expect, it } from 'vitest';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('is critical for a hard-coded Bcc on outgoing mail (postmark-mcp 1.0.16)', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid');
  const [finding, ...others] = findingsOf(bundle, 'code-exfiltration');
  expect(others).toEqual([]);
  expect(finding).toMatchObject({
    severity: 'critical',
    category: 'exfiltration',
    message: 'Outgoing mail carries a hard-coded Bcc recipient phan@giftshop.club in tool "send_email": every message is secretly copied to that address.',
    tool: 'send_email',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 13, column: 10 },
    evidence: 'Bcc: phan@giftshop.club',
  });
  // Sending data out is network use, even where no other rule sees the client.
  expect(bundle.capabilities).toContain('network');
});

it('is critical when the environment leaves, or anything reaches a drop box, and high for a fixed file sent to an undeclared host', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-env');
  expect(findingWith(bundle, 'code-exfiltration', 'fetch() sends the whole environment (process.env, with every secret the server was started with) to collector.metrics-cdn.net as soon as the module is loaded')).toMatchObject({
    severity: 'critical',
    location: { line: 10, column: 1 },
  });
  expect(findingWith(bundle, 'code-exfiltration', "fetch() sends the machine's user or host name to api.telegram.org as soon as the module is loaded, a known drop for stolen data (Telegram bot API)")).toMatchObject({
    severity: 'critical',
    location: { line: 13 },
  });
  expect(findingWith(bundle, 'code-exfiltration', 'fetch() sends the contents of a file to keys.metrics-cdn.net')).toMatchObject({ severity: 'high', location: { line: 12 } });
  expect(findingsOf(bundle, 'code-exfiltration')).toHaveLength(3);
});

it('is medium for an upload whose content tool input decides', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-upload');
  expect(findingWith(bundle, 'code-exfiltration', 'fetch() sends file contents to api.filedrop-share.io in tool "share_file", whose input shapes the request')).toMatchObject({
    severity: 'medium',
    tool: 'share_file',
    location: { line: 9, column: 26 },
  });
});

it('lets a credential go to its own service, tool input go where the tool says, placeholders and local servers pass', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/valid');
  expect(findingsOf(bundle, 'code-exfiltration')).toEqual([]);
});

it('follows Python: os.environ posted home and mailed, a Bcc set on an EmailMessage, a file sent to a Slack webhook', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-python');
  expect(findingWith(bundle, 'code-exfiltration', 'requests.post() sends the whole environment (os.environ, with every secret the server was started with) to telemetry.mailer-stats.io as soon as the module is loaded.')).toMatchObject({
    severity: 'critical',
    category: 'exfiltration',
    origin: 'first-party',
    location: { file: 'server/main.py', line: 18, column: 5 },
  });
  expect(findingWith(bundle, 'code-exfiltration', 'Outgoing mail carries a hard-coded Bcc recipient archive@mail-keeper.io in tool "send_email"')).toMatchObject({
    severity: 'critical',
    tool: 'send_email',
    location: { line: 30, column: 18 },
    evidence: 'Bcc: archive@mail-keeper.io',
  });
  // `with smtplib.SMTP(...) as server: server.sendmail(...)`: a mail sender.
  expect(findingWith(bundle, 'code-exfiltration', 'smtplib.SMTP.sendmail() sends the whole environment (os.environ, with every secret the server was started with) by mail in tool "report_problem"')).toMatchObject({
    severity: 'critical',
    tool: 'report_problem',
    location: { line: 42 },
  });
  expect(findingWith(bundle, 'code-exfiltration', 'httpx.post() sends file contents to hooks.slack.com in tool "backup_settings", a known drop for stolen data (Slack webhook)')).toMatchObject({
    severity: 'critical',
    tool: 'backup_settings',
    location: { line: 50 },
  });
  expect(findingsOf(bundle, 'code-exfiltration')).toHaveLength(4);
});

it('lets a Python credential go to its own service, tool input and a program\'s output go where the tool says, settings read from the environment and localhost pass', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/valid-python');
  expect(findingsOf(bundle, 'code-exfiltration')).toEqual([]);
});

it('is critical for environment variables or a fixed file sent to a raw public IP address', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-raw-ip');
  expect(findingWith(bundle, 'code-exfiltration', 'fetch() sends environment variables to 45.61.136.7 in tool "now", a raw public IP address')).toMatchObject({
    severity: 'critical',
    tool: 'now',
    trigger: { kind: 'tool', name: 'now' },
    location: { line: 10 },
  });
  expect(findingWith(bundle, 'code-exfiltration', 'fetch() sends file contents to 45.61.136.7 in tool "now", a raw public IP address')).toMatchObject({ severity: 'critical', location: { line: 12 } });
  expect(findingsOf(bundle, 'code-exfiltration')).toHaveLength(2);
});

it('is high when a secret, file contents, the user or host name or the working directory travel as labels of a DNS name', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-dns');
  expect(findingWith(bundle, 'code-exfiltration', 'dns.lookup() puts an environment variable into a name it looks up (to t.status-check.example.net)')).toMatchObject({ severity: 'high', location: { line: 9 } });
  expect(findingWith(bundle, 'code-exfiltration', 'dns.promises.resolveTxt() puts file contents into a name it looks up (to k.status-check.example.net)')).toMatchObject({ severity: 'high', location: { line: 11 } });
  expect(findingWith(bundle, 'code-exfiltration', "dns.resolve4() puts the machine's user or host name and the working directory into a name it looks up (to p.status-check.example.net)")).toMatchObject({ severity: 'high', location: { line: 13 } });
  expect(findingsOf(bundle, 'code-exfiltration')).toHaveLength(3);
});

it('ignores lookups of a configured host and of constant names', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/valid-dns');
  expect(findingsOf(bundle, 'code-exfiltration')).toEqual([]);
});

it('follows a file read into callbacks, promises and stream events before it is sent out', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-callbacks');
  expect(findingsOf(bundle, 'code-exfiltration')).toMatchObject([
    { severity: 'high', location: { line: 11 }, message: expect.stringContaining('fetch() sends the contents of a file to settings-sync.herokuapp.com as soon as the module is loaded') },
    { severity: 'high', location: { line: 15 }, message: expect.stringContaining('sends the contents of a file') },
    { severity: 'high', tool: 'sync', location: { line: 24 }, message: expect.stringContaining('sends the contents of a file to settings-sync.herokuapp.com in tool "sync"') },
  ]);
});

it('says nothing of files read through callbacks and kept on the machine, or of responses written to a local cache', async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/valid-callbacks');
  expect(findingsOf(bundle, 'code-exfiltration')).toEqual([]);
});

it("follows data into Python's raw sockets, and the browser's cookies as file contents", async () => {
  const bundle = await scanFixture('fixtures/rules/code-exfiltration/invalid-python-socket');
  expect(findingWith(bundle, 'code-exfiltration', 'socket.socket.sendto() sends environment variables to 45.61.136.7')).toMatchObject({ severity: 'critical', location: { line: 21 } });
  expect(findingWith(bundle, 'code-exfiltration', "socket.socket.sendall() sends the machine's user or host name through a socket connected elsewhere in the code")).toMatchObject({ severity: 'low', location: { line: 18 } });
  expect(findingWith(bundle, 'code-exfiltration', 'requests.post() sends the contents of a file to collect.clockwork.dev')).toMatchObject({ severity: 'high', location: { line: 23 } });
  expect(findingsOf(bundle, 'code-exfiltration')).toHaveLength(3);
});
