import { advisoriesFor, advisoryTable, comparableVersion, hasAdvisories, type Advisory } from '../src/deps/advisories.js';
import { dependencyChains, type NpmPackage } from '../src/deps/inventory.js';
import type { BundleFacts } from '../src/engine/facts.js';
import { defineRule } from '../src/engine/rule.js';
import { stringAt } from '../src/manifest/access.js';
import type { Severity } from '../src/report.js';

// A bundle ships its dependencies already installed, so whatever versions it pinned are what runs,
// however long ago it was packed: the official filesystem example bundle pinned a vulnerable
// server-filesystem for months. Each bundled package (every copy, nested ones too) is matched
// offline against the advisory table (advisories/advisories.json, plus --advisories FILE) by its own
// package.json or METADATA. Severity is the advisory's; a malicious package is critical. A
// vulnerability in an npm package none of whose code the server loads from its entry point is low:
// it is shipped, not run (the analysis follows static imports; the message says so). A package
// named in the table whose version cannot be read is low: the advisory cannot be ruled out.
export default defineRule({
  meta: {
    id: 'deps-known-advisory',
    category: 'supply-chain',
    severity: 'high',
    description:
      'A bundled package (npm package.json or Python METADATA) is at a version a known advisory covers (CVE, GHSA), or is a known malicious package; severity from the advisory.',
    remediation:
      'Rebuild the bundle with the fixed version of the package (or without the package when it is malicious or has no fix), and check what the vulnerable version may already have done.',
    messages: {
      vulnerable: 'Bundled package "{package}" {version} is affected by {advisory}, {fix}{reach}: {summary}',
      malicious: 'Bundled package "{package}" {version} is a known malicious package ({advisory}), with no fixed version: {summary}',
      unknownVersion:
        'Bundled package "{package}" at {dir} has advisories ({advisories}), but its version {why}, so they cannot be ruled out.',
    },
    docs: {
      why:
        "An extension ships its dependencies already installed: whatever versions were pinned when it was packed are what runs, " +
        "with your privileges, however long ago that was (the official filesystem example bundle pinned a vulnerable " +
        "`@modelcontextprotocol/server-filesystem` for months). Every bundled package, nested copies included, is matched by the " +
        "name and version its own `package.json` (or Python `*.dist-info/METADATA`, `*.egg-info/PKG-INFO`) declares against an " +
        "offline advisory table: `mcp-remote` before 0.1.16 (CVE-2025-6514), server-filesystem before 2025.7.1 (CVE-2025-53110, " +
        "CVE-2025-53109), MCP Inspector before 0.14.1 (CVE-2025-49596), the malicious `postmark-mcp`, mcp-server-kubernetes and " +
        "mcp-server-git advisories; `--advisories FILE` adds entries. One finding per advisory and installed copy, naming the " +
        "advisory, its aliases and the fixed version, located at the package's metadata file, with the chain of packages that " +
        "brings it in as evidence. Severity is the advisory's; a malicious package is critical. Low: a vulnerable npm package none " +
        "of whose files the server loads from its entry point (shipped, not run), and a package the table names whose version " +
        "cannot be read or compared.",
      falsePositives:
        "Matching is by the declared name and version only: a package patched in place without a version bump is still reported " +
        "(check the advisory's fix against the shipped code), and a package renamed in its `package.json` is not matched (the " +
        "`deps-lockfile-mismatch` rule reports a copy that disagrees with the lockfile). Whether the vulnerable feature is used " +
        "is not judged, except that an npm package the server's code never loads is lowered to low; the module graph follows " +
        "static `require` and `import`, so a package loaded through a computed path looks unloaded: read the message before " +
        "dismissing it. PyPI versions are compared through a mapping of PEP 440 onto semver: epochs and releases with four " +
        "non-zero parts are never matched, and a post-release compares equal to its release.",
      references: [
        { title: 'CVE-2025-6514: mcp-remote OS command injection', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-6514' },
        { title: 'CVE-2025-53110: MCP filesystem server directory containment bypass', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-53110' },
        { title: 'GitHub Advisory Database', url: 'https://github.com/advisories' },
        { title: 'CWE-1395: Dependency on Vulnerable Third-Party Component', url: 'https://cwe.mitre.org/data/definitions/1395.html' },
        { title: 'npm Docs: semver ranges', url: 'https://docs.npmjs.com/cli/v10/using-npm/semver' },
      ],
    },
  },
  check(facts, context) {
    const table = advisoryTable(facts.settings.advisories);
    const inventory = facts.dependencies;
    const { originOf } = facts;
    let chains: Map<string, string[]> | undefined;
    const chainOf = (pkg: NpmPackage): string[] => {
      chains ??= dependencyChains(inventory, facts.server.entries);
      return chains.get(pkg.dir) ?? [pkg.name];
    };
    const loaded = loadedChecker(facts);

    for (const pkg of inventory.npm) {
      const matches = advisoriesFor(table, 'npm', pkg.name, pkg.version);
      const location = { file: pkg.file, ...(pkg.versionAt ?? {}) };
      if (matches.length === 0) {
        const named = hasAdvisories(table, 'npm', pkg.name);
        if (named.length > 0 && comparableVersion(pkg.version, 'npm') === null) {
          context.report({
            messageId: 'unknownVersion',
            data: { package: pkg.name, dir: pkg.dir || '.', advisories: idList(named), why: `"${pkg.version}" is not a semver version` },
            severity: 'low',
            location,
            origin: originOf(pkg.file),
          });
        }
        continue;
      }
      const chain = chainOf(pkg);
      const path = [...chain.slice(0, -1), `${pkg.name}@${pkg.version}`].join(' > ');
      for (const advisory of matches) {
        const unloaded = advisory.kind === 'vulnerability' && loaded !== null && !loaded(pkg.dir);
        report(advisory, pkg.name, pkg.version, location, `dependency path: ${path}`, originOf(pkg.file), unloaded);
      }
    }

    for (const dist of inventory.python) {
      const location = { file: dist.file, ...(dist.versionAt ?? {}) };
      const matches = advisoriesFor(table, 'pypi', dist.name, dist.version);
      if (matches.length === 0) {
        const named = hasAdvisories(table, 'pypi', dist.name);
        if (named.length > 0 && comparableVersion(dist.version, 'pypi') === null) {
          context.report({
            messageId: 'unknownVersion',
            data: { package: dist.name, dir: dist.dir, advisories: idList(named), why: `"${dist.version}" cannot be compared (PEP 440 epochs and four-part releases are not)` },
            severity: 'low',
            location,
            origin: 'dependency',
          });
        }
        continue;
      }
      for (const advisory of matches) {
        // An installed distribution is a dependency wherever it is vendored (lib, vendor, site-packages).
        report(advisory, dist.name, dist.version, location, `distribution: ${dist.name}@${dist.version} in ${dist.dir}`, 'dependency', false);
      }
    }

    for (const unreadable of inventory.unreadable) {
      const name = unreadable.folderName;
      if (name === null) continue;
      const named = hasAdvisories(table, unreadable.ecosystem, name);
      if (named.length === 0) continue;
      context.report({
        messageId: 'unknownVersion',
        data: { package: name, dir: unreadable.dir, advisories: idList(named), why: `cannot be read (${unreadable.reason})` },
        severity: 'low',
        location: { file: unreadable.file },
        origin: originOf(unreadable.file),
      });
    }

    function report(
      advisory: Advisory,
      name: string,
      version: string,
      location: { file: string; line?: number; column?: number },
      path: string,
      origin: ReturnType<typeof originOf>,
      unloaded: boolean,
    ): void {
      const data = { package: name, version, advisory: withAliases(advisory), summary: advisory.summary };
      const evidence = `${path}; advisory: ${advisory.reference}`;
      if (advisory.kind === 'malicious') {
        context.report({ messageId: 'malicious', data, severity: 'critical', location, evidence, origin });
        return;
      }
      const severity: Severity = unloaded ? 'low' : advisory.severity;
      const reach = unloaded ? "; none of the package's code is loaded from the server's entry point" : '';
      const fix = advisory.fixed === null ? 'with no fixed version' : `fixed in ${advisory.fixed}`;
      context.report({ messageId: 'vulnerable', data: { ...data, fix, reach }, severity, location, evidence, origin });
    }
  },
});

function withAliases(advisory: Advisory): string {
  return advisory.aliases.length === 0 ? advisory.id : `${advisory.id} (${advisory.aliases.join(', ')})`;
}

function idList(advisories: readonly Advisory[]): string {
  return advisories.map((advisory) => advisory.id).join(', ');
}

/**
 * For Node servers whose code was analysed: whether any file of the package folder (not of its own
 * node_modules) is among the files the server loads. Null when that cannot be told.
 */
function loadedChecker({ manifest, code }: BundleFacts): ((dir: string) => boolean) | null {
  if (stringAt(manifest.json, ['server', 'type']) !== 'node' || code.reachable.length === 0) return null;
  const reachable = code.reachable;
  return (dir) => {
    const prefix = dir === '' ? '' : `${dir}/`;
    return reachable.some((file) => file.startsWith(prefix) && !file.slice(prefix.length).split('/').includes('node_modules'));
  };
}
