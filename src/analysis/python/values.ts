import type { Node } from 'web-tree-sitter';
import { pythonBuilder } from '../catalog/listeners.js';
import { pythonObjectClass } from '../catalog/network.js';
import { PYTHON_HTML_ESCAPERS } from '../catalog/responses.js';
import { isPythonRequestAttribute, pythonKeepsArgumentsWhole, pythonSourceOfCall, pythonSourceOfName, SOURCES, startsProgram } from '../catalog/sources.js';
import { callKey, labelBase, WRAP, wrapLabel, type ArgumentFact } from '../model/file-facts.js';
import { decode, DECODER_NAMES, isDecoder, MAX_OUTPUT } from './decode.js';
import { contentText, interpolations, MAX_DEPTH, stringPrefix, stringValue, unescape } from './syntax.js';

// What values are, within one Python module: the labels a value carries (a function's parameters
// `<id>#<i>` and the sources of catalog/sources.ts), carried through assignments in source order;
// what a variable holds beyond its labels (constant text, the strings it is built from, a pathlib
// path or a client object: see Value); the argument facts of a call; and what a call's callee is,
// since a method's canonical name can depend on the object a variable holds (`session.get` is
// `requests.Session.get`). Names bound to imports are read from the extractor's bindings.

const MAX_ELEMENTS = 16;
const MAX_LABELS = 32;

const BUILTIN_FUNCTIONS = new Set([
  'eval', 'exec', 'compile', '__import__', 'open', 'input', 'print', 'getattr', 'setattr', 'globals', 'locals', 'vars',
  'breakpoint', 'memoryview', 'bytes', 'bytearray', 'str', 'repr', 'format', 'dict', 'list', 'tuple', 'set', 'len',
]);
const NO_LABELS: readonly string[] = Object.freeze([]) as readonly string[];

export interface Scope {
  /** The function (or dispatch branch) id, null at module level. */
  id: string | null;
  env: Map<string, string[]>;
  /** What is known of a variable's value beyond its labels (see Value). */
  values: Map<string, Value>;
  parent: Scope | null;
  /** Inside a low-level `call_tool` handler: its name parameter, for dispatch branches. */
  dispatch?: { owner: string; nameParam: string };
  /** The function or branch checks paths against allowed roots (see isPathCheck); its calls after the first check are marked guarded. */
  checksPaths?: true;
  /** Where its first such check starts. */
  checkedFrom?: number;
  /** It calls `os.path.relpath`, and it names `..`: together a containment check, as `path.relative` with `..` is in JavaScript. */
  relpath?: true;
  relpathAt?: number;
  parentRef?: true;
  /** A method of an `http.server` or `socketserver` request handler class: `self.path` and the like are the request (python/listeners.ts). */
  requestSelf?: true;
  parentRefAt?: number;
  /** It parses a URL: it may check the URL's host (see confinementOf in path-checks.ts). */
  parsesUrl?: true;
  /** Names of imports that this scope binds again to something else (a parameter, an assignment): there they are not the module. */
  shadows?: Set<string>;
  /** Variables last assigned the result of an HTML escaper (`safe = html.escape(name)`): see pageFact. */
  escaped?: Set<string>;
}

/** Whether `name`, an import's name, means something else where `scope` reads it (see Scope.shadows). */
export function shadowsImport(scope: Scope, name: string): boolean {
  for (let current: Scope | null = scope; current !== null; current = current.parent) if (current.shadows?.has(name)) return true;
  return false;
}

/**
 * What a variable holds, as far as its assignment says: the constant text or the strings it is
 * built from (so `open(cred)` knows `cred = os.path.join(home, ".aws", "credentials")`), and the
 * object it holds when that object's methods have canonical names (a pathlib path, a `requests`
 * session: see objectOf).
 */
interface Value {
  literal?: string;
  built?: true;
  /** The literal was decoded (python/decode.ts), not only assembled. */
  encoded?: true;
  prefix?: string;
  parts?: string[];
  object?: PyObject;
  /** A dict, list, tuple or set of constants: what is looked up in it is one of them, whatever the key. */
  table?: true;
}

/** An object whose methods are canonicalised `<type>.<method>`, and the fact passed as argument 0 of each. */
interface PyObject {
  type: string;
  receiver: ArgumentFact;
}

export function newScope(id: string | null, parent: Scope | null): Scope {
  return { id, env: new Map(), values: new Map(), parent };
}

/** Labels, values, argument facts and callees, over the scopes the extractor builds. */
export class Values {
  /** Values held in attributes (`self.session`), by the attribute as written, file-wide: methods set them for other methods. */
  private readonly attributeValues = new Map<string, Value>();
  /** Names bound to a member whose name was hidden (`cc = getattr(builtins, "ev" + "al")`): calls through them are hidden too. */
  readonly hiddenAliases = new Set<string>();

  constructor(
    private readonly text: string,
    /** Local name -> import path (the extractor's, filled as imports are read). */
    private readonly bindings: ReadonlyMap<string, string>,
  ) {}

  /** `x = value`, `x += value`, `(x := value)`, `with value as x`: what the target holds now. */
  assignment(target: Node, value: Node, augmented: boolean, scope: Scope, depth: number): void {
    const labels = this.labels(value, scope, depth);
    const kept = augmented ? union(this.lookup(target.text, scope), labels) : labels;
    this.assign(target, kept, scope, augmented ? undefined : this.valueOf(value, scope, depth));
    if (target.type === 'identifier' && !augmented && this.isEscaperCall(value, scope, depth)) (scope.escaped ??= new Set()).add(target.text);
  }

