import { describe, expect, it } from 'vitest';
import { table } from '../../scripts/bench/format.js';
import { figuresTable, holds, summary, type Figure } from '../../scripts/bench/targets.js';

// The benchmark's verdicts (scripts/bench/targets.ts): pure formatting and comparison, no timing.

const ratio = (value: number, atMost?: number): Figure => ({ name: 'cold: x, audit / baseline', value, unit: 'ratio', ...(atMost === undefined ? {} : { atMost }) });

describe('a figure', () => {
  it('holds at or under its target, judged on the value as printed', () => {
    expect(holds(ratio(0.59, 0.6))).toBe(true);
    expect(holds(ratio(0.6, 0.6))).toBe(true);
    expect(holds(ratio(0.604, 0.6))).toBe(true);
    expect(holds(ratio(0.606, 0.6))).toBe(false);
    expect(holds({ name: 'peak', value: 500.4, unit: 'MB', atMost: 500 })).toBe(true);
    expect(holds({ name: 'peak', value: 500.6, unit: 'MB', atMost: 500 })).toBe(false);
  });

  it('without a target is reported, not judged', () => {
    expect(holds(ratio(3))).toBeUndefined();
  });
});

describe('the figures table', () => {
  it('prints each figure with its unit, its target and the verdict', () => {
    const text = figuresTable([
      ratio(1.234, 1.5),
      { name: 'cold: x, audit peak', value: 612.4, unit: 'MB', atMost: 500 },
      { name: 'start-up: --version, over bare node', value: 0.1234, unit: 's', atMost: 0.3 },
      ratio(2),
    ]);
    expect(text.split('\n')).toEqual([
      '| figure | measured | target | held |',
      '| --- | ---: | ---: | --- |',
      '| cold: x, audit / baseline | 1.23 | ≤ 1.50 | held |',
      '| cold: x, audit peak | 612 MB | ≤ 500 MB | **missed** |',
      '| start-up: --version, over bare node | 0.12 s | ≤ 0.30 s | held |',
      '| cold: x, audit / baseline | 2.00 | no target | – |',
    ]);
  });

  it('ends the summary with how many targets hold, leaving out figures without one', () => {
    expect(summary([ratio(0.5, 0.6), ratio(0.7, 0.6), ratio(9)]).split('\n').at(-1)).toBe('1 of 2 targets held.');
  });
});

describe('a table', () => {
  it('right-aligns columns of numbers, with or without a bound or a unit', () => {
    expect(table(['bundle', 'n', 'peak', 'name'], [['a', '1,405', '≤ 500 MB', 'x'], ['b', '0/0/1', '0.30 s', 'y']]).split('\n')[1]).toBe('| --- | ---: | ---: | --- |');
  });
});
