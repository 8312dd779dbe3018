import type { Bind, Trigger } from '../analysis/model/triggers.js';
import type { InputSource } from './call-site.js';
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

/** At most this many files of a load trigger's import path are named; the middle gives way to `…`. */
const VIA_SHOWN = 4;

/** A load trigger's import path, entry first: `server/index.js → node_modules/pkg/index.js`, long ones shortened in the middle. */
export function viaPath(via: readonly string[]): string {
  const shown = via.length <= VIA_SHOWN ? via : [via[0]!, '…', ...via.slice(-(VIA_SHOWN - 2))];
  return shown.join(' → ');
}

/** Which interfaces a listener is bound to, in words: `all interfaces`, `loopback`, `interfaces not known`. */
export function bindWords(bind: Bind): string {
  return bind === 'all' ? 'all interfaces' : bind === 'loopback' ? 'loopback' : 'interfaces not known';
}

/** `http.createServer, all interfaces`, with `, Origin or token checked` when its handler checks the request. */
export function listenerWords(listener: Extract<Trigger, { kind: 'listener' }>): string {
  return `${listener.name}, ${bindWords(listener.bind)}${listener.checked ? ', Origin or token checked' : ''}`;
}

/**
 * What sets a piece of code off, as the tail of a message, raw (the engine escapes it): ` in tool "x"`,
 * ` in tools "x", "y"`, ` as soon as the module is loaded (server/index.js → node_modules/pkg/index.js)`,
 * ` from a network listener (http.createServer, all interfaces)`, ` on a timer (setInterval)`,
 * ` when the package is installed (postinstall)`. Triggers come most exposed first (model/triggers.ts);
 * the two most exposed kinds are named, each by its most exposed trigger (every tool, for tools).
 * Empty when nothing sets the code off. A load path of one file (the file itself) is not repeated.
 */
export function triggerPhrase(triggers: readonly Trigger[]): string {
  const phrases: string[] = [];
  const seen = new Set<Trigger['kind']>();
  for (const trigger of triggers) {
    if (seen.has(trigger.kind)) continue;
    seen.add(trigger.kind);
    phrases.push(phraseOf(trigger, triggers));
    if (phrases.length === 2) break;
  }
  return phrases.length === 0 ? '' : ` ${phrases.join(' and ')}`;
}

function phraseOf(trigger: Trigger, all: readonly Trigger[]): string {
  switch (trigger.kind) {
    case 'tool':
      return `in ${toolList(all.flatMap((each) => (each.kind === 'tool' ? [each.name] : [])))}`;
    case 'load':
      return `as soon as the module is loaded${trigger.via.length > 1 ? ` (${viaPath(trigger.via)})` : ''}`;
    case 'listener':
      return `from a network listener (${listenerWords(trigger)})`;
    case 'timer':
      return `on a timer (${trigger.name})`;
    case 'install':
      return `when the package is installed (${trigger.name})`;
  }
}

/** Where untrusted input comes from, raw: `the input of tool "x"`, `a request to a network listener (http.createServer, all interfaces)`. */
export function inputWords(source: InputSource): string {
  return source.kind === 'tool' ? `the input of tool ${quoteList(source.tools)}` : `a request to a network listener (${listenerWords(source.listener)})`;
}

/** Who controls that input: the model for a tool; for a listener, whoever its check or its bind lets in. */
export function whoWords(source: InputSource): string {
  if (source.kind === 'tool') return 'the model';
  if (source.listener.checked) return 'whoever passes its Origin or token check';
  if (source.listener.bind === 'all') return 'anyone who can reach this machine over the network';
  if (source.listener.bind === 'loopback') return 'any local program or web page';
  return 'whoever can reach the listener';
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
