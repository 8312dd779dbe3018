import type { Node } from '@babel/types';
import { constantString } from './constant.js';
import { unwrap as bare } from './wrappers.js';

// The ways JavaScript reaches a function or property without writing its name where it is used,
// which malware uses so that a search for `exec(` or `.spawn` finds nothing:
// - a call forwarded through `f.call(this, a)`, `f.apply(this, [a])`, `f.bind(this, a)()` or
//   `Reflect.apply(f, this, [a])`: the call is of `f`, with the arguments it really receives;
// - a member read reflectively: `Reflect.get(o, 'k')`, `Object.getOwnPropertyDescriptor(o, 'k').value`,
//   `Object.entries(o).find(([n]) => n === 'k')[1]` (or `.filter(…)[0][1]`);
// - a key found by searching the object's own names: `o[Object.keys(o).find((n) => n === 'k')]`.
// Each is undone statically; a member reached the second or third way counts as hidden (`built`).

/** How many forwardings are undone in a row (`f.call.call(…)` is one more). */
const MAX_FORWARDS = 4;

type CallNode = Extract<Node, { type: 'CallExpression' | 'OptionalCallExpression' }>;

const NO_BINDS: Node[] = [];

/**
 * The function a call really calls, and the arguments it receives, through `.call`, `.apply`,
 * `.bind(…)()` and `Reflect.apply`; `binds`: the `.bind(…)` calls on the way, which call nothing.
 */
export function forwardedCall(node: CallNode): { callee: Node; args: Node[]; binds: Node[] } {
  let callee = bare(node.callee as Node);
  let args = node.arguments as Node[];
  let binds = NO_BINDS;
  for (let step = 0; step < MAX_FORWARDS; step++) {
    const method = memberName(callee);
    if (method === 'call' && isMember(callee)) {
      args = args.slice(1);
      callee = bare(callee.object as Node);
    } else if (method === 'apply' && isMember(callee) && isList(args[1])) {
      args = listed(args[1]);
      callee = bare(callee.object as Node);
    } else if (isCall(callee) && memberName(bare(callee.callee as Node)) === 'bind' && isMember(bare(callee.callee as Node))) {
      args = [...(callee.arguments as Node[]).slice(1), ...args];
      binds = [...binds, callee];
      callee = bare((bare(callee.callee as Node) as Extract<Node, { type: 'MemberExpression' }>).object as Node);
    } else if (isGlobalCall(node, 'Reflect', 'apply') && callee === bare(node.callee as Node) && args.length > 0 && isList(args[2])) {
      return { callee: bare(args[0]!), args: listed(args[2]), binds };
    } else {
      break;
    }
  }
  return { callee, args, binds };
}

/** `o[k]` read reflectively (see above): the object and the key, when the key is a constant. */
export function reflectedMember(node: Node): { object: Node; key: string } | null {
  // Asked of every step of every member chain: the cheap tests first.
  if (isCall(node)) return isGlobalCall(node, 'Reflect', 'get') ? objectAndKey(node) : null;
  if (!isMember(node)) return null;
  const object = bare(node.object as Node);
  if (!node.computed) {
    const property = node.property as Node;
    return property.type === 'Identifier' && property.name === 'value' && isGlobalCall(object, 'Object', 'getOwnPropertyDescriptor') ? objectAndKey(object as CallNode) : null;
  }
  // `Object.entries(o).find(pred)[1]`, `Object.entries(o).filter(pred)[0][1]`: the pair's value.
  if (indexOf(node.property as Node) !== 1) return null;
  const pair = isMember(object) && object.computed && indexOf(object.property as Node) === 0 ? bare(object.object as Node) : object;
  const method = isCall(pair) ? memberName(bare(pair.callee as Node)) : undefined;
  if (!isCall(pair) || (method !== 'find' && !(method === 'filter' && pair !== object))) return null;
  const entries = bare((bare(pair.callee as Node) as Extract<Node, { type: 'MemberExpression' }>).object as Node);
  const key = predicateKey(pair.arguments[0] as Node | undefined);
  if (!isGlobalCall(entries, 'Object', 'entries') || key === undefined) return null;
  const target = (entries as CallNode).arguments[0];
  return target === undefined ? null : { object: bare(target as Node), key };
}

