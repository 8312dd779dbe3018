import { parentPort } from 'node:worker_threads';
import type { FactsCache } from './analysis/model/server-code.js';
import { auditBundle, pythonParserOfRun } from './audit-bundle.js';
import type { AuditJob } from './audit-job.js';

// A worker thread of the batch pool (audit-pool.ts): audits the bundles it is sent, one at a time,
// keeping one cache of analysed files for all of them (the MCP SDK and zod are parsed once here),
// and the Python parser once a Python bundle has loaded it.

const cache: FactsCache = new Map();
const pythonParser = pythonParserOfRun();

parentPort!.on('message', async (job: AuditJob) => {
  parentPort!.postMessage(await auditBundle(job, cache, pythonParser));
});
