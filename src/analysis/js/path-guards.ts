import type { Node } from '@babel/types';
import { isPathGuardName } from '../catalog/filesystem.js';
import type { Confinement } from '../model/file-facts.js';
import { constantString } from './constant.js';
import { isFunction, lastMemberName, unwrap } from './syntax.js';

/**
 * Signs that a function confines paths to allowed roots before using them: a call to a function
 * named like a path check (`validatePath`, `isPathAllowed`: catalog/filesystem.ts), a `startsWith`
 * whose prefix ends with a separator (`resolved.startsWith(root + path.sep)`), or `path.relative`
 * with a `..` test. A bare `startsWith(root)` is not one: `/allowed_evil` passes it (CVE-2025-53110).
 * Flow-insensitive like the labels, but for one thing: a call that ends before the function's first
 * check is not behind it (firstCheck; a check in an enclosing function counts wherever it is).
 *
 * The same walk tells whether the function returns only confined values (confinement): an `if`
 * whose test is such a check (or a host looked up in a set or list of allowed hosts), one of whose
 * branches throws or returns no value (`null`, `false`, nothing) when the check fails, before every
 * `return` of a value. A check that only warns, or that comes after a return, confines nothing.
 */
export class PathGuards {
  // Allocated on first use: most functions hold no check at all.
  private positions: number[] | null = null;
  private relatives: number[] | null = null;
  private parents: number[] | null = null;
  private excluded: Array<[number, number]> | null = null;
  /** It calls what may test membership in a list of allowed hosts (`has`, `includes`, `some`, `every`). */
  private lookups = false;
  /** `if`s that leave the function when their test holds (`if (!inside) throw …`), and those that leave it when it fails. */
  private exitsWhenTrue: Node[] | null = null;
  private exitsWhenFalse: Node[] | null = null;
  /** Where the function first returns a value (not a constant): the walk sees statements in source order. */
  private firstReturn = -1;

  /** The node types see() reads: the scan hands it no other (values.ts, seesType). */
  static readonly TYPES: readonly string[] = ['CallExpression', 'OptionalCallExpression', 'StringLiteral', 'IfStatement', 'BlockStatement', 'ReturnStatement'];

  see(node: Node): void {
    const type = node.type;
    if (type === 'CallExpression' || type === 'OptionalCallExpression') this.seeCall(node);
    else if (type === 'StringLiteral') {
      if (node.value === '..' || node.value.startsWith('../') || node.value.startsWith('..\\')) (this.parents ??= []).push(node.start ?? -1);
    } else if (type === 'IfStatement' || type === 'BlockStatement' || type === 'ReturnStatement') this.seeStatement(node);
  }

  private seeCall(node: Node & { callee: Node; arguments: Node[] }): void {
    const at = node.start ?? -1;
    const callee = unwrap(node.callee);
    const name = callee.type === 'Identifier' ? callee.name : lastMemberName(callee);
    if (name === undefined) return;
    if (isGuardName(name) || (name === 'startsWith' && endsWithSeparator(node.arguments[0]))) (this.positions ??= []).push(at);
    if (name === 'relative') (this.relatives ??= []).push(at);
    if (name === 'has' || name === 'includes' || name === 'some' || name === 'every') this.lookups = true;
  }

  /** The statements confinement reads: `if`s that leave the function, and returns of a value. */
  private seeStatement(node: Node): void {
    if (node.type === 'IfStatement') {
      if (exits(node.consequent)) (this.exitsWhenTrue ??= []).push(node);
      if (node.alternate && exits(node.alternate) && returnsValue(node.consequent)) (this.exitsWhenFalse ??= []).push(node);
    } else if (node.type === 'BlockStatement') {
      // `if (inside) return full; throw new Error(…)`: the statement after the `if` is the failing branch.
      for (let index = 0; index + 1 < node.body.length; index++) {
        const statement = node.body[index]!;
        if (statement.type === 'IfStatement' && !statement.alternate && returnsValue(statement.consequent) && exits(node.body[index + 1]!)) (this.exitsWhenFalse ??= []).push(statement);
      }
    } else if (node.type === 'ReturnStatement') {
      if (this.firstReturn === -1 && node.argument && !isConstantResult(node.argument)) this.firstReturn = node.start ?? 0;
    }
  }

  /** A subtree whose checks do not count here (a dispatch branch: it is a scope of its own). */
  exclude(node: Node): void {
    (this.excluded ??= []).push([node.start ?? -1, node.end ?? -1]);
  }

