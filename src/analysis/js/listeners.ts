import type { CallExpression, Function as FunctionNode, NewExpression, Node, OptionalCallExpression } from '@babel/types';
import { dispatcher, handlerRegistration, isHandlerCallee, listenBind, serverFactory } from '../catalog/listeners.js';
import { networkApi } from '../catalog/network.js';
import type { CallFact, FileFacts, ListenerFact } from '../model/file-facts.js';
import type { Bind } from '../model/triggers.js';
import { memberPath, unwrap } from './syntax.js';
import type { Callee } from './values.js';

// Network servers a JavaScript file starts, and the handlers that receive what the network sends:
// `http.createServer(handler)` and its kin, and handlers registered on an object that dispatches
// requests or messages (`wss.on('connection', …)`, `app.post('/run', …)`, `io.on('connection', …)`),
// named by a variable or chained on the call that made it; and, in a file that imports Express,
// functions shaped as its handlers (`(req, res)` or `(req: Request, res: Response, next)`), which
// another module registers (`app.use(audit())`, `app.post('/mcp', handle)`): known by their shape
// alone (ListenerFact.convention). The extractor (js/extract.ts) hands over
// variable declarations during its scan and every call during its replay; finish writes
// FileFacts.listeners. A listener's bind is judged from the listen calls of its file (catalog/listeners.ts):
// every interface if any of them listens on every interface, else loopback if any binds loopback,
// else unknown.

/** Source text read per handler when looking for an Origin or token check. */
const CHECK_TEXT_LIMIT = 200_000;

/**
 * An Origin header or a secret token read from the request (`req.headers.origin`,
 * `req.get('Authorization')`, `headers['x-api-key']`), a constant-time comparison, or a WebSocket
 * server's `verifyClient`. A CORS response header (`Access-Control-Allow-Origin`) is not a check.
 */
