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
