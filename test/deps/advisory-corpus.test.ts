import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { advisoryCases, bundlePathOf, checkBundle } from '../../scripts/check-advisory-corpus.js';

// The real-server corpus pins mcp-remote 0.1.14 and server-filesystem 2025.3.28: their bundles must
// report their advisories, and the same servers at the fixed versions none. The bundles are built by
// `node --import tsx scripts/check-advisory-corpus.ts` into .bench-cache, which CI does not have:
// each case is skipped when its bundle is absent.
describe('advisories on the real-server corpus', () => {
  for (const { entry, expected } of advisoryCases()) {
    const bundle = bundlePathOf(entry);
    it.skipIf(!existsSync(bundle))(`${entry.pkg} ${entry.version} reports ${expected.length === 0 ? 'no advisory' : expected.join(', ')}`, async () => {
      const { findings, problems } = await checkBundle(bundle, expected);
      expect(problems).toEqual([]);
      for (const finding of findings) expect(finding.location.file).toBe(`server/node_modules/${entry.pkg}/package.json`);
    }, 60_000);
  }
});
