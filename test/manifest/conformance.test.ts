// Our strict verdict (known version, no schema issue) must equal the reference validator's
// (@anthropic-ai/mcpb 2.1.2 `validateManifest`, the code behind `mcpb validate`) on every manifest
// in the corpus, except the documented differences, which must stay real.
import { readdirSync, readFileSync } from 'node:fs';
import { validateManifest } from '@anthropic-ai/mcpb/node';
import { VERSIONED_MANIFEST_SCHEMAS } from '@anthropic-ai/mcpb/schemas';
import { describe, expect, it, vi } from 'vitest';
import { KNOWN_MANIFEST_VERSIONS } from '../../src/manifest/facts.js';
import { readManifest } from '../../src/manifest/read.js';
import { repoPath } from '../helpers/fixtures.js';

const CORPUS = 'fixtures/manifests';
// The fixtures of the rules that judge the manifest as a whole (other rules' fixtures may be archives).
const RULE_FIXTURES = ['manifest-json', 'manifest-schema', 'manifest-unknown-key', 'manifest-version']
  .flatMap((rule) => readdirSync(repoPath(`fixtures/rules/${rule}`)).sort().map((kind) => `fixtures/rules/${rule}/${kind}/manifest.json`));
const FILES = [
  ...readdirSync(repoPath(CORPUS))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => `${CORPUS}/${name}`),
  ...RULE_FIXTURES,
];

/** Files on which we knowingly disagree, with the reference's verdict; ours is the opposite. */
const DOCUMENTED_DIFFERENCES: Record<string, { reference: boolean; reason: string }> = {
  [`${CORPUS}/bom.json`]: {
    reference: false,
    reason: 'The reference passes the UTF-8 byte order mark to JSON.parse, which rejects it; we tolerate a BOM, as editors write one.',
  },
  'fixtures/rules/manifest-json/valid/manifest.json': { reference: false, reason: 'A UTF-8 byte order mark, as bom.json.' },
  [`${CORPUS}/invalid-utf8.json`]: {
    reference: true,
    reason: 'The reference decodes invalid UTF-8 to U+FFFD and carries on; we report a parse error, since the text is not what the publisher wrote.',
  },
  [`${CORPUS}/number-overflow.json`]: {
    reference: true,
    reason: 'A number too large for a double (1e400) parses to Infinity, which zod accepts as a number and JSON Schema (ajv) does not.',
  },
  [`${CORPUS}/v02-icon-missing-file.json`]: {
    reference: false,
    reason: 'The reference also opens the icon file next to the manifest; our verdict is the schema alone, the bundle rules check files.',
  },
};

function referenceVerdict(file: string): boolean {
  const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    return validateManifest(repoPath(file));
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

function ourVerdict(bytes: Uint8Array): boolean {
  const facts = readManifest(new Map([['manifest.json', { path: 'manifest.json', bytes, executable: false }]]));
  return facts.version.known !== null && facts.schemaIssues.length === 0;
}

describe('strict verdict against the reference validator', () => {
  const verdicts = FILES.map((file) => ({ file, reference: referenceVerdict(file) }));

  it('has a corpus worth the name, with both verdicts well represented', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(25);
    expect(verdicts.filter((entry) => entry.reference).length).toBeGreaterThanOrEqual(10);
    expect(verdicts.filter((entry) => !entry.reference).length).toBeGreaterThanOrEqual(10);
  });

  it('lists only differences that exist', () => {
    expect(Object.keys(DOCUMENTED_DIFFERENCES).filter((file) => !FILES.includes(file))).toEqual([]);
  });

  it.each(verdicts)('$file', ({ file, reference }) => {
    const ours = ourVerdict(readFileSync(repoPath(file)));
    const difference = DOCUMENTED_DIFFERENCES[file];
    if (difference === undefined) {
      expect(ours, 'our verdict').toBe(reference);
    } else {
      expect(reference, `the reference's verdict (${difference.reason})`).toBe(difference.reference);
      expect(ours, `our verdict (${difference.reason})`).toBe(!difference.reference);
    }
  });
});

describe('every corpus manifest under every version', () => {
  // Rewriting the version exercises each schema on every manifest: uv under 0.1, icons under 0.2 ...
  const cases = FILES.filter((file) => DOCUMENTED_DIFFERENCES[file] === undefined).flatMap((file) => {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(repoPath(file), 'utf8'));
    } catch {
      return [];
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) return [];
    return KNOWN_MANIFEST_VERSIONS.map((version) => {
      const copy = JSON.parse(JSON.stringify(json)) as Record<string, unknown>;
      delete copy.dxt_version;
      copy.manifest_version = version;
      return { file, version, copy };
    });
  });

  it('covers many pairs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4 * 40);
  });

  it.each(cases)('$file as $version', ({ version, copy }) => {
    const reference = VERSIONED_MANIFEST_SCHEMAS[version].safeParse(copy).success;
    expect(ourVerdict(new TextEncoder().encode(JSON.stringify(copy)))).toBe(reference);
  });
});

describe('string formats against the reference', () => {
  const base = JSON.parse(readFileSync(repoPath(`${CORPUS}/v01-node-minimal.json`), 'utf8')) as Record<string, unknown>;
  const urls = [
    'https://example.com', 'http://localhost:8080/x?y#z', 'mailto:someone@example.com', 'file:///etc/passwd',
    'example.com', '//example.com', '', ' ', 'https://', 'http://exa mple.com', 'https://[::1]/', 'javascript:alert(1)',
    'https://例え.jp', 'http://user:pass@host', 'foo:bar', 'a:', '1http://x', 'https://example.com/%zz',
  ];
  const emails = [
    'a@b.co', 'first.last@sub.example.museum', "o'neil+tag@mail.example.co", 'UPPER@CASE.ORG', 'a_b-c@d-e.fg',
    '.a@b.co', 'a.@b.co', "a'@b.co", 'a..b@c.co', 'a@b.c', 'a@-b.co', 'a@b.c0', 'a@b@c.co', '@b.co', 'é@b.co',
    'a@b..co', 'a@b.co.', 'a b@c.co', 'a@localhost', '', 'a@b.cö', 'a@[1.2.3.4]', 'a@1.2.3.4', '"a"@b.co',
  ];
  it.each(urls)('url %j', (url) => {
    const manifest = { ...base, homepage: url };
    const reference = VERSIONED_MANIFEST_SCHEMAS['0.1'].safeParse(manifest).success;
    expect(ourVerdict(new TextEncoder().encode(JSON.stringify(manifest)))).toBe(reference);
  });
  it.each(emails)('email %j', (email) => {
    const manifest = { ...base, author: { name: 'n', email } };
    const reference = VERSIONED_MANIFEST_SCHEMAS['0.1'].safeParse(manifest).success;
    expect(ourVerdict(new TextEncoder().encode(JSON.stringify(manifest)))).toBe(reference);
  });
});
