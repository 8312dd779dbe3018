// Where a Python dependency's code comes from, as a dependency declaration says it: a package index
// (PyPI unless configured otherwise), a version-control repository, an archive URL, or a path.

/** Where a dependency is fetched from. */
export type Source =
  | { kind: 'registry'; index?: string }
  | { kind: 'vcs'; vcs: 'git' | 'hg' | 'svn' | 'bzr'; url: string; ref: string | null; refKind: 'rev' | 'tag' | 'branch' | null; commit: boolean }
  | { kind: 'url'; url: string; hashed: boolean }
  | { kind: 'path'; path: string; editable: boolean }
  | { kind: 'workspace' };

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/** Whether a git reference names one commit (a full SHA-1 or SHA-256 object id), not a branch or a tag. */
export function isCommit(ref: string | null): boolean {
  return ref !== null && FULL_COMMIT.test(ref);
}

/**
 * The source a URL or path names, as PEP 508 (`name @ <url>`), pip and uv write them:
 * `git+https://host/o/r@<ref>#subdirectory=x`, `git+ssh://git@host/o/r`, `https://host/x.whl#sha256=…`,
 * `file:///abs/path`, `./relative`.
 */
export function sourceOfLocation(location: string): Source {
  const vcs = /^(git|hg|svn|bzr)\+/i.exec(location)?.[1]?.toLowerCase() as 'git' | 'hg' | 'svn' | 'bzr' | undefined;
  if (vcs !== undefined) {
    const withoutFragment = location.split('#')[0]!;
    const afterScheme = withoutFragment.replace(/^[a-z+]+:\/\//i, '');
    const slash = afterScheme.indexOf('/');
    // `@` in the authority is a user name (`git@github.com`); the ref is an `@` in the path.
    const path = slash === -1 ? '' : afterScheme.slice(slash);
    const at = path.lastIndexOf('@');
    const ref = at === -1 ? null : path.slice(at + 1) || null;
    return { kind: 'vcs', vcs, url: location, ref, refKind: ref === null ? null : 'rev', commit: isCommit(ref) };
  }
  if (/^file:/i.test(location)) return { kind: 'path', path: decodeFileUrl(location), editable: false };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(location)) {
    return { kind: 'url', url: location, hashed: /#(?:.*&)?(?:sha256|sha384|sha512)=[0-9a-f]{64,128}/i.test(location) };
  }
  return { kind: 'path', path: location, editable: false };
}

function decodeFileUrl(url: string): string {
  const rest = url.replace(/^file:(?:\/\/(?:localhost)?)?/i, '');
  try {
    return decodeURIComponent(rest);
  } catch {
    return rest;
  }
}

// PyPI's own addresses: an index or find-links URL naming these changes nothing.
const PYPI_INDEXES = /^https:\/\/(?:pypi\.org|pypi\.python\.org)\/simple\/?$/i;
const PYPI_FILES = /^(?:files\.pythonhosted\.org|pypi\.org)$/i;

export function isPyPIIndex(url: string): boolean {
  return PYPI_INDEXES.test(url.trim());
}

export function isPyPIFilesHost(host: string): boolean {
  return PYPI_FILES.test(host);
}

/** The host of a URL, lower-cased, or null when the text is not a URL with a host. */
export function hostOf(url: string): string | null {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(url);
  return match?.[1] ? match[1].toLowerCase() : null;
}

/** A URL with its password, if any, removed: declarations sometimes carry index credentials. */
export function withoutCredentials(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^@/?#]*)@/, (whole, scheme: string, user: string) => (user === 'git' ? whole : `${scheme}***@`));
}
