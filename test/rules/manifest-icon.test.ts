import { describe, expect, it } from 'vitest';
import { isPng } from '../../rules/manifest-icon.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-icon';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags remote, variable, absolute, outside, missing and non-PNG icons, each at its own pointer', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(6);
    const cases: Array<[string, string]> = [
      ['icon "https://cdn.example.com/icon.png" is a URL', '/icon'],
      ['icons[0].src "assets/missing.png" is not in the bundle', '/icons/0/src'],
      ['icons[1].src "assets/fake.png" is not a PNG file', '/icons/1/src'],
      ['icons[2].src "${__dirname}/icon.png" uses a substitution variable', '/icons/2/src'],
      ['icons[3].src "/usr/share/icons/evil.png" is an absolute path', '/icons/3/src'],
      ['icons[4].src "../icon.png" climbs out of the bundle folder', '/icons/4/src'],
    ];
    for (const [text, pointer] of cases) {
      expect(findingWith(bundle, RULE, text)).toMatchObject({ severity: 'low', location: { file: 'manifest.json', pointer } });
    }
  });

  it('accepts PNG files inside the bundle', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it('recognises PNG by its signature, not its name', () => {
    expect(isPng(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(true);
    expect(isPng(new Uint8Array([0x89, 0x50, 0x4e, 0x47]))).toBe(false);
    expect(isPng(new TextEncoder().encode('<svg/>'))).toBe(false);
  });
});