  /**
   * A value written as a web page (see catalog/responses.ts): its constant text as any argument's,
   * and the labels of the pieces put into it that no HTML escaper went through, by `+`, `%`,
   * `.format()` or an f-string (`"<p>%s</p>" % html.escape(name)` has none).
   */
  pageFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    return { ...this.argumentFact(node, scope, depth), labels: [...this.unescapedLabels(node, scope, depth)] };
  }

  private unescapedLabels(node: Node, scope: Scope, depth: number): readonly string[] {
    if (depth > MAX_DEPTH) return NO_LABELS;
    const within = (children: ReadonlyArray<Node | null>): readonly string[] => {
      let found: readonly string[] = NO_LABELS;
      for (const child of children) if (child && child.type !== 'comment') found = union(found, this.unescapedLabels(child, scope, depth + 1));
      return found;
    };
    switch (node.type) {
      case 'string':
      case 'concatenated_string':
        return within(interpolations(node).map((interpolation) => interpolation?.namedChildren[0] ?? null));
      case 'binary_operator':
      case 'parenthesized_expression':
      case 'tuple':
        return within(node.namedChildren);
      case 'identifier': {
        for (let at: Scope | null = scope; at; at = at.parent) if (at.env.has(node.text)) return at.escaped?.has(node.text) ? NO_LABELS : this.labels(node, scope, depth);
        return this.labels(node, scope, depth);
      }
      case 'call': {
        if (this.isEscaperCall(node, scope, depth)) return NO_LABELS;
        // `"<p>{}</p>".format(name)`: the template, then what fills it.
        const fn = node.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format' && fn.childForFieldName('object')?.type === 'string') {
          const list = node.childForFieldName('arguments');
          return within([fn.childForFieldName('object'), ...(list?.namedChildren ?? []).map((argument) => (argument?.type === 'keyword_argument' ? argument.childForFieldName('value') : argument))]);
        }
        return this.labels(node, scope, depth);
      }
      default:
        return this.labels(node, scope, depth);
    }
  }

  private isEscaperCall(node: Node, scope: Scope, depth: number): boolean {
    if (node.type !== 'call') return false;
    const fn = node.childForFieldName('function');
    const callee = fn ? this.callee(fn, scope, depth) : null;
    return callee !== null && PYTHON_HTML_ESCAPERS.has(callee.name);
  }

  /** `for x in values`: x holds what values holds; `for child in folder.iterdir()`: each item is a path under the folder. */
  forLoop(left: Node | null, right: Node | null, scope: Scope, depth: number): void {
    const listed = right ? this.listedPaths(right, scope, depth) : null;
    if (right && left) this.assign(left, this.labels(right, scope, depth), scope, listed === null ? undefined : { object: listed });
  }

  /** `msg.set_content(body)`, `payload.update(os.environ)`: a method called for its effect fills its object. */
  calledForEffect(node: Node, scope: Scope, depth: number): void {
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const list = node.childForFieldName('arguments');
    if (object?.type === 'identifier' && list && FILLING_METHODS.has(fn!.childForFieldName('attribute')?.text ?? '') && !this.bindings.has(object.text)) {
      let labels: readonly string[] = NO_LABELS;
      for (const argument of list.namedChildren) if (argument) labels = union(labels, this.labels(argument, scope, depth));
      if (labels.length > 0) scope.env.set(object.text, union(this.lookup(object.text, scope), labels));
    }
  }

  /** `def read(path: Path)`: the parameter is a pathlib path, so `path.read_text()` is a file read. */
  annotate(scope: Scope, parameters: Node | null): void {
    for (const [parameter, annotation] of parameterAnnotations(parameters)) {
      const type = annotation.type === 'identifier' ? this.bindings.get(annotation.text) : this.referenceOf(annotation);
      if (type && PATH_CONSTRUCTOR.test(type)) scope.values.set(parameter, { object: { type: PATH_TYPE, receiver: { labels: [...(scope.env.get(parameter) ?? [])] } } });
    }
  }

  /**
   * `def fetch(url="http://mirror.example/feed")`: a constant default is one string the parameter may
   * hold, kept as a part (not as its literal: a caller may pass anything), so a URL or a path written
   * there counts where the parameter is used.
   */
  defaults(scope: Scope, parameters: Node | null): void {
    for (const parameter of parameters?.namedChildren ?? []) {
      if (!parameter) continue;
      const type = parameter.type;
      if (type !== 'default_parameter' && type !== 'typed_default_parameter') continue;
      const name = parameter.childForFieldName('name');
      const text = stringValue(parameter.childForFieldName('value'));
      if (name?.type === 'identifier' && text !== undefined && text !== '' && !scope.values.has(name.text)) scope.values.set(name.text, { parts: [text] });
    }
  }

  private assign(target: Node, labels: readonly string[], scope: Scope, value?: Value): void {
    const type = target.type;
    if (type === 'identifier') {
      const name = target.text;
      scope.escaped?.delete(name);
      if (this.bindings.has(name)) (scope.shadows ??= new Set()).add(name);
      scope.env.set(name, [...labels]);
      if (value === undefined || isEmptyValue(value)) scope.values.delete(name);
      else scope.values.set(name, value);
      return;
    }
    if (type === 'pattern_list' || type === 'tuple_pattern' || type === 'list_pattern') {
      for (const child of target.namedChildren) if (child) this.assign(child, labels, scope);
    }
    // `obj.attr = x`, `d[k] = x`: the container now holds x's labels too.
    if (type === 'attribute' || type === 'subscript') {
      const root = rootIdentifier(target);
      if (root !== null) scope.env.set(root, union(this.lookup(root, scope), labels));
    }
    // `self.client = httpx.AsyncClient(...)`, `self.base_url = "https://…"`: other methods of the class read them.
    if (type === 'attribute' && value !== undefined && !isEmptyValue(value)) this.attributeValues.set(target.text, value);
  }

  private lookup(name: string, scope: Scope): string[] {
    for (let at: Scope | null = scope; at; at = at.parent) {
      const found = at.env.get(name);
      if (found) return found;
    }
    return [];
  }

  /** The value a name holds, from the innermost scope that binds it. */
  private lookupValue(name: string, scope: Scope): Value | undefined {
    for (let at: Scope | null = scope; at; at = at.parent) if (at.env.has(name)) return at.values.get(name);
    return undefined;
  }

  /** Positional argument facts, then one options fact for the keyword arguments (see the header). */
  argumentFacts(list: Node, scope: Scope, depth: number): ArgumentFact[] {
    const positional: ArgumentFact[] = [];
    let options: ArgumentFact | null = null;
    for (const argument of list.namedChildren) {
      const type = argument?.type;
      if (!argument || type === 'comment') continue;
      if (type === 'keyword_argument') {
        const name = argument.childForFieldName('name')?.text;
        const value = argument.childForFieldName('value');
        if (!name || !value) continue;
        options ??= { labels: [], properties: {}, propertyLabels: {}, keywords: true };
        this.addProperty(options, name, value, scope, depth);
        continue;
      }
      if (type === 'dictionary_splat') {
        options ??= { labels: [], properties: {}, propertyLabels: {}, keywords: true };
        options.labels = union(options.labels, this.labels(argument, scope, depth));
        continue;
      }
      positional.push(this.argumentFact(argument, scope, depth));
    }
    return options === null ? positional : [...positional, options];
  }

  /** One named value into an options fact: constant in `properties`, labels in `propertyLabels`, an imported name in `references`. */
  private addProperty(options: ArgumentFact, name: string, value: Node, scope: Scope, depth: number): void {
    const type = value.type;
    const constant = type === 'true' ? true : type === 'false' ? false : (this.constantOf(value, scope) ?? this.fold(value, scope)?.literal);
    const labels = this.labels(value, scope, depth);
    if (constant !== undefined) options.properties![name] = constant;
    else options.propertyLabels![name] = [...labels];
    const reference = this.referenceOf(value);
    if (reference !== null) (options.references ??= {})[name] = reference;
    options.labels = union(options.labels, labels);
  }

  private argumentFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const type = node.type;
    // The commonest argument, a name: its text read once.
    if (type === 'identifier') {
      const name = node.text;
      const labels = name === '__file__' ? [SOURCES.bundleDir] : this.lookup(name, scope);
      const value = this.lookupValue(name, scope);
      if (value?.object) return { ...value.object.receiver, labels: union(value.object.receiver.labels, labels) };
      const reference = this.bindings.get(name);
      return { labels: [...labels], ...(value === undefined ? {} : textFields(value)), ...(reference === undefined ? {} : { reference }) };
    }
    const labels = this.labels(node, scope, depth);
    // A pathlib path, a request object: what it was built from.
    const object = this.objectOf(node, scope, depth);
    if (object !== null) {
      const receiver = object.receiver();
      return { ...receiver, labels: union(receiver.labels, labels) };
    }
    const fact: ArgumentFact = { labels: [...labels], ...this.textOf(node, scope, depth) };
    const reference = this.referenceOf(node);
    if (reference !== null) fact.reference = reference;
    if (type === 'list' || type === 'tuple') {
      fact.elements = node.namedChildren.slice(0, MAX_ELEMENTS).flatMap((element) => {
        if (!element) return [];
        const literal = this.constantOf(element, scope);
        return [{ ...(literal === undefined ? {} : { literal }), labels: [...this.labels(element, scope, depth)] }];
      });
    }
    if (type === 'lambda') fact.function = true;
    if (type === 'dictionary') {
      fact.properties = {};
      fact.propertyLabels = {};
      for (const pair of node.namedChildren) {
        if (pair?.type !== 'pair') continue;
        const key = stringValue(pair.childForFieldName('key'));
        const value = pair.childForFieldName('value');
        if (key === undefined || !value) continue;
        const constant = value.type === 'true' ? true : value.type === 'false' ? false : stringValue(value);
        if (constant !== undefined) fact.properties[key] = constant;
        else fact.propertyLabels[key] = [...this.labels(value, scope, depth)];
      }
    }
    return fact;
  }

  /**
   * What an assignment tells about the variable beyond its labels (see Value). Text is kept for the
   * expressions a path or a URL is written with; containers, comprehensions and calls of the bundle's
   * own functions or methods are not looked into (their strings are data, and walking them costs).
   */
  private valueOf(node: Node, scope: Scope, depth: number): Value {
    const object = this.objectOf(node, scope, depth);
    if (object !== null) return { object: { type: object.type, receiver: object.receiver() } };
    const type = node.type;
    if (isConstantTable(node, type)) return { table: true };
    if (!TEXT_VALUES.has(type)) return {};
    if (type === 'call') {
      const fn = node.childForFieldName('function');
      const fnType = fn?.type;
      const path = fnType === 'attribute' ? this.dottedPath(fn!) : fnType === 'identifier' ? (this.bindings.get(fn!.text) ?? null) : null;
      if (path === null) return {};
    }
    return this.textOf(node, scope, depth);
  }

  /**
   * The constant text of a value, or its constant start and the strings it is built from: literals,
   * `+` and f-strings over literals and variables of known value, else every string constant in the
   * expression and in the variables it mentions.
   */
  private textOf(node: Node, scope: Scope, depth: number): Pick<ArgumentFact, 'literal' | 'built' | 'encoded' | 'prefix' | 'parts'> {
    const value = this.knownValue(node, scope);
    if (value !== undefined) return textFields(value);
    const folded = this.fold(node, scope);
    if (folded !== undefined) return folded;
    const parts = this.stringParts(node, scope, depth);
    return parts.length > 0 ? { parts } : {};
  }

  /** The value a name or an attribute (`self.base_url`) was assigned, when it was. */
  private knownValue(node: Node, scope: Scope): Value | undefined {
    const type = node.type;
    if (type === 'identifier') return this.lookupValue(node.text, scope);
    if (type === 'attribute') return this.attributeValues.get(node.text);
    return undefined;
  }

  /** A variable holding a table of constants (see Value.table). */
  private isTable(node: Node | null, scope: Scope): boolean {
    return node?.type === 'identifier' && this.lookupValue(node.text, scope)?.table === true;
  }

  /** A string constant, or a name whose value is one. */
  private constantOf(node: Node, scope: Scope): string | undefined {
    return stringValue(node) ?? this.knownValue(node, scope)?.literal;
  }

  /** A constant or partly constant string expression: literals, `+` of pieces, f-strings; names of known value are folded in. */
  private fold(node: Node, scope: Scope): Pick<ArgumentFact, 'literal' | 'built' | 'encoded' | 'prefix' | 'parts'> | undefined {
    let pieces: Array<string | undefined>;
    const type = node.type;
    if (type === 'string' || type === 'concatenated_string') {
      const literal = stringValue(node);
      if (literal !== undefined) return { literal };
      pieces = this.stringPieces(node, scope);
    } else if (type === 'binary_operator' && node.childForFieldName('operator')?.type === '+') {
      const operands = flattenSum(node);
      if (operands === null) return undefined;
      pieces = operands.flatMap((operand) => (operand.type === 'string' ? this.stringPieces(operand, scope) : [this.constantOf(operand, scope)]));
    } else {
      // `base64.b64decode("…").decode()`, `"lave"[::-1]`: decoded, or else `"…".format(…)`, `"…" % x`.
      const decoded = type === 'call' || type === 'subscript' ? this.decoded(node, scope, 0) : undefined;
      if (decoded !== undefined) return { literal: decoded, built: true, encoded: true };
      const template = formatTemplate(node, type);
      if (template === null) return undefined;
      pieces = template;
    }
    if (pieces.every((piece) => piece !== undefined)) return { literal: pieces.join(''), built: true };
    let prefix = '';
    for (const piece of pieces) {
      if (piece === undefined) break;
      prefix += piece;
    }
    const parts = pieces.filter((piece): piece is string => piece !== undefined && piece !== '').slice(0, MAX_ELEMENTS);
    return { ...(prefix ? { prefix } : {}), ...(parts.length > 0 ? { parts } : {}) };
  }

  /**
   * A value decoded from constants (python/decode.ts): a decoder's call, a method of bytes or text
   * (`.decode("cp1026")`, `"".join(…)`, `.replace(a, b)`), `chr(101)`, `bytes([101, 118])`, `text[::-1]`.
   */
  private decoded(node: Node, scope: Scope, depth: number): string | undefined {
    if (depth > MAX_DECODING_DEPTH) return undefined;
    const inner = (child: Node | null | undefined) => (child ? this.decoded(child, scope, depth + 1) : undefined);
    switch (node.type) {
      case 'string':
      case 'concatenated_string':
        return stringValue(node);
      case 'identifier':
        return this.knownValue(node, scope)?.literal;
      case 'parenthesized_expression':
        return inner(node.namedChildren[0]);
      case 'binary_operator': {
        const operands = node.childForFieldName('operator')?.type === '+' ? flattenSum(node) : null;
        const values = operands?.map((operand) => inner(operand));
        return values?.every((value) => value !== undefined) ? values.join('') : undefined;
      }
      case 'subscript': {
        const slice = node.childForFieldName('subscript');
        return slice?.type === 'slice' && slice.text.replace(/\s+/g, '') === '::-1' ? [...(inner(node.childForFieldName('value')) ?? '')].reverse().join('') || undefined : undefined;
      }
      case 'call':
        break;
      default:
        return undefined;
    }
    const fn = node.childForFieldName('function');
    if (!fn) return undefined;
    // Most calls decode nothing: their name says so before anything is resolved.
    const name = fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn.type === 'identifier' ? (this.bindings.get(fn.text) ?? fn.text) : undefined;
    const last = name?.slice(name.lastIndexOf('.') + 1);
    if (last === undefined || !(DECODER_NAMES.has(last) || FOLDING_NAMES.has(last))) return undefined;
    const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
    const callee = this.callee(fn, scope, depth)?.name;
    if (callee === undefined) return undefined;
    const method = callee.startsWith('member:') ? callee.slice('member:'.length) : undefined;
    const object = fn.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (method === 'join' && object && args.length === 1) {
      const separator = inner(object);
      const items = this.decodedItems(args[0]!, scope, depth + 1);
      return separator === undefined || items === undefined ? undefined : items.join(separator);
    }
    if (method === 'replace' && object && args.length === 2) {
      const [text, search, replacement] = [inner(object), inner(args[0]), inner(args[1])];
      return text === undefined || search === undefined || replacement === undefined ? undefined : text.split(search).join(replacement);
    }
    if ((method === 'decode' || method === 'encode') && object) {
      const values = [inner(object), ...args.map((arg) => inner(arg))];
      return values.every((value) => value !== undefined) ? decode(`member:${method}`, values as string[]) : undefined;
    }
    if (callee === 'local:chr' && args.length === 1) return charOf(args[0]!);
    if ((callee === 'local:bytes' || callee === 'builtins.bytes' || callee === 'builtins.bytearray' || callee === 'local:bytearray') && args.length === 1) {
      return args[0]!.type === 'list' || args[0]!.type === 'tuple' ? this.decodedItems(args[0]!, scope, depth + 1)?.join('') : undefined;
    }
    if (!isDecoder(callee)) return undefined;
    const values = args.map((arg) => inner(arg));
    return values.every((value) => value !== undefined) ? decode(callee, values as string[]) : undefined;
  }

  /** The items of a constant list or tuple (strings, or integers read as characters), or `map(chr, [...])`. */
  private decodedItems(node: Node, scope: Scope, depth: number): string[] | undefined {
    let list: Node = node;
    if (node.type === 'call' && node.childForFieldName('function')?.text === 'map') {
      const [fn, items] = (node.childForFieldName('arguments')?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'comment');
      if (fn?.text !== 'chr' || !items) return undefined;
      list = items;
    }
    if (list.type !== 'list' && list.type !== 'tuple') return undefined;
    const items = list.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
    if (items.length > MAX_OUTPUT) return undefined;
    const values = items.map((item) => (item.type === 'integer' ? charOf(item) : this.decoded(item, scope, depth + 1)));
    return values.every((value) => value !== undefined) ? (values as string[]) : undefined;
  }

  /** An f-string's pieces in order: its text, and each interpolation's value when it is a name of known constant value (undefined otherwise). */
  private stringPieces(node: Node, scope: Scope): Array<string | undefined> {
    if (node.type === 'concatenated_string') return node.namedChildren.flatMap((part) => (part ? this.stringPieces(part, scope) : []));
    const pieces: Array<string | undefined> = [];
    let text = '';
    for (const child of node.namedChildren) {
      const type = child?.type;
      if (!child || type === 'string_start' || type === 'string_end') continue;
      if (type === 'string_content') text += contentText(child);
      else if (type === 'escape_sequence') text += unescape(child.text);
      else if (type === 'interpolation') {
        const expression = child.namedChildren[0];
        const known = child.namedChildren.length === 1 && expression ? this.constantOf(expression, scope) : undefined;
        if (known !== undefined) {
          text += known;
          continue;
        }
        if (text !== '') pieces.push(text);
        text = '';
        pieces.push(undefined);
      }
    }
    if (text !== '' || pieces.length === 0) pieces.push(text);
    return pieces;
  }

  /**
   * String constants inside a computed value (`os.path.join(base, ".ssh", "id_rsa")`) and in the
   * variables it mentions, first few, in source order. A cursor walk that stops once enough are
   * found and makes a node object only for strings and names of known value.
   */
  private stringParts(node: Node, scope: Scope, depth: number): string[] {
    if (depth > MAX_DEPTH) return [];
    const parts: string[] = [];
    const attributes = this.attributeValues.size > 0;
    const cursor = node.walk();
    try {
      let level = 0;
      for (;;) {
        const type = cursor.nodeType;
        let descend = type !== 'string';
        if (type === 'string') {
          const found = cursor.currentNode;
          const value = stringValue(found) ?? stringPrefix(found);
          if (value) parts.push(value);
        } else if (type === 'identifier' || (attributes && type === 'attribute')) {
          // A variable, or an attribute such as `self.base_dir`, holding text; not a method's or a keyword's name.
          const field = cursor.currentFieldName;
          const name = type === 'identifier' && (field === 'attribute' || field === 'name') ? undefined : this.text.slice(cursor.startIndex, cursor.endIndex);
          const value = name === undefined ? undefined : type === 'identifier' ? this.lookupValue(name, scope) : this.attributeValues.get(name);
          if (value !== undefined) {
            descend = false;
            if (value.literal !== undefined) parts.push(value.literal);
            else if (value.parts) parts.push(...value.parts);
            else if (value.object) parts.push(...pathTexts(value.object.receiver));
          }
        }
        if (parts.length >= MAX_ELEMENTS) break;
        if (descend && cursor.gotoFirstChild()) {
          level += 1;
          continue;
        }
        let moved = false;
        while (level > 0 && !(moved = cursor.gotoNextSibling())) {
          cursor.gotoParent();
          level -= 1;
        }
        if (!moved) break;
      }
    } finally {
      cursor.delete();
    }
    return parts.slice(0, MAX_ELEMENTS);
  }

  /** A name bound to an import (`yaml.SafeLoader`, `SafeLoader` from `from yaml import SafeLoader`): its import path. */
  private referenceOf(node: Node): string | null {
    const type = node.type;
    if (type === 'identifier') return this.bindings.get(node.text) ?? null;
    return type === 'attribute' ? this.dottedPath(node) : null;
  }

  /** The canonical callee of a call's function expression (see the header), the module it names, and the object a method works on. */
  callee(
    fn: Node,
    scope: Scope,
    depth: number,
  ): { name: string; module?: { specifier: string; member: string | null }; receiver?: () => ArgumentFact; builtName?: true } | null {
    // Each of these reads is a call into the parser's WebAssembly, and the field reads make a node each: read once.
    const type = fn.type;
    const name = type === 'identifier' ? fn.text : undefined;
    const object = type === 'attribute' ? fn.childForFieldName('object') : null;
    const method = type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    // `def run(subprocess): subprocess.call(x)`, `os = Platform()`: the name is not the module here.
    // (An attribute's root is its object's, one step further down.)
    const root = name ?? (type === 'attribute' ? object && rootIdentifier(object, 63) : rootIdentifier(fn));
    if (root !== null && this.bindings.has(root) && shadowsImport(scope, root)) {
      // `from paramiko import client`, then `client = paramiko.client.SSHClient()`: the object it holds now.
      const held = object?.type === 'identifier' ? this.objectOf(object, scope, depth) : null;
      if (held !== null) return { name: `${held.type}.${method ?? ''}`, receiver: held.receiver };
      return { name: name !== undefined ? `local:${name}` : `member:${method ?? ''}` };
    }
    if (name !== undefined) {
      const bound = this.bindings.get(name);
      if (bound !== undefined) return { name: bound, module: moduleRef(bound), ...(this.hiddenAliases.has(name) ? { builtName: true as const } : {}) };
      if (BUILTIN_FUNCTIONS.has(name)) return { name: `builtins.${name}` };
      return { name: `local:${name}` };
    }
    // `f.__call__(x)` is `f(x)`.
    if (method === '__call__' && object) return this.callee(object, scope, depth + 1);
    // `os.__getattribute__("system")`, `vars(os).get("system")`: a getattr, whatever it then calls.
    if (method === '__getattribute__' || (method === 'get' && this.reflectedPath(object!, scope, 0)?.built === true)) return { name: 'builtins.getattr' };
    // `vars(__builtins__)["exec"]`, `getattr(os, "system")`: the member reached, as if written `os.system`.
    const reflected = type === 'attribute' ? this.reflectedMember(method ?? '', object, scope, 0) : type === 'call' || type === 'subscript' ? this.reflectedPath(fn, scope, 0) : null;
    if (reflected !== null && reflected.path.includes('.') && (reflected.built || type === 'call')) {
      return { name: reflected.path, module: moduleRef(reflected.path), ...(reflected.built ? { builtName: true as const } : {}) };
    }
    if (type !== 'attribute') return null;
    const attribute = method ?? '';
    if (!object) return null;
    const path = this.dottedPath(object);
    if (path !== null) return { name: `${path}.${attribute}`, module: moduleRef(`${path}.${attribute}`) };
    // `bytes.fromhex(…)`: a class method of the builtin type.
    if (object.type === 'identifier' && (object.text === 'bytes' || object.text === 'bytearray') && !this.bindings.has(object.text)) return { name: `bytes.${attribute}` };
    // `Path(p).read_text()`, `(Path.home() / ".ssh").read_text()`, `session.get(url)`.
    const found = this.objectOf(object, scope, depth);
    if (found !== null) return { name: `${found.type}.${attribute}`, receiver: found.receiver };
    const built = object.type === 'attribute' || object.type === 'call' ? this.builderOf(object) : null;
    return { name: built === null ? `member:${attribute}` : `${built}.${attribute}` };
  }

  /** `schedule.every(10).seconds`: a builder made by a module's function (catalog/listeners.ts), through what is chained on it; its type. */
  private builderOf(node: Node): string | null {
    let at: Node | null = node;
    for (let steps = 0; at && steps < 8; steps++) {
      const fn: Node | null = at.type === 'call' ? at.childForFieldName('function') : null;
      const path = fn?.type === 'attribute' || fn?.type === 'identifier' ? this.dottedPath(fn) : null;
      if (path !== null) return pythonBuilder(path);
      at = (fn ?? at).type === 'attribute' ? (fn ?? at).childForFieldName('object') : null;
    }
    return null;
  }

  /**
   * A module or a member of one, written plainly, through getattr or `__import__` (`os.system`,
   * `getattr(os, "system")`, `__import__("os")`): its import path, and whether its name was hidden
   * (see reflectedPath), which calls through the alias keep (see hiddenAliases).
   */
  moduleAlias(node: Node, scope: Scope): { path: string; built: boolean } | null {
    if (node.type !== 'attribute' && node.type !== 'call') return null;
    const found = this.reflectedPath(node, scope, 0);
    return found === null || /^(?:globals|locals)$/.test(found.path) ? null : found;
  }

  /**
   * The import path of a module or member reached the ways code hides one (`built`): a module named
   * by a constant to `__import__` or `importlib.import_module`, a member read through `__dict__`,
   * `vars()`, `__getattribute__` or `getattr` (`vars(__builtins__)['exec']`,
   * `__import__("os").__dict__["system"]`), `globals()['__builtins__']`; or a plain dotted name.
   * `getattr(os, "system")` with a plain literal is as plain as `os.system`; with a name assembled
   * (`"sys" + "tem"`) it is built, as JavaScript's `cp['ex' + 'ec']`.
   */
  private reflectedPath(node: Node, scope: Scope, depth: number): { path: string; built: boolean } | null {
    if (depth > 8) return null;
    const inner = (child: Node | null | undefined) => (child ? this.reflectedPath(child, scope, depth + 1) : null);
    const keyOf = (child: Node | null | undefined) => {
      const folded = child ? this.fold(child, scope) : undefined;
      return folded?.literal !== undefined && /^\w+$/.test(folded.literal) ? { name: folded.literal, built: folded.built === true } : undefined;
    };
    const key = (child: Node | null | undefined) => keyOf(child)?.name;
    // `hidden`: read through __dict__, vars() or __getattribute__; getattr with a plain literal is as plain as `os.system`.
    const member = (object: { path: string; built: boolean } | null, name: string | undefined, hidden = true) =>
      object === null || name === undefined
        ? null
        : { path: name === '__builtins__' && /^(?:globals|locals)$/.test(object.path) ? 'builtins' : `${object.path}.${name}`, built: hidden || object.built };
    const type = node.type;
    if (type === 'identifier') {
      const text = node.text;
      if ((text === 'globals' || text === 'locals') && !this.bindings.has(text)) return { path: text, built: true };
      const path = this.dottedPath(node);
      return path === null ? null : { path, built: false };
    }
    if (type === 'attribute') return this.reflectedMember(node.childForFieldName('attribute')?.text ?? '', node.childForFieldName('object'), scope, depth);
    if (type === 'subscript') return member(inner(node.childForFieldName('value')), key(node.childForFieldName('subscript')));
    if (type !== 'call') return null;
    const fn = node.childForFieldName('function');
    if (!fn) return null;
    // The arguments are read only by the calls that reach something (most calls do not).
    const args = () => (node.childForFieldName('arguments')?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'comment');
    // A builtin under its own name, or reached through the builtins module (`__builtins__.getattr(…)`).
    const fnType = fn.type;
    const plain = fnType === 'identifier' && !this.bindings.has(fn.text) ? fn.text : undefined;
    // (A name bound to no import has no dotted path but `builtins`, for `__builtins__`.)
    const path = plain === undefined ? this.dottedPath(fn) : null;
    const name = plain ?? /^builtins\.(\w+)$/.exec(path ?? '')?.[1];
    if (name === '__import__' || path === 'importlib.import_module') {
      const module = key(args()[0]);
      return module === undefined ? null : { path: module, built: true };
    }
    if (name === 'vars') {
      const list = args();
      const object = list.length === 1 ? inner(list[0]) : null;
      return object === null ? null : { path: object.path, built: true };
    }
    if (name === 'getattr') {
      const list = args();
      return member(inner(list[0]), key(list[1]), keyOf(list[1])?.built === true);
    }
    if ((name === 'globals' || name === 'locals') && args().length === 0) return { path: name, built: true };
    if (fnType !== 'attribute') return null;
    // `vars(os).get("system")`, `os.__dict__.get("system")`, `os.__getattribute__("system")`.
    const method = fn.childForFieldName('attribute')?.text;
    if (method !== '__getattribute__' && method !== 'get') return null;
    const object = inner(fn.childForFieldName('object'));
    if (method === '__getattribute__' || object?.built === true) return member(object, key(args()[0]));
    return null;
  }

  /** reflectedPath of an attribute, its name and object read. */
  private reflectedMember(attribute: string, objectNode: Node | null, scope: Scope, depth: number): { path: string; built: boolean } | null {
    const object = objectNode ? this.reflectedPath(objectNode, scope, depth + 1) : null;
    if (object === null) return null;
    return attribute === '__dict__' ? { path: object.path, built: true } : { path: `${object.path}.${attribute}`, built: object.built };
  }

  /** `a.b.c` where `a` is an imported name (or `__builtins__`): its import path (`os.path`), else null. */
  private dottedPath(node: Node): string | null {
    // A path starts from the chain's first name, which is written where the chain starts: most
    // chains (`self.x`, `value.strip`) start from a name no import binds, told without the tree.
    const first = asciiNameAt(this.text, node.startIndex);
    if (first !== undefined && first !== '__builtins__' && !this.bindings.has(first)) return null;
    const parts: string[] = [];
    let at: Node | null = node;
    for (let steps = 0; at && steps < 32; steps++) {
      const type = at.type;
      if (type === 'identifier') {
        const name = at.text;
        const bound = this.bindings.get(name) ?? (name === '__builtins__' ? 'builtins' : undefined);
        if (bound === undefined) return null;
        return [bound, ...parts.reverse()].join('.');
      }
      if (type !== 'attribute') return null;
      parts.push(at.childForFieldName('attribute')?.text ?? '');
      at = at.childForFieldName('object');
    }
    return null;
  }

  /**
   * The object an expression denotes, when its methods have canonical names: a pathlib path built in
   * place (`Path(x)`, `Path.home() / ".ssh"`, `Path(x).resolve()`, `p.parent`) or held in a variable,
   * a parameter annotated `Path`, or an instance of a class of PYTHON_OBJECT_CLASSES (a `requests`
   * session, an SMTP connection) built in place or held in a variable or a `self.` attribute. The
   * receiver is computed only when asked for.
   */
  private objectOf(node: Node, scope: Scope, depth: number): { type: string; receiver: () => ArgumentFact } | null {
    if (depth > MAX_DEPTH) return null;
    let at: Node | null = node;
    let type = at.type;
    while (type === 'parenthesized_expression') {
      at = at.namedChildren[0] ?? null;
      if (!at) return null;
      type = at.type;
    }
    switch (type) {
      case 'identifier':
        return storedObject(this.lookupValue(at.text, scope)?.object);
      case 'attribute': {
        const known = this.attributeValues.size > 0 ? this.attributeValues.get(at.text)?.object : undefined;
        if (known !== undefined) return storedObject(known);
        if (at.childForFieldName('attribute')?.text !== 'parent') return null;
        const inner = at.childForFieldName('object');
        const parent = inner ? this.objectOf(inner, scope, depth + 1) : null;
        return parent?.type === PATH_TYPE ? parent : null;
      }
      case 'binary_operator': {
        const left = at.childForFieldName('left');
        const right = at.childForFieldName('right');
        if (!left || !right || at.childForFieldName('operator')?.type !== '/') return null;
        const base = this.objectOf(left, scope, depth + 1);
        if (base?.type !== PATH_TYPE) return null;
        return { type: PATH_TYPE, receiver: () => joinPath(base.receiver(), [this.argumentFact(right, scope, depth + 1)]) };
      }
      case 'call': {
        const fn = at.childForFieldName('function');
        if (!fn) return null;
        const call = at;
        const fnType = fn.type;
        const name = fnType === 'identifier' ? this.bindings.get(fn.text) : fnType === 'attribute' ? this.dottedPath(fn) : undefined;
        if (name !== undefined && name !== null) {
          if (PATH_CONSTRUCTOR.test(name)) return { type: PATH_TYPE, receiver: () => this.pathFact(call, scope, depth + 1) };
          const known = pythonObjectClass(name);
          if (known !== null) {
            const list = call.childForFieldName('arguments');
            return { type: known.type, receiver: () => this.constructorFact(list, known.positional, scope, depth + 1) };
          }
          return null;
        }
        // `p.resolve()`, `p.joinpath("a", "b")`: methods of a path that return a path.
        const method = fnType === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (method === undefined || !PATH_RETURNING.has(method)) return null;
        const object = fn.childForFieldName('object');
        if (!object) return null;
        const base = this.objectOf(object, scope, depth + 1);
        if (base?.type !== PATH_TYPE) return null;
        const joined = method === 'joinpath' ? (call.childForFieldName('arguments')?.namedChildren ?? []).filter((child): child is Node => child !== null && child.type !== 'keyword_argument') : [];
        return { type: PATH_TYPE, receiver: () => joinPath(base.receiver(), joined.map((child) => this.argumentFact(child, scope, depth + 1))) };
      }
      default:
        return null;
    }
  }

  /** `for item in folder.iterdir()`: the items of a path listing, as paths under the folder. */
  private listedPaths(node: Node, scope: Scope, depth: number): PyObject | null {
    if (node.type !== 'call') return null;
    const fn = node.childForFieldName('function');
    const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
    if (!object || method === undefined || !PATH_LISTING.has(method)) return null;
    const base = this.objectOf(object, scope, depth);
    return base?.type === PATH_TYPE ? { type: PATH_TYPE, receiver: base.receiver() } : null;
  }

  /** `Path(x)`: the path is the constructor's first argument (or nothing, for `Path.home()`), with the labels of all of it. */
  private pathFact(node: Node, scope: Scope, depth: number): ArgumentFact {
    const labels = this.labels(node, scope, depth);
    const first = node.childForFieldName('arguments')?.namedChildren.filter((child): child is Node => child !== null && child.type !== 'keyword_argument' && child.type !== 'comment') ?? [];
    if (first.length === 0) return { labels: [...labels] };
    const facts = first.map((child) => this.argumentFact(child, scope, depth));
    const joined = joinPath(facts[0]!, facts.slice(1));
    return { ...joined, labels: union(joined.labels, labels) };
  }

  /** An instance's receiver fact: its constructor's arguments as one options fact, positional ones under their parameter names. */
  private constructorFact(list: Node | null, positional: readonly string[], scope: Scope, depth: number): ArgumentFact {
    const options: ArgumentFact = { labels: [], properties: {}, propertyLabels: {} };
    let index = 0;
    for (const argument of list?.namedChildren ?? []) {
      if (!argument || argument.type === 'comment') continue;
      if (argument.type === 'keyword_argument') {
        const name = argument.childForFieldName('name')?.text;
        const value = argument.childForFieldName('value');
        if (name && value) this.addProperty(options, name, value, scope, depth);
        continue;
      }
      const name = positional[index++];
      if (name !== undefined && argument.type !== 'list_splat' && argument.type !== 'dictionary_splat') this.addProperty(options, name, argument, scope, depth);
      else options.labels = union(options.labels, this.labels(argument, scope, depth));
    }
    return options;
  }

  /** The parameters and sources an expression's value is computed from (over-approximated: any part counts). */
  private labels(node: Node, scope: Scope, depth: number): readonly string[] {
    if (depth > MAX_DEPTH) return NO_LABELS;
    switch (node.type) {
      case 'identifier': {
        const name = node.text;
        if (name === '__file__') return [SOURCES.bundleDir];
        return this.lookup(name, scope);
      }
      case 'string':
      case 'concatenated_string': {
        let found: readonly string[] = NO_LABELS;
        for (const interpolation of interpolations(node)) {
          const expression = interpolation?.namedChildren[0];
          if (expression) found = union(found, this.labels(expression, scope, depth + 1));
        }
        return found;
      }
      case 'integer': case 'float': case 'true': case 'false': case 'none': case 'lambda':
        return NO_LABELS;
      case 'conditional_expression': {
        // `a if test else b` is a or b: the test only chooses between them.
        const [consequence, , alternative] = node.namedChildren.filter((child) => child?.type !== 'comment');
        return union(consequence ? this.labels(consequence, scope, depth + 1) : NO_LABELS, alternative ? this.labels(alternative, scope, depth + 1) : NO_LABELS);
      }
      case 'attribute': {
        const path = this.dottedPath(node);
        if (path !== null) {
          const source = pythonSourceOfName(path);
          if (source !== null) return [source];
        }
        // `settings.url` read out of a whole environment is one variable of it.
        const object = node.childForFieldName('object');
        if (object && isRequestSelf(node, object, scope)) return [SOURCES.request];
        return object ? picked(this.labels(object, scope, depth + 1)) : NO_LABELS;
      }
      case 'subscript': {
        const value = node.childForFieldName('value');
        const path = value ? this.dottedPath(value) : null;
        if (path === 'os.environ') return [envSource(stringValue(node.childForFieldName('subscript')))];
        let found = value ? picked(this.labels(value, scope, depth + 1)) : NO_LABELS;
        // `ALLOWED[choice]`: the key only picks one of the table's constants.
        if (this.isTable(value, scope)) return found;
        for (const index of node.childrenForFieldName('subscript')) if (index) found = union(found, this.labels(index, scope, depth + 1));
        return found;
      }
      case 'call':
        return this.callLabels(node, scope, depth);
      default: {
        let found: readonly string[] = NO_LABELS;
        for (const child of node.namedChildren) {
          if (child) found = union(found, this.labels(child, scope, depth + 1));
          if (found.length >= MAX_LABELS) break;
        }
        return found;
      }
    }
  }

  private callLabels(node: Node, scope: Scope, depth: number): readonly string[] {
    const fn = node.childForFieldName('function');
    const argumentList = node.childForFieldName('arguments');
    const callee = fn ? this.callee(fn, scope, depth) : null;
    const args = argumentList ? argumentList.namedChildren.filter((child): child is Node => child !== null) : [];
    let source: string | null = null;
    if (callee) {
      // Read for the few callees below only.
      const first = () => (args[0] ? stringValue(args[0].type === 'keyword_argument' ? args[0].childForFieldName('value') : args[0]) : undefined);
      // `os.getenv("HOME")`, `os.environ.get("TOKEN")`.
      if (callee.name === 'os.getenv' || callee.name === 'os.environ.get') return [envSource(first())];
      if (callee.name === 'os.path.expanduser' && first()?.startsWith('~')) return [SOURCES.home];
      // `base64.b64decode(blob)`, `requests.get(url)`: the source, and what the call was given (as in JavaScript).
      source = pythonSourceOfCall(callee.name);
    }
    let found: readonly string[] = NO_LABELS;
    // A method's result carries its object's labels (`arguments.get("cmd")`, `text.strip()`, `path.resolve()`);
    // one key read out of the whole environment (`env.get("HOME")`) is one variable.
    if (fn?.type === 'attribute' && (callee?.name.startsWith('member:') || callee?.receiver !== undefined)) {
      const object = fn.childForFieldName('object');
      if (object) found = this.labels(object, scope, depth + 1);
      if (PICKING_METHODS.has(fn.childForFieldName('attribute')?.text ?? '')) {
        found = picked(found);
        if (this.isTable(object, scope)) return found;
      }
    }
    // Parameters passed to what may be the bundle's own function carry the call (see Label in
    // model/file-facts.ts): the function may confine what it returns.
    const key = callee !== null && args.length > 0 && mayRunBundleCode(callee) ? callKey(node.startPosition.row + 1, node.startPosition.column + 1, callee.name) : null;
    for (const argument of args) {
      const labels = this.labels(argument, scope, depth + 1);
      found = union(found, key === null ? labels : labels.map((label) => (label.startsWith('@') ? label : wrapLabel(label, [key]))));
      if (found.length >= MAX_LABELS) break;
    }
    // What a started program returns does not hold the environment it was given (`env=os.environ.copy()`),
    // and what a function of the bundle or a package computes from the environment is a few variables of it.
    if (callee !== null && found.includes(SOURCES.envAll)) {
      if (startsProgram(callee.name)) found = found.filter((label) => label !== SOURCES.envAll);
      else if (!pythonKeepsArgumentsWhole(callee.name)) found = picked(found);
    }
    return source === null ? found : union([source], found);
  }
}

