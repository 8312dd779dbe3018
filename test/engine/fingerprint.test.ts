import { describe, expect, it } from 'vitest';
import { fingerprintCombination, withFingerprints } from '../../src/engine/fingerprint.js';
import type { RawFinding } from '../../src/report.js';

const exec: RawFinding = {
  ruleId: 'code-shell-exec',
  category: 'shell-exec',
  severity: 'critical',
  message: 'Tool "run" passes its input to child_process.exec.',
  location: { file: 'server/index.js', line: 10, column: 3 },
  tool: 'run',
  origin: 'first-party',
  evidence: 'exec(input.cmd)',
};

const printOf = (finding: RawFinding, bundle = 'shell-runner') => withFingerprints(bundle, [finding])[0]!.fingerprint;

describe('finding fingerprints', () => {
  it('survive the finding moving to another line', () => {
    expect(printOf({ ...exec, location: { file: 'server/index.js', line: 42, column: 7 } })).toBe(printOf(exec));
  });

  it('change with the bundle, rule, severity, file, tool or evidence', () => {
    const base = printOf(exec);
    expect(printOf(exec, 'other-bundle')).not.toBe(base);
    expect(printOf({ ...exec, ruleId: 'code-dynamic-code' })).not.toBe(base);
    expect(printOf({ ...exec, severity: 'high' })).not.toBe(base);
    expect(printOf({ ...exec, location: { file: 'server/other.js', line: 10 } })).not.toBe(base);
    expect(printOf({ ...exec, tool: 'other' })).not.toBe(base);
    expect(printOf({ ...exec, evidence: 'exec(input.script)' })).not.toBe(base);
  });

  it('tell identical findings in one bundle apart, so a second copy is new', () => {
    const [first, second] = withFingerprints('shell-runner', [exec, { ...exec, location: { file: 'server/index.js', line: 20 } }]);
    expect(first!.fingerprint).toBe(printOf(exec));
    expect(second!.fingerprint).not.toBe(first!.fingerprint);
  });

  it('key a JSON finding by its pointer', () => {
    const manifest = (pointer: string): RawFinding => ({ ...exec, location: { file: 'manifest.json', pointer } });
    expect(printOf(manifest('/server/mcp_config/args/0'))).not.toBe(printOf(manifest('/server/mcp_config/args/1')));
  });
});

describe('combination fingerprints', () => {
  const chain = {
    ruleId: 'chain-toxic-combination',
    category: 'toxic-combination' as const,
    severity: 'critical' as const,
    message: 'm',
    bundles: ['calendar', 'shell'],
    source: { bundle: 'calendar', tool: 'list_events', tools: ['list_events'], content: 'calendar events' },
    sink: { bundle: 'shell', tool: 'run', tools: ['run'], power: 'command-execution' as const },
  };
  it('depend on what flows where, not on the wording', () => {
    expect(fingerprintCombination({ ...chain, message: 'other words' })).toBe(fingerprintCombination(chain));
    expect(fingerprintCombination({ ...chain, sink: { ...chain.sink, tools: ['run', 'exec'] } })).not.toBe(fingerprintCombination(chain));
  });
});
