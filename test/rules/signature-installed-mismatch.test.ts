import { expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

it('names the manifest fields changed since Claude Desktop recorded the install', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-installed-mismatch/invalid');
  expect(findingWith(bundle, 'signature-installed-mismatch', 'server.mcp_config.args, server.mcp_config.command, tools[0].description')).toMatchObject({
    severity: 'medium',
    category: 'signature',
    location: { file: 'manifest.json' },
  });
  expect(bundle.installation?.registry).toEqual({ version: '1.2.0', source: 'local', signatureStatus: 'unsigned', hash: '5d41402abc4b2a76b9719d911017c592' });
});

it('ignores formatting and key order', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-installed-mismatch/valid');
  expect(findingsOf(bundle, 'signature-installed-mismatch')).toEqual([]);
});

it('compares nothing for a bundle scanned outside an installation', async () => {
  const bundle = await scanFixture('fixtures/rules/signature-installed-mismatch/invalid/Claude Extensions/local.dxt.fixtures.notes-lookup');
  expect(findingsOf(bundle, 'signature-installed-mismatch')).toEqual([]);
});
