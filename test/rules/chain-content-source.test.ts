import { expect, it } from 'vitest';
import rule from '../../rules/chain-content-source.js';
import type { CallSite } from '../../src/analysis/model/code-facts.js';
import { bundleFacts, runRule } from '../helpers/bundle.js';
import { noCode } from '../helpers/facts.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

it('names the tool that reaches a mail client, at info, and gives the bundle untrusted-input', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-content-source/invalid');
  expect(findingWith(bundle, 'chain-content-source', 'Tool "latest_mail" brings e-mail into the model\'s context (it calls new imapflow.ImapFlow())')).toMatchObject({
    severity: 'info',
    category: 'toxic-combination',
    tool: 'latest_mail',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 8 },
  });
  expect(bundle.capabilities).toContain('untrusted-input');
  expect(bundle.connectorClass).toBe('retrieval');
});

it('takes a tool description as evidence when the code only shows a request to an unknown host', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-content-source/invalid-described');
  expect(findingsOf(bundle, 'chain-content-source')).toEqual([
    expect.objectContaining({
      message: expect.stringContaining('Described as reading e-mail (matching "Gmail"): tool "search"'),
      location: { file: 'manifest.json', pointer: '/tools/0' },
      tool: 'search',
    }),
  ]);
});

it('ignores a tool named after calendars when the server never uses the network', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-content-source/valid');
  expect(findingsOf(bundle, 'chain-content-source')).toEqual([]);
  expect(bundle.capabilities).not.toContain('untrusted-input');
});

it('names every reader of an extension described as a calendar in one finding', async () => {
  const bundle = await scanFixture('fixtures/chains/bundles/team-calendar');
  expect(findingWith(bundle, 'chain-content-source', 'Tool "list_events" brings calendar events').message).toContain('fetch() requests www.googleapis.com');
});

it('gives one finding per kind of content, naming every tool that reaches it', () => {
  const facts = bundleFacts({}, { name: 'mail' });
  const call = (tool: string, line: number): CallSite => ({
    file: 'server/index.js', origin: 'first-party', callee: 'new imapflow.ImapFlow', line, column: 1, args: [], excerpt: 'new ImapFlow(options)',
    tools: [tool], triggers: [{ kind: 'tool', name: tool }], taintedBy: [], inputFrom: [], taintedArgs: [], checkedArgs: [],
  });
  const findings = runRule(rule, { ...facts, code: { ...noCode(), reachable: ['server/index.js'], calls: [call('inbox', 3), call('search', 9)] } });
  expect(findings).toEqual([
    expect.objectContaining({ message: expect.stringContaining('Tools "inbox", "search" bring e-mail'), tool: 'inbox', location: expect.objectContaining({ line: 3 }) }),
  ]);
});
