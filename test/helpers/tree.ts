import type { VirtualFile } from '../../src/bundle/container.js';

/** A virtual file tree from an object literal: strings are UTF-8 text, other values are written as JSON. */
export function tree(spec: Record<string, string | Uint8Array | object>): Map<string, VirtualFile> {
  return new Map(
    Object.entries(spec).map(([path, content]) => {
      const bytes =
        content instanceof Uint8Array ? content : new TextEncoder().encode(typeof content === 'string' ? content : JSON.stringify(content));
      return [path, { path, bytes, executable: false }];
    }),
  );
}
