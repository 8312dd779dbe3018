import { describe, expect, it } from 'vitest';
import { settingCondition } from '../../../src/analysis/catalog/settings.js';

describe('the setting a registration depends on', () => {
  it.each([
    ["process.env.ENABLE_WRITE === 'true'", false, "process.env.ENABLE_WRITE === 'true'"],
    ['os.environ.get("ENABLE_SHELL")', false, 'os.environ.get("ENABLE_SHELL")'],
    ['readOnly', true, '!(readOnly)'],
    ['clientCapabilities.sampling', false, 'clientCapabilities.sampling'],
    ['config\n    .experimental', false, 'config .experimental'],
    ['count > 2', false, undefined],
    ['name === "x"', true, undefined],
  ])('%j (negated: %s) shows as %j', (test, negated, shown) => {
    expect(settingCondition(test, negated)).toBe(shown);
  });

  it('cuts a long test, and does not read one longer than a condition is', () => {
    const long = `process.env.FLAG === '${'x'.repeat(100)}'`;
    expect(settingCondition(long, false)).toHaveLength(80);
    expect(settingCondition(long, false)!.endsWith('…')).toBe(true);
    expect(settingCondition(`process.env.FLAG || ${'a'.repeat(400)}`, false)).toBeUndefined();
  });
});
