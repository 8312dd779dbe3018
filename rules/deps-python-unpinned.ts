import { isBounded } from '../src/deps/python/pep508.js';
import type { PythonDependency } from '../src/deps/python/facts.js';
import { defineRule } from '../src/engine/rule.js';
import { quoteList } from '../src/engine/wording.js';
import { addToList } from '../src/common.js';

// A `uv` server's dependencies are resolved on the user's machine when it starts. A dependency with
// no version constraint, or only a lower bound (`httpx`, `mcp>=1.2`), resolves to whatever is newest
// at that moment: the code that runs changes over time without the bundle changing, and a compromised
// release of a direct dependency reaches every new install at once. uv.lock fixes every version (and
// every file hash); a dependency the lock lists is not reported. Low: this is about drift and exposure
// to a future compromise, not about code known to be bad. One finding per file, at the first such
// dependency, so that a pyproject.toml with ten open-ended dependencies is one line in the report.
// Only what something installs at start is read (see src/deps/python/facts.ts); build requirements
// (`[build-system] requires`) are never locked by uv and are not reported.

/** Dependencies named in the message; the rest are counted. */
const NAMED = 6;

export default defineRule({
  meta: {
    id: 'deps-python-unpinned',
    category: 'supply-chain',
    severity: 'low',
    description:
      'Python dependencies installed when the server starts have no version constraint or only a lower bound, and no uv.lock pins them: what installs changes over time.',
    remediation:
      'Ask the publisher to ship the uv.lock that `uv lock` writes next to pyproject.toml, or to pin exact versions (`==`) with hashes in requirements files.',
    messages: {
      unpinned:
        '{file}: {names} {have} no upper version bound and no lock pins {them}, so each install takes whatever release is newest when the server starts: the code that runs can change without the bundle changing.',
      notInLock:
        '{file}: {names} {have} no upper version bound and the uv.lock next to it does not list {them}, so uv resolves {them} again when the server starts: the code that runs can change without the bundle changing.',
    },
    docs: {
      why:
        "A `uv` server's dependencies are installed on your machine when it starts, resolved from what its `pyproject.toml` " +
        "declares. A dependency with no version constraint or only a lower bound (`httpx`, `mcp>=1.2`) resolves to whatever " +
        "release is newest at that moment: the code that runs changes over time without the bundle changing, and a " +
        "compromised release of a direct dependency reaches every new install as soon as it is published. A `uv.lock` next to " +
        "`pyproject.toml` fixes every version and file hash, direct and indirect; a dependency the lock lists is not reported. " +
        "Low: this is exposure to a future compromise, not code known to be bad. One finding per file, naming the dependencies.",
      falsePositives:
        "An upper bound (`<2`), a compatible release (`~=1.4`) or an exact version (`==1.4.2`) counts as a constraint; " +
        "requirements lines with `--hash` are pinned by pip. Build requirements (`[build-system] requires`), extras and " +
        "dependency groups the launch command does not install, and files nothing installs when the server starts (a " +
        "`python` server's `requirements.txt`, whose packages ship in `server/lib`) are not reported. Indirect dependencies " +
        "are not checked one by one: without a lock they float too, which is why the remedy is a lock rather than more `==`.",
      references: [
        { title: 'uv: Locking and syncing', url: 'https://docs.astral.sh/uv/concepts/projects/sync/' },
        { title: 'PEP 440: Version specifiers', url: 'https://peps.python.org/pep-0440/' },
        { title: 'pip: Secure installs (hash-checking mode)', url: 'https://pip.pypa.io/en/stable/topics/secure-installs/' },
        { title: 'CWE-1357: Reliance on Insufficiently Trustworthy Component', url: 'https://cwe.mitre.org/data/definitions/1357.html' },
      ],
    },
  },
  check(facts, context) {
    const declarations = facts.python;
    if (!declarations.applies) return;
    const byFile = new Map<string, PythonDependency[]>();
    for (const dependency of declarations.dependencies) {
      if (!dependency.installed || !dependency.checkPinning || dependency.source.kind !== 'registry') continue;
      if (dependency.hashes > 0 || dependency.locked !== null || isBounded(dependency.specifiers)) continue;
      addToList(byFile, dependency.file, dependency);
    }
    for (const [file, dependencies] of byFile) {
      const first = dependencies.reduce((a, b) => (b.line < a.line ? b : a));
      const names = [...new Set(dependencies.map(({ name, specifiers }) => `${name}${specifiers.map(({ op, version }) => `${op}${version}`).join(',')}`))];
      const one = names.length === 1;
      context.report({
        messageId: first.lockPresent ? 'notInLock' : 'unpinned',
        data: { file, names: quoteList(names, NAMED), have: one ? 'has' : 'have', them: one ? 'it' : 'them' },
        location: { file, line: first.line },
        evidence: first.raw,
      });
    }
  },
});
