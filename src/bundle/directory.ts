import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import type { ContainerEntry, ReaderEvent, VirtualFile } from './container.js';
import { entryByteLimit, type Limits } from './limits.js';

// An unpacked bundle on disk (Claude Desktop's `Claude Extensions/<id>/`, or a developer's folder).
// Symbolic links are recorded and never followed; only regular files are opened, with O_NOFOLLOW and
// O_NONBLOCK so that a link or FIFO swapped in after lstat can neither lead outside nor hang the read.

export interface DirectoryRead {
  entries: ContainerEntry[];
  files: VirtualFile[];
  events: ReaderEvent[];
}

export async function readDirectory(root: string, limits: Limits): Promise<DirectoryRead> {
  const read: DirectoryRead = { entries: [], files: [], events: [] };
  let totalBytes = 0;
  let stopped = false;

  const visit = async (relative: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) {
      read.events.push({ kind: 'limit', limit: 'maxDepth', entry: relative, detail: `folders nest deeper than ${limits.maxDepth} levels; deeper content was not read` });
      return;
    }
    const names = await fs.readdir(path.join(root, relative)).catch(() => null);
    if (names === null) {
      read.events.push({ kind: 'unreadable', entry: relative || '.', detail: 'the folder could not be listed' });
      return;
    }
    names.sort();
    for (const name of names) {
      if (stopped) return;
      const entryPath = relative === '' ? name : `${relative}/${name}`;
      if (read.entries.length >= limits.maxEntries) {
        read.events.push({ kind: 'limit', limit: 'maxEntries', detail: `more than ${limits.maxEntries} files and folders; the rest were not read` });
        stopped = true;
        return;
      }
      const stat = await fs.lstat(path.join(root, entryPath)).catch(() => null);
      if (stat === null) {
        read.events.push({ kind: 'unreadable', entry: entryPath, detail: 'it vanished or could not be inspected' });
        continue;
      }
      const entry: ContainerEntry = {
        name: stat.isDirectory() ? `${entryPath}/` : entryPath,
        kind: stat.isSymbolicLink() ? 'symlink' : stat.isDirectory() ? 'directory' : stat.isFile() ? 'file' : 'other',
        mode: stat.mode,
        encrypted: false,
        compressedSize: stat.size,
        declaredSize: stat.size,
        localHeaderOffset: null,
      };
      read.entries.push(entry);
      if (entry.kind === 'symlink') {
        entry.linkTarget = (await fs.readlink(path.join(root, entryPath)).catch(() => undefined)) ?? '';
      } else if (entry.kind === 'directory') {
        await visit(entryPath, depth + 1);
      } else if (entry.kind === 'file') {
        if (stat.size > entryByteLimit(limits)) {
          read.events.push({ kind: 'limit', limit: 'maxEntryBytes', entry: entryPath, detail: `it is ${stat.size} bytes, over the ${entryByteLimit(limits)}-byte limit for one file` });
          continue;
        }
        if (totalBytes + stat.size > limits.maxTotalBytes) {
          read.events.push({ kind: 'limit', limit: 'maxTotalBytes', entry: entryPath, detail: `reading stopped at ${limits.maxTotalBytes} bytes in total; this and later files were not read` });
          stopped = true;
          return;
        }
        const bytes = await readRegularFile(path.join(root, entryPath), entryByteLimit(limits));
        if (bytes === null) {
          read.events.push({ kind: 'unreadable', entry: entryPath, detail: 'it changed while being read or could not be opened' });
          continue;
        }
        totalBytes += bytes.length;
        read.files.push({ path: entryPath, bytes, executable: (stat.mode & 0o111) !== 0 });
      }
    }
  };

  await visit('', 0);
  return read;
}

/** A regular file's bytes, or null when it is anything else, too big, or changes while read. Never follows a link. */
export async function readRegularFile(file: string, maxBytes: number): Promise<Uint8Array | null> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size > maxBytes) return null;
    const bytes = Buffer.alloc(stat.size);
    const { bytesRead } = await handle.read(bytes, 0, stat.size, 0);
    return bytesRead === stat.size ? bytes : null;
  } catch {
    return null;
  } finally {
    await handle?.close();
  }
}
