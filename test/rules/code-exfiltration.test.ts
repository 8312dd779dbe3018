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
