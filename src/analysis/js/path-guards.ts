import type { Node } from '@babel/types';
import { isPathGuardName } from '../catalog/filesystem.js';
import { constantString } from './constant.js';
import { lastMemberName, unwrap } from './syntax.js';

/**
 * Signs that a function confines paths to allowed roots before using them: a call to a function
 * named like a path check (`validatePath`, `isPathAllowed`: catalog/filesystem.ts), a `startsWith`
 * whose prefix ends with a separator (`resolved.startsWith(root + path.sep)`), or `path.relative`
 * with a `..` test. A bare `startsWith(root)` is not one: `/allowed_evil` passes it (CVE-2025-53110).
 * Flow-insensitive like the labels: a check anywhere in the function counts for the whole function.
 */
export class PathGuards {
  // Allocated on first use: most functions hold no check at all.
  private positions: number[] | null = null;
  private relatives: number[] | null = null;
  private parents: number[] | null = null;
  private excluded: Array<[number, number]> | null = null;

  see(node: Node): void {
    if (node.type === 'StringLiteral') {
      if (node.value === '..' || node.value.startsWith('../') || node.value.startsWith('..\\')) (this.parents ??= []).push(node.start ?? -1);
      return;
    }
    if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression') return;
    const at = node.start ?? -1;
    const callee = unwrap(node.callee as Node);
    const name = callee.type === 'Identifier' ? callee.name : lastMemberName(callee);
    if (name === undefined) return;
    if (isGuardName(name) || (name === 'startsWith' && endsWithSeparator(node.arguments[0] as Node | undefined))) (this.positions ??= []).push(at);
    if (name === 'relative') (this.relatives ??= []).push(at);
  }

  /** A subtree whose checks do not count here (a dispatch branch: it is a scope of its own). */
  exclude(node: Node): void {
    (this.excluded ??= []).push([node.start ?? -1, node.end ?? -1]);
  }

  found(): boolean {
    if (this.positions === null && (this.relatives === null || this.parents === null)) return false;
    const excluded = this.excluded ?? [];
    const counts = (at: number) => !excluded.some(([start, end]) => at >= start && at < end);
    return (this.positions ?? []).some(counts) || ((this.relatives ?? []).some(counts) && (this.parents ?? []).some(counts));
  }
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
