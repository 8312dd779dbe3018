import semver from 'semver';
import { packagesByDir, resolvePackage, type NpmPackage } from '../src/deps/inventory.js';
import { entryLocation, readLockfiles } from '../src/deps/lockfile.js';
import { defineRule } from '../src/engine/rule.js';
import type { Location, Severity } from '../src/report.js';

// What a reviewer reads, and what the advisory table matches, is what node_modules holds; what was
// tested and vouched for (integrity hashes included) is what the lockfile locked. A bundle whose
// node_modules disagrees with its own lockfile was assembled by hand, patched after install, or
// tampered with: the code shipped is not the code locked. Compared: npm-shrinkwrap.json,
// package-lock.json or node_modules/.package-lock.json (v2/v3 `packages` map), and the bundle's own
// package.json `dependencies`, against the package.json of every copy under node_modules.
// - a copy at another version, or another package where the lockfile puts one: medium;
// - a copy the lockfile does not list (added afterwards): low;
// - a locked package that is not shipped (the server may fail when it loads it): low, except
//   dev, optional and peer entries, which `npm install --omit=dev` and other platforms leave out;
// - a dependency the bundle's package.json declares that no copy satisfies or resolves: low.
// Only the first MAX_LISTED of each kind per lockfile are listed, then one finding counts the rest.
const MAX_LISTED = 10;

type Kind = 'version' | 'name' | 'extraneous' | 'missing';
const MORE_WHAT: Record<Kind, string> = {
  version: 'copies at another version than it locks',
  name: 'copies of another package than it locks',
  extraneous: 'copies it does not list',
  missing: 'locked packages the bundle does not ship',
};
const SEVERITY: Record<Kind, Severity> = { version: 'medium', name: 'medium', extraneous: 'low', missing: 'low' };

