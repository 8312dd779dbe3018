import { parentPort } from 'node:worker_threads';
import { codeText } from '../model/code-text.js';
import { extractFacts } from './extract.js';

// A thread of the extraction pool (extract-pool.ts): the facts of each JavaScript file it is sent.
// It reads the bytes it is handed and nothing else; facts go back as plain data.

export interface ExtractRequest {
  id: number;
  path: string;
  bytes: Uint8Array;
}

parentPort!.on('message', ({ id, path, bytes }: ExtractRequest) => {
  parentPort!.postMessage({ id, facts: extractFacts(path, codeText(bytes)) });
});
