import type { Node } from 'web-tree-sitter';

// A module used without being imported: `os.system(cmd)` in a file with no `import os`. At run time
// the name can only come from a star import (`from helpers import *`, where helpers imports os) or
// from code that fills the module's globals; either way it is that module, and a scanner that
// waited for the import statement would read such a file as harmless. A name counts only when the
// file never binds it (no import, assignment, parameter, loop variable or definition of it: every
// place it is written is as the object of an attribute, `os.…`, or a value handed to a call or put
// in a dict, `f(os)`, `{"k": os}`), and only for the modules the catalogs know. An import of the module itself (`import os`, `import os.path`) does not count as
// binding the name to something else: written inside one function, it binds that function's `os`
// only, and the other functions of the file still use the free name; and `from urllib import parse`
// binds `parse`, not `urllib`.

const KNOWN_MODULES = [
  'os', 'subprocess', 'socket', 'requests', 'urllib', 'urllib2', 'urllib3', 'httpx', 'http', 'aiohttp', 'base64', 'binascii',
  'codecs', 'zlib', 'marshal', 'pickle', '_pickle', 'cPickle', 'cloudpickle', 'jsonpickle', 'joblib', 'dill', 'shelve', 'runpy', 'ctypes', 'shutil', 'getpass', 'platform', 'pyperclip', 'dns',
  'builtins', 'importlib', 'commands', 'pty', 'asyncio', 'telnetlib', 'ftplib', 'smtplib', 'paramiko', 'sys', 'tempfile',
  'webbrowser', 'winreg', 'glob', 'pathlib', 'yaml', 'multiprocessing', 'pynput', 'keyboard', 'PIL', 'pyautogui', 'mss',
  'browser_cookie3', 'browsercookie', 'pycookiecheat', 'aiodns',
];
// Used as `os.…`, or handed to getattr (`getattr(builtins, name)`).
const CANDIDATES = new RegExp(`(?<![\\w.])(${KNOWN_MODULES.join('|')})\\s*\\.|\\bgetattr\\(\\s*(${KNOWN_MODULES.join('|')})\\s*,`, 'g');

/** The known modules the file uses as `name.…` (or hands to getattr) and never binds to anything else. */
export function freeModules(root: Node, text: string): string[] {
  const used = new Set<string>();
  for (const match of text.matchAll(CANDIDATES)) used.add((match[1] ?? match[2])!);
  // A module imported at the top level (the usual case) is that module in the whole file, above its
  // import too (module code above it can only have had it from a star import): no walk needed.
  const imported: string[] = [];
  for (const name of used) {
    if (!topLevelImport(name).test(text)) continue;
    imported.push(name);
    used.delete(name);
  }
  if (used.size === 0) return imported.sort();
  for (const name of used) if (!onlyRead(root, text, name)) used.delete(name);
  return [...used, ...imported].sort();
}

/**
 * Every identifier `name` of the file stands where it binds nothing. Rather than every identifier
 * of the tree, the places the name is written are looked up: each occurrence of its text, wherever
 * it is (inside a longer word too: `1jos` is a number and `os`), whose smallest node is an
 * identifier of exactly that text.
 */
function onlyRead(root: Node, text: string, name: string): boolean {
  for (let start = text.indexOf(name); start !== -1; start = text.indexOf(name, start + 1)) {
    const identifier = root.descendantForIndex(start, start + name.length);
    if (identifier === null || identifier.startIndex !== start || identifier.endIndex !== start + name.length || identifier.type !== 'identifier') continue;
    const parent = identifier.parent;
    const asObject = parent?.type === 'attribute' && parent.childForFieldName('object')?.equals(identifier) === true;
    if (!asObject && !namesModule(identifier) && !passedOn(identifier)) return false;
  }
  return true;
}

/** `import os` or `import sys, os.path` at column 0 (not `import os as o`): the module, bound for the whole file. */
function topLevelImport(name: string): RegExp {
  return new RegExp(`^import[ \\t]+(?:[\\w.]+(?:[ \\t]+as[ \\t]+\\w+)?[ \\t]*,[ \\t]*)*${name}(?:\\.[\\w.]+)?(?![\\w.]|[ \\t]+as\\b)`, 'm');
}

/**
 * The name read as a value handed to a call or put in a dict (`f(os)`, `f(mod=os)`, `{"k": os}`):
 * a read, which binds nothing. Only these places: wherever else it stands may bind it.
 */
function passedOn(identifier: Node): boolean {
  const parent = identifier.parent;
  if (parent?.type === 'argument_list') return true;
  return (parent?.type === 'pair' || parent?.type === 'keyword_argument') && parent.childForFieldName('value')?.equals(identifier) === true;
}

/**
 * The first part of a module path in an import that binds no other value to it: `import os`,
 * `import os.path`, the module of `import os as o` or of `from os import path`. The name after
 * `as`, and `from x import os`, do bind it (to something that may not be the module).
 */
function namesModule(identifier: Node): boolean {
  const dotted = identifier.parent;
  if (dotted?.type !== 'dotted_name' || !dotted.firstNamedChild?.equals(identifier)) return false;
  const holder = dotted.parent;
  if (holder?.type === 'import_statement') return true;
  if (holder?.type === 'aliased_import') return holder.childForFieldName('name')?.equals(dotted) === true && holder.parent?.type === 'import_statement';
  return holder?.type === 'import_from_statement' && holder.childForFieldName('module_name')?.equals(dotted) === true;
}