export default defineRule({
  meta: {
    id: 'deps-lockfile-mismatch',
    category: 'supply-chain',
    severity: 'medium',
    description:
      "node_modules disagrees with the bundle's lockfile or package.json: a package at another version than locked, a copy the lockfile does not list, a locked or declared dependency that is missing.",
    remediation:
      'Rebuild the bundle from a clean `npm ci --omit=dev` so that node_modules is exactly what the lockfile locks, and find out why a copy was changed, added or removed by hand.',
    messages: {
      version: '{dir} holds "{package}" {installed}, but {lockfile} locks version {locked}: the code shipped is not the code that was locked.',
      name: '{dir} holds "{installedName}" {installed}, but {lockfile} locks "{package}" {locked} there: the code shipped is not the code that was locked.',
      extraneous: '{dir} holds "{package}" {installed}, which {lockfile} does not list: it was added after the lockfile was written.',
      missing: '{lockfile} locks "{package}" {locked} at {dir}, which the bundle does not ship: the server may fail when it loads it.',
      more: '{lockfile}: {count} more {what}, not listed one by one.',
      declaredMissing: '{file} declares the dependency "{package}" ({range}), but no bundled copy resolves from {dir}: the server may fail when it loads it.',
      declaredRange: '{file} declares the dependency "{package}" {range}, but the copy that resolves, {dir}, is version {installed}.',
    },
    docs: {
      why:
        "What a reviewer reads, and what the advisory table matches, is what `node_modules` holds; what was tested and vouched " +
        "for, integrity hashes included, is what the lockfile locked. A bundle whose `node_modules` disagrees with its own " +
        "lockfile was assembled by hand, patched after install, or tampered with. The rule compares `npm-shrinkwrap.json`, " +
        "`package-lock.json` or npm's own record `node_modules/.package-lock.json` (the `packages` map of lockfile versions 2 " +
        "and 3), and the `dependencies` of the bundle's own `package.json`, with the `package.json` of every copy under " +
        "`node_modules`. Medium: a copy at another version than locked, or another package where the lockfile puts one: the " +
        "code shipped is not the code locked. Low: a copy the lockfile does not list (added afterwards); a locked package that " +
        "is not shipped, or a declared dependency that no copy resolves or satisfies (the server may fail when it loads it). " +
        "After ten of a kind per lockfile, one finding counts the rest.",
      falsePositives:
        "Entries marked `dev`, `optional`, `devOptional` or `peer` are not expected: `npm install --omit=dev` and other " +
        "platforms leave them out. Links (workspaces) and pnpm's `.pnpm` store are not compared. A bundle with no `node_modules` " +
        "at all (dependencies compiled into one file) is not checked for missing packages. A lockfile version 1 (npm 6) is not " +
        "read. Dependency ranges that are not semver ranges (`git+…`, `file:`, tags such as `latest`) are only checked for " +
        "presence. A `package.json` edited after the lockfile was written (a version bumped by hand) shows up as a mismatch " +
        "although nothing was tampered with: compare the copy's content with the registry's before trusting it.",
      references: [
        { title: 'npm Docs: package-lock.json (packages, hidden lockfile)', url: 'https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json' },
        { title: 'npm Docs: npm ci', url: 'https://docs.npmjs.com/cli/v10/commands/npm-ci' },
        { title: 'CWE-494: Download of Code Without Integrity Check', url: 'https://cwe.mitre.org/data/definitions/494.html' },
      ],
    },
  },
  check(facts, context) {
    const inventory = facts.dependencies;
    const byDir = packagesByDir(inventory);
    const unreadableDirs = new Set(inventory.unreadable.map((unreadable) => unreadable.dir));
    const { originOf } = facts;
    const { lockfiles } = readLockfiles(facts.container);
    const governed = new Map(lockfiles.map((lockfile) => [lockfile.base, lockfile]));

    for (const lockfile of lockfiles) {
      const counts: Record<Kind, number> = { version: 0, name: 0, extraneous: 0, missing: 0 };
      const report = (kind: Kind, data: Record<string, string>, location: Location, extra: { evidence?: string; origin?: 'first-party' | 'dependency' } = {}): void => {
        counts[kind] += 1;
        if (counts[kind] > MAX_LISTED) return;
        context.report({ messageId: kind, data: { lockfile: lockfile.file, ...data }, severity: SEVERITY[kind], location, ...extra });
      };
      const installed = installedUnder(lockfile.base, inventory.npm);
      for (const entry of lockfile.entries.values()) {
        if (entry.link) continue;
        const pkg = byDir.get(entry.dir);
        if (pkg === undefined) {
          if (unreadableDirs.has(entry.dir) || entry.omittable || installed.length === 0) continue;
          if (ancestorsOf(entry.dir, lockfile.base).some((dir) => lockfile.entries.has(dir) && !byDir.has(dir))) continue;
          report('missing', { package: entry.name, locked: entry.version ?? '(no version)', dir: entry.dir }, entryLocation(lockfile, entry.key));
          continue;
        }
        const location = packageLocation(pkg);
        const evidence = `${lockfile.file}: "${entry.key}" locks ${entry.name}${entry.version === null ? '' : ` ${entry.version}`}`;
        if (pkg.name !== entry.name) {
          report('name', { installedName: pkg.name, installed: pkg.version, package: entry.name, locked: entry.version ?? '(no version)', dir: pkg.dir }, location, { evidence, origin: originOf(pkg.file) });
        } else if (entry.version !== null && pkg.version !== entry.version) {
          report('version', { package: pkg.name, installed: pkg.version, locked: entry.version, dir: pkg.dir }, location, { evidence, origin: originOf(pkg.file) });
        }
      }
      const unlisted = installed.filter((pkg) => !lockfile.entries.has(pkg.dir));
      const extraneous = new Set(unlisted.map((pkg) => pkg.dir));
      for (const pkg of unlisted) {
        // A copy inside an unlisted copy came with it: reported once, at the top.
        if (ancestorsOf(pkg.dir, lockfile.base).some((dir) => extraneous.has(dir))) continue;
        report('extraneous', { package: pkg.name, installed: pkg.version, dir: pkg.dir }, packageLocation(pkg), { origin: originOf(pkg.file) });
      }
      for (const kind of Object.keys(counts) as Kind[]) {
        const more = counts[kind] - MAX_LISTED;
        if (more > 0) context.report({ messageId: 'more', data: { lockfile: lockfile.file, count: more, what: MORE_WHAT[kind] }, severity: SEVERITY[kind], location: { file: lockfile.file } });
      }
    }

    // The bundle's own package.json files: what they declare must resolve, at a version they accept.
    for (const root of inventory.npm) {
      if (root.position !== 'root' || !hasNodeModulesAbove(root.dir, inventory.npm)) continue;
      const lockfile = governed.get(root.dir);
      for (const [declared, spec] of Object.entries(root.dependencies)) {
        const { name, range } = parseSpec(declared, spec);
        const location = { file: root.file, ...(root.dependencyAt.get(declared) ?? {}) };
        const resolved = resolvePackage(root.dir, declared, byDir);
        if (resolved === null) {
          const locked = lockfile?.entries.get(root.dir === '' ? `node_modules/${declared}` : `${root.dir}/node_modules/${declared}`);
          // The lockfile rule above already says what is missing among what it locks.
          if (locked !== undefined || unreadableDirs.has(root.dir === '' ? `node_modules/${declared}` : `${root.dir}/node_modules/${declared}`)) continue;
          context.report({ messageId: 'declaredMissing', data: { file: root.file, package: declared, range: spec, dir: root.dir || '.' }, severity: 'low', location, origin: 'first-party' });
          continue;
        }
        if (range === null || resolved.name !== name || semver.valid(resolved.version) === null) continue;
        if (semver.satisfies(resolved.version, range, { includePrerelease: true })) continue;
        context.report({
          messageId: 'declaredRange',
          data: { file: root.file, package: declared, range: spec, dir: resolved.dir, installed: resolved.version },
          severity: 'low',
          location,
          origin: 'first-party',
          evidence: `${resolved.file}: "version": "${resolved.version}"`,
        });
      }
    }
  },
});

