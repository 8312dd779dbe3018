import type { CommandSignalKind } from '../analysis/catalog/commands.js';

/** `"a", "b", "c" and 2 more`: tool names for a one-line message, raw (the engine escapes them). */
export function quoteList(names: readonly string[], shownAtMost = 3): string {
  const shown = names.slice(0, shownAtMost).map((name) => `"${name}"`).join(', ');
  return names.length > shownAtMost ? `${shown} and ${names.length - shownAtMost} more` : shown;
}

export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** `tool "a"`, `tools "a", "b"`: for messages that name one tool or several. */
export function toolList(names: readonly string[]): string {
  return `${names.length === 1 ? 'tool' : 'tools'} ${quoteList(names)}`;
}

/**
 * A callee as a reader knows it: `fetch()`, `https.request()`; a method of an object of unknown type
 * as written in the call's excerpt when it is plainly written there (`app.listen()`, `Object.keys()`),
 * else `.listen()`.
 */
export function apiName(callee: string, excerpt = ''): string {
  if (!callee.startsWith('member:')) return `${callee}()`;
  const method = callee.slice('member:'.length);
  const written = /^(?:new\s+)?([\w$]+(?:\??\.[\w$]+){0,3})\s*\(/.exec(excerpt)?.[1];
  return written !== undefined && written.endsWith(`.${method}`) ? `${written.replace(/\?\./g, '.')}()` : `.${method}()`;
}

/** What a command or a script does, by the command catalogue's kind of signal (docs/commands.md), completing "it …". */
export const COMMAND_DOES: Readonly<Record<CommandSignalKind, string>> = {
  'download-and-run': 'downloads code and runs it',
  'decode-and-run': 'runs code it decodes',
  'reverse-shell': 'gives a remote host a shell on this machine',
  exfiltration: 'sends secrets off the machine',
  destructive: 'deletes what cannot be restored',
  persistence: 'sets up a program to start again at login or boot',
  'credential-read': 'reads credentials',
  'raw-ip-host': 'contacts a raw IP address',
  'drop-box-host': 'contacts a service that collects data for anyone',
  'defence-evasion': 'turns off protections or erases traces',
  privilege: 'asks for administrator rights',
  opaque: 'could not be judged in full',
};
