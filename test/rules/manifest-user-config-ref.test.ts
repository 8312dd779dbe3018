import { describe, expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-user-config-ref';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags references to undeclared options, in overrides too, and declared options never passed', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'env.API_KEY uses the option "api_key", which user_config does not declare')).toMatchObject({
      severity: 'medium',
      location: { file: 'manifest.json', pointer: '/server/mcp_config/env/API_KEY' },
    });
    expect(findingWith(bundle, RULE, 'uses the option "workspace"')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/platform_overrides/win32/args/2' },
    });
    expect(findingWith(bundle, RULE, 'option "apiKey" is never passed')).toMatchObject({
      severity: 'low',
      location: { pointer: '/user_config/apiKey' },
    });
  });

  it('accepts declared options used in args and env', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });
});
