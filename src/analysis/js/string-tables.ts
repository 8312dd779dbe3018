import type { Function as FunctionNode, Node, Statement } from '@babel/types';
import { recordLookup } from './constant.js';
import { pushChildren } from './syntax.js';

// Obfuscators (obfuscator.io and its imitators) move a program's strings into one array and replace
// each use with a lookup: `_0x1a2b[3]`, or a call of an accessor, `_0x4cfd(0x1a4)`, which returns
// `table[0x1a4 - 0x195]` (through local aliases, `const _0x5a = _0x4cfd`), after a self-invoking
// function has rotated the table (`push(shift())`) until a checksum of parseInt'ed entries matches.
// Read as written, every module and sink name is hidden. Here the table, its accessors and its
// rotation are evaluated by a small interpreter over the part of JavaScript they are written in
// (numbers, strings, arrays, arithmetic, parseInt, string and array methods, loops, try), under a
// step budget; nothing else runs, no host object is reachable, and anything outside that part
// abandons the table. Each lookup with constant arguments is recorded with the string it yields,
// for constant.ts to fold like any other constant: as encoded when the table is an obfuscator's
// (handed out by a self-replacing function, or rotated), as merely built when it is an ordinary
// array read only by index (`const LEVELS = ['debug', 'info']; LEVELS[1]`).

/** Steps the interpreter may take per file, all tables together: rotating a table of a few hundred entries takes tens of thousands. */
const MAX_STEPS = 200_000;
const MAX_CALL_DEPTH = 40;
const MAX_TABLE_LENGTH = 20_000;
/** Longest string or array a step may make: doubling a value in a loop would otherwise fill memory long before the step budget ends. */
const MAX_VALUE_LENGTH = 1 << 20;
/** Tables looked at per statement list. */
const MAX_TABLES = 8;
/** Arrays whose every use is checked per statement list (see onlyIndexed). */
const MAX_USE_SEARCHES = 4;

/**
 * Finds string tables among the program's top-level statements (and those of a top-level wrapper
 * function called in place), evaluates their rotations, and records what each constant lookup yields.
 */
export function decodeStringTables(program: Node, text: string): void {
  if (program.type !== 'Program') return;
  const budget = { steps: 0 };
  for (const statements of statementLists(program.body)) {
    if (!statements.some(declaresTable)) continue;
    const declarations = declarationsOf(statements);
    const candidates = new Set([...declarations].filter(([name, node]) => isTable(name, node)).map(([name]) => name));
    if (candidates.size === 0) continue;
    const rotations = statements.map(selfInvoked).filter((call) => call !== null && call.arguments.some((argument) => argument.type === 'Identifier' && candidates.has(argument.name)));
    const rotated = new Set(rotations.flatMap((call) => call!.arguments.flatMap((argument) => (argument.type === 'Identifier' ? [argument.name] : []))));
    // A table is one when a function hands it out, a rotation shuffles it, or its name is only ever indexed: an ordinary array of strings is none of these.
    // Reading the whole text for an array's uses is bounded: a minified bundle has many short names.
    let searches = 0;
    const tables = [...candidates]
      .filter((name) => isFunctionValue(declarations.get(name)!) || rotated.has(name) || (text.includes(`${name}[`) && ++searches <= MAX_USE_SEARCHES && onlyIndexed(text, name)))
      .slice(0, MAX_TABLES);
    if (tables.length === 0) continue;
    // Accessors are looked for around an obfuscator's tables only: an ordinary array read by index is folded where it is indexed.
    const machinery = tables.filter((name) => isFunctionValue(declarations.get(name)!) || rotated.has(name));
    const accessors = new Set<string>();
    for (const [name, node] of machinery.length === 0 ? [] : declarations) {
      if (!candidates.has(name) && isFunctionValue(node) && machinery.some((table) => mentions(text, node, table))) accessors.add(name);
    }
    const indexed = new Set(tables.filter((name) => declarations.get(name)!.type === 'ArrayExpression'));
    const interpreter = new Interpreter(declarations, budget);
    try {
      for (const rotation of rotations) interpreter.evaluate(rotation!, interpreter.global);
    } catch {
      continue; // a rotation that cannot be followed leaves the table's order unknown: nothing is decoded
    }
    recordLookups(program, interpreter, accessors, indexed, machinery.length > 0);
  }
}

