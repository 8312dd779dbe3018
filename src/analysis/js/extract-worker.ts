import { parentPort } from 'node:worker_threads';
import type { FileFacts } from '../model/file-facts.js';
import { codeText } from '../model/code-text.js';
import { extractFacts, stoppedByStack } from './extract.js';

// A thread of the extraction pool (extract-pool.ts): the facts of each JavaScript file it is sent.
// It reads the bytes it is handed and nothing else; facts go back as plain data.

export interface ExtractRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
}

/** Null for a file nested too deeply for this thread's stack, which is smaller than the main thread's: the main thread reads it again (extract-pool.ts). */
export interface ExtractAnswer {
  id: number;
  facts: FileFacts | null;
}

parentPort!.on('message', ({ id, path, bytes }: ExtractRequest) => {
  const facts = extractFacts(path, codeText(bytes));
  parentPort!.postMessage({ id, facts: stoppedByStack(facts) ? null : facts } satisfies ExtractAnswer);
});
