import type { Node } from 'web-tree-sitter';
import type { FileFacts, InstallCommandFact } from '../model/file-facts.js';
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
  const type = callee.type;
  const name = type === 'attribute' ? callee.childForFieldName('attribute')?.text : type === 'identifier' ? callee.text : undefined;
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

/** Functions of modules and builtins a run() is described by, at most. */
const MAX_RUNS = 16;

/**
 * For each replaced command whose class is defined in the file (`class PostInstall(install):`,
 * nested in a function or not), the module and builtin functions its run() calls, in the functions
 * nested in it too: what executes at install, for the rule to judge. Called once the file's calls are recorded.
 */
export function describeRunMethods(root: Node, facts: FileFacts): void {
  if (facts.installCommands === undefined) return;
  const classes = root.descendantsOfType('class_definition');
  for (const command of facts.installCommands) {
    const owner = classes.find((node) => node?.childForFieldName('name')?.text === command.handler);
    const run = owner?.childForFieldName('body')?.namedChildren.map((child) => (child?.type === 'decorated_definition' ? child.childForFieldName('definition') : child)).find((child) => child?.type === 'function_definition' && child.childForFieldName('name')?.text === 'run');
    if (!run) continue;
    // Functions are recorded in the order they are written: a nested function comes after its parent.
    const inside = new Set([String(run.startIndex)]);
    for (const fn of facts.functions) if (fn.parent !== null && inside.has(fn.parent)) inside.add(fn.id);
    const runs = new Set<string>();
    for (const call of facts.calls) {
      if (runs.size >= MAX_RUNS) break;
      if (call.within !== null && inside.has(call.within) && !call.callee.startsWith('local:') && !call.callee.startsWith('member:')) runs.add(call.callee);
    }
    if (runs.size > 0) command.runs = [...runs];
  }
}