/** `self.path` in a request handler's method, or in a function nested in one (see Scope.requestSelf). */
function isRequestSelf(node: Node, object: Node, scope: Scope): boolean {
  let handler = false;
  for (let at: Scope | null = scope; at && !handler; at = at.parent) handler = at.requestSelf === true;
  return handler && object.type === 'identifier' && object.text === 'self' && isPythonRequestAttribute(node.childForFieldName('attribute')?.text ?? '');
}

/** Builtins called by a plain name that BUILTIN_FUNCTIONS leaves as `local:`: never the bundle's. */
const PLAIN_BUILTINS = new Set([
  'int', 'float', 'bool', 'sorted', 'reversed', 'enumerate', 'zip', 'map', 'filter', 'min', 'max', 'sum', 'any', 'all', 'abs',
  'round', 'isinstance', 'issubclass', 'hasattr', 'type', 'iter', 'next', 'range', 'ord', 'chr', 'hex', 'oct', 'bin', 'id',
  'hash', 'frozenset', 'object', 'super', 'callable', 'divmod', 'pow', 'ascii',
]);
/** Methods of strings, containers and files: a value passed to them is data, not a path a helper confines. */
const BUILTIN_METHODS = new Set([
  'strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'split', 'rsplit', 'splitlines', 'join', 'format', 'encode',
  'decode', 'get', 'pop', 'items', 'keys', 'values', 'append', 'extend', 'insert', 'add', 'update', 'setdefault', 'remove',
  'discard', 'startswith', 'endswith', 'find', 'index', 'count', 'read', 'write', 'readlines', 'writelines', 'copy',
  'info', 'debug', 'warning', 'error', 'exception', 'dumps', 'loads', 'removeprefix', 'removesuffix', 'partition', 'zfill',
]);
/** Standard library modules a bundle calls into most: what they return was not confined by the bundle. */
const STANDARD_MODULES = new Set([
  'os', 'sys', 'pathlib', 'shutil', 'subprocess', 'json', 're', 'base64', 'urllib', 'http', 'socket', 'typing', 'logging',
  'asyncio', 'tempfile', 'io', 'glob', 'hashlib', 'time', 'datetime', 'collections', 'functools', 'itertools', 'string',
  'textwrap', 'zlib', 'pickle', 'marshal', 'codecs', 'uuid', 'random', 'math', 'platform', 'getpass', 'ssl', 'smtplib',
  'email', 'html', 'xml', 'csv', 'sqlite3', 'threading', 'multiprocessing', 'signal', 'inspect', 'importlib', 'ctypes',
  'struct', 'binascii', 'copy', 'dataclasses', 'enum', 'abc', 'contextlib', 'traceback', 'warnings', 'argparse',
  'configparser', 'shlex', 'fnmatch', 'stat', 'errno', 'locale', 'gzip', 'tarfile', 'zipfile', 'mimetypes', 'builtins',
]);

