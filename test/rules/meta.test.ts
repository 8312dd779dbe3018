import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { AREAS } from '../../src/docs/rule-page.js';
import { CATEGORIES, SEVERITIES } from '../../src/report.js';
import { repoPath } from '../helpers/fixtures.js';
import { fixtureCases } from '../helpers/rule-fixtures.js';

// The areas the rule index groups by (src/docs/rule-page.ts): a rule outside them would have no heading.
const AREA_NAMES = AREAS.map(({ area }) => area);

describe('every rule', () => {
  it.each(RULES.map((rule) => [rule.meta.id, rule] as const))('%s is complete', (id, rule) => {
    expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(AREA_NAMES).toContain(id.split('-')[0]);
    expect(existsSync(repoPath(`rules/${id}.ts`)), 'rule file named after its id').toBe(true);
    expect(CATEGORIES).toContain(rule.meta.category);
    expect(SEVERITIES).toContain(rule.meta.severity);
    expect(rule.meta.description.length).toBeGreaterThan(10);
    expect(rule.meta.remediation.length).toBeGreaterThan(10);
    const cases = fixtureCases(id);
    expect(cases.invalid, 'an invalid fixture').not.toEqual([]);
    expect(cases.valid, 'a near-miss valid fixture').not.toEqual([]);
    expect(existsSync(repoPath(`test/rules/${id}.test.ts`)), 'a test of its own').toBe(true);
    expect(existsSync(repoPath(`docs/rules/${id}.md`)), 'a page (run `npm run generate`)').toBe(true);
    expect(readFileSync(repoPath('docs/rules/README.md'), 'utf8')).toContain(`| [\`${id}\`](${id}.md) |`);
  });

  it('ids are unique', () => {
    const ids = RULES.map((rule) => rule.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('no fixture folder belongs to a rule that does not exist', () => {
    const ids = new Set(RULES.map((rule) => rule.meta.id));
    expect(readdirSync(repoPath('fixtures/rules')).filter((name) => !ids.has(name))).toEqual([]);
  });
});
