import type { PythonDependency, PythonIndex } from '../src/deps/python/facts.js';
import type { LockedPackage } from '../src/deps/python/lock.js';
import { isPyPIFilesHost, isPyPIIndex, withoutCredentials } from '../src/deps/python/source.js';
import { defineRule, type RuleContext } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import { pointerOf } from '../src/manifest/access.js';
import type { Location, Severity } from '../src/report.js';
import { addToList } from '../src/common.js';

// A Python server's dependencies are code that runs with the user's privileges, and a `uv` server's
// are installed on the user's machine when it starts, from wherever its declarations say: PyPI unless
// they name a git repository, an archive URL, a path, or another package index. None of that code is
// in the bundle, so none of it was audited; what decides the severity is whether the declaration
// fixes the code that will be fetched, and whether it opens a door to someone else's package:
// - medium: a git (or other version-control) dependency at a branch, a tag or the default branch
//   (whoever can push to it changes what installs); an archive URL with no hash; a path outside the
//   bundle (whatever sits there on the installing machine); a package index other than PyPI, for
//   every package (`--index-url`, `--extra-index-url`, `[[tool.uv.index]]`, `UV_INDEX_URL`: with an
//   extra index a package of the same name on either index can be installed in place of the intended
//   one, the dependency-confusion attack); a host whose TLS certificate is not checked.
// - low: a git dependency at a full commit (in the declaration or in uv.lock), an archive URL checked
//   against a hash, an index that only the packages pinned to it use (`explicit = true`): the code is
//   fixed or scoped, but still comes from outside PyPI.
// - high: uv.lock names PyPI as a package's index but downloads its files from another host, which no
//   tool writes: a lock edited to fetch other code under a trusted name and version.
// - info: the same declarations in a file nothing installs when the server starts (a `python`
//   server's pyproject.toml or requirements.txt, whose packages ship in `server/lib`): they only say
//   where the shipped packages came from.
// Packages fetched by the launch command itself (`uvx pkg`, `uv run --with pkg`) are
// manifest-runtime-fetch's, at high.

const MESSAGES = {
  vcs: '{what} is installed from the {vcs} repository {url} at {ref}, not from a published release: whoever can push there decides what runs, at any later install. {when}',
  vcsCommit: '{what} is installed from the {vcs} repository {url} at commit {commit}: fixed code, but not a release published on PyPI. {when}',
  url: '{what} is installed from {url} with no hash to check it against: whatever that address serves at install time is what runs. {when}',
  urlHashed: '{what} is installed from {url}, checked against a hash: fixed content, but not a release published on PyPI. {when}',
  remoteInclude: 'The requirements file includes {url}: what is installed is whatever that remote file lists at install time. {when}',
  path: '{what} is installed from "{path}", a path outside the bundle: whatever is there on the installing machine runs, and it was not audited. {when}',
  index: '{option} {url}: packages are installed from this index instead of PyPI{pinned}. {context}',
  extraIndex:
    '{option} {url}: packages are looked up on this index as well as on PyPI{pinned}, so a package of the same name on either one can be installed in place of the intended one (dependency confusion). {context}',
  explicitIndex: '{option} {url}: {packages} are installed from this index, not from PyPI. {context}',
  insecure: '{option} {url}: packages from this host are installed without checking its TLS certificate, so anyone on the network path can replace them. {context}',
  lockRegistry: 'uv.lock installs {packages} from the index {url}, which the project does not declare: the lock, not pyproject.toml, decides where this code comes from.',
  lockHost: 'uv.lock names PyPI as the index of {packages} but downloads their files from {host}: no tool writes such a lock; it was edited to fetch other code under a trusted name.',
  lockVcs: 'uv.lock installs "{name}", which pyproject.toml does not name, from the git repository {url}{at}.',
  lockUrl: 'uv.lock installs "{name}", which pyproject.toml does not name, from {url}.',
};
type MessageId = keyof typeof MESSAGES;

/** The severity of a declaration something installs at start; info for one nothing installs. */
function unlessUnused(installed: boolean, severity: Severity): Severity {
  return installed ? severity : 'info';
}

function when(installed: boolean, via: string): string {
  return installed ? `${via} installs it when the server starts.` : 'Nothing installs it when the server starts: it only says where the package would come from.';
}

function locationOf(file: string, line: number | null | undefined): Location {
  return line === null || line === undefined ? { file } : { file, line };
}

