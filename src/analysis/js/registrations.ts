import type { CallExpression, Function as FunctionNode, NewExpression, Node, ObjectExpression, OptionalCallExpression } from '@babel/types';
import { settingCondition } from '../catalog/settings.js';
import { constantString } from './constant.js';
import type { CallFact, Conditional, FileFacts, ParameterText } from '../model/file-facts.js';
import { PathGuards } from './path-guards.js';
import { children, isFunction, lastMemberName, unwrap, walk } from './syntax.js';
import { constantOf, newScope, type Scope } from './values.js';

// How an MCP server written in JavaScript registers what it offers, recognised in one file: tools
// (`server.tool`, `registerTool`, `addTool`, the objects a ListTools answer lists, the branches of a
// CallTool handler that test a tool's name, `if (name === …)` or `case …:`), prompts
// (`server.prompt`, `registerPrompt`, `addPrompt`, a ListPrompts answer), registrations under a
// name known only at run time, and the setting a registration depends on. The extractor's single
// walk hands it the nodes it asks for (see Registrations); the syntax helpers below are pure.

/** Branching nodes compared with registrations per file (see conditionOf): tens of milliseconds at most. */
const CONDITION_BUDGET = 20_000_000;

/**
 * What one file registers, fed by the extractor (js/extract.ts) as it goes: during the scan, the
 * request handlers (seeCall), branching nodes (seeBranching) and object literals (seeObject); during
 * the replay, the functions that dispatch (dispatcher), their branches (branchScope) and every call
 * (recordCall); then finish. Facts are written into the file's FileFacts.
 */
export class Registrations {
  private readonly dispatchHandlers = new Set<number>();
  private readonly dispatchDelegates = new Set<string>();
  /** Functions (by id) that dispatch CallTool requests: their branches testing a tool's name are the tools' handlers. */
  private readonly dispatchScopes = new Set<string>();
  /** Every `if`, `?:`, `&&` and `||`, in tree order: a registration in one of their branches may be conditional (conditionOf). */
  private readonly branchings: Node[] = [];
  /** Branching nodes conditionOf may still compare, over all its calls in this file. */
  private conditionBudget = CONDITION_BUDGET;
  /** Functions answering ListPrompts: the `prompts: [...]` they return lists the server's prompts. */
  private readonly promptListings: Node[] = [];

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {}

  /** Scan, every call: `setRequestHandler(CallToolRequestSchema, …)` and `(ListPromptsRequestSchema, …)`. */
  seeCall(node: CallExpression | OptionalCallExpression, callee: Node): void {
    if (lastMemberName(callee) !== 'setRequestHandler') return;
    if (isCallToolSchema(node.arguments[0])) {
      const handler = node.arguments[1] ? wrappedFunction(unwrap(node.arguments[1] as Node)) : undefined;
      if (handler && isFunction(handler)) {
        this.dispatchHandlers.add(handler.start ?? -1);
        // Handlers often hand the request to a function of their own (`return handleCall(request)`):
        // that function does the dispatching.
        walk(handler, (inner) => {
          if ((inner.type === 'CallExpression' || inner.type === 'OptionalCallExpression') && inner.callee.type === 'Identifier') {
            this.dispatchDelegates.add(inner.callee.name);
          }
        });
      } else if (handler?.type === 'Identifier') {
        this.dispatchDelegates.add(handler.name);
      }
    }
    if (isRequestSchema(node.arguments[0], 'ListPromptsRequestSchema')) {
      const handler = node.arguments[1] ? wrappedFunction(unwrap(node.arguments[1] as Node)) : undefined;
      if (handler && isFunction(handler)) this.promptListings.push(handler);
    }
  }

  /** Scan, every `if`, `?:`, `&&` and `||`. */
  seeBranching(node: Node): void {
    this.branchings.push(node);
  }

  /** Scan, every object literal: a tool a ListTools answer lists, or the prompts a ListPrompts handler returns. */
  seeObject(node: ObjectExpression): void {
    if (node.properties.length >= 3) this.recordListedTool(node);
    if (this.promptListings.length > 0) this.recordListedPrompts(node);
  }

