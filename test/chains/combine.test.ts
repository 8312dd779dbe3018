import { expect, it } from 'vitest';
import { combineBundles, type RoleHolder } from '../../src/chains/combine.js';
import type { BundleRoles } from '../../src/engine/roles.js';

const at = { file: 'server/index.js', line: 1 };
const reads = { file: 'server/calendar.js', line: 7, column: 26 };
const runs = { file: 'server/run.js', line: 12, column: 3 };
const reader: BundleRoles = { sources: [{ tool: 'list_events', basis: 'code', content: 'calendar events', evidence: 'e', location: reads }], sinks: [] };
const shell: BundleRoles = {
  sources: [],
  sinks: [
    { tool: 'run', power: 'command-execution', severity: 'critical', evidence: 'e', location: runs },
    { tool: 'write', power: 'file-change', severity: 'high', evidence: 'e', location: at },
    { tool: 'exec', power: 'command-execution', severity: 'high', evidence: 'e', location: at },
  ],
};
const holder = (id: string, roles: BundleRoles, enabled = true): RoleHolder => ({ id, name: id.toUpperCase(), enabled, roles });

it('pairs a source bundle with a sink bundle, naming the strongest sink and its peers', () => {
  const [combination, ...rest] = combineBundles([holder('cal', reader), holder('sh', shell), holder('calc', { sources: [], sinks: [] })]);
  expect(rest).toEqual([]);
  expect(combination).toEqual({
    ruleId: 'chain-toxic-combination',
    category: 'toxic-combination',
    severity: 'critical',
    message:
      'Calendar events read by "CAL" tool "list_events" can steer "SH" tools "run", "exec", which runs commands on this machine: nothing but the model stands between the two.',
    bundles: ['cal', 'sh'],
    source: { bundle: 'cal', tool: 'list_events', tools: ['list_events'], content: 'calendar events', location: reads },
    sink: { bundle: 'sh', tool: 'run', tools: ['run', 'exec'], power: 'command-execution', location: runs },
    fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
  });
});

it('reports a chain once when two copies of an extension make it', () => {
  expect(combineBundles([holder('cal', reader), holder('cal', reader), holder('sh', shell)])).toHaveLength(1);
});

it('never pairs a disabled bundle, nor a bundle with itself', () => {
  expect(combineBundles([holder('cal', reader), holder('sh', shell, false)])).toEqual([]);
  expect(combineBundles([holder('cal', reader, false), holder('sh', shell)])).toEqual([]);
  expect(combineBundles([holder('both', { sources: reader.sources, sinks: shell.sinks })])).toEqual([]);
});

it('escapes names that come from bundles', () => {
  const [combination] = combineBundles([{ ...holder('cal', reader), name: 'Cal\u001b[31m' }, holder('sh', shell)]);
  expect(combination!.message).toContain('"Cal\\u{1B}[31m"');
});

it('pairs a batch of hundreds of bundles in time linear in the chains it finds', () => {
  // Each chain was checked against every chain kept: 250 bundles that each read and act make
  // 62,250 chains, and that search took three minutes (300 took six).
  const holders = Array.from({ length: 250 }, (_, index) => holder(`b${index}`, { sources: reader.sources, sinks: shell.sinks }));
  const combinations = combineBundles(holders);
  expect(combinations).toHaveLength(250 * 249);
  expect(new Set(combinations.map((combination) => combination.fingerprint)).size).toBe(250 * 249);
});
