import type { Node } from 'web-tree-sitter';
import {
  isPythonHandlerMethod,
  listenBind,
  pythonApp,
  pythonHandlerClass,
  pythonRegistrationCall,
  pythonRegistrationMethod,
  pythonRegistrationName,
  pythonRouteName,
  type PythonHandlerKind,
  type PythonRegistration,
} from '../catalog/listeners.js';
import { networkApi } from '../catalog/network.js';
import type { ArgumentFact, CallFact, FileFacts, FunctionFact } from '../model/file-facts.js';
import type { Bind } from '../model/triggers.js';
import { stringValue } from './syntax.js';

// The network servers a Python module starts, and the handlers that receive what the network sends
// (FileFacts.listeners, for the listener triggers of model/reachability.ts): route decorators of an
// app held in a variable (`app = Flask(__name__)`, then `@app.route("/run")`; Flask, Quart, Sanic,
// FastAPI, Starlette, aiohttp's RouteTableDef, Socket.IO, FastMCP's custom routes), registration
// methods (`app.add_url_rule`, `app.router.add_post`, `add_api_route`) and functions (aiohttp's
// `web.post(path, handler)`, Starlette's `Route(path, endpoint)`), servers given their handler
// (`websockets.serve(handler, host, port)`, `asyncio.start_server(handler, host, port)`), and the
// `do_GET`/`do_POST`… and `handle` methods of `http.server` and `socketserver` request handler
// classes, and Django views: in a module that imports Django, a function whose first parameter is
// `request` (the convention Django's URL dispatcher calls views by; the `path()` that routes to it
// usually sits in another module). What each means is catalog/listeners.ts; this module reads the syntax, fed by the
// extractor's walk (python/extract.ts): assignments of a call, classes, functions with their
// decorators and calls, then finish, once the extractor has resolved callbacks passed by name.
//
// Bind: per file. A server given its handler and its host (`websockets.serve`,
// `asyncio.start_server`) is judged by its own arguments; every other listener takes the file's
// listen calls (catalog/network.ts, judged by listenBind): every interface if any of them binds
// every interface, else loopback if any binds loopback, else unknown. An app defined in one module
// and run in another (`uvicorn.run("app:app", host=…)` next door) is therefore `unknown`.
//
// Checked: the handler, a function of the file it calls (`if not authorized(): abort(401)`,
// `self._check_token()`), a decorator or FastAPI dependency of the file it is registered with, or a
// `before_request` hook or middleware of the file, compares the request's Origin header or a
// secret: a header read (`request.headers.get("Origin")`, `self.headers["Authorization"]`,
// `headers.get("X-API-Key")`, a FastAPI `Header()` parameter) that is compared (`==`, `!=`, `in`,
// `not in`), passed to a check in an `if`, `while` or `assert` test, or held in a variable that is;
// or any `compare_digest`. A header only tested for presence, or reflected into a CORS response
// header (`Access-Control-Allow-Origin`), is not a check. websockets' `origins=` is one.

/** Header names whose value is a check when compared: the origin, credentials, API keys and tokens. */
const CHECKED_HEADER = /^(?:origin|(?:proxy-)?authorization|[\w-]*(?:token|api-?key|secret)[\w-]*)$/i;
/** Comparisons that test a value against an expected one (not `is None`, not `len(x) > 0`). */
const COMPARING = new Set(['==', '!=', 'in', 'not in']);
const HEADER_METHODS = new Set(['get', 'get_all', 'getlist', 'getheader', 'get_header']);
const HEADER_OBJECTS = new Set(['headers', 'request_headers']);
/** Objects whose `authorization` or `origin` attribute is the header (`request.authorization` in Flask). */
const REQUEST_NAMES = new Set(['request', 'req', 'websocket', 'ws']);
/** FastAPI's dependency markers: the function they are given runs before the handler. */
const DEPENDENCY_MARKERS = new Set(['Depends', 'Security']);
/** Nodes a value's use is not followed past: a statement, a block, a function. */
const STOPS = new Set(['block', 'module', 'function_definition', 'lambda', 'class_definition', 'decorated_definition']);
const MAX_CLIMB = 32;

interface Pending {
  name: string;
  /** A function id, or the argument whose callback is the handler (resolved by the extractor before finish). */
  handler: string | ArgumentFact;
  /** A server's own bind (`websockets.serve(h, "0.0.0.0", 8765)`); the file's when absent. */
  bind?: Bind;
  /** The server's options check the request (websockets' `origins=`). */
  checked?: true;
  /** A web framework's route: credited when a `before_request` hook or middleware of the file checks. */
  route?: true;
  /** Known by the handler's shape alone (ListenerFact.convention). */
  convention?: true;
  /** Names of the file's functions that run before the handler (`process_request=`). */
  helpers: string[];
  line: number;
  column: number;
}