/** Steps the interpreter may take per file for the bundle's own decoders (decodeLocalCalls). */
const MAX_DECODER_STEPS = 50_000;
/** The longest decoder, in characters of source, worth running: a decoder is a line or two. */
const MAX_DECODER_LENGTH = 400;
/** Decoder calls evaluated per file. */
const MAX_DECODER_CALLS = 200;
/** What a character decoder is built on: char codes (hex, Caesar shifts, XOR) or base64. */
const DECODER_HINT = /fromCharCode|atob\s*\(/;

/**
 * Small functions of the bundle that decode a string (`function g(h) { return h.replace(/../g, (m) =>
 * String.fromCharCode(parseInt(m, 16))); }`, `const k = (s) => s.split('').map((c) =>
 * String.fromCharCode(c.charCodeAt() - 1)).join('')`), called with constants (`g('72657175697265')`,
 * `k(i)` with `const i = 'gfudi'`): each call is evaluated by the interpreter and recorded with the
 * string it yields, as encoded, for constant.ts to fold. Only files whose text builds characters
 * from codes or base64 are walked; a decoder is a function of one or two parameters, at most
 * MAX_DECODER_LENGTH characters long, declared once in the file under its name, and reaches nothing
 * but its parameters, the builtins of the subset and other such functions and string constants.
 */
export function decodeLocalCalls(program: Node, text: string): void {
  if (program.type !== 'Program' || text.length > MAX_DECODER_FILE || !DECODER_HINT.test(text) || !mayCallDecoder(text)) return;
  const declared = new Map<string, Node | null>();
  const calls: Array<Extract<Node, { type: 'CallExpression' }>> = [];
  const declare = (name: string, node: Node) => declared.set(name, declared.has(name) ? null : node);
  const stack: Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    pushChildren(stack, node);
    // A parameter of the same name elsewhere is another value there: such a name is no decoder's.
    if (isFunctionValue(node)) for (const param of node.params) if (param.type === 'Identifier') declared.set(param.name, null);
    if (node.type === 'FunctionDeclaration' && node.id) declare(node.id.name, node);
    else if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init) declare(node.id.name, node.init);
    else if (node.type === 'AssignmentExpression' && node.left.type === 'Identifier') declared.set(node.left.name, null);
    else if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.arguments.length > 0 && calls.length < MAX_DECODER_CALLS) calls.push(node);
  }
  const decoders = new Map<string, Node>();
  for (const [name, node] of declared) {
    if (node === null) continue;
    if (node.type === 'StringLiteral') decoders.set(name, node);
    else if (isFunctionValue(node) && node.params.length > 0 && node.params.length <= 2 && (node.end ?? 0) - (node.start ?? 0) <= MAX_DECODER_LENGTH && DECODER_HINT.test(text.slice(node.start ?? 0, node.end ?? 0))) decoders.set(name, node);
  }
  if (![...decoders.values()].some(isFunctionValue)) return;
  const interpreter = new Interpreter(decoders, { steps: MAX_STEPS - MAX_DECODER_STEPS });
  const constant = (argument: Node) => isConstantArgument(argument) || (argument.type === 'Identifier' && decoders.get(argument.name)?.type === 'StringLiteral');
  for (const call of calls) {
    const name = (call.callee as Extract<Node, { type: 'Identifier' }>).name;
    const decoder = decoders.get(name);
    if (decoder === undefined || !isFunctionValue(decoder) || !call.arguments.every((argument) => constant(argument as Node))) continue;
    let value: unknown;
    try {
      value = interpreter.call(interpreter.lookup(name, interpreter.global), call.arguments.map((argument) => interpreter.evaluate(argument as Node, interpreter.global)), 0);
    } catch (error) {
      if (error instanceof OutOfSteps) return;
      continue;
    }
    if (typeof value === 'string') recordLookup(call, { value, encoded: true, decoder: true });
  }
}

/**
 * Files longer than this are not walked for decoders. Measured on 1,462 files (17.8 MB) of this
 * repository's node_modules: the 69 that build characters from codes are mostly minified bundles
 * (vite's, playwright's trace viewer, node-forge) whose one-letter names pass mayCallDecoder, and
 * walking them cost 3 to 5 % of the whole extraction; all are over 256 KB. A dropper's decoder sits
 * in a small file; an obfuscator's string table, in a file of any size, is decodeStringTables'.
 */
const MAX_DECODER_FILE = 256 * 1024;

