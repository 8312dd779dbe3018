import type { Node } from '@babel/types';
import { constantString } from './constant.js';
import type { ParameterText } from './facts.js';
import { children, isFunction, lastMemberName, unwrap } from './syntax.js';

// How MCP servers register tools, as syntax: the CallTool request schema, the dispatch branches that
// test a tool's name, and the object and wrapper shapes handlers come in.

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