/** What a function's body shows: a check, and the functions of the file it calls (by name). */
interface Scan {
  checked: boolean;
  helpers: string[];
}

/**
 * The listeners of one module, fed by the extractor (python/extract.ts) as it walks: assigned (each
 * `x = <call>`), handlerClass (each class), seeFunction (each function and lambda), call (each call),
 * then finish, which writes FileFacts.listeners.
 */
export class Listeners {
  /** Variables (or attributes: `self.app`) holding an app, by their text, and its framework. */
  private readonly apps = new Map<string, string>();
  /** Request handler classes of this file, by name, for subclasses of subclasses. */
  private readonly handlerClasses = new Map<string, PythonHandlerKind>();
  private readonly pending: Pending[] = [];
  private readonly binds: Bind[] = [];
  /** Every function's node, by id, for the checks of those that turn out to be handlers. */
  private readonly nodes = new Map<string, Node>();
  /** The decorators of decorated functions, by id. */
  private readonly decorators = new Map<string, readonly Node[]>();
  /** `before_request` hooks and middleware. */
  private readonly guards: string[] = [];
  private readonly scans = new Map<string, Scan | null>();

  constructor(private readonly facts: FileFacts) {}

  /** `app = Flask(__name__)`, `self.app = FastAPI()`: the target now holds an app whose decorators register routes. */
  assigned(target: Node, callee: string): void {
    const framework = pythonApp(callee);
    if (framework !== null) this.apps.set(target.text, framework);
  }

  /**
   * A class and the canonical names of its bases (`http.server.BaseHTTPRequestHandler`, or
   * `local:<name>` for a class of this file): the kind of request handler it is, or null.
   */
  handlerClass(name: string | null, bases: readonly string[]): PythonHandlerKind | null {
    let kind: PythonHandlerKind | null = null;
    for (const base of bases) {
      kind = pythonHandlerClass(base) ?? (base.startsWith('local:') ? (this.handlerClasses.get(base.slice('local:'.length)) ?? null) : null);
      if (kind !== null) break;
    }
    if (kind !== null && name !== null) this.handlerClasses.set(name, kind);
    return kind;
  }

  /**
   * Every function and lambda, with its decorators and, for a method of a request handler class,
   * that class's kind: a `do_POST` or `handle` method, or a function under a route decorator, is a
   * handler.
   */
  seeFunction(fn: FunctionFact, node: Node, decorators: readonly Node[], kind: PythonHandlerKind | null): void {
    this.nodes.set(fn.id, node);
    if (kind !== null && fn.name !== null && isPythonHandlerMethod(kind, fn.name)) {
      this.pending.push({ name: `${kind} ${fn.name}`, handler: fn.id, helpers: [], line: node.startPosition.row + 1, column: node.startPosition.column + 1 });
    } else if (fn.name !== null && fn.paramNames?.[0] === 'request' && this.importsDjango()) {
      this.pending.push({ name: `django view ${fn.name}`, handler: fn.id, route: true, convention: true, helpers: [], line: node.startPosition.row + 1, column: node.startPosition.column + 1 });
    }
    if (decorators.length === 0) return;
    this.decorators.set(fn.id, decorators);
    for (const decorator of decorators) this.decorator(decorator, fn);
  }

  /** `@app.post("/run")`, `@routes.get("/x")`, `@sio.on("message")`, `@sio.event`; `@app.before_request`, `@app.middleware("http")`. */
  private decorator(decorator: Node, fn: FunctionFact): void {
    let expression = decorator.namedChildren[0] ?? null;
    let list: Node | null = null;
    if (expression?.type === 'call') {
      list = expression.childForFieldName('arguments');
      expression = expression.childForFieldName('function');
    }
    if (expression?.type !== 'attribute') return;
    const method = expression.childForFieldName('attribute')?.text;
    const object = expression.childForFieldName('object');
    if (method === undefined || !object) return;
    if (method === 'before_request' || method === 'middleware') {
      this.guards.push(fn.id);
      return;
    }
    const [first, second] = constantArguments(list);
    const name = pythonRouteName(this.appOf(object) ?? 'web', method, first, second, fn.name ?? undefined);
    if (name === null) return;
    this.pending.push({ name, handler: fn.id, route: true, helpers: [], line: decorator.startPosition.row + 1, column: decorator.startPosition.column + 1 });
  }