  /**
   * Replay, every function (id: its FunctionFact's): whether it dispatches CallTool requests, as the
   * handler given to setRequestHandler or the function that handler hands the request to.
   */
  dispatcher(node: FunctionNode, id: string, ownName: string | null): boolean {
    const dispatches = this.dispatchHandlers.has(node.start ?? -1) || (ownName !== null && this.dispatchDelegates.has(ownName));
    if (dispatches) this.dispatchScopes.add(id);
    return dispatches;
  }

  /** Replay, every branch testing a tool's name (toolNameTest): in a dispatcher, the tool's handler and a scope of its own. */
  branchScope(node: Node, scope: Scope): Scope {
    return this.dispatchScopes.has(scope.id) ? this.enterDispatchBranch(node, scope) : scope;
  }

  /** Replay, every call, once its fact is recorded: tool and prompt registrations. */
  recordCall(node: CallExpression | OptionalCallExpression | NewExpression, call: CallFact, scope: Scope): void {
    const method = call.callee.startsWith('member:') ? call.callee.slice('member:'.length) : null;
    if (method === 'prompt' || method === 'registerPrompt' || method === 'addPrompt') {
      this.recordPrompt(node, call, method, scope);
      return;
    }
    if (method !== 'tool' && method !== 'registerTool' && method !== 'addTool') return;
    const args = node.arguments as Node[];
    const first = args[0];
    // `const name = 'get-env'; server.registerTool(name, …)`: a variable only ever given one string.
    let name = constantString(first) ?? (first?.type === 'Identifier' ? constantOf(scope, first.name) : undefined);
    let description: string | undefined;
    let handler: Node | undefined = args.at(-1);
    // Where the input schema is written: its parameters' descriptions are read by the model too.
    let schemas: Node[] = [];
    if (method === 'addTool' && first?.type === 'ObjectExpression') {
      name = constantString(propertyOf(first, 'name'));
      description = describedText(propertyOf(first, 'description'));
      handler = propertyOf(first, 'execute') ?? propertyOf(first, 'handler');
      schemas = [propertyOf(first, 'parameters'), propertyOf(first, 'inputSchema')].filter((node) => node !== undefined);
    } else if (method === 'registerTool') {
      const config = args[1];
      description = config?.type === 'ObjectExpression' ? describedText(propertyOf(config, 'description')) : undefined;
      schemas = config?.type === 'ObjectExpression' ? [propertyOf(config, 'inputSchema')].filter((node) => node !== undefined) : [];
    } else {
      description = args.length > 2 ? describedText(args[1]) : undefined;
      // `server.tool(name, [description], [schema], [annotations], handler)`
      schemas = args.slice(1, -1).filter((node) => unwrap(node).type === 'ObjectExpression');
    }
    if (name === undefined) {
      if (registersComputedName(method, args)) this.facts.unnamedRegistrations.push({ kind: 'tool', excerpt: call.excerpt, line: call.line, column: call.column });
      return;
    }
    const params = schemas.length === 0 ? [] : parameterTexts(schemas);
    const handlerNode = handler ? unwrap(handler) : undefined;
    const conditional = this.conditionOf(node);
    this.facts.tools.push({
      name,
      ...(description === undefined ? {} : { description }),
      ...(params.length === 0 ? {} : { params }),
      style: method === 'registerTool' ? 'registerTool' : 'tool',
      handler:
        handlerNode && isFunction(handlerNode)
          ? String(handlerNode.start)
          : handlerNode?.type === 'Identifier' ? `local:${handlerNode.name}` : null,
      ...(conditional === undefined ? {} : { conditional }),
      line: call.line,
      column: call.column,
    });
  }

  /**
   * A CallTool handler in which no branch tests a tool's name looks tools up in a table
   * (`tools[name].handler(args)`): the names it serves are not written where they are dispatched.
   */
  finish(): void {
    if (this.dispatchScopes.size === 0 || this.facts.tools.some((tool) => tool.style === 'dispatch')) return;
    for (const fn of this.facts.functions) {
      if (!this.dispatchScopes.has(fn.id)) continue;
      this.facts.unnamedRegistrations.push({ kind: 'tool', excerpt: 'a CallTool request handler that finds the tool by name at run time', line: fn.line, column: 1 });
      return;
    }
  }

