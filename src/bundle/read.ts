import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import type { ContainerFacts, VirtualFile } from './container.js';
import type { BundleSource } from './discover.js';
import { readDirectory } from './directory.js';
import type { Limits } from './limits.js';
import type { Trust } from './verify-signature.js';
import { readZip } from './zip.js';

/**
 * Reads one bundle into memory under the limits, and checks an archive's signature against `trust`.
 * Never throws for anything the bundle contains.
 */
export async function readContainer(source: BundleSource, limits: Limits, trust: Trust): Promise<ContainerFacts> {
  return unpackBundle(await loadBundle(source, limits), limits, trust);
}

/**
 * A bundle as first read: an archive's bytes and their SHA-256, not yet unpacked (so that the
 * `--cache` can recognise an archive it has audited before unpacking it); or, for a folder, a link
 * or an archive that could not be read, the container already. An archive's bytes are handed over
 * once, to unpackBundle: nothing keeps the archive (40 MB for the largest corpus bundle) in memory
 * beside its unpacked files while they are analysed.
 */
export type LoadedBundle = { kind: 'archive'; takeBytes: () => Buffer; sha256: string } | { kind: 'read'; container: ContainerFacts };

/** The first half of readContainer: reads the archive's bytes, or the whole folder. */
export async function loadBundle(source: BundleSource, limits: Limits): Promise<LoadedBundle> {
  switch (source.kind) {
    case 'archive':
      return loadArchive(source.path, limits);
    case 'directory': {
      const read = await readDirectory(source.path, limits);
      return { kind: 'read', container: { kind: 'directory', sha256: null, entries: read.entries, files: tree(read.files), events: read.events, layout: null } };
    }
    case 'unfollowed-link':
      return {
        kind: 'read',
        container: {
          kind: 'directory',
          sha256: null,
          entries: [
            {
              name: '.',
              kind: 'symlink',
              mode: null,
              encrypted: false,
              compressedSize: 0,
              declaredSize: 0,
              localHeaderOffset: null,
              linkTarget: (await fs.readlink(source.path).catch(() => undefined)) ?? '',
            },
          ],
          files: new Map(),
          events: [{ kind: 'unreadable', detail: 'the bundle is a symbolic link, which is never followed; scan its target directly' }],
          layout: null,
        },
      };
  }
}

/** The second half of readContainer: unpacks an archive's bytes and checks its signature. */
export async function unpackBundle(loaded: LoadedBundle, limits: Limits, trust: Trust): Promise<ContainerFacts> {
  if (loaded.kind === 'read') return loaded.container;
  const bytes = loaded.takeBytes();
  const read = readZip(bytes, limits);
  const signature = read.layout?.signature;
  if (signature && signature.problems.length === 0) {
    // Loaded here: the ASN.1 libraries cost about 70 ms, and most bundles are unsigned.
    const { verifyBlock } = await import('./verify-signature.js');
    const check = verifyBlock(bytes, signature, trust);
    if ('malformed' in check) signature.problems.push(check.malformed);
    else signature.verification = check;
  }
  return { kind: 'archive', sha256: loaded.sha256, entries: read.entries, files: tree(read.files), events: read.events, layout: read.layout };
}

async function loadArchive(file: string, limits: Limits): Promise<LoadedBundle> {
  const empty = { kind: 'archive' as const, entries: [], files: new Map<string, VirtualFile>(), layout: null };
  const unreadable: LoadedBundle = { kind: 'read', container: { ...empty, sha256: null, events: [{ kind: 'unreadable', detail: 'the archive could not be read' }] } };
  const stat = await fs.stat(file).catch(() => null);
  if (stat === null) return unreadable;
  if (stat.size > limits.maxArchiveBytes) {
    const detail = `the archive is ${stat.size} bytes, over the ${limits.maxArchiveBytes}-byte limit; it was not read`;
    return { kind: 'read', container: { ...empty, sha256: await streamedSha256(file).catch(() => null), events: [{ kind: 'too-large', detail }] } };
  }
  const bytes = await fs.readFile(file).catch(() => null);
  if (bytes === null) return unreadable;
  let held: Buffer | null = bytes;
  const takeBytes = () => {
    if (held === null) throw new Error('the archive was unpacked already');
    const taken = held;
    held = null;
    return taken;
  };
  return { kind: 'archive', takeBytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

// With duplicate names the later entry wins, as with most extractors; the duplicate itself is a finding.
function tree(files: readonly VirtualFile[]): Map<string, VirtualFile> {
  return new Map(files.map((file) => [file.path, file]));
}

async function streamedSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
