import { defineRule } from '../src/engine/rule.js';

// A file the server loads but that cannot be parsed was not analysed: nothing it does is known.
// Never skipped quietly; the bundle is marked incomplete as well.
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
