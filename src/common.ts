// Vocabulary every layer shares, with no dependencies of its own, so that any module can import it
// without pulling in another layer.

/** The user's mistake (a path that does not exist, an invalid policy file): the CLI prints it and exits 2. */
export class UsageError extends Error {}

/** Orders strings by UTF-16 code units, as `<` does: the same order on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Adds `value` to the list `key` holds in `lists`, starting it if need be. In place: copying the list
 * at each addition (`[...(lists.get(key) ?? []), value]`) costs the square of its length, minutes on
 * a hostile file with tens of thousands of calls or tools.
 */
export function addToList<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list === undefined) lists.set(key, [value]);
  else list.push(value);
}

/**
 * Appends every item to `target`, however many: `target.push(...items)` passes them as arguments,
 * and past about 100,000 (a text report of a server with 40,000 findings) overflows the stack.
 */
export function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}
