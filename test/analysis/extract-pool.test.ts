import { expect, it } from 'vitest';
import { repoPath } from '../helpers/fixtures.js';

// The extraction pool's threads run the compiled package (npm test builds it first): these tests
// load dist/ alone, so that the facts compared come from one copy of the code.

type Dist = {
  readContainer: typeof import('../../src/bundle/read.js').readContainer;
  DEFAULT_LIMITS: typeof import('../../src/bundle/limits.js').DEFAULT_LIMITS;
  analyzeNode: typeof import('../../src/analysis/js/analyze.js').analyzeNode;
  ExtractPool: typeof import('../../src/analysis/js/extract-pool.js').ExtractPool;
  prefetchNodeFacts: typeof import('../../src/analysis/js/prefetch.js').prefetchNodeFacts;
};

async function dist(): Promise<Dist> {
  const load = (module: string) => import(repoPath(`dist/src/${module}.js`));
  return {
    ...(await load('bundle/read')),
    ...(await load('bundle/limits')),
    ...(await load('analysis/js/analyze')),
    ...(await load('analysis/js/extract-pool')),
    ...(await load('analysis/js/prefetch')),
  } as Dist;
}

/** A server whose entry loads packages of node_modules: several files to share out. */
const SERVER = repoPath('fixtures/rules/deps-known-advisory/invalid');

type Files = Awaited<ReturnType<Dist['readContainer']>>['files'];

async function serverFiles(code: Dist): Promise<Files> {
  const container = await code.readContainer({ kind: 'directory', path: SERVER }, code.DEFAULT_LIMITS, { certificates: [], now: 0 });
  return container.files;
}

/** Every file's facts as the main thread alone reads them, by cache key. */
function readInTurn(code: Dist, files: Files): Map<string, unknown> {
  const cache = new Map();
  const server = code.analyzeNode(['server/index.js'], files, cache);
  expect(server.reachable.length).toBeGreaterThan(1);
  return cache;
}

const sorted = (cache: Map<string, unknown>) => JSON.stringify([...cache].sort(([a], [b]) => (a < b ? -1 : 1)));

/** Counts the files whose facts a thread answered. */
function countAnswers(pool: InstanceType<Dist['ExtractPool']>): { answered: number } {
  const count = { answered: 0 };
  const extract = pool.extract.bind(pool);
  pool.extract = async (path, bytes) => {
    const facts = await extract(path, bytes);
    if (facts !== null) count.answered++;
    return facts;
  };
  return count;
}

it('reads the files a server loads on the pool and on the main thread into the very facts the main thread alone makes', async () => {
  const code = await dist();
  const pool = new code.ExtractPool(2, 0);
  const threads = countAnswers(pool);
  const inTurn = sorted(readInTurn(code, await serverFiles(code)));
  try {
    const cache = new Map();
    await code.prefetchNodeFacts(['server/index.js'], await serverFiles(code), cache, pool);
    expect(threads.answered).toBeGreaterThan(0);
    expect(sorted(cache)).toBe(inTurn);
    // The threads end with the walk, and the next bundle's walk starts them again.
    expect(pool.running).toBe(0);
    const answeredBefore = threads.answered;
    const again = new Map();
    await code.prefetchNodeFacts(['server/index.js'], await serverFiles(code), again, pool);
    expect(threads.answered).toBeGreaterThan(answeredBefore);
    expect(pool.running).toBe(0);
    expect(sorted(again)).toBe(inTurn);
  } finally {
    await pool.close();
  }
});

it('reads on the main thread what a lost thread had, and never walks ahead for a pool that cannot pay', async () => {
  const code = await dist();
  const lost = new code.ExtractPool(1, 0);
  const cache = new Map();
  const walk = code.prefetchNodeFacts(['server/index.js'], await serverFiles(code), cache, lost);
  // The thread is ended while it holds files: they come back to the main thread.
  await lost.close();
  await walk;
  expect(sorted(cache)).toBe(sorted(readInTurn(code, await serverFiles(code))));

  // The bundle holds less code than the pool pays for: nothing is read ahead, the analysis reads it in turn.
  const idle = new code.ExtractPool(1);
  const untouched = new Map();
  await code.prefetchNodeFacts(['server/index.js'], await serverFiles(code), untouched, idle);
  expect(idle.running).toBe(0);
  expect(untouched.size).toBe(0);
});

it('reads on the main thread the files of a thread whose heap ran out, into the facts the main thread alone makes', async () => {
  const code = await dist();
  // A tree of 300,000 nodes cannot fit in 4 MB of heap: Node ends the thread that parses it.
  const text = (source: string) => new TextEncoder().encode(source);
  const files: Files = new Map([
    ['server/index.js', { path: 'server/index.js', bytes: text("require('./big.js');"), executable: false }],
    ['server/big.js', { path: 'server/big.js', bytes: text(`module.exports = [${Array.from({ length: 300_000 }, (_, index) => index).join(',')}];`), executable: false }],
  ]);
  const starved = new code.ExtractPool(1, 0, 4);
  const cache = new Map();
  try {
    await code.prefetchNodeFacts(['server/index.js'], files, cache, starved);
    expect(starved.running).toBe(0);
  } finally {
    await starved.close();
  }
  expect(sorted(cache)).toBe(sorted(readInTurn(code, files)));
});

it('reads on the main thread a file nested too deeply for its stack, as a run on one thread does', async () => {
  const code = await dist();
  // 5,000 levels: past what a pool thread's stack parses, and the calling thread's too, so the file
  // comes back to the calling thread and its facts are the ones a run on one thread makes. A depth
  // between the two stacks' limits is not used: where a file that deep is cut short depends on how
  // warm the compiled parser is (about 400 to 800 levels here), so such a test passes or fails by timing.
  const text = (source: string) => new TextEncoder().encode(source);
  const files: Files = new Map([
    ['server/index.js', { path: 'server/index.js', bytes: text("require('./deep.js');"), executable: false }],
    ['server/deep.js', { path: 'server/deep.js', bytes: text(`module.exports = ${'['.repeat(5000)}${']'.repeat(5000)};`), executable: false }],
  ]);
  const inTurn = readInTurn(code, files);
  const pool = new code.ExtractPool(1, 0);
  const cache = new Map();
  try {
    await code.prefetchNodeFacts(['server/index.js'], files, cache, pool);
  } finally {
    await pool.close();
  }
  expect(sorted(cache)).toBe(sorted(inTurn));
});

it('walks ahead no further than the budget of code (Limits.maxCodeBytes)', async () => {
  const code = await dist();
  const pool = new code.ExtractPool(1, 0);
  const cache = new Map();
  try {
    await code.prefetchNodeFacts(['server/index.js'], await serverFiles(code), cache, pool, 1);
  } finally {
    await pool.close();
  }
  // The entry alone passes a budget of one byte: nothing it loads is read ahead.
  expect(cache.size).toBe(1);
  expect(readInTurn(code, await serverFiles(code)).size).toBeGreaterThan(1);
});
