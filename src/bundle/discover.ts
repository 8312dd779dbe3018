import { promises as fs } from 'node:fs';
import path from 'node:path';
import { compareText, UsageError } from '../common.js';

// Turns the paths a user typed into bundles to scan. A path that does not exist is the user's
// mistake (exit 2); anything found at a real path is scanned and judged, never skipped quietly.

export type BundleSourceKind = 'archive' | 'directory' | 'unfollowed-link';

export interface BundleSource {
  /** The path as given, or joined under the directory that was given. */
  path: string;
  kind: BundleSourceKind;
}

const BUNDLE_EXTENSIONS = ['.dxt', '.mcpb'];

/** Where a Claude Desktop data folder keeps its unpacked extensions (installed/read.ts reads the rest). */
export const EXTENSIONS_FOLDER = 'Claude Extensions';

export async function discoverBundles(paths: readonly string[]): Promise<BundleSource[]> {
  const sources: BundleSource[] = [];
  for (const given of paths) {
    const stat = await fs.stat(given).catch(() => null);
    if (stat === null) throw new UsageError(`no such file or directory: ${given}`);
    if (stat.isFile()) {
      sources.push({ path: given, kind: 'archive' });
    } else if (stat.isDirectory()) {
      sources.push(...((await isBundleDirectory(given)) ? [{ path: given, kind: 'directory' as const }] : await collection(await extensionsOf(given))));
    } else {
      throw new UsageError(`not a file or directory: ${given}`);
    }
  }
  return sources;
}

async function isBundleDirectory(directory: string): Promise<boolean> {
  const manifest = await fs.lstat(path.join(directory, 'manifest.json')).catch(() => null);
  return manifest !== null;
}

// A Claude Desktop data folder given as a path is the folder of its extensions; what its settings
// and install registry say is read only with --installed/--claude-dir.
async function extensionsOf(directory: string): Promise<string> {
  const extensions = path.join(directory, EXTENSIONS_FOLDER);
  return (await fs.stat(extensions).catch(() => null))?.isDirectory() === true ? extensions : directory;
}

// A folder of bundles, like Claude Desktop's `Claude Extensions/`: archives and unpacked bundle
// folders one level down, in name order. A link is reported as a bundle that was not followed.
async function collection(directory: string): Promise<BundleSource[]> {
  const sources: BundleSource[] = [];
  const children = await fs.readdir(directory, { withFileTypes: true });
  children.sort((a, b) => compareText(a.name, b.name));
  for (const child of children) {
    const childPath = path.join(directory, child.name);
    const isBundleFile = BUNDLE_EXTENSIONS.includes(path.extname(child.name).toLowerCase());
    if (child.isSymbolicLink()) {
      if (isBundleFile || (await isBundleDirectory(childPath))) sources.push({ path: childPath, kind: 'unfollowed-link' });
    } else if (child.isFile() && isBundleFile) {
      sources.push({ path: childPath, kind: 'archive' });
    } else if (child.isDirectory() && (await isBundleDirectory(childPath))) {
      sources.push({ path: childPath, kind: 'directory' });
    }
  }
  if (sources.length === 0) {
    throw new UsageError(`no bundle in ${directory}: expected manifest.json, or .dxt/.mcpb files or bundle folders inside it`);
  }
  return sources;
}
