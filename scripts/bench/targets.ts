// The figures `npm run bench` measures, each with its target from issue 18 (every target is an upper
// bound) or none, and whether it holds; each section prints its own, the summary all of them.
import { table } from './format.js';

export type Unit = 'ratio' | 'MB' | 's' | 'count';

export interface Figure {
  /** What was measured, e.g. `cold: google-calendar, audit / baseline`. */
  name: string;
  value: number;
  unit: Unit;
  /** The target: at most this. Absent when the figure is only reported. */
  atMost?: number;
}

const DIGITS: Record<Unit, number> = { ratio: 2, MB: 0, s: 2, count: 0 };

function formatNumber(value: number, unit: Unit): string {
  const text = value.toFixed(DIGITS[unit]);
  return unit === 'MB' || unit === 's' ? `${text} ${unit}` : text;
}

/**
 * Whether the figure meets its target, judged on the value as printed (0.604 prints 0.60 and holds
 * a 0.6 target), so that a line never reads "0.60, target ≤ 0.60, missed"; undefined without a target.
 */
export function holds(figure: Figure): boolean | undefined {
  if (figure.atMost === undefined) return undefined;
  return Number(figure.value.toFixed(DIGITS[figure.unit])) <= figure.atMost;
}

function verdict(figure: Figure): string {
  const held = holds(figure);
  return held === undefined ? '–' : held ? 'held' : '**missed**';
}

export function figuresTable(figures: readonly Figure[]): string {
  return table(
    ['figure', 'measured', 'target', 'held'],
    figures.map((figure) => [
      figure.name,
      formatNumber(figure.value, figure.unit),
      figure.atMost === undefined ? 'no target' : `≤ ${formatNumber(figure.atMost, figure.unit)}`,
      verdict(figure),
    ]),
  );
}

/** Every figure of the run, and how many of the targets hold. */
export function summary(figures: readonly Figure[]): string {
  const judged = figures.map(holds).filter((held) => held !== undefined);
  const held = judged.filter(Boolean).length;
  return `${figuresTable(figures)}\n\n${held} of ${judged.length} targets held.`;
}
