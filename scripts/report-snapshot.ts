// `npm run snapshot -- <out-dir>`: writes the reports of every fixture and corpus bundle, each
// scanned on its own, in every output format, so that a refactor can prove it changed nothing:
// run it before and after, then `diff -r before after` (no output means byte for byte the same).
// Corpus bundles are read from .bench-cache/ when `npm run bench` has assembled them.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FORMATS = ['json', 'text', 'sarif', 'markdown'] as const;

function children(folder: string): string[] {
  const absolute = path.join(ROOT, folder);
  if (!existsSync(absolute)) return [];
  return readdirSync(absolute).sort().map((name) => path.join(folder, name));
}

/** Each scan: a name for its files and the command line after `scan`. */
function scans(): Array<{ name: string; args: string[] }> {
  const targets = [
    ...children('fixtures/examples'),
    ...children('fixtures/rules').flatMap((folder) => children(folder)),
    ...children('.bench-cache').filter((file) => /\.(mcpb|dxt)$/.test(file)),
  ];
  return [
    ...targets.map((target) => ({ name: target, args: [target] })),
    { name: 'fixtures/chains/bundles', args: ['fixtures/chains/bundles'] },
    { name: 'fixtures/chains/claude-dir', args: ['--claude-dir', 'fixtures/chains/claude-dir'] },
  ];
}

async function run(args: string[]): Promise<string> {
  let out = '';
  const code = await main(['node', 'dxt-audit', 'scan', ...args], {
    stdout: { write: (text: string) => (out += text), isTTY: false },
    stderr: { write: (text: string) => (out += text), isTTY: false },
    env: {},
    cwd: ROOT,
    host: { platform: 'linux', home: '/nonexistent' },
  });
  return `${out}\n[exit ${code}]\n`;
}

const outDir = process.argv[2];
if (outDir === undefined) {
  console.error('usage: npm run snapshot -- <out-dir>');
  process.exit(2);
}
for (const { name, args } of scans()) {
  const base = path.join(path.resolve(outDir), name.replace(/[\\/]/g, '__'));
  mkdirSync(path.dirname(base), { recursive: true });
  for (const format of FORMATS) writeFileSync(`${base}.${format}`, await run([...args, '--format', format, '--jobs', '1']));
}
console.log(`wrote ${scans().length} scans in ${FORMATS.length} formats to ${outDir}`);
