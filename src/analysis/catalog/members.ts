import type { CallFact } from '../model/file-facts.js';
import { CAPTURE_METHODS } from './host-capture.js';
import { pageBody, PAGE_SENDER_METHODS } from './responses.js';
import { SOURCES } from './sources.js';

// Method calls on values of unknown type that rules still read, by name: `server.listen(port, host)`
// (what a server binds to), `resolved.startsWith(root)` and Python's `real.startswith(root)` (how a
// path is confined), mail clients' `sendMail`/`sendEmail` (what is sent where) and `child.unref()`
// (a started process the server no longer waits for), names no other API uses: an event loop's
// `subprocess_shell`/`subprocess_exec` (processes.ts), Module's `_compile` (dynamic-code.ts), pandas'
// `to_clipboard`, tkinter's `clipboard_get` and Windows' injection and hook functions (host-capture.ts),
// express's `sendFile` (filesystem.ts). Other `member:` calls are the
// bundle's own functions and serve reachability only.
export const MEMBER_CALLS_READ_BY_RULES = new Set([
  'member:listen', 'member:startsWith', 'member:startswith', 'member:sendMail', 'member:sendEmail', 'member:sendEmailBatch', 'member:unref',
  'member:subprocess_shell', 'member:subprocess_exec', 'member:_compile', 'member:sendFile', ...CAPTURE_METHODS,
]);

/** A file handle's `write(data)`: read when the data came over the network (downloads.ts). */
export const HANDLE_WRITES: ReadonlySet<string> = new Set(['member:write', 'member:writelines']);

/**
 * Calls to modules and globals, and calls of the bundle's own decoders with constants (what they yield
 * is code-obfuscation's); of the calls to the bundle's own functions, which serve reachability,
 * only the methods rules read (`listen`, `startsWith`, …), a method reached through an assembled name
 * (`obj['ex' + 'ec']`, for the obfuscation rule), a method given the whole environment
 * (`Object.entries(process.env)`: what it is given matters), a handle's write of network data, and
 * a response's `send`/`end`/`write` of a web page with something put into it (catalog/responses.ts).
 */
export function readByRules(call: CallFact): boolean {
  if (call.callee.startsWith('local:')) return call.decoded !== undefined;
  if (!call.callee.startsWith('member:') || MEMBER_CALLS_READ_BY_RULES.has(call.callee) || call.builtName) return true;
  if (PAGE_SENDER_METHODS.has(call.callee) && (pageBody(call)?.labels.length ?? 0) > 0) return true;
  const label = HANDLE_WRITES.has(call.callee) ? SOURCES.network : SOURCES.envAll;
  return call.args.some((argument) => argument.labels.includes(label));
}