export default defineRule({
  meta: {
    id: 'deps-python-source',
    category: 'supply-chain',
    severity: 'medium',
    description:
      'A Python dependency is installed from a git repository, an archive URL, a path outside the bundle, or a package index other than PyPI (pyproject.toml, uv.lock, requirements files, mcp_config).',
    remediation:
      'Review the repository, archive or index before installing. Ask the publisher to depend on releases published on PyPI, pin git dependencies to a full commit and archives to a hash, and ship a uv.lock.',
    messages: MESSAGES,
    docs: {
      why:
        "A Python server's dependencies run with your privileges, and a `uv` server's are installed on your machine when it " +
        "starts, from wherever its `pyproject.toml`, `uv.lock`, requirements files or launch command say. None of that code is " +
        "in the bundle, so none of it was audited. PyPI releases are immutable and public; a git branch, a moving tag, an " +
        "archive URL or a private index are not. Medium: a git dependency at a branch, a tag or no ref (whoever can push " +
        "decides what installs), an archive URL with no hash, a path outside the bundle (whatever is there on the installing " +
        "machine), a package index other than PyPI for every package (with an extra index, a package of the same name on " +
        "either index can be installed instead of the intended one: dependency confusion), or a host whose TLS certificate is " +
        "not checked. Low: a git dependency at a full commit (written in the declaration or recorded in `uv.lock`), an archive " +
        "checked against a hash, or an index only the packages pinned to it use (`explicit = true`). High: `uv.lock` names PyPI " +
        "as a package's index but downloads its files from another host, which no tool produces. Info: the same in a file " +
        "nothing installs when the server starts, such as a `python` server's `pyproject.toml`, whose packages ship in " +
        "`server/lib`.",
      falsePositives:
        "Only `python` and `uv` servers (or launch commands that run Python or a Python installer) are read, and only " +
        "declaration files at the bundle root, in the entry point's folder and above, in uv's `--directory`, or named by the " +
        "launch command: never packages vendored under `lib/` or `site-packages/`. PyPI's own index addresses, local paths " +
        "inside the bundle (workspace members, a `path` source to a bundled package, a `--find-links` folder of bundled " +
        "wheels) and the project itself are not reported. A private index run by the publisher is legitimate but still outside " +
        "this audit's view; an explicit index for one package family (PyTorch's CPU wheels) is low. Packages the launch " +
        "command fetches itself (`uvx pkg`, `uv run --with pkg`) are `manifest-runtime-fetch`'s.",
      references: [
        { title: 'PEP 508: Dependency specification for Python Software Packages', url: 'https://peps.python.org/pep-0508/' },
        { title: 'uv: Managing dependencies (dependency sources)', url: 'https://docs.astral.sh/uv/concepts/projects/dependencies/' },
        { title: 'uv: Package indexes and dependency confusion', url: 'https://docs.astral.sh/uv/concepts/indexes/' },
        { title: 'pip: Requirements File Format', url: 'https://pip.pypa.io/en/stable/reference/requirements-file-format/' },
        { title: 'CWE-829: Inclusion of Functionality from Untrusted Control Sphere', url: 'https://cwe.mitre.org/data/definitions/829.html' },
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
      ],
    },
  },
  check(facts, context) {
    const declarations = facts.python;
    if (!declarations.applies) return;
    const via = declarations.uvRuns.length > 0 ? 'uv' : 'pip';

    const covered = new Set<string>();
    for (const dependency of declarations.dependencies) {
      reportDependency(dependency, via, context);
      if (dependency.key !== null && dependency.source.kind !== 'registry') covered.add(`${dependency.file}\0${dependency.key}`);
    }

    for (const index of declarations.indexes) reportIndex(index, context);

    for (const lock of declarations.locks) {
      if (!lock.installed) continue;
      const declared = new Set(
        declarations.indexes.filter((index) => index.file === lock.project).map((index) => index.value.trim().replace(/\/+$/, '')),
      );
      const byRegistry = new Map<string, LockedPackage[]>();
      const byHost = new Map<string, LockedPackage[]>();
      for (const pkg of lock.packages) {
        if (pkg.source.kind === 'registry') {
          if (isPyPIIndex(pkg.source.url)) {
            for (const host of pkg.downloadHosts) if (!isPyPIFilesHost(host)) addToList(byHost, host, pkg);
          } else if (!declared.has(pkg.source.url.trim().replace(/\/+$/, ''))) {
            addToList(byRegistry, pkg.source.url, pkg);
          }
        } else if (!covered.has(`${lock.project}\0${pkg.key}`)) {
          if (pkg.source.kind === 'git') {
            context.report({
              messageId: 'lockVcs',
              data: { name: pkg.name, url: withoutCredentials(pkg.source.url.split('#')[0]!), at: pkg.source.commit === null ? '' : ` at commit ${pkg.source.commit}` },
              severity: pkg.source.commit === null ? 'medium' : 'low',
              location: { file: lock.file, line: pkg.line },
            });
          } else if (pkg.source.kind === 'url') {
            // uv records a hash for every archive it locks.
            context.report({ messageId: 'lockUrl', data: { name: pkg.name, url: withoutCredentials(pkg.source.url) }, severity: 'low', location: { file: lock.file, line: pkg.line } });
          }
        }
      }
      for (const [url, packages] of byRegistry) {
        context.report({
          messageId: 'lockRegistry',
          data: { packages: quoteList(packages.map((pkg) => pkg.name)), url: withoutCredentials(url) },
          severity: 'medium',
          location: { file: lock.file, line: packages[0]!.line },
        });
      }
      for (const [host, packages] of byHost) {
        context.report({
          messageId: 'lockHost',
          data: { packages: quoteList(packages.map((pkg) => pkg.name)), host },
          severity: 'high',
          location: { file: lock.file, line: packages[0]!.line },
        });
      }
    }
  },
});

