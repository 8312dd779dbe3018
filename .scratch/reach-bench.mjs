// Times the analysis steps of one bundle in-process, on the compiled package (argument: dist root).
import { pathToFileURL } from 'node:url';
const [root, bundle, reps = '5'] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(`${root}/dist/src/${p}`).href);
const { readContainer } = await load('bundle/read.js');
const { DEFAULT_LIMITS } = await load('bundle/limits.js');
const { readManifest } = await load('manifest/read.js');
const { describeServer } = await load('analysis/server.js');
const { buildModuleGraph } = await load('analysis/model/module-graph.js');
const mod = await load('analysis/model/reachability.js');
const reach = mod.reachFromTriggers ?? mod.reachFromTools;
const { extractFacts } = await load('analysis/js/extract.js');
const { isScript } = await load('analysis/js/parse.js');
const { createResolver } = await load('analysis/js/resolve.js');
const { timerApi } = await load('analysis/catalog/listeners.js');
const container = await readContainer({ path: bundle, kind: 'archive' }, DEFAULT_LIMITS, { certificates: [], now: Date.now() });
const manifest = readManifest(container.files);
const server = describeServer(manifest.json, container.files);
const resolve = createResolver(container.files);
const byFile = new Map();
const texts = new Map();
const factsOf = (path) => { const known = byFile.get(path); if (known) return known; const f = container.files.get(path); if (!f || !(isScript(path) || server.entries.includes(path))) return null; const t = Buffer.from(f.bytes).toString('utf8'); texts.set(path, t); const x = extractFacts(path, t); byFile.set(path, x); return x; };
let t = performance.now();
const graph = buildModuleGraph(server.entries, (p) => factsOf(p)?.imports ?? null, resolve);
console.log('graph+extract', (performance.now() - t).toFixed(0), 'ms', graph.order.length, 'files');
for (let i = 0; i < Number(reps); i++) { t = performance.now(); mod.reachFromTriggers ? reach(byFile, graph, resolve, timerApi) : reach(byFile, resolve); console.log('reach', (performance.now() - t).toFixed(0)); }
t = performance.now(); for (const [p, text] of texts) extractFacts(p, text); console.log('re-extract all', (performance.now() - t).toFixed(0));
t = performance.now(); for (const [p, text] of texts) extractFacts(p, text); console.log('re-extract all', (performance.now() - t).toFixed(0));
