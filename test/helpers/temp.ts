import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { onTestFinished } from 'vitest';

/** A new folder under the system's temporary folder, removed when the test that asked for it ends. */
export function tempFolder(name: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), `dxt-audit-${name}-`));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}