  /**
   * Every call with its fact; `first` is the position of its first positional argument (1 for a
   * method of an object whose constructor python/values.ts knows, which is argument 0). Listen calls
   * decide the file's bind; registrations and servers given a handler are listeners.
   */
  call(node: Node, call: CallFact, first: number): void {
    const api = networkApi(call.callee);
    // A Python `member:listen` is a socket's backlog, not an address (rules/code-network.ts).
    if (api?.kind === 'listen' && call.callee !== 'member:listen') this.binds.push(listenBind(call.args, api).bind);
    const positional = (index: number): ArgumentFact | undefined => {
      const fact = call.args[first + index];
      return fact?.keywords ? undefined : fact;
    };
    let registration = pythonRegistrationCall(call.callee);
    if (registration === null) {
      const method = call.callee.slice(Math.max(call.callee.lastIndexOf('.'), call.callee.lastIndexOf(':')) + 1);
      if (!method.startsWith('add_') && method !== 'on') return;
      const fn = node.childForFieldName('function');
      const object = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
      if (!object) return;
      registration = pythonRegistrationMethod(this.appOf(object), method, positional(0)?.literal, positional(1)?.literal);
      if (registration === null) return;
    }
    const handler = positional(registration.handlerAt) ?? this.keywordHandler(call, registration);
    if (handler === undefined) return;
    const path = registration.pathAt === undefined ? undefined : positional(registration.pathAt)?.literal;
    const verb = registration.methodAt === undefined ? undefined : positional(registration.methodAt)?.literal;
    const listener: Pending = { name: pythonRegistrationName(registration, path, verb), handler, helpers: [], line: call.line, column: call.column };
    if (registration.server) {
      if (api?.kind === 'listen') listener.bind = listenBind(call.args, api).bind;
      this.serverOptions(node, listener);
    } else {
      listener.route = true;
    }
    this.pending.push(listener);
  }

  /** The keywords fact, when it names the handler (`view_func=f`) and holds one callback. */
  private keywordHandler(call: CallFact, registration: PythonRegistration): ArgumentFact | undefined {
    const keywords = call.args.at(-1);
    if (!keywords?.keywords) return undefined;
    const named = registration.handlerKeywords.some((keyword) => Object.hasOwn(keywords.propertyLabels ?? {}, keyword) || Object.hasOwn(keywords.properties ?? {}, keyword));
    return named ? keywords : undefined;
  }

  /** websockets' `origins=[…]` checks the Origin header; its `process_request=` hook runs before the handler. */
  private serverOptions(node: Node, listener: Pending): void {
    for (const argument of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument?.type !== 'keyword_argument') continue;
      const keyword = argument.childForFieldName('name')?.text;
      const value = argument.childForFieldName('value');
      if (keyword === 'origins' && value && value.type !== 'none') listener.checked = true;
      if (keyword === 'process_request' && value?.type === 'identifier') listener.helpers.push(value.text);
    }
  }

  private importsDjango(): boolean {
    return this.facts.imports.some((ref) => ref.specifier === 'django' || ref.specifier?.startsWith('django.') === true);
  }

  /** The framework of the app an expression holds: a variable, a `self.` attribute, aiohttp's `app.router`. */
  private appOf(object: Node): string | null {
    if (this.apps.size === 0) return null;
    const known = this.apps.get(object.text);
    if (known !== undefined) return known;
    const inner = object.type === 'attribute' && object.childForFieldName('attribute')?.text === 'router' ? object.childForFieldName('object') : null;
    return inner ? (this.apps.get(inner.text) ?? null) : null;
  }

  /** Once the walk is over and callbacks passed by name are resolved: writes FileFacts.listeners. */
  finish(): void {
    if (this.pending.length === 0) return;
    const fileBind: Bind = this.binds.includes('all') ? 'all' : this.binds.includes('loopback') ? 'loopback' : 'unknown';
    const byName = new Map<string, string[]>();
    for (const fn of this.facts.functions) {
      if (fn.name === null) continue;
      const ids = byName.get(fn.name);
      if (ids) ids.push(fn.id);
      else byName.set(fn.name, [fn.id]);
    }
    let guarded: boolean | undefined;
    for (const listener of this.pending) {
      const handler = typeof listener.handler === 'string' ? listener.handler : listener.handler.callback;
      if (handler === undefined) continue;
      const ids = handler.startsWith('local:') ? (byName.get(handler.slice('local:'.length)) ?? []) : [handler];
      const checked =
        listener.checked === true ||
        listener.helpers.some((name) => (byName.get(name) ?? []).some((id) => this.scan(id)?.checked)) ||
        ids.some((id) => this.checks(id, byName)) ||
        (listener.route === true && (guarded ??= this.guards.some((id) => this.checks(id, byName))));
      this.facts.listeners.push({
        name: listener.name,
        handler,
        bind: listener.bind ?? fileBind,
        ...(checked ? { checked: true as const } : {}),
        ...(listener.convention ? { convention: true as const } : {}),
        line: listener.line,
        column: listener.column,
      });
    }
  }

  /** A function checks, or a function of the file it calls, or one of its decorators or dependencies, does. */
  private checks(id: string, byName: ReadonlyMap<string, readonly string[]>): boolean {
    const own = this.scan(id);
    if (own === null) return false;
    if (own.checked) return true;
    const helpers = [...own.helpers, ...decoratorHelpers(this.decorators.get(id) ?? [])];
    return helpers.some((name) => (byName.get(name) ?? []).some((other) => other !== id && this.scan(other)?.checked === true));
  }

  private scan(id: string): Scan | null {
    let found = this.scans.get(id);
    if (found === undefined) {
      const node = this.nodes.get(id);
      found = node === undefined ? null : scanFunction(node);
      this.scans.set(id, found);
    }
    return found;
  }
}

