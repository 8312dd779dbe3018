import { describe, expect, it } from 'vitest';
import { annotations } from '../../scripts/bench/peers/annotations.js';
import { ruleTesterCases } from '../../scripts/bench/peers/eslint-cases.js';

describe('bench:peers annotations', () => {
  it('marks the next code line for a comment on its own line, skipping blanks and comments', () => {
    const text = ['import os', '# ruleid: runs-shell', '', '# why it matters', 'os.system(cmd)', '// ok: runs-shell', 'run("ls")'].join('\n');
    expect(annotations(text)).toEqual([
      { line: 5, verdict: 'malicious', ruleId: 'runs-shell' },
      { line: 7, verdict: 'safe', ruleId: 'runs-shell' },
    ]);
  });

  it('marks its own line for a trailing comment, and reads todo forms by what the code is', () => {
    const text = ['eval(x) // todoruleid: evals', 'eval("1") # todook: evals'].join('\n');
    expect(annotations(text)).toEqual([
      { line: 1, verdict: 'malicious', ruleId: 'evals' },
      { line: 2, verdict: 'safe', ruleId: 'evals' },
    ]);
  });

  it('ignores a trailing annotation with no code after it, and words that merely look alike', () => {
    expect(annotations('const okay = 1; // looks ok: fine\n# ruleid: last')).toEqual([]);
  });
});

describe('bench:peers RuleTester cases', () => {
  it('reads strings, constant templates and code properties, and skips computed ones', () => {
    const source = `
      tester.run('rule', rule, {
        valid: ["a()", \`b()\`, { code: 'c()', options: [] }, \`\${dynamic}\`],
        invalid: [{ code: "d()", errors: [{ message: 'm' }] }],
      });`;
    expect(ruleTesterCases(source)).toEqual([
      { verdict: 'safe', code: 'a()' },
      { verdict: 'safe', code: 'b()' },
      { verdict: 'safe', code: 'c()' },
      { verdict: 'malicious', code: 'd()' },
    ]);
  });
});
