// The rule pages: docs/rules/<id>.md and `dxt-audit explain <id>` are both this module's output, so
// the published command and the repository's docs cannot say different things. Pure functions over
// rule metadata and example data; nothing here reads files (examples come from src/docs/examples.ts,
// generated from the fixtures by `npm run generate`).
import { compareText } from '../common.js';
import type { RuleMeta } from '../engine/rule.js';

/** One file of a fixture, as shown on a page: text already trimmed, or why it is not shown. */
export interface ExampleFile {
  path: string;
  /** The file's text as shown (possibly shortened); absent for binary files. */
  text?: string;
  /** What stands in for the content: `binary file, 67 bytes`. */
  note?: string;
}

/** One fixture case of a rule: fixtures/rules/<id>/<name>. */
export interface RuleExample {
  /** Folder or archive name: `invalid`, `valid-python`, `invalid.dxt`. */
  name: string;
  /** Whether the rule must fire on it (`invalid*`) or stay silent (`valid*`). */
  triggers: boolean;
  /** For crafted archives: what the archive holds (from scripts/lib/crafted-archives.ts). */
  description?: string;
  files: readonly ExampleFile[];
}

type Meta = RuleMeta<string>;

/** Areas in index order, with their headings; the area is the id's first word. */
export const AREAS: ReadonlyArray<{ area: string; title: string }> = [
  { area: 'archive', title: 'Archive: the ZIP container itself' },
  { area: 'manifest', title: 'Manifest: what manifest.json declares' },
  { area: 'signature', title: 'Signature' },
  { area: 'code', title: 'Code: what the server code reachable from its entry point does' },
  { area: 'file', title: 'Files: every file, whatever its name' },
  { area: 'deps', title: 'Dependencies' },
  { area: 'prompt', title: 'Prompts: text the model reads as instructions' },
  { area: 'chain', title: 'Chains: tools that read untrusted content next to tools that act' },
];

const FIXTURE_PAIRS_TEST = 'test/rules/fixture-pairs.test.ts';

/** The page of one rule, in Markdown that also reads as plain text on a terminal. */
export function renderRulePage(meta: Meta, examples: readonly RuleExample[]): string {
  const lines: string[] = [
    `# ${meta.id}`,
    '',
    meta.description,
    '',
    `- Category: \`${meta.category}\``,
    `- Default severity: ${meta.severity}`,
    `- Fixtures: \`fixtures/rules/${meta.id}/\``,
    '',
    '## Why it matters',
    '',
    meta.docs.why,
    '',
    '## What it flags',
    '',
    'Each finding says one of the following; words in braces are filled in from the bundle.',
    '',
    ...Object.values<string>(meta.messages).map((template) => `- ${plainText(template)}`),
    '',
    '## Examples',
    '',
    `These are the rule's fixtures; \`${FIXTURE_PAIRS_TEST}\` checks that the rule fires on every`,
    '"must trigger" case and stays silent on every "must not trigger" case.',
    '',
    ...[...examples].sort(exampleOrder).flatMap(renderExample),
    '## False positives',
    '',
    meta.docs.falsePositives,
    '',
    '## What to do',
    '',
    meta.remediation,
    '',
    '## References',
    '',
    ...meta.docs.references.map(({ title, url }) => `- [${title}](${url})`),
    '',
  ];
  return lines.join('\n');
}

/** Message templates are plain text: a backslash before punctuation (`"\\"`) would be a Markdown escape. */
function plainText(text: string): string {
  return text.replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\');
}

/** Must-trigger cases first, each group by name (`invalid` before `invalid-x`). */
function exampleOrder(a: RuleExample, b: RuleExample): number {
  if (a.triggers !== b.triggers) return a.triggers ? -1 : 1;
  return compareText(a.name, b.name);
}

function renderExample(example: RuleExample): string[] {
  const lines = [`### \`${example.name}\`: ${example.triggers ? 'must trigger' : 'must not trigger'}`, ''];
  if (example.description !== undefined) {
    lines.push(`A crafted archive: ${example.description}.`, '');
  }
  for (const file of example.files) {
    if (file.text === undefined) {
      lines.push(`\`${file.path}\`: ${file.note ?? 'not shown'}.`, '');
      continue;
    }
    const fence = fenceFor(file.text);
    lines.push(`\`${file.path}\`${file.note === undefined ? '' : ` (${file.note})`}:`, '', `${fence}${languageOf(file.path)}`, file.text, fence, '');
  }
  return lines;
}

/** A fence longer than any run of backticks in the text. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function languageOf(path: string): string {
  const extension = /\.([a-z]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
  const languages: Record<string, string> = { js: 'js', mjs: 'js', cjs: 'js', ts: 'ts', json: 'json', py: 'python', sh: 'sh', md: 'markdown' };
  return languages[extension] ?? 'text';
}

/** docs/rules/README.md: every rule by area, linking to its page. */
export function renderRulesIndex(rules: readonly Meta[]): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    '# Rules',
    '',
    'Generated by `npm run generate` from the rules\' metadata; do not edit. Each rule has a page here,',
    'which `dxt-audit explain <id>` prints, and `dxt-audit rules` lists the same rules. Each page shows the',
    'rule\'s fixtures under `fixtures/rules/<id>/`: `invalid` cases that must trigger it and near-miss',
    '`valid` cases that must not.',
    '',
  ];
  for (const { area, title } of AREAS) {
    const inArea = rules.filter((meta) => areaOf(meta.id) === area);
    if (inArea.length === 0) continue;
    lines.push(`## ${title}`, '', '| id | category | default severity | what it flags |', '|---|---|---|---|');
    for (const meta of inArea) lines.push(`| [\`${meta.id}\`](${meta.id}.md) | ${meta.category} | ${meta.severity} | ${cell(meta.description)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function areaOf(id: string): string {
  return id.split('-')[0] ?? '';
}

/**
 * Known ids closest to `input`, best first, at most `limit`: the ids containing it (`shell` ->
 * code-shell-exec) when there are any; else those within a few edits of it (typos), then those
 * sharing a word with it beyond the area (`secrets` -> file-secret).
 */
export function closestIds(input: string, ids: readonly string[], limit = 3): string[] {
  const wanted = input.trim().toLowerCase();
  if (wanted === '') return [];
  const containing = ids.filter((id) => id.includes(wanted));
  if (containing.length > 0) return containing.slice(0, limit);
  // Area names (`code`, `file`) say too little: every rule of the area would share them.
  const areas = new Set(AREAS.map(({ area }) => area));
  const words = wanted.split(/[^a-z0-9]+/).filter((word) => word.length >= 4 && !areas.has(word));
  const sharesWord = (id: string) =>
    id.split('-').slice(1).filter((part) => part.length >= 4 && words.some((word) => word.startsWith(part) || part.startsWith(word))).length;
  const tolerance = Math.max(2, Math.floor(wanted.length / 5));
  const rank = ({ shared, distance }: { shared: number; distance: number }) => (distance <= tolerance ? distance : tolerance + 1 + 10 / (shared + 1));
  return ids
    .map((id) => ({ id, shared: sharesWord(id), distance: editDistance(wanted, id) }))
    .filter(({ shared, distance }) => shared > 0 || distance <= tolerance)
    .sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : 1))
    .slice(0, limit)
    .map(({ id }) => id);
}

/** Levenshtein distance, two rows at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