/** Decoder hints looked at per file, and how far before one its function's name may be. */
const MAX_HINTS = 32;
const DECLARED_NAME = /(?:function\s+([\w$]+)\s*\(|([\w$]+)\s*=\s*(?:function\b|\([^()]{0,40}\)\s*=>|[\w$]+\s*=>))/g;

/**
 * A cheap reading of the text before the tree is walked: some function named shortly before a
 * decoder hint is called somewhere with a literal first argument (`g('72…')`), or with a name that
 * is given a literal somewhere (`k(i)`, `const i = 'gfudi'`). Most files that build characters from
 * codes are libraries that never do, and are not walked.
 */
function mayCallDecoder(text: string): boolean {
  const hints = new RegExp(DECODER_HINT.source, 'g');
  const names = new Set<string>();
  let hint: RegExpExecArray | null;
  for (let count = 0; count < MAX_HINTS && (hint = hints.exec(text)) !== null; count++) {
    const before = text.slice(Math.max(0, hint.index - MAX_DECODER_LENGTH), hint.index);
    let name: string | undefined;
    for (const declared of before.matchAll(DECLARED_NAME)) name = declared[1] ?? declared[2];
    if (name !== undefined) names.add(name);
  }
  for (const name of names) {
    // `g('72…')`, or `k(i)` where some `i = '…'` is written.
    const call = new RegExp(`(?<![\\w$.])${escapeRegExp(name)}\\(\\s*(?:['"\`]|([\\w$]+)\\s*[,)])`, 'g');
    for (const found of text.matchAll(call)) {
      if (/function\s*$/.test(text.slice(Math.max(0, found.index - 12), found.index))) continue;
      if (found[1] === undefined || new RegExp(`(?<![\\w$.])${escapeRegExp(found[1])}\\s*=\\s*['"\`]`).test(text)) return true;
    }
  }
  return false;
}

/** The program's statements, and those of a top-level `(function () { … })()` wrapper. */
function statementLists(body: Statement[]): Statement[][] {
  const lists = [body];
  for (const statement of body) {
    const call = selfInvoked(statement);
    const callee = call?.callee;
    if (callee && (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') && callee.body.type === 'BlockStatement') lists.push(callee.body.body);
  }
  return lists;
}

/** `(function (…) { … })(…)`, `!function () { … }()`: the call. */
function selfInvoked(statement: Statement): Extract<Node, { type: 'CallExpression' }> | null {
  if (statement.type !== 'ExpressionStatement') return null;
  let expression: Node = statement.expression;
  while (expression.type === 'UnaryExpression' || expression.type === 'ParenthesizedExpression') expression = expression.type === 'UnaryExpression' ? expression.argument : expression.expression;
  if (expression.type !== 'CallExpression') return null;
  const callee = expression.callee.type === 'ParenthesizedExpression' ? expression.callee.expression : expression.callee;
  return callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression' ? expression : null;
}

/** Function declarations and `var x = …` of a statement list, by name. */
function declarationsOf(statements: Statement[]): Map<string, Node> {
  const found = new Map<string, Node>();
  for (const statement of statements) {
    if (statement.type === 'FunctionDeclaration' && statement.id) found.set(statement.id.name, statement);
    if (statement.type !== 'VariableDeclaration') continue;
    for (const declarator of statement.declarations) {
      if (declarator.id.type === 'Identifier' && declarator.init) found.set(declarator.id.name, declarator.init);
    }
  }
  return found;
}

/** The statement declares something isTable accepts: most files have none, and are left at that. */
function declaresTable(statement: Statement): boolean {
  if (statement.type === 'FunctionDeclaration') return statement.id != null && isTable(statement.id.name, statement);
  if (statement.type !== 'VariableDeclaration') return false;
  return statement.declarations.some((declarator) => declarator.id.type === 'Identifier' && declarator.init != null && isTable(declarator.id.name, declarator.init));
}

/**
 * A table: an array literal of at least two strings, or a function whose first statement declares
 * one and that then replaces itself with a function handing the array out (`t = function () {
 * return items; }`), as obfuscators write it.
 */
function isTable(name: string, node: Node): boolean {
  let array: Node | null | undefined = node;
  if (isFunctionValue(node)) {
    const body = (node as FunctionNode).body;
    if (body.type !== 'BlockStatement' || !body.body.some((statement) => replacesItself(statement, name))) return false;
    const first = body.body[0];
    array = first?.type === 'VariableDeclaration' && first.declarations.length === 1 ? first.declarations[0]!.init : undefined;
  }
  if (array?.type !== 'ArrayExpression' || array.elements.length < 2 || array.elements.length > MAX_TABLE_LENGTH) return false;
  return array.elements.every((element) => element?.type === 'StringLiteral');
}

/** `name = function …;` or `return (name = function …), name();` */
function replacesItself(statement: Statement, name: string): boolean {
  let expression: Node | null | undefined = statement.type === 'ExpressionStatement' ? statement.expression : statement.type === 'ReturnStatement' ? statement.argument : null;
  if (expression?.type === 'SequenceExpression') expression = expression.expressions[0];
  return expression?.type === 'AssignmentExpression' && expression.left.type === 'Identifier' && expression.left.name === name;
}

function isFunctionValue(node: Node): node is FunctionNode {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function mentions(text: string, node: Node, name: string): boolean {
  return node.start != null && node.end != null && new RegExp(`(?<![\\w$])${escapeRegExp(name)}(?![\\w$])`).test(text.slice(node.start, node.end));
}

/** Every use of the array's name, but its declaration, reads an item (`t[3]`, `t[i - 0x1a0]`): nothing changes it or lets it out. */
function onlyIndexed(text: string, name: string): boolean {
  const uses = text.match(new RegExp(`(?<![\\w$.])${escapeRegExp(name)}(?![\\w$])(?:\\s*\\[[^\\[\\]]*\\](?!\\s*(?:=[^=]|\\+\\+|--)))?`, 'g')) ?? [];
  return uses.filter((use) => !use.includes('[')).length === 1;
}

function escapeRegExp(text: string): string {
  return text.replace(/[$]/g, '\\$');
}

/** Walks the program: each call of an accessor (or of a local alias of one) and each index into a table, with constant arguments. */
function recordLookups(program: Node, interpreter: Interpreter, accessors: Set<string>, indexed: Set<string>, encoded: boolean): void {
  // Alias -> the accessor it names.
  const aliases = new Map([...accessors].map((name) => [name, name]));
  const stack: Node[] = [program];
  while (stack.length > 0) {
    const node = stack.pop()!;
    pushChildren(stack, node);
    if (node.type === 'VariableDeclarator' && node.id.type === 'Identifier' && node.init?.type === 'Identifier' && aliases.has(node.init.name)) {
      aliases.set(node.id.name, aliases.get(node.init.name)!);
      continue;
    }
    let value: unknown;
    try {
      if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && aliases.has(node.callee.name) && node.arguments.every(isConstantArgument)) {
        const fn = interpreter.lookup(aliases.get(node.callee.name)!, interpreter.global);
        value = interpreter.call(fn, node.arguments.map((argument) => interpreter.evaluate(argument, interpreter.global)), 0);
      } else if (node.type === 'MemberExpression' && node.computed && node.object.type === 'Identifier' && indexed.has(node.object.name) && isConstantArgument(node.property)) {
        value = interpreter.evaluate(node, interpreter.global);
      } else continue;
    } catch (error) {
      if (error instanceof OutOfSteps) return;
      continue;
    }
    if (typeof value === 'string') recordLookup(node, { value, encoded });
  }
}

function isConstantArgument(node: Node): boolean {
  if (node.type === 'NumericLiteral' || node.type === 'StringLiteral') return true;
  if (node.type === 'UnaryExpression') return (node.operator === '-' || node.operator === '+') && isConstantArgument(node.argument);
  if (node.type === 'BinaryExpression') return isConstantArgument(node.left as Node) && isConstantArgument(node.right);
  return false;
}

// ---- the interpreter ---------------------------------------------------------------------------

type Value = number | string | boolean | null | undefined | Value[] | Closure | Builtin | Pattern;

/**
 * A regular expression literal of a shape that cannot backtrack badly: no repetition (`*`, `+`,
 * `{n,m}`), no groups, no alternation (`/../g`, `/[a-z]/gi`), so each match costs at most its length.
 */
class Pattern {
  constructor(readonly regex: RegExp) {}
}

const SAFE_PATTERN = /^[^*+{}()|]{1,40}$/;

class Closure {
  constructor(
    readonly node: FunctionNode,
    readonly scope: Frame,
  ) {}
}

class Builtin {
  constructor(readonly run: (args: Value[], self: Value) => Value) {}
}

// Thrown, not Errors: no stack is captured for what is an ordinary outcome here.
/** Outside the subset, or a value the subset does not model: the evaluation is abandoned. */
class Unsupported {
  constructor(readonly what: string) {}
}
/** The budget is spent: nothing more is evaluated in this file. */
class OutOfSteps {}
/** A JavaScript `throw` (or a runtime error of the code), for `try` to catch. */
class Thrown {
  constructor(readonly value: Value) {}
}

class Frame {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent: Frame | null) {}
}

type Completion = { kind: 'normal' } | { kind: 'return'; value: Value } | { kind: 'break' } | { kind: 'continue' };
const NORMAL: Completion = { kind: 'normal' };
/** withCallback's answer for a method it does not handle. */
const NO_SPECIAL = Symbol('no special');

const BUILTINS: Record<string, Value> = {
  parseInt: new Builtin(([text, radix]) => Number.parseInt(primitive(text) as string, radix === undefined ? undefined : Number(primitive(radix)))),
  parseFloat: new Builtin(([text]) => Number.parseFloat(primitive(text) as string)),
  decodeURIComponent: new Builtin(([text]) => {
    try {
      return decodeURIComponent(String(primitive(text)));
    } catch {
      throw new Thrown('URIError');
    }
  }),
  atob: new Builtin(([text]) => Buffer.from(String(primitive(text)), 'base64').toString('latin1')),
  undefined: undefined,
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
};
const STRING_STATICS: Record<string, Builtin> = {
  fromCharCode: new Builtin((codes) => String.fromCharCode(...codes.map((code) => Number(primitive(code))))),
};

class Interpreter {
  readonly global = new Frame(null);
  constructor(
    private readonly declarations: ReadonlyMap<string, Node>,
    /** Shared by the file's interpreters. */
    private readonly budget: { steps: number },
  ) {}

  private tick(): void {
    if (++this.budget.steps > MAX_STEPS) throw new OutOfSteps();
  }

  /** A name's frame and value; the statement list's declarations are materialised in the global frame when first read. */
  lookup(name: string, frame: Frame): Value {
    for (let at: Frame | null = frame; at; at = at.parent) if (at.vars.has(name)) return at.vars.get(name);
    const declared = this.declarations.get(name);
    if (declared !== undefined) {
      const value = isFunctionValue(declared) ? new Closure(declared, this.global) : this.evaluate(declared, this.global);
      this.global.vars.set(name, value);
      return value;
    }
    if (Object.hasOwn(BUILTINS, name)) return BUILTINS[name];
    throw new Unsupported(name);
  }

  private assign(name: string, value: Value, frame: Frame): void {
    for (let at: Frame | null = frame; at; at = at.parent) {
      if (at.vars.has(name)) {
        at.vars.set(name, value);
        return;
      }
    }
    if (!this.declarations.has(name)) throw new Unsupported(name);
    this.global.vars.set(name, value);
  }

  call(fn: Value, args: Value[], depth: number, self?: Value): Value {
    if (fn instanceof Builtin) {
      const result = bounded(fn.run(args, self));
      // push and unshift grow the array they are called on.
      if (Array.isArray(self)) bounded(self);
      return result;
    }
    if (!(fn instanceof Closure) || depth > MAX_CALL_DEPTH) throw new Unsupported('call');
    const frame = new Frame(fn.scope);
    fn.node.params.forEach((param, index) => {
      if (param.type !== 'Identifier') throw new Unsupported('parameter');
      frame.vars.set(param.name, args[index]);
    });
    if (fn.node.body.type !== 'BlockStatement') return this.evaluate(fn.node.body, frame, depth + 1);
    const completion = this.block(fn.node.body.body, frame, depth + 1);
    return completion.kind === 'return' ? completion.value : undefined;
  }

  private block(statements: Statement[], frame: Frame, depth: number): Completion {
    for (const statement of statements) {
      if (statement.type === 'FunctionDeclaration' && statement.id) frame.vars.set(statement.id.name, new Closure(statement, frame));
    }
    for (const statement of statements) {
      const completion = this.statement(statement, frame, depth);
      if (completion.kind !== 'normal') return completion;
    }
    return NORMAL;
  }

  private statement(node: Statement, frame: Frame, depth: number): Completion {
    this.tick();
    switch (node.type) {
      case 'ExpressionStatement':
        this.evaluate(node.expression, frame, depth);
        return NORMAL;
      case 'VariableDeclaration':
        for (const declarator of node.declarations) {
          if (declarator.id.type !== 'Identifier') throw new Unsupported('pattern');
          frame.vars.set(declarator.id.name, declarator.init ? this.evaluate(declarator.init, frame, depth) : undefined);
        }
        return NORMAL;
      case 'FunctionDeclaration':
      case 'EmptyStatement':
        return NORMAL;
      case 'ReturnStatement':
        return { kind: 'return', value: node.argument ? this.evaluate(node.argument, frame, depth) : undefined };
      case 'BlockStatement':
        return this.block(node.body, new Frame(frame), depth);
      case 'IfStatement':
        if (truthy(this.evaluate(node.test, frame, depth))) return this.statement(node.consequent, frame, depth);
        return node.alternate ? this.statement(node.alternate, frame, depth) : NORMAL;
      case 'BreakStatement':
      case 'ContinueStatement':
        if (node.label) throw new Unsupported('label');
        return { kind: node.type === 'BreakStatement' ? 'break' : 'continue' };
      case 'ThrowStatement':
        throw new Thrown(this.evaluate(node.argument, frame, depth));
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'ForStatement':
        return this.loop(node, frame, depth);
      case 'TryStatement':
        return this.tryStatement(node, frame, depth);
      default:
        throw new Unsupported(node.type);
    }
  }

  private loop(node: Extract<Statement, { type: 'WhileStatement' | 'DoWhileStatement' | 'ForStatement' }>, outer: Frame, depth: number): Completion {
    const frame = new Frame(outer);
    if (node.type === 'ForStatement' && node.init) {
      if (node.init.type === 'VariableDeclaration') this.statement(node.init, frame, depth);
      else this.evaluate(node.init, frame, depth);
    }
    let first = node.type === 'DoWhileStatement';
    for (;;) {
      this.tick();
      if (!first && node.test && !truthy(this.evaluate(node.test, frame, depth))) return NORMAL;
      first = false;
      const completion = this.statement(node.body, frame, depth);
      if (completion.kind === 'return') return completion;
      if (completion.kind === 'break') return NORMAL;
      if (node.type === 'ForStatement' && node.update) this.evaluate(node.update, frame, depth);
    }
  }

  private tryStatement(node: Extract<Statement, { type: 'TryStatement' }>, frame: Frame, depth: number): Completion {
    let completion: Completion;
    try {
      completion = this.block(node.block.body, new Frame(frame), depth);
    } catch (error) {
      if (!(error instanceof Thrown) || !node.handler) throw error;
      const handlerFrame = new Frame(frame);
      if (node.handler.param?.type === 'Identifier') handlerFrame.vars.set(node.handler.param.name, error.value);
      completion = this.block(node.handler.body.body, handlerFrame, depth);
    }
    if (node.finalizer) {
      const after = this.block(node.finalizer.body, new Frame(frame), depth);
      if (after.kind !== 'normal') return after;
    }
    return completion;
  }

  evaluate(node: Node, frame: Frame, depth = 0): Value {
    this.tick();
    switch (node.type) {
      case 'NumericLiteral':
      case 'StringLiteral':
      case 'BooleanLiteral':
        return node.value;
      case 'NullLiteral':
        return null;
      case 'Identifier':
        return this.lookup(node.name, frame);
      case 'ParenthesizedExpression':
        return this.evaluate(node.expression, frame, depth);
      case 'ArrayExpression':
        return node.elements.map((element) => {
          if (!element || element.type === 'SpreadElement') throw new Unsupported('array');
          return this.evaluate(element, frame, depth);
        });
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return new Closure(node, frame);
      case 'RegExpLiteral':
        if (!SAFE_PATTERN.test(node.pattern) || /[^dgimsuy]/.test(node.flags)) throw new Unsupported('pattern');
        return new Pattern(new RegExp(node.pattern, node.flags));
      case 'SequenceExpression': {
        let last: Value;
        for (const expression of node.expressions) last = this.evaluate(expression, frame, depth);
        return last;
      }
      case 'ConditionalExpression':
        return this.evaluate(truthy(this.evaluate(node.test, frame, depth)) ? node.consequent : node.alternate, frame, depth);
      case 'LogicalExpression': {
        const left = this.evaluate(node.left, frame, depth);
        if (node.operator === '&&') return truthy(left) ? this.evaluate(node.right, frame, depth) : left;
        if (node.operator === '||') return truthy(left) ? left : this.evaluate(node.right, frame, depth);
        return left ?? this.evaluate(node.right, frame, depth);
      }
      case 'UnaryExpression':
        return unary(node.operator, this.evaluate(node.argument, frame, depth));
      case 'BinaryExpression':
        if (node.left.type === 'PrivateName') throw new Unsupported('private');
        return binary(node.operator, this.evaluate(node.left, frame, depth), this.evaluate(node.right, frame, depth));
      case 'AssignmentExpression':
        return this.assignment(node, frame, depth);
      case 'UpdateExpression': {
        if (node.argument.type !== 'Identifier') throw new Unsupported('update');
        const before = Number(primitive(this.lookup(node.argument.name, frame)));
        const after = node.operator === '++' ? before + 1 : before - 1;
        this.assign(node.argument.name, after, frame);
        return node.prefix ? after : before;
      }
      case 'MemberExpression': {
        const object = this.evaluate(node.object, frame, depth);
        return member(object, this.key(node, frame, depth));
      }
      case 'CallExpression': {
        if (node.callee.type === 'MemberExpression') {
          const { object } = node.callee;
          const key = this.key(node.callee, frame, depth);
          // `String.fromCharCode(…)`: the one static method of the subset.
          if (object.type === 'Identifier' && object.name === 'String') return this.call(own(STRING_STATICS, String(key)), this.argumentsOf(node.arguments, frame, depth), depth);
          const self = this.evaluate(object, frame, depth);
          if (typeof key === 'string' && (Array.isArray(self) || typeof self === 'string')) {
            const special = this.withCallback(self, key, node.arguments, frame, depth);
            if (special !== NO_SPECIAL) return special;
          }
          return this.call(member(self, key), this.argumentsOf(node.arguments, frame, depth), depth, self);
        }
        return this.call(this.evaluate(node.callee, frame, depth), this.argumentsOf(node.arguments, frame, depth), depth);
      }
      default:
        throw new Unsupported(node.type);
    }
  }

  /**
   * The methods that call back into the code: an array's `map`, `forEach`, `filter` and `reduce`, a
   * string's `replace` with a pattern (and a function or a string). NO_SPECIAL for any other.
   */
  private withCallback(self: Value[] | string, key: string, nodes: Node[], frame: Frame, depth: number): Value | typeof NO_SPECIAL {
    if (typeof self === 'string') {
      if (key !== 'replace') return NO_SPECIAL;
      const [pattern, replacement] = this.argumentsOf(nodes, frame, depth);
      if (!(pattern instanceof Pattern)) return NO_SPECIAL;
      if (typeof replacement === 'string') return bounded(self.replace(pattern.regex, () => replacement));
      if (!(replacement instanceof Closure)) throw new Unsupported('replace');
      return bounded(self.replace(pattern.regex, (match: string, offset: number) => String(primitive(this.call(replacement, [match, offset, self], depth + 1)))));
    }
    if (key !== 'map' && key !== 'forEach' && key !== 'filter' && key !== 'reduce') return NO_SPECIAL;
    const [fn, initial] = this.argumentsOf(nodes, frame, depth);
    if (!(fn instanceof Closure)) throw new Unsupported(key);
    const items = [...self];
    if (key === 'reduce') {
      if (nodes.length < 2) throw new Unsupported('reduce');
      return items.reduce<Value>((total, item, index) => this.call(fn, [total, item, index], depth + 1), initial);
    }
    const results = items.map((item, index) => this.call(fn, [item, index], depth + 1));
    if (key === 'map') return results;
    return key === 'filter' ? items.filter((_, index) => truthy(results[index])) : undefined;
  }

  private argumentsOf(nodes: Node[], frame: Frame, depth: number): Value[] {
    return nodes.map((argument) => {
      if (argument.type === 'SpreadElement') throw new Unsupported('spread');
      return this.evaluate(argument, frame, depth);
    });
  }

  private key(node: Extract<Node, { type: 'MemberExpression' }>, frame: Frame, depth: number): string | number {
    if (!node.computed && node.property.type === 'Identifier') return node.property.name;
    const key = primitive(this.evaluate(node.property, frame, depth));
    return typeof key === 'number' ? key : String(key);
  }

  private assignment(node: Extract<Node, { type: 'AssignmentExpression' }>, frame: Frame, depth: number): Value {
    const right = () => this.evaluate(node.right, frame, depth);
    if (node.left.type === 'Identifier') {
      const value = node.operator === '=' ? right() : binary(node.operator.slice(0, -1), this.lookup(node.left.name, frame), right());
      this.assign(node.left.name, value, frame);
      return value;
    }
    if (node.left.type === 'MemberExpression') {
      const object = this.evaluate(node.left.object, frame, depth);
      const key = this.key(node.left, frame, depth);
      if (!Array.isArray(object) || typeof key !== 'number' || !Number.isInteger(key) || key < 0 || key > object.length) throw new Unsupported('store');
      const value = node.operator === '=' ? right() : binary(node.operator.slice(0, -1), object[key], right());
      object[key] = value;
      return value;
    }
    throw new Unsupported('assignment');
  }
}

function primitive(value: Value): string | number | boolean | null | undefined {
  if (value instanceof Closure || value instanceof Builtin || value instanceof Pattern) throw new Unsupported('function value');
  if (Array.isArray(value)) return value.map((item) => (item === null || item === undefined ? '' : String(primitive(item)))).join(',');
  return value;
}

function truthy(value: Value): boolean {
  return typeof value === 'object' && value !== null ? true : Boolean(value);
}

function unary(operator: string, value: Value): Value {
  switch (operator) {
    case '!':
      return !truthy(value);
    case '-':
      return -Number(primitive(value));
    case '+':
      return Number(primitive(value));
    case '~':
      return ~Number(primitive(value));
    case 'void':
      return undefined;
    case 'typeof':
      return Array.isArray(value) ? 'object' : value instanceof Closure || value instanceof Builtin ? 'function' : typeof value;
    default:
      throw new Unsupported(operator);
  }
}

function binary(operator: string, leftValue: Value, rightValue: Value): Value {
  if (operator === '===' || operator === '!==') return operator === '===' ? leftValue === rightValue : leftValue !== rightValue;
  const left = primitive(leftValue) as never;
  const right = primitive(rightValue) as never;
  switch (operator) {
    case '+': return bounded((left as number) + (right as number));
    case '-': return left - right;
    case '*': return left * right;
    case '/': return left / right;
    case '%': return left % right;
    case '**': return (left as number) ** (right as number);
    case '==': return left == right;
    case '!=': return left != right;
    case '<': return left < right;
    case '>': return left > right;
    case '<=': return left <= right;
    case '>=': return left >= right;
    case '&': return left & right;
    case '|': return left | right;
    case '^': return left ^ right;
    case '<<': return left << right;
    case '>>': return left >> right;
    case '>>>': return left >>> right;
    default: throw new Unsupported(operator);
  }
}

/** A property of a value of the subset: array items and length, string characters and length, and the methods below. */
function member(object: Value, key: string | number): Value {
  if (Array.isArray(object)) {
    if (typeof key === 'number') return object[key];
    if (key === 'length') return object.length;
    return own(ARRAY_METHODS, key);
  } else if (typeof object === 'string') {
    if (typeof key === 'number') return object[key];
    if (key === 'length') return object.length;
    return own(STRING_METHODS, key);
  } else if (typeof object === 'number' && key === 'toString') {
    return new Builtin(([radix], self) => (self as number).toString(radix === undefined ? 10 : Number(primitive(radix))));
  }
  throw new Unsupported(`member ${String(key)}`);
}

const ARRAY_METHODS: Record<string, Builtin> = {
  push: new Builtin((items, self) => (self as Value[]).push(...items)),
  shift: new Builtin((_, self) => (self as Value[]).shift()),
  unshift: new Builtin((items, self) => (self as Value[]).unshift(...items)),
  pop: new Builtin((_, self) => (self as Value[]).pop()),
  reverse: new Builtin((_, self) => (self as Value[]).reverse()),
  join: new Builtin(([separator], self) => (self as Value[]).map((item) => (item === null || item === undefined ? '' : String(primitive(item)))).join(separator === undefined ? ',' : String(primitive(separator)))),
  slice: new Builtin(([start, end], self) => (self as Value[]).slice(numberOr(start), numberOr(end))),
  concat: new Builtin((items, self) => (self as Value[]).concat(...items)),
  indexOf: new Builtin(([item], self) => (self as Value[]).indexOf(item)),
};

const STRING_METHODS: Record<string, Builtin> = {
  charAt: new Builtin(([index], self) => (self as string).charAt(numberOr(index) ?? 0)),
  charCodeAt: new Builtin(([index], self) => (self as string).charCodeAt(numberOr(index) ?? 0)),
  indexOf: new Builtin(([search, from], self) => (self as string).indexOf(String(primitive(search)), numberOr(from))),
  slice: new Builtin(([start, end], self) => (self as string).slice(numberOr(start), numberOr(end))),
  substring: new Builtin(([start, end], self) => (self as string).substring(numberOr(start) ?? 0, numberOr(end))),
  substr: new Builtin(([start, length], self) => (self as string).substr(numberOr(start) ?? 0, numberOr(length))),
  split: new Builtin(([separator], self) => (self as string).split(String(primitive(separator)))),
  concat: new Builtin((items, self) => (self as string).concat(...items.map((item) => String(primitive(item))))),
  toUpperCase: new Builtin((_, self) => (self as string).toUpperCase()),
  toLowerCase: new Builtin((_, self) => (self as string).toLowerCase()),
  toString: new Builtin((_, self) => self),
  replace: new Builtin(([search, replacement], self) => {
    if (typeof search !== 'string' || typeof replacement !== 'string') throw new Unsupported('replace');
    return (self as string).replace(search, () => replacement);
  }),
};

/** A table's own entry: `constructor` or `__proto__` is no method of the subset. */
function own(table: Readonly<Record<string, Builtin>>, key: string): Builtin {
  if (!Object.hasOwn(table, key)) throw new Unsupported(`member ${key}`);
  return table[key]!;
}

/** The value, unless it is a string or an array longer than MAX_VALUE_LENGTH. */
function bounded<T>(value: T): T {
  if ((typeof value === 'string' || Array.isArray(value)) && value.length > MAX_VALUE_LENGTH) throw new Unsupported('too long');
  return value;
}

function numberOr(value: Value): number | undefined {
  return value === undefined ? undefined : Number(primitive(value));
}