/** Installed copies a lockfile at `base` describes: under `<base>/node_modules`, npm's layout only (no `.pnpm`). */
function installedUnder(base: string, packages: readonly NpmPackage[]): NpmPackage[] {
  const prefix = base === '' ? 'node_modules/' : `${base}/node_modules/`;
  return packages.filter(
    (pkg) => pkg.position === 'installed' && pkg.dir.startsWith(prefix) && !pkg.dir.slice(prefix.length).split('/').some((segment) => segment.startsWith('.')),
  );
}

/** The package folders above `dir` and below `base`: `a/node_modules/b/node_modules/c` gives `…/a`, `…/a/node_modules/b`. */
function ancestorsOf(dir: string, base: string): string[] {
  const ancestors: string[] = [];
  const segments = dir.split('/');
  const start = base === '' ? 0 : base.split('/').length;
  for (let index = segments.length - 1; index > start; index--) {
    if (segments[index] === 'node_modules') ancestors.push(segments.slice(0, index).join('/'));
  }
  return ancestors.filter((ancestor) => ancestor !== base);
}

/** Whether any copy is installed in a node_modules folder that `dir` resolves through. */
function hasNodeModulesAbove(dir: string, packages: readonly NpmPackage[]): boolean {
  return packages.some((pkg) => {
    if (pkg.position !== 'installed') return false;
    const holder = pkg.dir.slice(0, pkg.dir.lastIndexOf('node_modules')).replace(/\/$/, '');
    return holder === '' || dir === holder || dir.startsWith(`${holder}/`);
  });
}

/** The package and semver range a dependency spec names; range null when it is not a semver range (git, file:, tags). */
function parseSpec(declared: string, spec: string): { name: string; range: string | null } {
  const alias = /^npm:((?:@[^/@]+\/)?[^@]+)(?:@(.*))?$/.exec(spec);
  if (alias) return { name: alias[1]!, range: semver.validRange(alias[2] ?? '*') };
  return { name: declared, range: semver.validRange(spec) };
}

function packageLocation(pkg: NpmPackage): Location {
  return { file: pkg.file, ...(pkg.versionAt ?? {}) };
}