function reportDependency(dependency: PythonDependency, via: string, context: RuleContext<MessageId>): void {
  const report = context.report.bind(context);
  const { source, installed } = dependency;
  const location = locationOf(dependency.file, dependency.sourceLine ?? dependency.line);
  const data = { what: dependency.name === null ? 'A package' : `"${dependency.name}"`, when: when(installed, via) };
  switch (source.kind) {
    case 'vcs': {
      const lockedCommit = dependency.locked?.source.kind === 'git' ? dependency.locked.source.commit : null;
      const commit = source.commit ? source.ref : lockedCommit;
      const url = withoutCredentials(source.url.replace(/^(git|hg|svn|bzr)\+/i, '').split('#')[0]!.replace(/@[^@/]*$/, ''));
      if (commit !== null) {
        report({ messageId: 'vcsCommit', data: { ...data, vcs: source.vcs, url, commit }, severity: unlessUnused(installed, 'low'), location, evidence: dependency.raw });
      } else {
        const ref = source.ref === null ? 'its default branch' : `${source.refKind === 'tag' ? 'tag' : source.refKind === 'branch' ? 'branch' : 'ref'} "${source.ref}"`;
        report({ messageId: 'vcs', data: { ...data, vcs: source.vcs, url, ref }, severity: unlessUnused(installed, 'medium'), location, evidence: dependency.raw });
      }
      return;
    }
    case 'url': {
      const url = withoutCredentials(source.url);
      if (dependency.name === null && /^-[rc] /.test(dependency.raw)) {
        report({ messageId: 'remoteInclude', data: { url, when: when(installed, via) }, severity: unlessUnused(installed, 'medium'), location, evidence: dependency.raw });
        return;
      }
      const hashed = source.hashed || dependency.hashes > 0 || dependency.locked !== null;
      report({ messageId: hashed ? 'urlHashed' : 'url', data: { ...data, url }, severity: unlessUnused(installed, hashed ? 'low' : 'medium'), location, evidence: dependency.raw });
      return;
    }
    case 'path':
      if (dependency.insidePath === null) {
        report({ messageId: 'path', data: { ...data, path: source.path }, severity: unlessUnused(installed, 'medium'), location, evidence: dependency.raw });
      }
      return;
    default:
      return;
  }
}

function reportIndex(index: PythonIndex, context: RuleContext<MessageId>): void {
  const report = context.report.bind(context);
  const value = index.value.trim();
  if (index.insideBundle || value === '' || isPyPIIndex(value)) return;
  // `UV_INDEX="name=url other"`: each URL on its own.
  const urls = index.option === 'UV_INDEX' || index.option === 'UV_EXTRA_INDEX_URL' || index.option === 'UV_FIND_LINKS' || index.option === 'PIP_EXTRA_INDEX_URL'
    ? value.split(/[\s,]+/).map((part) => part.replace(/^[\w.-]+=(?=\w+:)/, '')).filter((part) => part !== '' && !isPyPIIndex(part))
    : [value];
  const location: Location = index.pointer !== undefined ? { file: index.file, pointer: pointerOf(index.pointer) } : locationOf(index.file, index.line);
  const context_ = index.installed ? 'uv or pip reads this when the server starts.' : 'Nothing installs from it when the server starts.';
  for (const url of urls) {
    const shown = withoutCredentials(url);
    const pinned = index.packages.length > 0 ? ` (for ${quoteList(index.packages)})` : '';
    if (/insecure|trusted/i.test(index.option)) {
      report({ messageId: 'insecure', data: { option: index.option, url: shown, context: context_ }, severity: unlessUnused(index.installed, 'medium'), location });
    } else if (index.explicit) {
      if (index.packages.length === 0) continue;
      report({ messageId: 'explicitIndex', data: { option: index.option, url: shown, packages: quoteList(index.packages), context: context_ }, severity: unlessUnused(index.installed, 'low'), location });
    } else {
      // An http:// index or one named by a bare host is still an index; only PyPI's own is silent.
      report({
        messageId: index.extra ? 'extraIndex' : 'index',
        data: { option: index.option, url: shown, pinned, context: context_ },
        severity: unlessUnused(index.installed, 'medium'),
        location,
      });
    }
  }
}
