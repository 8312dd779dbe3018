// Committed crafted archives must equal what scripts/lib/crafted-archives.ts builds today.
// On failure: run `npm run fixtures`, review the diff, commit the new bytes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CRAFTED } from '../scripts/lib/crafted-archives.js';

const root = new URL('../', import.meta.url);

describe('crafted fixtures are fresh', () => {
  it('lists each path once', () => {
    const paths = CRAFTED.map((c) => c.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it.each(CRAFTED.map((c) => [c.path, c] as const))('%s', (path, crafted) => {
    const committed = readFileSync(fileURLToPath(new URL(path, root)));
    const built = Buffer.from(crafted.build());
    const hint = `${path} is stale: run \`npm run fixtures\` (built with zlib ${process.versions.zlib})`;
    expect(built.length, hint).toBe(committed.length);
    expect(built.equals(committed), hint).toBe(true);
  });
});
