// Vocabulary every layer shares, with no dependencies of its own, so that any module can import it
// without pulling in another layer.

/** The user's mistake (a path that does not exist, an invalid policy file): the CLI prints it and exits 2. */
export class UsageError extends Error {}

/** Orders strings by UTF-16 code units, as `<` does: the same order on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
