// Safe reads from a manifest of unknown shape: any step that is not what the caller expects yields
// undefined, never a throw. Paths are arrays of keys; `pointerOf` renders them as JSON pointers.

export type JsonPath = ReadonlyArray<string | number>;
export type JsonObject = Record<string, unknown>;

export function valueAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const key of path) {
    if (typeof key === 'number' ? !Array.isArray(current) : !isObject(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as JsonObject)[key];
  }
  return current;
}

export function stringAt(root: unknown, path: JsonPath): string | undefined {
  const value = valueAt(root, path);
  return typeof value === 'string' ? value : undefined;
}

export function objectAt(root: unknown, path: JsonPath): JsonObject | undefined {
  const value = valueAt(root, path);
  return isObject(value) ? value : undefined;
}

export function arrayAt(root: unknown, path: JsonPath): unknown[] | undefined {
  const value = valueAt(root, path);
  return Array.isArray(value) ? value : undefined;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 6901 JSON pointer for a path. */
export function pointerOf(path: JsonPath): string {
  return path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}