  private enterDispatchBranch(node: Node, handler: Scope): Scope {
    const id = String(node.start);
    this.facts.functions.push({ id, name: null, exportedAs: [], line: node.loc?.start.line ?? 1, params: 0, parent: handler.id });
    this.facts.tools.push({
      name: toolNameTest(node)!,
      style: 'dispatch',
      handler: id,
      handlerOwner: handler.id,
      line: node.loc?.start.line ?? 1,
      column: (node.loc?.start.column ?? 0) + 1,
    });
    // The branch shares the handler's parameters: keep its scope id so labels stay the handler's.
    const branch = newScope(id, handler);
    const guards = new PathGuards();
    // `else if (name === 'next')` belongs to the next tool's branch.
    walk(node.type === 'IfStatement' ? node.consequent : node, (inner) => {
      if (isFunction(inner)) return false;
      guards.see(inner);
      return true;
    });
    if (guards.found()) branch.guarded = true;
    return branch;
  }

  /**
   * `server.prompt(name, [description], [args], callback)`, `registerPrompt(name, { description }, callback)`,
   * `addPrompt({ name, description, load })`. `.prompt` is a common method name (readline, inquirer):
   * only a call with a name and a callback is read as a registration.
   */
  private recordPrompt(node: CallExpression | OptionalCallExpression | NewExpression, call: CallFact, method: 'prompt' | 'registerPrompt' | 'addPrompt', scope: Scope): void {
    const args = node.arguments as Node[];
    const first = args[0];
    const last = args.at(-1);
    let name: string | undefined;
    let description: string | undefined;
    if (method === 'addPrompt') {
      if (first?.type !== 'ObjectExpression') return;
      name = constantString(propertyOf(first, 'name'));
      description = describedText(propertyOf(first, 'description'));
    } else {
      const callback = last === undefined ? undefined : unwrap(last);
      if (args.length < 2 || !(callback && (isFunction(callback) || callback.type === 'Identifier' || callback.type === 'MemberExpression'))) return;
      name = constantString(first) ?? (first?.type === 'Identifier' ? constantOf(scope, first.name) : undefined);
      const config = args[1];
      description = method === 'registerPrompt'
        ? config?.type === 'ObjectExpression' ? describedText(propertyOf(config, 'description')) : undefined
        : args.length > 2 ? describedText(config) : undefined;
    }
    if (name === undefined) {
      if (method !== 'prompt' || isFunction(unwrap(last!))) this.facts.unnamedRegistrations.push({ kind: 'prompt', excerpt: call.excerpt, line: call.line, column: call.column });
      return;
    }
    const conditional = this.conditionOf(node);
    this.facts.prompts.push({
      name,
      ...(description === undefined ? {} : { description }),
      ...(conditional === undefined ? {} : { conditional }),
      line: call.line,
      column: call.column,
    });
  }

  /** `{ prompts: [{ name: 'x', description: '…', arguments: [...] }, …] }` inside a ListPrompts handler. */
  private recordListedPrompts(node: ObjectExpression): void {
    const list = propertyOf(node, 'prompts');
    if (list?.type !== 'ArrayExpression') return;
    const at = node.start ?? 0;
    if (!this.promptListings.some((handler) => (handler.start ?? 0) <= at && at < (handler.end ?? 0))) return;
    for (const element of list.elements) {
      if (element?.type !== 'ObjectExpression') continue;
      const name = constantString(propertyOf(element, 'name'));
      if (name === undefined) continue;
      const description = describedText(propertyOf(element, 'description'));
      const conditional = this.conditionOf(element);
      this.facts.prompts.push({
        name,
        ...(description === undefined ? {} : { description }),
        ...(conditional === undefined ? {} : { conditional }),
        line: element.loc?.start.line ?? 1,
        column: (element.loc?.start.column ?? 0) + 1,
      });
    }
  }

  /** `{ name: 'read_file', description: '…', inputSchema: … }`: a tool as a ListTools answer declares it. */
  private recordListedTool(node: ObjectExpression): void {
    const schema = propertyOf(node, 'inputSchema');
    if (schema === undefined) return;
    const name = constantString(propertyOf(node, 'name'));
    if (name === undefined) return;
    const description = describedText(propertyOf(node, 'description'));
    const params = parameterTexts([schema]);
    const conditional = this.conditionOf(node);
    this.facts.listedTools.push({
      name,
      ...(description === undefined ? {} : { description }),
      ...(params.length === 0 ? {} : { params }),
      ...(conditional === undefined ? {} : { conditional }),
      line: node.loc?.start.line ?? 1,
      column: (node.loc?.start.column ?? 0) + 1,
    });
  }