/** A call that may run a function of the bundle: a plain name that is no builtin, a method, or a module outside the standard library. */
function mayRunBundleCode(callee: { name: string; module?: { specifier: string }; receiver?: unknown }): boolean {
  const { name } = callee;
  if (callee.receiver !== undefined || name.startsWith('builtins.')) return false;
  if (name.startsWith('local:')) return !PLAIN_BUILTINS.has(name.slice('local:'.length));
  if (name.startsWith('member:')) return !BUILTIN_METHODS.has(name.slice('member:'.length));
  if (callee.module === undefined) return false;
  return name.startsWith('.') || !STANDARD_MODULES.has(name.slice(0, name.indexOf('.') === -1 ? name.length : name.indexOf('.')));
}

/**
 * The word of ASCII letters, digits and underscores written at `index`, when the character after it
 * could not continue a name (`os` in `os.path`, not in `osé`); undefined when there is none.
 */
function asciiNameAt(text: string, index: number): string | undefined {
  let end = index;
  while (isWordCode(text.charCodeAt(end))) end += 1;
  // A character beyond ASCII may continue the name: the tree says where it ends.
  return end === index || text.charCodeAt(end) >= 128 ? undefined : text.slice(index, end);
}

function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;
}

/** The name an attribute or subscript chain starts from, looked for over `steps` nodes. */
function rootIdentifier(node: Node, steps = 64): string | null {
  let at: Node | null = node;
  for (let left = steps; at && left > 0; left--) {
    const type: string = at.type;
    if (type === 'identifier') return at.text;
    // Only an attribute has an `object` field.
    at = type === 'attribute' ? at.childForFieldName('object') : at.childForFieldName('value');
  }
  return null;
}

