import { describe, expect, it } from 'vitest';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-entry-point';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags an entry point and an argument that climb out of the bundle as high', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingWith(bundle, RULE, 'server.entry_point "../../etc/passwd" climbs out')).toMatchObject({
      severity: 'high',
      category: 'manifest',
      location: { file: 'manifest.json', pointer: '/server/entry_point' },
    });
    expect(findingWith(bundle, RULE, 'args[0] "${__dirname}/../../../usr/lib/evil/index.js" climbs out')).toMatchObject({
      severity: 'high',
      location: { pointer: '/server/mcp_config/args/0' },
    });
  });

  it('flags an absolute entry point and one with a drive letter as high', async () => {
    const absolute = await scanFixture(`${DIR}/invalid-absolute`);
    expect(findingWith(absolute, RULE, '"/usr/local/lib/evil/index.js" is an absolute path')).toMatchObject({
      severity: 'high',
      location: { pointer: '/server/entry_point' },
    });
    const drive = await scanFixture(`${DIR}/invalid-drive`);
    expect(findingWith(drive, RULE, '"C:\\Users\\Public\\evil.js" starts with a drive letter')).toMatchObject({
      severity: 'high',
      location: { pointer: '/server/entry_point' },
    });
  });

  it('flags an entry point and bundle paths in args that are not in the bundle', async () => {
    const bundle = await scanFixture(`${DIR}/invalid-missing`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'server.entry_point "server/main.js"')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/entry_point' },
    });
    expect(findingWith(bundle, RULE, 'args[0] "${__dirname}/server/main.js" names "server/main.js", which is not in the bundle')).toMatchObject({
      severity: 'medium',
      location: { pointer: '/server/mcp_config/args/0' },
    });
    // Present only with other letter case: found on macOS and Windows, missing on Linux.
    expect(findingWith(bundle, RULE, 'only as "server/config.json"')).toMatchObject({
      severity: 'low',
      location: { pointer: '/server/mcp_config/args/1' },
    });
  });

  it('accepts ./ prefixes and .. that stays inside the bundle', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });
});