  /**
   * The condition a registration depends on (see Conditional): the innermost `if`, `?:`, `&&` or `||`
   * holding it in a branch whose test reads a setting. Only registrations ask, so the scan keeps
   * every such node and the test is read here.
   */
  private conditionOf(node: Node): Conditional | undefined {
    // Each question reads every branching node: a hostile file with many of both stops being asked.
    this.conditionBudget -= this.branchings.length;
    if (this.conditionBudget < 0) return undefined;
    let found: Conditional | undefined;
    let foundAt = -1;
    for (const candidate of this.branchings) {
      const start = candidate.start ?? 0;
      if (start <= foundAt || start > (node.start ?? 0) || (candidate.end ?? 0) < (node.end ?? 0)) continue;
      const branch = branchTest(candidate, node);
      if (branch === null) continue;
      const condition = settingCondition(this.text.slice(branch.test.start ?? 0, branch.test.end ?? 0), branch.negated);
      if (condition !== undefined) (found = condition), (foundAt = start);
    }
    return found;
  }
}

/**
 * A tool registration whose name is an expression (`server.registerTool(tool.name, config, handler)`,
 * `server.addTool(toolDefinition)`), not any call of a method named `tool`: a name and a handler.
 */
export function registersComputedName(method: 'tool' | 'registerTool' | 'addTool', args: readonly Node[]): boolean {
  const first = args[0] ? unwrap(args[0]) : undefined;
  if (first === undefined || isFunction(first)) return false;
  if (method === 'addTool') return first.type === 'ObjectExpression' || first.type === 'Identifier' || first.type === 'MemberExpression';
  const last = unwrap(args.at(-1)!);
  return args.length >= 2 && first.type !== 'ObjectExpression' && first.type !== 'ArrayExpression' && (isFunction(last) || last.type === 'Identifier' || last.type === 'MemberExpression');
}

export function isCallToolSchema(node: Node | undefined): boolean {
  return isRequestSchema(node, 'CallToolRequestSchema');
}

/** `ListPromptsRequestSchema`, `types.ListPromptsRequestSchema`: the request a handler answers. */
export function isRequestSchema(node: Node | undefined, name: string): boolean {
  if (!node) return false;
  const value = unwrap(node);
  if (value.type === 'Identifier') return value.name === name;
  return lastMemberName(value) === name;
}

/** The tool name a dispatch branch tests for: `case 'x':`, `if (name === 'x')`, `if (request.params.name == 'x')`. */
export function toolNameTest(node: Node): string | null {
  if (node.type === 'SwitchCase') return node.test ? (constantString(node.test) ?? null) : null;
  if (node.type !== 'IfStatement') return null;
  const test = unwrap(node.test);
  if (test.type !== 'BinaryExpression' || (test.operator !== '===' && test.operator !== '==')) return null;
  const [literal, subject] = constantString(test.right) !== undefined ? [test.right, test.left] : [test.left, test.right];
  const name = constantString(literal as Node);
  return name !== undefined && mentionsToolName(subject as Node) ? name : null;
}

function mentionsToolName(node: Node): boolean {
  const value = unwrap(node);
  if (value.type === 'Identifier') return /^(name|toolName|tool)$/.test(value.name);
  return lastMemberName(value) === 'name';
}

export function propertyOf(object: Node, key: string): Node | undefined {
  if (object.type !== 'ObjectExpression') return undefined;
  for (const property of object.properties) {
    if (property.type === 'ObjectProperty' && !property.computed && property.key.type === 'Identifier' && property.key.name === key) {
      return property.value as Node;
    }
    if (property.type === 'ObjectMethod' && property.key.type === 'Identifier' && property.key.name === key) return property;
  }
  return undefined;
}

/** `withTelemetry(async (request) => …)`: the function a wrapper call is given, else the node itself. */
export function wrappedFunction(node: Node): Node {
  if (node.type !== 'CallExpression') return node;
  return (node.arguments as Node[]).map((argument) => unwrap(argument)).find((argument) => isFunction(argument)) ?? node;
}

