import { SOURCES } from './catalog/sources.js';
import { fileApi, operationOf } from './catalog/filesystem.js';
import { HANDLE_WRITES } from './catalog/members.js';
import { processApi } from './catalog/processes.js';
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
  for (const { call, path } of networkWrites(calls)) {
    if (path !== undefined && path.length > 0 && !found.has(path)) found.set(path, call);
  }
  return found;
}

/** Every call that writes network data to a file (or downloads to one), with the path when it is constant. */
function networkWrites(calls: readonly CallSite[]): Array<{ call: CallSite; path: string | undefined }> {
  const found: Array<{ call: CallSite; path: string | undefined }> = [];
  const handleWrites = calls.filter((call) => HANDLE_WRITES.has(call.callee) && call.args.some(fromNetwork));
  const filesWithHandleWrites = new Set(handleWrites.map((write) => write.file));
  for (const call of calls) {
    if (RETRIEVERS.has(call.callee)) {
      if (call.args[1] !== undefined) found.push({ call, path: call.args[1].literal });
      continue;
    }
    // Network data is written by this call or through a handle in its file: most calls have neither,
    // and they are tens of thousands in a large bundle.
    if (!filesWithHandleWrites.has(call.file) && !call.args.some(fromNetwork)) continue;
    const api = fileApi(call.callee);
    if (api === null || operationOf(api, call.args, call.excerpt) !== 'write') continue;
    const path = call.args[api.pathArgs[0]!]?.literal;
    // The data is the argument after the path (`writeFile(path, data)`); a Python open is written through its handle.
    if (call.args.slice(api.pathArgs[0]! + 1).some(fromNetwork)) found.push({ call, path });
    else if (api.flagsAt !== undefined && handleWrites.some((write) => write.file === call.file && write.line >= call.line && write.line - call.line <= WRITE_SPAN)) found.push({ call, path });
  }
  return found;
}

/** Lines after a download's write within which making that file a program counts as the same step. */
const PROGRAM_SPAN = 30;
/** Names a system runs or loads as code. */
const PROGRAM_NAME = /\.(?:exe|dll|scr|msi|bat|cmd|ps1|vbs|so|dylib|sh|command|app|jar|pyd|node)$/i;
/** A mode with an execute bit: `0o755`, `777`, `stat.S_IEXEC`, `S_IXUSR`, `chmod +x`, `chmod u+x`. */
const EXECUTE_BIT = /S_IEXEC|S_IX(?:USR|GRP|OTH)|(?:^|[^\w+])[ugoa]*\+[rw]*x|(?:^|[\s,(])(?:0o?)?[0-7]?[1357][0-7]{2}\b/;

export interface ProgramDownload {
  /** The call that writes (or downloads) the file. */
  write: CallSite;
  /** What makes it a program: its name, or the call that makes it executable or renames it to one. */
  evidence: 'named' | CallSite;
}

/**
 * Downloads saved as programs: network data written to a file named as one (`agent.exe`,
 * `libhook.so`), or made executable or renamed to such a name within PROGRAM_SPAN lines of the same
 * file (`os.chmod(p, 0o755)`, `chmod +x p`, `os.rename("a.dat", "a.exe")`), on the same path when
 * both are constant. A dropper's first half, whether or not the code then runs it.
 */
export function programDownloads(calls: readonly CallSite[]): ProgramDownload[] {
  const found: ProgramDownload[] = [];
  for (const { call: write, path } of networkWrites(calls)) {
    if (path !== undefined && PROGRAM_NAME.test(path)) {
      found.push({ write, evidence: 'named' });
      continue;
    }
    // The nearest after the write: calls are not in line order, and a rename further down may be another file's.
    let evidence: CallSite | undefined;
    for (const call of calls) {
      if (call.file !== write.file || call.line < write.line || call.line - write.line > PROGRAM_SPAN || (evidence !== undefined && call.line >= evidence.line)) continue;
      if (makesProgram(call, path)) evidence = call;
    }
    if (evidence !== undefined) found.push({ write, evidence });
  }
  return found;
}

/** A call that makes a file executable (`chmod` with an execute bit, through the API or a command), or renames it to a program's name. */
function makesProgram(call: CallSite, path: string | undefined): boolean {
  const api = fileApi(call.callee);
  const samePath = (fact: { literal?: string } | undefined) => path === undefined || fact?.literal === undefined || fact.literal === path;
  if (api !== null && api.operation === 'permissions') return samePath(call.args[api.pathArgs[0]!]) && EXECUTE_BIT.test(call.excerpt.slice(call.excerpt.indexOf(',') + 1));
  if (api !== null && api.operation === 'move') return samePath(call.args[api.pathArgs[0]!]) && PROGRAM_NAME.test(call.args[api.pathArgs[1]!]?.literal ?? '');
  // A command names the file in its text: a constant path must be in it (`chmod +x {other}` is another file's).
  const named = path === undefined || call.excerpt.includes(path.slice(path.replace(/\\/g, '/').lastIndexOf('/') + 1));
  return named && processApi(call.callee) !== null && /\bchmod\s/.test(call.excerpt) && EXECUTE_BIT.test(call.excerpt.slice(call.excerpt.search(/\bchmod\s/) + 6));
}

function fromNetwork(argument: { labels: readonly string[] }): boolean {
  return argument.labels.includes(SOURCES.network);
}
