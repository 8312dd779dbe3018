import { expect, it } from 'vitest';
import { countTests, type Task } from './count-reporter.js';

const test = (state?: string): Task => ({ type: 'test', ...(state === undefined ? {} : { result: { state } }) });

it('counts each test by its outcome', () => {
  const file: Task = { type: 'suite', result: { state: 'fail' }, tasks: [test('pass'), test('fail'), test('skip'), { type: 'suite', tasks: [test('pass')] }] };
  expect(countTests([file])).toEqual({ passed: 2, failed: 1, skipped: 1 });
});

it('counts a file that failed with no failed test as one failure: it did not load, or a hook threw before its tests', () => {
  const unloaded: Task = { type: 'suite', result: { state: 'fail' }, tasks: [] };
  const hookThrew: Task = { type: 'suite', result: { state: 'fail' }, tasks: [test(), test()] };
  const suiteHookThrew: Task = { type: 'suite', result: { state: 'pass' }, tasks: [{ type: 'suite', result: { state: 'fail' }, tasks: [test()] }, test('pass')] };
  expect(countTests([unloaded, hookThrew, suiteHookThrew])).toEqual({ passed: 1, failed: 3, skipped: 3 });
});
