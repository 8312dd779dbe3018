// docs/benchmarks.md keeps each benchmark's latest results between a pair of HTML comments, so that
// each script refreshes its own block and leaves the rest of the page as written.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** Replaces the block between `markers` in the file at `file` (appending it when missing); `intro` starts a new file. */
export function writeDocBlock(file: string, markers: readonly [string, string], body: string, intro: string): void {
  const [startMarker, endMarker] = markers;
  const block = `${startMarker}\n${body}\n${endMarker}`;
  if (!existsSync(file)) {
    writeFileSync(file, `${intro}${block}\n`);
    return;
  }
  const current = readFileSync(file, 'utf8');
  const start = current.indexOf(startMarker);
  const end = current.indexOf(endMarker);
  const next =
    start !== -1 && end > start
      ? `${current.slice(0, start)}${block}${current.slice(end + endMarker.length)}`
      : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}
