// Whose file a bundle path is: the publisher's own code (first-party) or a dependency it ships.

export type Origin = 'first-party' | 'dependency';

/**
 * Code under a node_modules folder is a dependency, unless it belongs to the package the server
 * starts from: a bundle that ships its server as `server/node_modules/<pkg>/dist/index.js` wrote
 * that package itself.
 */
export function originOf(path: string, entries: readonly string[]): Origin {
  const packageRoot = (file: string): string => {
    const segments = file.split('/');
    const last = segments.lastIndexOf('node_modules');
    if (last === -1) return '';
    const length = segments[last + 1]?.startsWith('@') ? last + 3 : last + 2;
    return `${segments.slice(0, length).join('/')}/`;
  };
  const root = packageRoot(path);
  return root === '' || entries.some((entry) => packageRoot(entry) === root) ? 'first-party' : 'dependency';
}