/** `Object.keys(o).find((n) => n === 'k')` (or `getOwnPropertyNames`, `filter(…)[0]`) as a computed key: `'k'`. */
export function searchedKey(node: Node): string | undefined {
  const search = isMember(node) && node.computed && indexOf(node.property as Node) === 0 ? bare(node.object as Node) : node;
  if (!isCall(search)) return undefined;
  const method = memberName(bare(search.callee as Node));
  if (method !== 'find' && !(method === 'filter' && search !== node)) return undefined;
  const names = bare((bare(search.callee as Node) as Extract<Node, { type: 'MemberExpression' }>).object as Node);
  if (!isGlobalCall(names, 'Object', 'keys') && !isGlobalCall(names, 'Object', 'getOwnPropertyNames') && !isGlobalCall(names, 'Reflect', 'ownKeys')) return undefined;
  return predicateKey(search.arguments[0] as Node | undefined);
}

/** `(n) => n === 'k'`, `([n]) => n == 'k'`, `function (n) { return 'k' === n; }`: the constant the predicate looks for. */
function predicateKey(node: Node | undefined): string | undefined {
  if (node === undefined || (node.type !== 'ArrowFunctionExpression' && node.type !== 'FunctionExpression')) return undefined;
  const first = node.params[0];
  const name = first?.type === 'Identifier' ? first.name : first?.type === 'ArrayPattern' && first.elements[0]?.type === 'Identifier' ? first.elements[0].name : undefined;
  let body = node.body as Node;
  if (body.type === 'BlockStatement' && body.body.length === 1 && body.body[0]!.type === 'ReturnStatement') body = body.body[0]!.argument as Node;
  if (name === undefined || body?.type !== 'BinaryExpression' || (body.operator !== '===' && body.operator !== '==')) return undefined;
  const [left, right] = [bare(body.left as Node), bare(body.right as Node)];
  if (left.type === 'Identifier' && left.name === name) return constantString(right);
  if (right.type === 'Identifier' && right.name === name) return constantString(left);
  return undefined;
}

function objectAndKey(call: CallNode): { object: Node; key: string } | null {
  const [object, keyNode] = call.arguments as Node[];
  const key = constantString(keyNode);
  return object === undefined || key === undefined ? null : { object: bare(object), key };
}

function isMember(node: Node): node is Extract<Node, { type: 'MemberExpression' | 'OptionalMemberExpression' }> {
  return node.type === 'MemberExpression' || node.type === 'OptionalMemberExpression';
}

function isCall(node: Node): node is CallNode {
  return node.type === 'CallExpression' || node.type === 'OptionalCallExpression';
}

/** A member's constant name: `.x`, `['x']`. */
function memberName(node: Node): string | undefined {
  if (!isMember(node)) return undefined;
  const property = node.property as Node;
  return !node.computed && property.type === 'Identifier' ? property.name : node.computed ? constantString(property) : undefined;
}

function isGlobalCall(node: Node, object: string, method: string): boolean {
  if (!isCall(node)) return false;
  const callee = bare(node.callee as Node);
  return isMember(callee) && memberName(callee) === method && bare(callee.object as Node).type === 'Identifier' && (bare(callee.object as Node) as { name: string }).name === object;
}

function indexOf(node: Node): number | undefined {
  return node.type === 'NumericLiteral' ? node.value : undefined;
}

/**
 * Arguments passed as a list are followed only when the list is written out (or absent): a wrapper's
 * `f.apply(this, arguments)` passes what its own callers gave, which is theirs to judge.
 */
function isList(node: Node | undefined): boolean {
  return node === undefined || node.type === 'ArrayExpression';
}

/** The arguments a written-out list holds. */
function listed(node: Node | undefined): Node[] {
  if (node?.type !== 'ArrayExpression') return [];
  return node.elements.filter((element): element is NonNullable<typeof element> => element !== null && element.type !== 'SpreadElement') as Node[];
}
