import type { Node } from 'web-tree-sitter';
import { isPathGuardName } from '../catalog/filesystem.js';
import type { Confinement } from '../model/file-facts.js';
import { stringValue } from './syntax.js';
import type { Scope } from './values.js';

// What Python code says about confining paths, as js/path-guards.ts reads it in JavaScript: which
// calls are path checks (the function's calls after its first check are marked guarded by the
// extractor), and whether a function returns only values it confined (FunctionFact.confines).

/**
 * Signs that a function confines paths to allowed roots: a call to a function named like a path
 * check (`validate_path`, `_is_path_allowed`: catalog/filesystem.ts), `is_relative_to` or
 * `relative_to` (which raises outside the root), `os.path.commonpath`, or a `startswith` whose prefix
 * ends with a separator (`real.startswith(root + os.sep)`). A bare `startswith(root)` is not one:
 * "/allowed_evil" passes it (CVE-2025-53110). `os.path.relpath` with a `..` test is counted apart
 * (see noteCheck and firstCheck).
 */
export function isPathCheck(callee: string, list: Node): boolean {
  const name = callee.slice(Math.max(callee.lastIndexOf('.'), callee.lastIndexOf(':')) + 1);
  if (name === 'is_relative_to' || name === 'relative_to' || callee === 'os.path.commonpath') return true;
  if (name === 'startswith') {
    const first = list.namedChildren.find((child) => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
    return first !== undefined && first !== null && endsWithSeparator(first);
  }
  return isGuardName(name);
}

/** What one recorded call tells the function it is written in: a path check, `relpath`, a URL parsed (where it starts). */
export function noteCheck(scope: Scope, callee: string, list: Node | null, call: Node): void {
  if (scope.id !== null && list && isPathCheck(callee, list)) {
    scope.checksPaths = true;
    scope.checkedFrom ??= call.startIndex;
  }
  if (callee === 'os.path.relpath') {
    scope.relpath = true;
    scope.relpathAt ??= call.startIndex;
  }
  if (URL_PARSERS.test(callee)) scope.parsesUrl = true;
}

/** `urllib.parse.urlparse`, `urlsplit`, `httpx.URL`, `yarl.URL`: a function reading a URL's parts may check its host. */
const URL_PARSERS = /(?:^|\.)(?:urlparse|urlsplit|URL)$/;

/** Where the function's first path check starts (for `relpath`, where both it and a `..` have been written), or null. */
export function firstCheck(scope: Scope): number | null {
  const relative = scope.relpath && scope.parentRef ? Math.max(scope.relpathAt ?? 0, scope.parentRefAt ?? 0) : Infinity;
  const at = Math.min(scope.checksPaths ? (scope.checkedFrom ?? 0) : Infinity, relative);
  return at === Infinity ? null : at;
}

/** isPathGuardName by callee name, remembered: the same names come up in every file. */
const GUARD_NAMES = new Map<string, boolean>();

function isGuardName(name: string): boolean {
  let known = GUARD_NAMES.get(name);
  if (known === undefined) {
    known = isPathGuardName(name.replace(/^_+/, ''));
    // Names come from bundle text: bound the table, not the work.
    if (GUARD_NAMES.size < 50_000) GUARD_NAMES.set(name, known);
  }
  return known;
}

/** `root + os.sep`, `root + "/"`, `f"{root}/"`, `f"{root}{os.sep}"`, `root_with_sep`, `os.path.join(root, "")`: a prefix that cannot match "/allowed_evil". */
export function endsWithSeparator(node: Node): boolean {
  let at: Node | null = node;
  while (at?.type === 'parenthesized_expression') at = at.namedChildren[0] ?? null;
  if (!at) return false;
  switch (at.type) {
    case 'string': {
      const last = at.namedChildren.filter((child) => child?.type !== 'string_end').at(-1);
      if (last?.type === 'interpolation') {
        const expression = last.namedChildren[0];
        return expression !== null && expression !== undefined && endsWithSeparator(expression);
      }
      return last !== null && last !== undefined && (last.text.endsWith('/') || last.text.endsWith('\\'));
    }
    case 'binary_operator': {
      const right = at.childForFieldName('right');
      return at.childForFieldName('operator')?.type === '+' && right !== null && endsWithSeparator(right);
    }
    case 'identifier':
      return /sep$/i.test(at.text);
    case 'attribute':
      return /sep$/i.test(at.childForFieldName('attribute')?.text ?? '');
    case 'call': {
      const fn = at.childForFieldName('function');
      const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      const args = at.childForFieldName('arguments')?.namedChildren ?? [];
      if (name === 'join') return stringValue(args.at(-1) ?? null) === '';
      // `str(root) + os.sep` is a binary operator; `str(root_with_sep)` keeps what it is given.
      return name === 'str' && args.length === 1 && args[0] !== null && args[0] !== undefined && endsWithSeparator(args[0]);
    }
    default:
      return false;
  }
}

/**
 * What a function confines the values it returns to, or null: an `if` whose test is a path check
 * (above, or `commonpath(...) == root`, or `..` after `relpath`) or a URL's host looked up among
 * allowed hosts (`parsed.hostname in ALLOWED_HOSTS`), one of whose branches raises or returns no
 * value (`None`, `False`, nothing) when the check fails; or `relative_to` in a `try` whose `except`
 * does so. That check must come before every `return` of a value. Read only for functions whose
 * calls include a check or a URL parser; nested functions and classes are not its statements.
 */
export function confinementOf(body: Node, scope: Scope): Confinement | null {
  if (!(scope.checksPaths || (scope.relpath && scope.parentRef) || scope.parsesUrl)) return null;
  const reader = new BodyReader(scope.relpath === true);
  reader.statements(body, 0);
  return reader.verdict();
}

interface Verdict {
  kind: Confinement;
  inside: boolean;
}

/** A check that leaves the function: where it starts, its test (or its verdict, for `try`), and which outcome leaves. */
interface Exit {
  at: number;
  test: Node | null;
  verdict?: Verdict;
  failsWhen: boolean;
}

class BodyReader {
  private readonly returns: number[] = [];
  private readonly exits: Exit[] = [];
  /** Names assigned exactly once (null: more than once), for a test that reads a stored check. */
  private readonly assigned = new Map<string, Node | null>();
  private steps = 0;

  constructor(private readonly relative: boolean) {}

  statements(block: Node, depth: number): void {
    if (depth > 32) return;
    const list = block.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    for (let index = 0; index < list.length; index++) {
      if (++this.steps > 2_000) return;
      const statement = list[index]!;
      switch (statement.type) {
        case 'return_statement': {
          const value = statement.namedChildren.find((child) => child !== null && child.type !== 'comment');
          if (value && !isConstantResult(value)) this.returns.push(statement.startIndex);
          break;
        }
        case 'expression_statement': {
          const assignment = statement.namedChildren[0];
          const target = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
          const value = assignment?.childForFieldName('right');
          if (target?.type === 'identifier' && value) this.assigned.set(target.text, this.assigned.has(target.text) ? null : value);
          break;
        }
        case 'if_statement':
          this.ifStatement(statement, list[index + 1], depth);
          break;
        case 'try_statement':
          this.tryStatement(statement, depth);
          break;
        case 'function_definition':
        case 'class_definition':
        case 'decorated_definition':
          break;
        default:
          // for, while, with: their bodies are the function's statements too.
          for (const child of statement.namedChildren) if (child?.type === 'block') this.statements(child, depth + 1);
          for (const child of statement.namedChildren) if (child?.type === 'else_clause') this.blocksOf(child, depth);
      }
    }
  }

  private ifStatement(statement: Node, next: Node | undefined, depth: number): void {
    const test = statement.childForFieldName('condition');
    const consequence = statement.childForFieldName('consequence');
    const alternatives = statement.childrenForFieldName('alternative').filter((child): child is Node => child !== null);
    if (test && consequence) {
      const at = statement.startIndex;
      if (exits(consequence)) this.exits.push({ at, test, failsWhen: true });
      const otherwise = alternatives.length === 1 && alternatives[0]!.type === 'else_clause' ? (alternatives[0]!.namedChildren.find((child) => child?.type === 'block') ?? null) : null;
      // `if inside: return real` then `raise …` (or `else: raise …`).
      if (returnsValue(consequence) && ((otherwise && exits(otherwise)) || (alternatives.length === 0 && next !== undefined && exits(next)))) this.exits.push({ at, test, failsWhen: false });
    }
    if (consequence) this.statements(consequence, depth + 1);
    for (const alternative of alternatives) this.blocksOf(alternative, depth);
  }

  /** `try: p.relative_to(root)` with an `except` that raises or returns nothing. */
  private tryStatement(statement: Node, depth: number): void {
    const body = statement.childForFieldName('body');
    const handlers = statement.namedChildren.filter((child): child is Node => child?.type === 'except_clause');
    if (body && callsRelativeTo(body) && handlers.some((handler) => handler.namedChildren.some((child) => child?.type === 'block' && exits(child)))) {
      this.exits.push({ at: statement.startIndex, test: null, verdict: { kind: 'path', inside: false }, failsWhen: true });
    }
    if (body) this.statements(body, depth + 1);
    for (const child of statement.namedChildren) if (child && child !== body && child.type !== 'block') this.blocksOf(child, depth);
  }

  private blocksOf(clause: Node, depth: number): void {
    for (const child of clause.namedChildren) if (child?.type === 'block') this.statements(child, depth + 1);
  }

  verdict(): Confinement | null {
    let first = Infinity;
    let kind: Confinement | null = null;
    for (const exit of this.exits) {
      if (exit.at >= first) continue;
      const verdict = exit.verdict ?? (exit.test ? this.read(exit.test, 0) : null);
      if (verdict !== null && verdict.inside !== exit.failsWhen) {
        first = exit.at;
        kind = verdict.kind;
      }
    }
    if (kind === null || this.returns.length === 0 || this.returns.some((at) => at < first)) return null;
    return kind;
  }

  /** What a test says when it holds (see js/path-guards.ts TestReader). */
  private read(node: Node, depth: number): Verdict | null {
    if (depth > 8 || ++this.steps > 2_000) return null;
    switch (node.type) {
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((child) => child !== null && child.type !== 'comment');
        return inner ? this.read(inner, depth + 1) : null;
      }
      case 'not_operator': {
        const argument = node.childForFieldName('argument');
        const inner = argument ? this.read(argument, depth + 1) : null;
        return inner === null ? null : { kind: inner.kind, inside: !inner.inside };
      }
      case 'boolean_operator': {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        return (left ? this.read(left, depth + 1) : null) ?? (right ? this.read(right, depth + 1) : null);
      }
      case 'identifier': {
        const value = this.assigned.get(node.text);
        return value ? this.read(value, depth + 1) : null;
      }
      case 'call': {
        const fn = node.childForFieldName('function');
        const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.type === 'identifier' ? fn.text : undefined;
        const first = node.childForFieldName('arguments')?.namedChildren.find((child) => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
        if (name === undefined) return null;
        if (name === 'startswith' && first && endsWithSeparator(first)) return { kind: 'path', inside: true };
        if (name === 'is_relative_to' || isGuardName(name)) return { kind: 'path', inside: true };
        // `rel.startswith("..")`: true when outside.
        if (this.relative && name === 'startswith' && first && isParentReference(first)) return { kind: 'path', inside: false };
        return null;
      }
      case 'comparison_operator': {
        const operands = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
        const operator = node.children.find((child) => child !== null && !child.isNamed)?.type;
        const [left, right] = operands;
        if (!left || !right || operator === undefined) return null;
        const equal = operator === '==' || operator === 'is';
        const unequal = operator === '!=' || operator === 'is not';
        // `os.path.commonpath([real, root]) == root`.
        if ((equal || unequal) && (isCommonPath(left) || isCommonPath(right))) return { kind: 'path', inside: equal };
        // `rel == ".."`, `".." in rel.split(os.sep)`: true when outside.
        if (this.relative && (isParentReference(left) || isParentReference(right))) {
          if (equal || operator === 'in') return { kind: 'path', inside: false };
          if (unequal || operator === 'not in') return { kind: 'path', inside: true };
        }
        // `parsed.hostname in ALLOWED_HOSTS`, `parsed.hostname == "api.example.com"`.
        if (isHost(left)) {
          if (operator === 'in' || (equal && right.type === 'string')) return { kind: 'host', inside: true };
          if (operator === 'not in' || (unequal && right.type === 'string')) return { kind: 'host', inside: false };
        }
        return null;
      }
      default:
        return null;
    }
  }
}

/** The statement (or block) leaves the function without a value: `raise`, `return`, `return None`, or a block ending so. */
function exits(node: Node): boolean {
  const last = lastStatement(node);
  if (last === null) return false;
  if (last.type === 'raise_statement') return true;
  if (last.type !== 'return_statement') return false;
  const value = last.namedChildren.find((child) => child !== null && child.type !== 'comment');
  return !value || isConstantResult(value);
}

/** The block's last statement returns a value (not a constant). */
function returnsValue(node: Node): boolean {
  const last = lastStatement(node);
  if (last?.type !== 'return_statement') return false;
  const value = last.namedChildren.find((child) => child !== null && child.type !== 'comment');
  return value !== undefined && value !== null && !isConstantResult(value);
}

function lastStatement(node: Node): Node | null {
  if (node.type !== 'block') return node;
  const statements = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
  return statements.at(-1) ?? null;
}

/** `None`, `False`, a number or a plain string: a result that carries no path or URL. */
function isConstantResult(node: Node): boolean {
  switch (node.type) {
    case 'none':
    case 'true':
    case 'false':
    case 'integer':
    case 'float':
      return true;
    case 'string':
      return stringValue(node) !== undefined;
    default:
      return false;
  }
}

/** `".."`, `"../"`, `".." + os.sep`. */
function isParentReference(node: Node): boolean {
  const text = node.type === 'binary_operator' ? stringValue(node.childForFieldName('left')) : stringValue(node);
  return text === '..' || text?.startsWith('../') === true || text?.startsWith('..\\') === true;
}

function isCommonPath(node: Node): boolean {
  if (node.type !== 'call') return false;
  const fn = node.childForFieldName('function');
  const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
  return name === 'commonpath';
}

/** `parsed.hostname`, `urlparse(u).netloc`, or a variable named like a host. */
function isHost(node: Node): boolean {
  if (node.type === 'identifier') return /host/i.test(node.text);
  if (node.type !== 'attribute') return false;
  const name = node.childForFieldName('attribute')?.text;
  return name === 'hostname' || name === 'netloc' || name === 'host';
}

/** A call of `relative_to` in the block (not in nested functions). */
function callsRelativeTo(block: Node): boolean {
  for (const call of block.descendantsOfType('call')) {
    const fn = call?.childForFieldName('function');
    if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'relative_to') return true;
  }
  return false;
}
