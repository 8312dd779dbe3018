import type { Node } from 'web-tree-sitter';

// A module used without being imported: `os.system(cmd)` in a file with no `import os`. At run time
// the name can only come from a star import (`from helpers import *`, where helpers imports os) or
// from code that fills the module's globals; either way it is that module, and a scanner that
// waited for the import statement would read such a file as harmless. A name counts only when the
// file never binds it (no import, assignment, parameter, loop variable or definition of it: every
// place it is written is as the object of an attribute, `os.…`), and only for the modules the
// catalogs know.

const KNOWN_MODULES = [
  'os', 'subprocess', 'socket', 'requests', 'urllib', 'urllib2', 'urllib3', 'httpx', 'http', 'aiohttp', 'base64', 'binascii',
  'codecs', 'zlib', 'marshal', 'pickle', '_pickle', 'cPickle', 'cloudpickle', 'jsonpickle', 'joblib', 'dill', 'shelve', 'runpy', 'ctypes', 'shutil', 'getpass', 'platform', 'pyperclip', 'dns',
  'builtins', 'importlib', 'commands', 'pty', 'asyncio', 'telnetlib', 'ftplib', 'smtplib', 'paramiko', 'sys', 'tempfile',
  'webbrowser', 'winreg', 'glob', 'pathlib', 'yaml', 'multiprocessing', 'pynput', 'keyboard', 'PIL', 'pyautogui', 'mss',
  'browser_cookie3', 'browsercookie', 'pycookiecheat', 'aiodns',
];
const CANDIDATES = new RegExp(`(?<![\\w.])(${KNOWN_MODULES.join('|')})\\s*\\.`, 'g');

/** The known modules the file uses as `name.…` and never binds. */
export function freeModules(root: Node, text: string): string[] {
  const used = new Set<string>();
  for (const match of text.matchAll(CANDIDATES)) used.add(match[1]!);
  // A file that imports the name (the usual case) needs no walk.
  for (const name of used) if (new RegExp(`^[ \\t]*(?:import|from)\\b[^\\n]*(?<![\\w.])${name}\\b`, 'm').test(text)) used.delete(name);
  if (used.size === 0) return [];
  for (const identifier of root.descendantsOfType('identifier')) {
    if (!identifier || !used.has(identifier.text)) continue;
    const parent = identifier.parent;
    const asObject = parent?.type === 'attribute' && parent.childForFieldName('object')?.equals(identifier) === true;
    if (!asObject) used.delete(identifier.text);
    if (used.size === 0) break;
  }
  return [...used].sort();
}
