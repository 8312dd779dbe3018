import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { findingsOf, scanFixture } from '../helpers/fixtures.js';
import { fixtureCases } from '../helpers/rule-fixtures.js';

// Every rule's invalid fixtures must trigger it and its near-miss valid fixtures must not.
describe.each(RULES.map((rule) => rule.meta.id))('%s', (ruleId) => {
  const cases = fixtureCases(ruleId);
  it.each(cases.invalid)('fires on %s', async (fixture) => {
    expect(findingsOf(await scanFixture(fixture), ruleId)).not.toHaveLength(0);
  });
  it.each(cases.valid)('stays silent on %s', async (fixture) => {
    expect(findingsOf(await scanFixture(fixture), ruleId)).toEqual([]);
  });
});
