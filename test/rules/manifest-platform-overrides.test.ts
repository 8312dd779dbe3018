import { describe, expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-platform-overrides';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags override keys and compatibility platforms that are not darwin, win32 or linux, with a hint where one fits', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'key "windows", which is not a platform (did you mean "win32"?)')).toMatchObject({
      severity: 'low',
      location: { file: 'manifest.json', pointer: '/server/mcp_config/platform_overrides/windows' },
    });
    expect(findingWith(bundle, RULE, 'key "freebsd", which is not a platform:')).toMatchObject({
      severity: 'low',
      location: { pointer: '/server/mcp_config/platform_overrides/freebsd' },
    });
    expect(findingWith(bundle, RULE, 'lists "macos"')).toMatchObject({
      severity: 'low',
      location: { pointer: '/compatibility/platforms/1' },
    });
    expect(findingWith(bundle, RULE, 'lists "macos"').message).toContain('did you mean "darwin"?');
  });

  it('accepts win32 and darwin overrides and all three platforms', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });
});
