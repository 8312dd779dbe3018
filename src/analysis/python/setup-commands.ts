import type { Node } from 'web-tree-sitter';
import type { InstallCommandFact } from '../model/file-facts.js';
import { stringValue } from './syntax.js';

// Python packaging's install hook: `setup(cmdclass={"install": PostInstall})` replaces one of
// setuptools' commands with a class of the package's own, whose run() then executes inside the
// build or install, with the rights of whoever runs it. pip and uv build a source package (a folder,
// an sdist, a `uv sync` of a project) through egg_info, build_py, build_ext and bdist_wheel, and older
// installs through install and develop; the same class is where malicious packages on PyPI put their
// payload, as npm packages put theirs in a postinstall script. Commands a maintainer runs by hand
// (upload, test, sdist, clean) never run on an installing machine and are not hooks.

/** setuptools and distutils commands that run while a package is built from source or installed. */
const INSTALL_TIME_COMMANDS: ReadonlySet<string> = new Set([
  'install', 'develop', 'egg_info', 'build', 'build_py', 'build_ext', 'build_clib', 'build_scripts', 'bdist_wheel', 'bdist_egg',
  'install_lib', 'install_scripts', 'install_data', 'install_egg_info', 'editable_wheel',
]);

/**
 * The install-time commands a `setup(…)` call replaces through its `cmdclass` keyword, a dict literal
 * or `dict(install=…)`, with the class given for each. `setup` is recognised by name whatever it is
 * bound to: no other API takes a `cmdclass`. Located at the call, as every call's finding is.
 */
export function replacedCommands(call: Node, callee: Node, argumentList: Node): InstallCommandFact[] {
  const name = callee.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee.type === 'identifier' ? callee.text : undefined;
  if (name !== 'setup') return [];
  const value = argumentList.namedChildren.find((child) => child?.type === 'keyword_argument' && child.childForFieldName('name')?.text === 'cmdclass')?.childForFieldName('value');
  if (!value) return [];
  const found: InstallCommandFact[] = [];
  const add = (command: string | undefined, handler: Node | null | undefined) => {
    if (command === undefined || !INSTALL_TIME_COMMANDS.has(command) || !handler) return;
    found.push({ command, handler: handler.text.slice(0, 80), line: call.startPosition.row + 1, column: call.startPosition.column + 1 });
  };
  if (value.type === 'dictionary') {
    for (const pair of value.namedChildren) if (pair?.type === 'pair') add(stringValue(pair.childForFieldName('key')), pair.childForFieldName('value'));
  } else if (value.type === 'call' && value.childForFieldName('function')?.text === 'dict') {
    for (const argument of value.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument?.type === 'keyword_argument') add(argument.childForFieldName('name')?.text, argument.childForFieldName('value'));
    }
  }
  return found;
}