/** For a callee bound to an import: the module to look into for a bundle function of that name. */
function moduleRef(path: string): { specifier: string; member: string | null } {
  const dot = path.lastIndexOf('.');
  if (dot <= 0 || path.endsWith('.')) return { specifier: path, member: null };
  // `.utils.run` -> module `.utils`, member `run`; leading dots are the relative level.
  const leading = /^\.+/.exec(path)?.[0].length ?? 0;
  if (dot < leading) return { specifier: path, member: null };
  return { specifier: path.slice(0, dot), member: path.slice(dot + 1) };
}

function envSource(key: string | undefined): string {
  return pythonSourceOfName(key === undefined ? 'os.environ.?' : `os.environ.${key}`) ?? SOURCES.env;
}

/** Calls folded besides the decoders: joining, replacing, and building text or bytes from character codes. */
const FOLDING_NAMES = new Set(['join', 'replace', 'chr', 'bytes', 'bytearray']);

/** Decoders nested deeper than this are not folded (`zlib.decompress(base64.b64decode(…)).decode()` is three). */
const MAX_DECODING_DEPTH = 12;

/** `101`, `0x65`, `0o145`: the character of an integer literal. */
function charOf(node: Node): string | undefined {
  if (node.type !== 'integer') return undefined;
  const text = node.text.replace(/_/g, '').toLowerCase();
  const code = text.startsWith('0x') ? Number.parseInt(text.slice(2), 16) : text.startsWith('0o') ? Number.parseInt(text.slice(2), 8) : text.startsWith('0b') ? Number.parseInt(text.slice(2), 2) : Number(text);
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

function flattenSum(node: Node): Node[] | null {
  const pieces: Node[] = [];
  const stack: Node[] = [node];
  while (stack.length > 0) {
    if (pieces.length + stack.length > 64) return null;
    const at = stack.pop()!;
    if (at.type === 'binary_operator' && at.children.some((child) => child?.type === '+')) {
      const left = at.childForFieldName('left');
      const right = at.childForFieldName('right');
      if (right) stack.push(right);
      if (left) stack.push(left);
    } else {
      pieces.push(at);
    }
  }
  return pieces;
}

/**
 * Names a scope may hold for the branches of an `if` to be joined: each branch copies them once, so
 * a module of thousands of globals and as many `if`s is read without the join (the last branch wins).
 */
export const MAX_JOINED_NAMES = 400;

/** Puts back the labels a scope held before a branch (see joinLabels). */
export function restoreLabels(scope: Scope, state: ReadonlyMap<string, string[]>): void {
  scope.env.clear();
  for (const [name, labels] of state) scope.env.set(name, labels);
}

/** After branches ending in these states, each name holds what any of them left in it. */
export function joinLabels(scope: Scope, states: ReadonlyArray<ReadonlyMap<string, string[]>>): void {
  scope.env.clear();
  for (const state of states) {
    for (const [name, labels] of state) {
      const known = scope.env.get(name);
      scope.env.set(name, known === undefined ? labels : union(known, labels));
    }
  }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const set = new Set(a);
  for (const label of b) set.add(label);
  const merged = [...set];
  return (merged.some((label) => label.charCodeAt(0) !== 64 && label.includes(WRAP)) ? oneByParameter(merged) : merged).slice(0, MAX_LABELS);
}

/**
 * One label per parameter (see Label in model/file-facts.ts): the same parameter through two
 * different calls, or also unwrapped, is kept unwrapped, as no one helper accounts for all of it.
 */
function oneByParameter(labels: readonly string[]): string[] {
  const byBase = new Map<string, string>();
  for (const label of labels) {
    const base = labelBase(label);
    const held = byBase.get(base);
    byBase.set(base, held === undefined || held === label ? label : base);
  }
  return [...byBase.values()];
}

const PATH_TYPE = 'pathlib.Path';
/** Expressions whose text a variable keeps (see valueOf): how paths and URLs are written. */
const TEXT_VALUES = new Set([
  'string', 'concatenated_string', 'binary_operator', 'call', 'identifier', 'attribute', 'parenthesized_expression', 'boolean_operator', 'conditional_expression',
]);
/** Calls that build a pathlib path: the classes, and `Path.home()`, `Path.cwd()`. */
const PATH_CONSTRUCTOR = /^pathlib\.(?:Pure)?(?:Posix|Windows)?Path(?:\.home|\.cwd)?$/;
/** Methods of a path that return a path under, next to or equal to it. */
const PATH_RETURNING = new Set(['resolve', 'absolute', 'expanduser', 'joinpath', 'with_name', 'with_suffix', 'with_stem', 'readlink']);
/** Methods of a path that list paths under it. */
const PATH_LISTING = new Set(['iterdir', 'glob', 'rglob']);
/** Methods that put what they are given into their object: containers, messages, buffers. */
const FILLING_METHODS = new Set(['update', 'append', 'extend', 'insert', 'add', 'setdefault', 'set_content', 'set_payload', 'attach', 'add_header', 'write', 'writelines']);
/** Methods that read one entry of a mapping: `env.get("HOME")` out of a whole environment is one variable. */
const PICKING_METHODS = new Set(['get', 'pop', 'setdefault', '__getitem__']);

/** An object held in a variable or attribute, as objectOf answers. */
function storedObject(object: PyObject | undefined): { type: string; receiver: () => ArgumentFact } | null {
  return object === undefined ? null : { type: object.type, receiver: () => object.receiver };
}

/** `@env-all` narrowed to `@env`: one value read out of the whole environment. */
function picked(labels: readonly string[]): readonly string[] {
  return labels.includes(SOURCES.envAll) ? union(labels.filter((label) => label !== SOURCES.envAll), [SOURCES.env]) : labels;
}

/** A path with more segments: `base / "a"`, `base.joinpath("a", "b")`, `Path(a, b)`. */
function joinPath(base: ArgumentFact, segments: readonly ArgumentFact[]): ArgumentFact {
  let joined: ArgumentFact = base;
  for (const segment of segments) {
    const labels = union(joined.labels, segment.labels);
    if (joined.literal !== undefined && segment.literal !== undefined) {
      joined = { labels, literal: `${joined.literal.replace(/[\\/]+$/, '')}/${segment.literal}`, built: true };
      continue;
    }
    const prefix = joined.literal !== undefined ? `${joined.literal.replace(/[\\/]+$/, '')}/` : joined.prefix;
    const parts = [...pathTexts(joined), ...pathTexts(segment)].slice(0, MAX_ELEMENTS);
    joined = { labels, ...(prefix ? { prefix } : {}), ...(parts.length > 0 ? { parts } : {}) };
  }
  return joined;
}

/** The strings a path fact is made of: its literal, else its parts. */
function pathTexts(fact: Pick<ArgumentFact, 'literal' | 'parts'>): string[] {
  return fact.literal !== undefined ? [fact.literal] : (fact.parts ?? []);
}

/**
 * `"git tag v{0}".format(v)` and `"cd %s && make" % d`: the template's text around its placeholders,
 * which stand for values not followed here (undefined pieces). `type`: the node's.
 */
function formatTemplate(node: Node, type: string): Array<string | undefined> | null {
  let template: Node | null | undefined;
  let placeholder: RegExp;
  if (type === 'call') {
    const fn = node.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'format') return null;
    template = fn.childForFieldName('object');
    placeholder = /\{[^{}]*\}/;
  } else if (type === 'binary_operator' && node.childForFieldName('operator')?.type === '%') {
    template = node.childForFieldName('left');
    placeholder = /%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXoeEgGc]/;
  } else {
    return null;
  }
  const text = stringValue(template);
  if (text === undefined) return null;
  const pieces: Array<string | undefined> = [];
  for (const [index, piece] of text.split(new RegExp(placeholder.source, 'g')).entries()) {
    if (index > 0) pieces.push(undefined);
    pieces.push(piece);
  }
  return pieces;
}