  found(): boolean {
    return this.firstCheck() !== null;
  }

  /** Where the function's first path check starts (for `path.relative`, where both it and a `..` have been written), or null. */
  firstCheck(): number | null {
    if (this.positions === null && (this.relatives === null || this.parents === null)) return null;
    const first = (positions: readonly number[] | null): number => {
      let found = Infinity;
      for (const at of positions ?? []) if (at < found && this.counts(at)) found = at;
      return found;
    };
    const at = Math.min(first(this.positions), Math.max(first(this.relatives), first(this.parents)));
    return at === Infinity ? null : at;
  }

  /**
   * What the function confines the values it returns to (see the class comment), or null.
   * `valueOf` gives the one value a variable of the function is assigned, for a test that reads a
   * check stored in a variable (`const inside = full.startsWith(root + sep); if (!inside) throw …`).
   */
  confinement(valueOf: (name: string) => Node | undefined): Confinement | null {
    if (this.firstReturn === -1 || (this.exitsWhenTrue === null && this.exitsWhenFalse === null)) return null;
    if (this.positions === null && this.relatives === null && !this.lookups) return null;
    const test = new TestReader(this.relatives !== null, valueOf);
    let first = Infinity;
    let kind: Confinement | null = null;
    const consider = (statement: Node, failsWhen: boolean) => {
      const at = statement.start ?? -1;
      if (at >= first || !this.counts(at)) return;
      const verdict = test.read((statement as Node & { test: Node }).test, 0);
      // The branch that leaves must be the one taken when the value is outside.
      if (verdict !== null && verdict.inside !== failsWhen) {
        first = at;
        kind = verdict.kind;
      }
    };
    for (const statement of this.exitsWhenTrue ?? []) consider(statement, true);
    for (const statement of this.exitsWhenFalse ?? []) consider(statement, false);
    return kind !== null && this.firstReturn > first ? kind : null;
  }

  private counts(at: number): boolean {
    return this.excluded === null || !this.excluded.some(([start, end]) => at >= start && at < end);
  }
}

/** What an `if` test says when it holds: the value is inside (or outside) the root, or its host is (or is not) allowed. */
interface Verdict {
  kind: Confinement;
  inside: boolean;
}

/** Reads the tests of `if`s for the checks of PathGuards.confinement; bounded, as tests are small. */
class TestReader {
  private steps = 0;

  constructor(
    private readonly relative: boolean,
    private readonly valueOf: (name: string) => Node | undefined,
  ) {}

  read(node: Node, depth: number): Verdict | null {
    if (depth > 8 || ++this.steps > 200) return null;
    const value = unwrap(node);
    switch (value.type) {
      case 'UnaryExpression': {
        if (value.operator !== '!') return null;
        const inner = this.read(value.argument as Node, depth + 1);
        return inner === null ? null : { kind: inner.kind, inside: !inner.inside };
      }
      case 'LogicalExpression':
        return this.read(value.left as Node, depth + 1) ?? this.read(value.right as Node, depth + 1);
      case 'Identifier': {
        const assigned = this.valueOf(value.name);
        return assigned === undefined ? null : this.read(assigned, depth + 1);
      }
      case 'BinaryExpression': {
        const equal = value.operator === '===' || value.operator === '==';
        if (!equal && value.operator !== '!==' && value.operator !== '!=') return null;
        const left = unwrap(value.left as Node);
        const right = unwrap(value.right as Node);
        // `rel === '..'`, `rel.split(path.sep)[0] !== '..'`: true when outside.
        if (this.relative && (isParentReference(left) || isParentReference(right))) return { kind: 'path', inside: !equal };
        // `url.hostname === 'api.example.com'`.
        if ((isHost(left) && right.type === 'StringLiteral') || (isHost(right) && left.type === 'StringLiteral')) return { kind: 'host', inside: equal };
        return null;
      }
      case 'CallExpression':
      case 'OptionalCallExpression': {
        const callee = unwrap(value.callee as Node);
        const name = callee.type === 'Identifier' ? callee.name : lastMemberName(callee);
        const first = value.arguments[0] as Node | undefined;
        if (name === undefined) return null;
        if (name === 'startsWith' && endsWithSeparator(first)) return { kind: 'path', inside: true };
        if (isGuardName(name)) return { kind: 'path', inside: true };
        // `rel.startsWith('..')`, `rel.split(path.sep).includes('..')`: true when outside.
        if (this.relative && (name === 'startsWith' || name === 'includes') && first !== undefined && isParentReference(unwrap(first))) return { kind: 'path', inside: false };
        // `ALLOWED_HOSTS.has(url.hostname)`, `allowed.includes(new URL(u).host)`.
        if ((name === 'has' || name === 'includes') && first !== undefined && isHost(unwrap(first))) return { kind: 'host', inside: true };
        // `roots.some((root) => full.startsWith(root + path.sep))`: the callback's test.
        if ((name === 'some' || name === 'every') && first !== undefined && isFunction(first)) {
          const body = (first as Node & { body: Node }).body;
          const returned = body.type === 'BlockStatement' ? (body.body.length === 1 && body.body[0]!.type === 'ReturnStatement' ? body.body[0].argument : null) : body;
          return returned ? this.read(returned as Node, depth + 1) : null;
        }
        return null;
      }
      default:
        return null;
    }
  }
}

