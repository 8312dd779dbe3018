// uv.lock: the exact versions, sources and file URLs uv installs when the lock matches pyproject.toml.
// uv downloads the `sdist`/`wheels` URLs written here and checks them against the hashes written
// next to them, so a lock is only as trustworthy as the hosts it names.
import { normalizeName } from './pep508.js';
import { hostOf } from './source.js';
import { isTable, readToml, tomlAt, TomlLines } from './toml.js';

/** Packages read from a lock; a bigger lock is reported, and read this far. */
export const MAX_LOCK_PACKAGES = 5000;

export type LockSource =
  | { kind: 'registry'; url: string }
  | { kind: 'git'; url: string; commit: string | null }
  | { kind: 'url'; url: string }
  | { kind: 'path'; path: string }
  /** `editable`, `virtual`, `directory`: the project itself or a workspace member. */
  | { kind: 'local'; path: string }
  | { kind: 'unknown' };

export interface LockedPackage {
  name: string;
  key: string;
  version: string | null;
  source: LockSource;
  /** Hosts of the sdist and wheel URLs uv would download. */
  downloadHosts: string[];
  line: number;
}

export type LockRead = { ok: true; packages: LockedPackage[]; problems: Array<{ line: number; problem: string }> } | { ok: false; problem: string; line: number | null };

export function readLock(text: string): LockRead {
  const read = readToml(text);
  if (!read.ok) return read;
  const lines = new TomlLines(text);
  const packages: LockedPackage[] = [];
  const problems: Array<{ line: number; problem: string }> = [];
  const list = tomlAt(read.table, ['package']);
  if (list !== undefined && !Array.isArray(list)) return { ok: false, problem: '"package" is not an array of tables', line: lines.lineOf([lines.key('package')]) };
  let from = 0;
  for (const [index, entry] of (list ?? []).entries()) {
    if (index >= MAX_LOCK_PACKAGES) {
      problems.push({ line: lines.lineAt(from), problem: `the lock lists ${list!.length} packages; only the first ${MAX_LOCK_PACKAGES} were read` });
      break;
    }
    const header = lines.header(['package'], true, from);
    if (header !== -1) from = header + 1;
    const line = header === -1 ? 1 : lines.lineAt(header);
    if (!isTable(entry) || typeof entry.name !== 'string') {
      problems.push({ line, problem: `package ${index + 1} has no name` });
      continue;
    }
    packages.push({
      name: entry.name,
      key: normalizeName(entry.name),
      version: typeof entry.version === 'string' ? entry.version : null,
      source: lockSource(entry.source),
      downloadHosts: downloadHosts(entry),
      line,
    });
  }
  return { ok: true, packages, problems };
}

function lockSource(value: unknown): LockSource {
  if (!isTable(value)) return { kind: 'unknown' };
  if (typeof value.registry === 'string') return { kind: 'registry', url: value.registry };
  if (typeof value.git === 'string') {
    // `https://github.com/o/r?rev=main#<commit>`: uv records the commit it resolved after `#`.
    const commit = /#([0-9a-f]{40}|[0-9a-f]{64})$/i.exec(value.git)?.[1] ?? null;
    return { kind: 'git', url: value.git, commit };
  }
  if (typeof value.url === 'string') return { kind: 'url', url: value.url };
  if (typeof value.path === 'string') return { kind: 'path', path: value.path };
  for (const key of ['editable', 'virtual', 'directory'] as const) {
    if (typeof value[key] === 'string') return { kind: 'local', path: value[key] as string };
  }
  return { kind: 'unknown' };
}

function downloadHosts(entry: Record<string, unknown>): string[] {
  const hosts = new Set<string>();
  const add = (file: unknown): void => {
    if (isTable(file) && typeof file.url === 'string') {
      const host = hostOf(file.url);
      if (host !== null) hosts.add(host);
    }
  };
  add(tomlAt(entry, ['sdist']));
  const wheels = tomlAt(entry, ['wheels']);
  if (Array.isArray(wheels)) for (const wheel of wheels.slice(0, 1000)) add(wheel);
  return [...hosts];
}
