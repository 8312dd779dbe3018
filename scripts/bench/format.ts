// How the benchmark prints numbers and tables: Markdown, for the terminal and docs/benchmarks.md alike.

/** 10^6 bytes, one decimal. */
export const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);
/** A process's peak resident set size (`maxRSS`, KiB) in MB. */
export const peakMB = (kb: number): number => (kb * 1024) / 1e6;
export const seconds = (ms: number): string => (ms / 1000).toFixed(2);
export const count = (n: number): string => n.toLocaleString('en-US');
export const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

// A number, maybe with a bound before it or a unit after it: `1,405`, `0/0/1`, `≤ 0.30 s`, `174 MB`.
const NUMBER = /^(≤ )?[\d.,/ %-]+( MB| s)?$/;

/** A Markdown table; columns holding numbers are right-aligned (the first column never is). */
export function table(header: string[], rows: string[][]): string {
  const align = header.map((_, index) => (index === 0 || rows.every((row) => !NUMBER.test(row[index] ?? '')) ? '---' : '---:'));
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
