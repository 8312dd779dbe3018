/** `"a", "b", "c" and 2 more`: tool names for a one-line message, raw (the engine escapes them). */
export function quoteList(names: readonly string[], shownAtMost = 3): string {
  const shown = names.slice(0, shownAtMost).map((name) => `"${name}"`).join(', ');
  return names.length > shownAtMost ? `${shown} and ${names.length - shownAtMost} more` : shown;
}
