import { describe, expect, it } from 'vitest';
import { isSemverRange, isStrictSemver } from '../../rules/manifest-semver.js';
import { findingsOf, findingWith, scanFixture } from '../helpers/fixtures.js';

const RULE = 'manifest-semver';
const DIR = `fixtures/rules/${RULE}`;

describe(RULE, () => {
  it('flags a version and requirement ranges that are not semver', async () => {
    const bundle = await scanFixture(`${DIR}/invalid`);
    expect(findingsOf(bundle, RULE)).toHaveLength(3);
    expect(findingWith(bundle, RULE, 'version "v1.2" is not a semantic version')).toMatchObject({
      severity: 'low',
      location: { file: 'manifest.json', pointer: '/version' },
    });
    expect(findingWith(bundle, RULE, 'compatibility.claude_desktop ">=0.10 <banana"')).toMatchObject({
      severity: 'low',
      location: { pointer: '/compatibility/claude_desktop' },
    });
    expect(findingWith(bundle, RULE, 'compatibility.runtimes.node "LTS"')).toMatchObject({
      severity: 'low',
      location: { pointer: '/compatibility/runtimes/node' },
    });
  });

  it('accepts a prerelease with build metadata and ordinary ranges', async () => {
    expect(findingsOf(await scanFixture(`${DIR}/valid`), RULE)).toEqual([]);
  });

  it.each([
    ['1.0.0', true],
    ['0.1.0-alpha.1', true],
    ['1.2.3+build.7', true],
    ['v1.2.3', false],
    ['=1.2.3', false],
    [' 1.2.3', false],
    ['1.2', false],
    ['1.0.0.0', false],
    ['latest', false],
  ])('version %j strict semver: %s', (version, expected) => {
    expect(isStrictSemver(version)).toBe(expected);
  });

  it.each([
    ['>=0.10.0', true],
    ['^1.2', true],
    ['>=3.10 <4', true],
    ['*', true],
    ['>=3.10,<4', false],
    ['LTS', false],
  ])('range %j valid: %s', (range, expected) => {
    expect(isSemverRange(range)).toBe(expected);
  });
});
