import { defineRule } from '../src/engine/rule.js';

// A file the server loads but that cannot be parsed, or that a limit left unparsed, was not
// analysed: nothing it does is known. Never skipped quietly; the bundle is marked incomplete as well.
export default defineRule({
  meta: {
    id: 'code-parse-error',
    category: 'parse-error',
    severity: 'medium',
    description: 'A JavaScript, TypeScript or Python file the server loads could not be parsed, so it was not analysed.',
    remediation: 'Review the file by hand before installing; a file no parser accepts may also be one Node refuses to run.',
    messages: {
      unparsed: '"{file}" could not be parsed ({problem}); nothing it does was analysed.',
    },
    docs: {
      why:
        "Every other code rule works on parsed code. A file the server loads but that no parser accepts was not analysed, so " +
        "nothing it does is known: a deliberately malformed file is a way to keep a payload out of an auditor's view, while " +
        "Node may still run it (or run a different file at the same path). Medium, and the bundle is marked incomplete, so a " +
        "partial audit never looks clean. Two limits that keep hostile code from exhausting the audit's memory are reported the " +
        "same way (docs/limits.md): a file over 8 MiB characters is not parsed, and neither are the files a server loads past " +
        "64 MiB of code (`--max-code-bytes`).",
      falsePositives:
        "Only files reachable from the server's entry point are parsed; syntax errors in files the server never loads (tests, " +
        "examples) are not reported. The parser is lenient on purpose: ES modules and CommonJS mixed in one file, JSX in `.js` " +
        "files, TypeScript with decorators in `.ts` files, top-level `return` and `await`, and errors it can recover from are " +
        "all accepted; only a file it cannot get through is reported. A file written in syntax newer than the parser knows, or " +
        "in a dialect it does not read (Flow type annotations in a `.js` file), would be reported; the message gives the " +
        "parser's error and position, so you can see whether it is unfamiliar syntax or garbage.",
      references: [
        { title: 'Node.js: CommonJS modules', url: 'https://nodejs.org/api/modules.html' },
        { title: 'Node.js: ECMAScript modules', url: 'https://nodejs.org/api/esm.html' },
      ],
    },
  },
  check({ code }, context) {
    for (const { file, origin, problem } of code.parseErrors) {
      context.report({
        messageId: 'unparsed',
        data: { file, problem: problem.message },
        location: { file, line: problem.line, column: problem.column },
        origin,
      });
    }
  },
});
