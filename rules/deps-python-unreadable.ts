import { defineRule } from '../src/engine/rule.js';
import type { Severity } from '../src/report.js';

// The deps-python-* rules can only judge what they can read. A pyproject.toml that is not TOML, a
// file too large or not UTF-8, a `# /// script` block never closed, or a requirement no grammar
// accepts was not checked: uv or pip may reject it too (then the server does not start), or read it
// differently from this audit (then what it installs was never looked at). Medium for a whole file
// that is installed when the server starts, as for code that cannot be parsed; low for one entry of
// it, or an include that points outside the bundle; info for files nothing installs at start.

export default defineRule({
  meta: {
    id: 'deps-python-unreadable',
    category: 'parse-error',
    severity: 'medium',
    description:
      'A Python dependency declaration (pyproject.toml, uv.lock, requirements file, `# /// script` block) could not be read, so what it installs was not checked.',
    remediation: 'Read the file by hand before installing: what it declares was not checked. Ask the publisher to fix it; uv or pip may refuse it as well.',
    messages: {
      file: '{file} could not be read ({problem}): the dependencies it declares were not checked.',
      entry: '{file}: {problem}. This entry was not checked.',
    },
    docs: {
      why:
        "The `deps-python-*` rules judge what a bundle's dependency declarations say; a declaration they cannot read was not " +
        "checked. A `pyproject.toml` that is not valid TOML, a file over 1 MB (8 MB for `uv.lock`) or not UTF-8, a `# /// " +
        "script` block never closed, a requirement string PEP 508 does not accept, or an unknown requirements-file option: uv " +
        "or pip may refuse it too (the server then fails to start), or read it differently from this audit, and then what it " +
        "installs was never looked at. Medium for a whole file that is installed when the server starts, as for code that " +
        "cannot be parsed; low for one entry of it or an include that points outside the bundle; info for files nothing " +
        "installs at start.",
      falsePositives:
        "Only the files the other `deps-python-*` rules read are checked (see `deps-python-source`). The requirement parser " +
        "is deliberately strict: a form pip accepts but PEP 508 does not (a URL without `name @`, which is read as a bare " +
        "location) is accepted, but an unusual marker or an option pip added recently may be reported; the message quotes the " +
        "problem, so you can tell an odd but valid line from garbage.",
      references: [
        { title: 'PEP 508: Dependency specification for Python Software Packages', url: 'https://peps.python.org/pep-0508/' },
        { title: 'PEP 723: Inline script metadata', url: 'https://peps.python.org/pep-0723/' },
        { title: 'TOML v1.0.0', url: 'https://toml.io/en/v1.0.0' },
        { title: 'pip: Requirements File Format', url: 'https://pip.pypa.io/en/stable/reference/requirements-file-format/' },
      ],
    },
  },
  check(facts, context) {
    const declarations = facts.python;
    if (!declarations.applies) return;
    for (const problem of declarations.problems) {
      const severity: Severity = !problem.installed ? 'info' : problem.whole ? 'medium' : 'low';
      context.report({
        messageId: problem.whole ? 'file' : 'entry',
        data: { file: problem.file, problem: problem.problem },
        severity,
        location: problem.line === null ? { file: problem.file } : { file: problem.file, line: problem.line },
      });
    }
  },
});
