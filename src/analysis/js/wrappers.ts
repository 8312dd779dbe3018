import type { Expression, Node } from '@babel/types';

/** Strips TypeScript-only and grouping wrappers that do not change a value. */
export function unwrap(node: Node): Node {
  let current = node;
  while (
    current.type === 'TSAsExpression' ||
    current.type === 'TSNonNullExpression' ||
    current.type === 'TSSatisfiesExpression' ||
    current.type === 'TSTypeAssertion' ||
    current.type === 'ParenthesizedExpression' ||
    current.type === 'AwaitExpression'
  ) {
    current = (current as { expression?: Expression; argument?: Expression }).expression ?? (current as { argument: Expression }).argument;
  }
  return current;
}