const CHECK =
  /\bheaders\s*(?:\??\.\s*(?:origin|authorization)\b|\[\s*['"`](?:origin|authorization|x-api-key|x-auth-token|x-token)['"`]\s*\])|\.(?:get|header|getHeader)\(\s*['"`](?:origin|authorization|x-api-key|x-auth-token|x-token)['"`]|\btimingSafeEqual\b|\bverifyClient\b/i;

type CallNode = CallExpression | OptionalCallExpression | NewExpression;

export class Listeners {
  /** `const app = express()`: variables and the call that made them. */
  private readonly declared: Array<{ name: string; init: Node }> = [];
  private readonly calls: Array<{ node: CallNode; call: CallFact }> = [];
  /** Function spans by id, for the text of a handler. */
  private readonly spans = new Map<string, { start: number; end: number }>();
  /** Functions shaped as Express handlers, by id (see the header). */
  private readonly shaped: Array<{ id: string; name: string | null; line: number; column: number }> = [];

  constructor(
    private readonly text: string,
    private readonly facts: FileFacts,
  ) {}

  /** Scan, every `name = <call>` declaration. */
  seeDeclarator(name: string, init: Node): void {
    const value = unwrap(init);
    const call = value.type === 'AwaitExpression' ? unwrap(value.argument) : value;
    if (call.type === 'CallExpression' || call.type === 'NewExpression') this.declared.push({ name, init: call });
  }

  /** Replay, every function, with the name it is called by. */
  seeFunction(id: string, node: FunctionNode, name: string | null): void {
    this.spans.set(id, { start: node.start ?? 0, end: node.end ?? 0 });
    if (requestShaped(node)) {
      this.shaped.push({ id, name, line: node.loc?.start.line ?? 1, column: (node.loc?.start.column ?? 0) + 1 });
    }
  }

  /** Replay, every call, with its fact. */
  recordCall(node: CallNode, call: CallFact): void {
    const { callee } = call;
    const candidate = callee.startsWith('member:') ? isHandlerCallee(callee) : serverFactory(callee) !== null;
    if ((candidate && call.args.some((argument) => argument.callback !== undefined)) || networkApi(callee)?.kind === 'listen') this.calls.push({ node, call });
  }

  finish(calleeOf: (node: Node) => Callee | null): void {
    const shaped = this.shaped.length > 0 && this.facts.imports.some((ref) => ref.specifier === 'express' || ref.specifier?.startsWith('express/') === true);
    if (this.calls.length === 0 && !shaped) return;
    const dispatcherOf = (node: Node): string | null => {
      const value = unwrap(node);
      if (value.type !== 'CallExpression' && value.type !== 'NewExpression' && value.type !== 'OptionalCallExpression') return null;
      const target = calleeOf(value.callee as Node);
      if (target === null) return null;
      return dispatcher(value.type === 'NewExpression' ? `new ${target.callee}` : target.callee);
    };
    const dispatchers = new Map<string, { name: string; checked: boolean }>();
    for (const { name, init } of this.declared) {
      const found = dispatcherOf(init);
      if (found !== null) dispatchers.set(name, { name: found, checked: this.checks(init.start ?? 0, init.end ?? 0) });
    }
    const listeners: Array<Omit<ListenerFact, 'bind'>> = [];
    const binds: Bind[] = [];
    for (const { node, call } of this.calls) {
      const api = networkApi(call.callee);
      if (api?.kind === 'listen') binds.push(listenBind(call.args, api).bind);
      const factory = serverFactory(call.callee);
      const registered = factory === null ? this.registration(node, call, dispatchers, dispatcherOf) : { name: factory, checked: false };
      if (registered === null) continue;
      for (const argument of call.args) {
        if (argument.callback === undefined) continue;
        const checked = registered.checked || this.handlerChecks(argument.callback);
        listeners.push({ name: registered.name, handler: argument.callback, ...(checked ? { checked: true } : {}), line: call.line, column: call.column });
      }
    }
    if (shaped) {
      const registered = new Set(listeners.map((listener) => listener.handler));
      for (const { id, name, line, column } of this.shaped) {
        if (registered.has(id) || (name !== null && registered.has(`local:${name}`))) continue;
        const checked = this.handlerChecks(id);
        listeners.push({ name: `express handler ${name ?? '(anonymous)'}`, handler: id, ...(checked ? { checked: true } : {}), convention: true, line, column });
      }
    }
    const bind: Bind = binds.includes('all') ? 'all' : binds.includes('loopback') ? 'loopback' : 'unknown';
    for (const listener of listeners) this.facts.listeners.push({ ...listener, bind });
  }

  /** `<dispatcher>.<method>(…, handler)`: the dispatcher by variable or chained in place. */
  private registration(
    node: CallNode,
    call: CallFact,
    dispatchers: ReadonlyMap<string, { name: string; checked: boolean }>,
    dispatcherOf: (node: Node) => string | null,
  ): { name: string; checked: boolean } | null {
    if (!call.callee.startsWith('member:')) return null;
    const path = memberPath(unwrap(node.callee as Node));
    if (path === null || path.path.length !== 1) return null;
    const root = unwrap(path.root);
    const known = root.type === 'Identifier' ? dispatchers.get(root.name) : undefined;
    const found = known ?? (dispatcherOf(root) === null ? undefined : { name: dispatcherOf(root)!, checked: false });
    if (found === undefined) return null;
    const name = handlerRegistration(found.name, path.path[0]!, call.args);
    return name === null ? null : { name, checked: found.checked };
  }

  private handlerChecks(reference: string): boolean {
    const span = reference.startsWith('local:') ? this.spanNamed(reference.slice('local:'.length)) : this.spans.get(reference);
    return span !== undefined && this.checks(span.start, span.end);
  }

  private spanNamed(name: string): { start: number; end: number } | undefined {
    const fact = this.facts.functions.find((fn) => fn.name === name);
    return fact === undefined ? undefined : this.spans.get(fact.id);
  }

  private checks(start: number, end: number): boolean {
    return CHECK.test(this.text.slice(start, Math.min(end, start + CHECK_TEXT_LIMIT)));
  }
}

/** `(req, res)`, `(req: Request, res: Response, next)`: the shape of an Express handler (see the header). */
export function requestShaped(node: FunctionNode): boolean {
  const [request, response] = node.params;
  return request !== undefined && response !== undefined && isRequestParameter(request) && isResponseParameter(response);
}

/** A request handler's shape, counting a destructured request too (`({ body, session }, res)`): where `session` is the server's state. */
export function takesRequest(node: FunctionNode): boolean {
  const [request, response] = node.params;
  return requestShaped(node) || (request?.type === 'ObjectPattern' && response !== undefined && isResponseParameter(response));
}

const REQUEST_NAMES = new Set(['req', 'request']);
const RESPONSE_NAMES = new Set(['res', 'response']);

/** `req`, `request`, or any parameter typed `Request` (`{ body }: Request`). */
function isRequestParameter(parameter: Node): boolean {
  return typeName(parameter) === 'Request' || (parameter.type === 'Identifier' && REQUEST_NAMES.has(parameter.name));
}

function isResponseParameter(parameter: Node): boolean {
  return typeName(parameter) === 'Response' || (parameter.type === 'Identifier' && RESPONSE_NAMES.has(parameter.name));
}

/** The name of a parameter's TypeScript type when it is a plain reference (`req: Request`, `express.Request`). */
function typeName(parameter: Node): string | null {
  const annotation = 'typeAnnotation' in parameter ? parameter.typeAnnotation : null;
  const type = annotation?.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : null;
  if (type?.type !== 'TSTypeReference') return null;
  return type.typeName.type === 'Identifier' ? type.typeName.name : type.typeName.right.name;
}