/** The statement leaves the function without a value: `throw`, `return;`, `return null`, or a block ending so. */
function exits(statement: Node): boolean {
  let current: Node | undefined = statement;
  while (current?.type === 'BlockStatement') current = current.body.at(-1);
  if (current === undefined) return false;
  if (current.type === 'ThrowStatement') return true;
  return current.type === 'ReturnStatement' && (!current.argument || isConstantResult(current.argument));
}

/** The statement returns a value (not a constant), as its last word. */
function returnsValue(statement: Node): boolean {
  let current: Node | undefined = statement;
  while (current?.type === 'BlockStatement') current = current.body.at(-1);
  return current?.type === 'ReturnStatement' && current.argument !== null && current.argument !== undefined && !isConstantResult(current.argument);
}

/** `null`, `undefined`, `false`, a number or a string: a result that carries no path or URL. */
function isConstantResult(node: Node): boolean {
  const value = unwrap(node);
  switch (value.type) {
    case 'NullLiteral':
    case 'BooleanLiteral':
    case 'NumericLiteral':
    case 'StringLiteral':
      return true;
    case 'Identifier':
      return value.name === 'undefined';
    case 'UnaryExpression':
      return value.operator === 'void';
    default:
      return false;
  }
}

/** `'..'`, `'../'`, `'..' + path.sep`, `` `..${path.sep}` ``. */
function isParentReference(node: Node): boolean {
  const text = node.type === 'BinaryExpression' && node.operator === '+' ? constantString(node.left as Node) : node.type === 'TemplateLiteral' ? node.quasis[0]?.value.cooked : constantString(node);
  return text === '..' || text?.startsWith('../') === true || text?.startsWith('..\\') === true;
}

/** `url.hostname`, `url.host`, `new URL(x).hostname`, or a variable named like a host. */
function isHost(node: Node): boolean {
  if (node.type === 'Identifier') return /host/i.test(node.name);
  const name = lastMemberName(node);
  return name === 'hostname' || name === 'host';
}

const GUARD_NAMES = new Map<string, boolean>();

/** isPathGuardName, remembered: it tries several patterns, and the same method names come up in every file. */
function isGuardName(name: string): boolean {
  let known = GUARD_NAMES.get(name);
  if (known === undefined) {
    known = isPathGuardName(name);
    // Names come from bundle text: bound the table, not the work.
    if (GUARD_NAMES.size < 50_000) GUARD_NAMES.set(name, known);
  }
  return known;
}

/** `root + path.sep`, `root + '/'`, `` `${root}/` ``, `rootWithSep`: a prefix that cannot match `/allowed_evil`. */
function endsWithSeparator(argument: Node | undefined): boolean {
  if (!argument) return false;
  const value = unwrap(argument);
  const isSeparator = (node: Node): boolean => {
    const text = constantString(node);
    if (text !== undefined) return text.endsWith('/') || text.endsWith('\\');
    const inner = unwrap(node);
    const name = inner.type === 'Identifier' ? inner.name : lastMemberName(inner);
    return name !== undefined && /sep$/i.test(name);
  };
  if (value.type === 'BinaryExpression' && value.operator === '+') return isSeparator(value.right as Node);
  if (value.type === 'TemplateLiteral') {
    const tail = value.quasis.at(-1)?.value.cooked ?? '';
    if (tail !== '') return tail.endsWith('/') || tail.endsWith('\\');
    const last = value.expressions.at(-1);
    return last !== undefined && isSeparator(last as Node);
  }
  return isSeparator(value);
}
