// Reads a rule's fixtures (fixtures/rules/<id>/invalid*, valid*) into the examples its page shows.
// Folders are shown file by file, trimmed; crafted archives are described by their entry in
// crafted-archives.ts rather than dumped, and binary files by their size.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ExampleFile, RuleExample } from '../../src/docs/rule-page.js';
import { CRAFTED } from './crafted-archives.js';

/** Lines of one file shown on a page; the rest is summarised in one line. */
export const MAX_LINES = 60;
/** Characters of one line shown; longer lines (blobs, minified code) are cut. */
export const MAX_LINE_CHARS = 160;

const FIXTURE_NAME = /^(invalid|valid)(-[\w-]+)?(\.dxt|\.mcpb)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function ruleExamples(root: string, ruleId: string): RuleExample[] {
  const dir = path.join(root, 'fixtures', 'rules', ruleId);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return [];
  }
  return names.flatMap((name): RuleExample[] => {
    const match = FIXTURE_NAME.exec(name);
    if (match === null) return [];
    const triggers = match[1] === 'invalid';
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return [{ name, triggers, files: folderFiles(full) }];
    const relative = `fixtures/rules/${ruleId}/${name}`;
    const crafted = CRAFTED.find((archive) => archive.path === relative);
    if (crafted === undefined) throw new Error(`${relative} is not listed in scripts/lib/crafted-archives.ts, so its page cannot describe it`);
    return [{ name, triggers, description: crafted.description, files: [] }];
  });
}

/** manifest.json first, then the other files by path. */
function folderFiles(dir: string): ExampleFile[] {
  const paths = walk(dir, '').sort((a, b) => Number(b === 'manifest.json') - Number(a === 'manifest.json') || (a < b ? -1 : a > b ? 1 : 0));
  return paths.map((relative) => shown(relative, readFileSync(path.join(dir, relative))));
}

function walk(dir: string, prefix: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) return walk(path.join(dir, entry.name), relative);
    return entry.isFile() ? [relative] : [];
  });
}

export function shown(relative: string, bytes: Uint8Array): ExampleFile {
  let text: string;
  try {
    if (bytes.subarray(0, 1024).includes(0)) throw new Error('binary');
    text = UTF8.decode(bytes);
  } catch {
    return { path: relative, note: `binary file, ${bytes.length} bytes, not shown` };
  }
  const lines = text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n');
  let cut = false;
  const kept = lines.slice(0, MAX_LINES).map((line) => {
    const characters = [...line];
    if (characters.length <= MAX_LINE_CHARS) return line;
    cut = true;
    return `${characters.slice(0, MAX_LINE_CHARS).join('')}…`;
  });
  const notes = [
    ...(lines.length > MAX_LINES ? [`first ${MAX_LINES} of ${lines.length} lines`] : []),
    ...(cut ? [`long lines cut at ${MAX_LINE_CHARS} characters`] : []),
  ];
  return { path: relative, text: kept.join('\n'), ...(notes.length > 0 ? { note: notes.join('; ') } : {}) };
}