/** The constant strings among a call's first two positional arguments. */
function constantArguments(list: Node | null): [string | undefined, string | undefined] {
  const found: Array<string | undefined> = [];
  for (const argument of list?.namedChildren ?? []) {
    if (!argument || argument.type === 'comment' || argument.type === 'keyword_argument') continue;
    found.push(stringValue(argument));
    if (found.length === 2) break;
  }
  return [found[0], found[1]];
}

/** `@require_token`, `@auth.login_required()`'s function, `dependencies=[Depends(verify_key)]`: functions of the file run first, by name. */
function decoratorHelpers(decorators: readonly Node[]): string[] {
  const names: string[] = [];
  for (const decorator of decorators) {
    let expression = decorator.namedChildren[0] ?? null;
    if (expression?.type === 'call') expression = expression.childForFieldName('function');
    if (expression?.type === 'identifier') names.push(expression.text);
    for (const call of decorator.descendantsOfType('call')) {
      const dependency = call ? dependencyOf(call) : null;
      if (dependency !== null) names.push(dependency);
    }
  }
  return names;
}

/** `Depends(verify_key)`: the function named. */
function dependencyOf(call: Node): string | null {
  const callee = call.childForFieldName('function');
  const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
  if (name === undefined || !DEPENDENCY_MARKERS.has(name)) return null;
  const first = call.childForFieldName('arguments')?.namedChildren.find((child) => child?.type === 'identifier');
  return first ? first.text : null;
}

/**
 * Whether a function (or lambda) checks the request (see the header), and the names of the
 * functions it calls or depends on, for the caller to look at in turn. Read only for handlers.
 */
export function scanFunction(fn: Node): Scan {
  const helpers: string[] = [];
  const holders = new Set<string>(headerParameters(fn.childForFieldName('parameters')));
  for (const node of fn.descendantsOfType(['call', 'subscript', 'attribute'])) {
    if (!node) continue;
    if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.type === 'identifier' ? callee.text : undefined;
      if (name === 'compare_digest') return { checked: true, helpers };
      if (callee?.type === 'identifier') helpers.push(name!);
      else if (name !== undefined && /^(?:self|cls)$/.test(callee?.childForFieldName('object')?.text ?? '')) helpers.push(name);
      const dependency = dependencyOf(node);
      if (dependency !== null) helpers.push(dependency);
    }
    if (!isHeaderRead(node)) continue;
    const use = useOf(node);
    if (use === true) return { checked: true, helpers };
    if (use !== null) holders.add(use);
  }
  // Variables holding the header (or what is computed from it: `token = auth.removeprefix("Bearer ")`).
  if (holders.size > 0) {
    const identifiers = fn.descendantsOfType('identifier').filter((node): node is Node => node !== null);
    for (let round = 0, added = true; added && round < 4; round++) {
      added = false;
      for (const identifier of identifiers) {
        if (!holders.has(identifier.text)) continue;
        const use = useOf(identifier);
        if (use === true) return { checked: true, helpers };
        if (use !== null && !holders.has(use)) {
          holders.add(use);
          added = true;
        }
      }
    }
  }
  return { checked: false, helpers };
}

