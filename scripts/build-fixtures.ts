// Writes every crafted archive listed in scripts/lib/crafted-archives.ts under fixtures/.
// Deterministic: running it twice yields identical bytes. Run with `npm run fixtures`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRAFTED } from './lib/crafted-archives.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

for (const archive of CRAFTED) {
  const bytes = archive.build();
  const target = join(root, ...archive.path.split('/'));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, bytes);
  console.log(`${String(bytes.length).padStart(9)}  ${archive.path}  ${archive.description}`);
}
console.log(`${CRAFTED.length} fixtures written`);
