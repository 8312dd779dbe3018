// Entry names are attacker-chosen. An extractor on some platform will interpret each of these
// shapes differently, so each is recorded rather than silently "fixed".

export interface EntryNameShape {
  /** A `..` segment, with either separator. */
  traversal: boolean;
  /** Starts at a filesystem root: `/x`, `\x`, `//server/share`. */
  absolute: boolean;
  /** Starts with a Windows drive letter: `C:`, `c:\`. */
  driveLetter: boolean;
  /** Uses `\` as a separator, which Windows extractors honour and others do not. */
  backslash: boolean;
  /** The normalised `/`-separated relative path, or null when the name is unsafe to place in the tree. */
  path: string | null;
}

export function entryNameShape(name: string): EntryNameShape {
  const backslash = name.includes('\\');
  const absolute = name.startsWith('/') || name.startsWith('\\');
  const driveLetter = /^[a-zA-Z]:/.test(name);
  const segments = name.split(/[/\\]/).filter((segment) => segment !== '' && segment !== '.');
  const traversal = segments.includes('..');
  const path = traversal || absolute || driveLetter || segments.length === 0 ? null : segments.join('/');
  return { traversal, absolute, driveLetter, backslash, path };
}

/** The key two names collide under on case-insensitive or normalising filesystems (macOS, Windows). */
export function collisionKey(path: string): string {
  return path.normalize('NFC').toLowerCase();
}
