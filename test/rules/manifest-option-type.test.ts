import { describe, expect, it } from 'vitest';
import { findingsOf, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-option-type';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags every inconsistent option setting at the offending key, as low', async () => {
    const findings = findingsOf(await scanFixture(`${DIR}/invalid`), RULE);
    const byPointer = Object.fromEntries(findings.map((finding) => ['pointer' in finding.location ? finding.location.pointer : '', finding.message]));
    expect(byPointer).toEqual({
      '/user_config/port/default': expect.stringContaining('"port" has type "number" but its default is a string'),
      '/user_config/verbose/default': expect.stringContaining('"verbose" has type "boolean" but its default is a string'),
      '/user_config/limit/min': expect.stringContaining('"limit" has min 100 above max 10'),
      '/user_config/retries/default': expect.stringContaining('"retries" has default 9 outside its range 0 to 5'),
      '/user_config/label/min': expect.stringContaining('"label" sets "min" but has type "string"'),
      '/user_config/tags/default': expect.stringContaining('"tags" has a list as its default'),
      '/user_config/tags/multiple': expect.stringContaining('"tags" sets "multiple" but has type "string"'),
      '/user_config/roots/default': expect.stringContaining('"roots" has a list as its default but is not a "multiple"'),
      '/user_config/debug/sensitive': expect.stringContaining('"debug" sets "sensitive" but has type "boolean"'),
    });
    expect(new Set(findings.map((finding) => finding.severity))).toEqual(new Set(['low']));
  });

  it('accepts matching defaults, ${HOME} paths, a list for a multiple directory and a range that holds the default', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });
});
