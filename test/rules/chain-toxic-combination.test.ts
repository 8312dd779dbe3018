import { expect, it } from 'vitest';
import { contentOf } from '../../rules/chain-toxic-combination.js';
import type { SourceRole } from '../../src/engine/roles.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

const RULE = 'chain-toxic-combination';

it('pairs a web-reading tool with a shell tool of the same bundle, at the shell finding\'s severity', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-toxic-combination/invalid');
  expect(findingsOf(bundle, RULE)).toHaveLength(1);
  expect(findingWith(bundle, RULE, 'Web pages at any URL read by tool "read_page" can steer tool "run", which runs commands on this machine')).toMatchObject({
    severity: 'critical',
    category: 'toxic-combination',
    tool: 'run',
    // Where the sink is: the command the model would run.
    location: { file: 'server/index.js', line: 15 },
  });
});

it('stays silent when the only command is fixed', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-toxic-combination/valid');
  expect(findingsOf(bundle, RULE)).toEqual([]);
  // Both halves were looked for: the source is there, the fixed command is no sink.
  expect(findingsOf(bundle, 'chain-content-source')).toHaveLength(1);
  expect(findingsOf(bundle, 'code-shell-exec')).toHaveLength(1);
});

it('does not pair a tool with itself', async () => {
  const bundle = await scanFixture('fixtures/rules/chain-toxic-combination/valid-one-tool');
  expect(findingsOf(bundle, RULE)).toEqual([]);
  expect(findingWith(bundle, 'code-network', 'URL taken from the input of tool "fetch_url"').severity).toBe('medium');
});

it('names each kind of content once, leaving out a kind another one narrows', () => {
  const source = (tool: string, content: string): SourceRole => ({ tool, content, basis: 'code', evidence: '', location: { file: 'server/index.js' } });
  expect(contentOf([source('a', 'web pages'), source('b', 'web pages at any URL'), source('c', 'web pages')])).toBe('web pages at any URL');
  expect(contentOf([source('a', 'calendar events'), source('b', 'web pages')])).toBe('calendar events and web pages');
});