/** FastAPI's `x_api_key: str = Header(...)`, `auth: str = Header(None, alias="Authorization")`: parameters holding a checked header. */
function headerParameters(parameters: Node | null): string[] {
  const found: string[] = [];
  for (const parameter of parameters?.namedChildren ?? []) {
    if (parameter?.type !== 'default_parameter' && parameter?.type !== 'typed_default_parameter') continue;
    const name = parameter.childForFieldName('name')?.text;
    const value = parameter.childForFieldName('value');
    const callee = value?.type === 'call' ? value.childForFieldName('function') : null;
    const calleeName = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
    if (name === undefined || calleeName !== 'Header') continue;
    let alias: string | undefined;
    for (const argument of value!.childForFieldName('arguments')?.namedChildren ?? []) {
      if (argument?.type === 'keyword_argument' && argument.childForFieldName('name')?.text === 'alias') alias = stringValue(argument.childForFieldName('value'));
    }
    if (CHECKED_HEADER.test(alias ?? name.replace(/_/g, '-'))) found.push(name);
  }
  return found;
}

/** `headers["Authorization"]`, `self.headers.get("Origin")`, `request.headers.get("X-API-Key")`, `request.authorization`. */
function isHeaderRead(node: Node): boolean {
  if (node.type === 'subscript') {
    return isHeaders(node.childForFieldName('value')) && CHECKED_HEADER.test(stringValue(node.childForFieldName('subscript')) ?? '');
  }
  if (node.type === 'call') {
    const callee = node.childForFieldName('function');
    if (callee?.type !== 'attribute' || !HEADER_METHODS.has(callee.childForFieldName('attribute')?.text ?? '') || !isHeaders(callee.childForFieldName('object'))) return false;
    const first = node.childForFieldName('arguments')?.namedChildren.find((child) => child !== null && child.type !== 'comment' && child.type !== 'keyword_argument');
    return CHECKED_HEADER.test(stringValue(first) ?? '');
  }
  const attribute = node.childForFieldName('attribute')?.text;
  if (attribute !== 'authorization' && attribute !== 'origin') return false;
  const object = node.childForFieldName('object');
  return object?.type === 'identifier' && REQUEST_NAMES.has(object.text);
}

function isHeaders(node: Node | null): boolean {
  if (!node) return false;
  const name = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : node.type === 'identifier' ? node.text : undefined;
  return name !== undefined && HEADER_OBJECTS.has(name);
}

/**
 * How a value is used, from where it is read up to its statement: `true` when it is compared
 * (`==`, `!=`, `in`, `not in`), given to `compare_digest`, or given to a function whose result is
 * an `if`, `while` or `assert` test; the variable's name when it is assigned to one (to follow);
 * null otherwise (a presence test, a CORS header it is copied into, a log line).
 */
function useOf(node: Node): true | string | null {
  let child = node;
  /** `(auth := headers.get(…)) != x`: a walrus both holds the value and is it. */
  let held: string | null = null;
  for (let parent = node.parent, steps = 0; parent !== null && steps < MAX_CLIMB; child = parent, parent = parent.parent, steps++) {
    switch (parent.type) {
      case 'comparison_operator':
        if (parent.childrenForFieldName('operators').some((operator) => operator !== null && COMPARING.has(operator.type))) return true;
        continue;
      case 'argument_list': {
        // Given to a function: a check when it is compare_digest or its result is a test, else something else.
        const call = parent.parent;
        const callee = call?.childForFieldName('function');
        const name = callee?.type === 'attribute' ? callee.childForFieldName('attribute')?.text : callee?.text;
        return name === 'compare_digest' || (call !== null && isTest(call)) ? true : held;
      }
      case 'assignment': {
        const target = parent.childForFieldName('left');
        return parent.childForFieldName('right')?.equals(child) && target?.type === 'identifier' ? target.text : held;
      }
      case 'named_expression': {
        const target = parent.childForFieldName('name');
        if (parent.childForFieldName('value')?.equals(child) && target?.type === 'identifier') held = target.text;
        continue;
      }
      default:
        if (STOPS.has(parent.type) || parent.type.endsWith('_statement') || parent.type.endsWith('_clause')) return held;
    }
  }
  return held;
}

/** `if not valid(token):`, `while …`, `assert allowed(origin)`: the expression is (part of) a test. */
function isTest(node: Node): boolean {
  let child = node;
  for (let parent = node.parent, steps = 0; parent !== null && steps < MAX_CLIMB; child = parent, parent = parent.parent, steps++) {
    switch (parent.type) {
      case 'not_operator':
      case 'boolean_operator':
      case 'parenthesized_expression':
      case 'await':
        continue;
      case 'assert_statement':
        return true;
      case 'if_statement':
      case 'elif_clause':
      case 'while_statement':
        return parent.childForFieldName('condition')?.equals(child) ?? false;
      default:
        return false;
    }
  }
  return false;
}
