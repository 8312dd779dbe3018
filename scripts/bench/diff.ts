// What `dxt-audit diff OLD NEW` costs over the two audits it runs (the target: at most 10% more).
// In one process, after a warm-up, each round measures in turn: the two bundles audited one after
// the other as two scans would (each with its own cache), the two audited in one batch (one shared
// cache, what diff runs), and the diff itself; medians of wall time and of this process's CPU time.
//   node --import tsx scripts/bench/diff.ts OLD NEW [--runs 5]
import { parseArgs } from 'node:util';
import { audit } from '../../src/audit.js';
import { diff } from '../../src/diff/diff.js';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
if (positionals.length !== 2) throw new Error('usage: node --import tsx scripts/bench/diff.ts OLD NEW [--runs n]');
const [oldPath, newPath] = positionals as [string, string];
const runs = Number(values.runs);

interface Cost {
  wallMs: number;
  cpuMs: number;
}

async function measure(work: () => Promise<unknown>): Promise<Cost> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  await work();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - wall, cpuMs: (used.user + used.system) / 1000 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const tenths = (value: number) => Math.round(value * 10) / 10;

const kinds = {
  twoScans: async () => {
    await audit([oldPath]);
    await audit([newPath]);
  },
  oneBatch: () => audit([oldPath, newPath]),
  diff: () => diff(oldPath, newPath),
};
await kinds.diff();
const costs: Record<keyof typeof kinds, Cost[]> = { twoScans: [], oneBatch: [], diff: [] };
for (let round = 0; round < runs; round++) {
  for (const kind of Object.keys(kinds) as Array<keyof typeof kinds>) costs[kind].push(await measure(kinds[kind]));
}
const summary = Object.fromEntries(
  Object.entries(costs).map(([kind, list]) => [kind, { wallMs: tenths(median(list.map((cost) => cost.wallMs))), cpuMs: tenths(median(list.map((cost) => cost.cpuMs))) }]),
) as Record<keyof typeof kinds, Cost>;
const ratio = (a: number, b: number) => Number((a / b).toFixed(3));
console.log(
  JSON.stringify(
    {
      old: oldPath,
      new: newPath,
      runs,
      ...summary,
      diffOverTwoScans: { wall: ratio(summary.diff.wallMs, summary.twoScans.wallMs), cpu: ratio(summary.diff.cpuMs, summary.twoScans.cpuMs) },
      diffOverOneBatch: { wall: ratio(summary.diff.wallMs, summary.oneBatch.wallMs), cpu: ratio(summary.diff.cpuMs, summary.oneBatch.cpuMs) },
    },
    null,
    2,
  ),
);