function textFields(value: Value): Pick<ArgumentFact, 'literal' | 'built' | 'encoded' | 'prefix' | 'parts'> {
  const { literal, built, encoded, prefix, parts } = value;
  return {
    ...(literal === undefined ? {} : { literal }),
    ...(built ? { built } : {}),
    ...(encoded ? { encoded } : {}),
    ...(prefix === undefined ? {} : { prefix }),
    ...(parts === undefined ? {} : { parts }),
  };
}

function isEmptyValue(value: Value): boolean {
  return value.literal === undefined && value.prefix === undefined && value.parts === undefined && value.object === undefined && value.table === undefined;
}

const CONSTANTS = new Set(['string', 'concatenated_string', 'integer', 'float', 'true', 'false', 'none']);
const MAX_TABLE = 256;

/** `{"p": "ping", "t": "traceroute"}`, `("git", "hg")`: a non-empty literal container of constants only (see Value.table). `type`: the node's. */
function isConstantTable(node: Node, type: string): boolean {
  if (!['dictionary', 'list', 'tuple', 'set'].includes(type)) return false;
  const items = node.namedChildren.filter((child): child is Node => child !== null && child.type !== 'comment');
  if (items.length === 0 || items.length > MAX_TABLE) return false;
  const constant = (item: Node | null) => {
    const kind = item?.type;
    return kind !== undefined && CONSTANTS.has(kind) && (kind !== 'string' || interpolations(item!).length === 0);
  };
  return items.every((item) => (item.type === 'pair' ? constant(item.childForFieldName('key')) && constant(item.childForFieldName('value')) : constant(item)));
}

/** Parameters with a type annotation, and the annotation. */
function parameterAnnotations(parameters: Node | null): Array<[string, Node]> {
  const found: Array<[string, Node]> = [];
  for (const parameter of parameters?.namedChildren ?? []) {
    if (!parameter) continue;
    const kind = parameter.type;
    if (kind !== 'typed_parameter' && kind !== 'typed_default_parameter') continue;
    const name = kind === 'typed_default_parameter' ? parameter.childForFieldName('name') : parameter.namedChildren.find((child) => child?.type === 'identifier');
    const type = parameter.childForFieldName('type')?.namedChildren[0] ?? null;
    if (name && type) found.push([name.text, type]);
  }
  return found;
}
