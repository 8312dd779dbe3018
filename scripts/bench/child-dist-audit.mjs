// One audit on the compiled package (dist/), alone in its process: worker threads need compiled code.
// argv: <jobs> <path...>. Prints one JSON line; the parent (batch.ts) reads the last line of stdout.
import { audit } from '../../dist/src/audit.js';

const [jobs, ...paths] = process.argv.slice(2);
const start = performance.now();
const report = await audit(paths, { jobs: Number(jobs) });
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    ms,
    maxRssKB: process.resourceUsage().maxRSS,
    bundles: report.bundles.length,
    combinations: report.combinations.length,
    complete: report.bundles.every((bundle) => bundle.complete),
  }),
);
