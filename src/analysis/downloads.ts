import { SOURCES } from './catalog/sources.js';
import { fileApi, operationOf } from './catalog/filesystem.js';
import { HANDLE_WRITES } from './catalog/members.js';
import type { CallSite } from './model/code-facts.js';

// Files the server writes from data it fetched over the network, by the constant path they are
// written to: a dropper's first half (its second is running that file, code-shell-exec's to judge).
// Node writes the data in the call (`fs.writeFileSync('/tmp/agent', body)`); Python opens the file
// in a write mode and writes through the handle a few lines further (`with open(p, "wb") as f:
// f.write(data)`), which is matched by place, the open and the write within WRITE_SPAN lines of each
// other in one file; `urlretrieve(url, path)` downloads to the path itself.

/** Lines between a Python `open(p, "wb")` and the handle's `write(data)` that still count as one write. */
const WRITE_SPAN = 6;
const RETRIEVERS = new Set(['urllib.request.urlretrieve', 'urllib.urlretrieve']);

/** Constant paths written with network data, each with the call that writes (or downloads) it. */
export function downloadedFiles(calls: readonly CallSite[]): Map<string, CallSite> {
  const found = new Map<string, CallSite>();
  const add = (path: string | undefined, call: CallSite) => {
    if (path !== undefined && path.length > 0 && !found.has(path)) found.set(path, call);
  };
  const handleWrites = calls.filter((call) => HANDLE_WRITES.has(call.callee) && call.args.some(fromNetwork));
  for (const call of calls) {
    if (RETRIEVERS.has(call.callee)) {
      add(call.args[1]?.literal, call);
      continue;
    }
    const api = fileApi(call.callee);
    if (api === null || operationOf(api, call.args, call.excerpt) !== 'write') continue;
    const path = call.args[api.pathArgs[0]!]?.literal;
    // The data is the argument after the path (`writeFile(path, data)`); a Python open is written through its handle.
    if (call.args.slice(api.pathArgs[0]! + 1).some(fromNetwork)) add(path, call);
    else if (api.flagsAt !== undefined && handleWrites.some((write) => write.file === call.file && write.line >= call.line && write.line - call.line <= WRITE_SPAN)) add(path, call);
  }
  return found;
}

function fromNetwork(argument: { labels: readonly string[] }): boolean {
  return argument.labels.includes(SOURCES.network);
}