/** Nodes a schema walk visits, and descriptions it keeps: a schema is small, a hostile one is not. */
const SCHEMA_NODES = 2000;
const SCHEMA_TEXTS = 64;

/**
 * The text of a description as the model would read it: a constant string, or a template or `+`
 * concatenation whose unknown parts (`${PATH_GUIDANCE}`) are shown as `…`. Undefined when nothing
 * of it is constant.
 */
export function describedText(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const constant = constantString(node);
  if (constant !== undefined) return constant;
  const value = unwrap(node);
  if (value.type === 'TemplateLiteral') {
    const text = value.quasis.map((quasi, index) => (quasi.value.cooked ?? quasi.value.raw) + (index < value.expressions.length ? (constantString(value.expressions[index] as Node) ?? '…') : '')).join('');
    return text.replace(/…/g, '').trim() === '' ? undefined : text;
  }
  if (value.type === 'BinaryExpression' && value.operator === '+') {
    const left = describedText(value.left as Node);
    const right = describedText(value.right as Node);
    return left === undefined && right === undefined ? undefined : `${left ?? '…'}${right ?? '…'}`;
  }
  return undefined;
}

/**
 * Parameter descriptions inside a tool's input schema, however it is written: zod
 * (`{ path: z.string().describe('…') }`) or JSON Schema (`{ properties: { path: { description: '…' } } }`).
 * Functions are not entered; the walk is bounded.
 */
export function parameterTexts(schemas: readonly Node[]): ParameterText[] {
  const found: ParameterText[] = [];
  const stack: Array<{ node: Node; name: string }> = schemas.map((node) => ({ node, name: '?' })).reverse();
  let visited = 0;
  while (stack.length > 0 && visited < SCHEMA_NODES && found.length < SCHEMA_TEXTS) {
    const { node, name } = stack.pop()!;
    visited += 1;
    if (isFunction(node)) continue;
    if (node.type === 'ObjectExpression') {
      for (let index = node.properties.length - 1; index >= 0; index--) {
        const property = node.properties[index]!;
        if (property.type !== 'ObjectProperty') continue;
        const key = propertyKey(property.key as Node, property.computed);
        if (key === 'description') {
          const text = describedText(property.value as Node);
          if (text !== undefined) found.push({ name, description: text });
          continue;
        }
        // JSON Schema's structural keys name no parameter: `properties.path` is `path`.
        const structural = key === null || key === 'properties' || key === 'items' || key === 'inputSchema' || key === 'parameters' || key === 'schema';
        stack.push({ node: property.value as Node, name: structural ? name : name === '?' ? key : `${name}.${key}` });
      }
      continue;
    }
    if ((node.type === 'CallExpression' || node.type === 'OptionalCallExpression') && lastMemberName(node.callee as Node) === 'describe') {
      const text = describedText(node.arguments[0] as Node | undefined);
      if (text !== undefined) found.push({ name, description: text });
    }
    for (const child of children(node)) stack.push({ node: child, name });
  }
  return found;
}

function propertyKey(key: Node, computed: boolean): string | null {
  if (key.type === 'Identifier' && !computed) return key.name;
  if (key.type === 'StringLiteral') return key.value;
  return null;
}

/**
 * When `inner` sits in a branch of `node` (an `if`, `?:`, `&&`, `||`), the test that chooses that
 * branch and whether it is taken when the test fails; null when `inner` is not in a branch of it
 * (it is in the test, or outside the node).
 */
export function branchTest(node: Node, inner: Node): { test: Node; negated: boolean } | null {
  const within = (branch: Node | null | undefined) => branch != null && (branch.start ?? 0) <= (inner.start ?? 0) && (inner.end ?? 0) <= (branch.end ?? 0);
  if (node.type === 'IfStatement' || node.type === 'ConditionalExpression') {
    if (within(node.consequent)) return { test: node.test, negated: false };
    if (within(node.alternate)) return { test: node.test, negated: true };
    return null;
  }
  if (node.type === 'LogicalExpression' && node.operator !== '??' && within(node.right)) return { test: node.left, negated: node.operator === '||' };
  return null;
}
