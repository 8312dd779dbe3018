// The cases of an ESLint RuleTester file, read from its syntax tree (the test file is never run):
// the strings, or the `code` of the objects, in the `valid` and `invalid` arrays it hands to
// `tester.run`. A case written with anything but constant text (a template with `${…}`) is skipped.
import { parse } from '@babel/parser';
import type { Node, ObjectExpression } from '@babel/types';

export interface RuleTesterCase {
  verdict: 'malicious' | 'safe';
  code: string;
}

export function ruleTesterCases(source: string): RuleTesterCase[] {
  const program = parse(source, { sourceType: 'unambiguous', errorRecovery: true }).program;
  const cases: RuleTesterCase[] = [];
  visit(program, (node) => {
    if (node.type !== 'ObjectExpression') return;
    for (const [key, verdict] of [['valid', 'safe'], ['invalid', 'malicious']] as const) {
      const list = property(node, key);
      if (list?.type !== 'ArrayExpression') continue;
      for (const element of list.elements) {
        const code = element === null ? undefined : caseCode(element);
        if (code !== undefined) cases.push({ verdict, code });
      }
    }
  });
  return cases;
}

function caseCode(node: Node): string | undefined {
  if (node.type === 'ObjectExpression') {
    const code = property(node, 'code');
    return code === undefined ? undefined : caseCode(code);
  }
  if (node.type === 'StringLiteral') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined;
  return undefined;
}

function property(object: ObjectExpression, name: string): Node | undefined {
  for (const item of object.properties) {
    if (item.type === 'ObjectProperty' && !item.computed && item.key.type === 'Identifier' && item.key.name === name) return item.value;
  }
  return undefined;
}

function visit(node: Node, onNode: (node: Node) => void): void {
  onNode(node);
  for (const value of Object.values(node)) {
    const children = Array.isArray(value) ? value : [value];
    for (const child of children) {
      if (child !== null && typeof child === 'object' && typeof (child as Node).type === 'string') visit(child as Node, onNode);
    }
  }
}
