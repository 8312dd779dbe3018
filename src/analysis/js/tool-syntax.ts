import type { Node } from '@babel/types';
import { constantString } from './constant.js';
import { isFunction, lastMemberName, unwrap } from './syntax.js';

// How MCP servers register tools, as syntax: the CallTool request schema, the dispatch branches that
// test a tool's name, and the object and wrapper shapes handlers come in.

export function isCallToolSchema(node: Node | undefined): boolean {
  if (!node) return false;
  const value = unwrap(node);
  if (value.type === 'Identifier') return value.name === 'CallToolRequestSchema';
  return lastMemberName(value) === 'CallToolRequestSchema';
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
