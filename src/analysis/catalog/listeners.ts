import type { ArgumentFact } from '../model/file-facts.js';
import type { Bind } from '../model/triggers.js';
import { APSCHEDULERS, optionsPositions, WEBSOCKETS_SERVE, type NetworkApi } from './network.js';

// What starts code other than a tool: network servers whose handlers run on what the network sends,
// and schedulers whose callbacks run on their own. By canonical callee (js/extract.ts and
// python/extract.ts), whatever the language.

/**
 * Calls that create a server and take its request (or connection) handler as an argument, and the
 * name a reader knows it by. The handler is the argument that is a function.
 */
const SERVER_FACTORIES: Readonly<Record<string, string>> = {
  'http.createServer': 'http.createServer',
  'https.createServer': 'https.createServer',
  'http2.createServer': 'http2.createServer',
  'http2.createSecureServer': 'http2.createSecureServer',
  'net.createServer': 'net.createServer',
  'tls.createServer': 'tls.createServer',
  'new http.Server': 'http.Server',
  'new net.Server': 'net.Server',
};

/** A server created by this call passes requests to the function given to it, by this name. */
const FACTORY_BY_CALLEE = new Map(Object.entries(SERVER_FACTORIES));

export function serverFactory(callee: string): string | null {
  return FACTORY_BY_CALLEE.get(callee) ?? null;
}

/**
 * Calls whose result is an object that dispatches what the network sends to handlers registered on it
 * (`wss.on('connection', …)`, `app.post('/run', …)`): WebSocket servers, web frameworks, socket.io.
 */
const DISPATCHERS: Readonly<Record<string, string>> = {
  'new ws.WebSocketServer': 'WebSocketServer',
  'new ws.Server': 'WebSocketServer',
  'new ws': 'WebSocketServer',
  'ws.WebSocketServer': 'WebSocketServer',
  express: 'express',
  'express.Router': 'express router',
  fastify: 'fastify',
  'fastify.fastify': 'fastify',
  'new koa': 'koa',
  'koa-router': 'koa router',
  'new koa-router': 'koa router',
  'new @koa/router': 'koa router',
  'new hono.Hono': 'hono',
  'socket.io': 'socket.io',
  'new socket.io.Server': 'socket.io',
  'socket.io.Server': 'socket.io',
  'new socket.io': 'socket.io',
  ...SERVER_FACTORIES,
};

export function dispatcher(callee: string): string | null {
  return Object.hasOwn(DISPATCHERS, callee) ? DISPATCHERS[callee]! : null;
}

/** Methods of a dispatcher that register a handler for what the network sends. */
const HANDLER_METHODS = new Set(['on', 'once', 'addListener', 'use', 'all', 'get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'route', 'ws', 'websocket', 'register']);
export function isHandlerMethod(method: string): boolean {
  return HANDLER_METHODS.has(method);
}

const HANDLER_CALLEES = new Set([...HANDLER_METHODS].map((method) => `member:${method}`));

/** `member:on`, `member:post`: a call of a handler-registering method on an object not otherwise known. */
export function isHandlerCallee(callee: string): boolean {
  return HANDLER_CALLEES.has(callee);
}

/** Events of a server object that carry no network input: its own life cycle. */
const LIFECYCLE_EVENTS = new Set(['listening', 'close', 'error', 'headers', 'wsClientError', 'clientError']);

/**
 * Whether `<dispatcher>.<method>(args)` registers a network handler, and under what name
 * (`express POST /run`, `WebSocketServer connection`).
 */
export function handlerRegistration(dispatcherName: string, method: string, args: readonly ArgumentFact[]): string | null {
  if (!HANDLER_METHODS.has(method)) return null;
  const first = args[0]?.literal;
  if (method === 'on' || method === 'once' || method === 'addListener') {
    if (first === undefined || LIFECYCLE_EVENTS.has(first)) return null;
    return `${dispatcherName} ${first}`;
  }
  const verb = method === 'del' ? 'DELETE' : method.toUpperCase();
  return first === undefined ? `${dispatcherName} ${verb}` : `${dispatcherName} ${verb} ${first}`;
}

/**
 * Python calls whose result is a builder of timers, by canonical callee, and the type that
 * python/values.ts names the builder's methods after, whatever is chained in between:
 * `schedule.every(10).seconds.do(job)` is `schedule.Job.do`.
 */
const PYTHON_BUILDERS: Readonly<Record<string, string>> = {
  'schedule.every': 'schedule.Job',
};

export function pythonBuilder(callee: string): string | null {
  return Object.hasOwn(PYTHON_BUILDERS, callee) ? PYTHON_BUILDERS[callee]! : null;
}

/** Schedulers whose callback runs later, on its own: by callee, the scheduler's name and where the callback is. */
const TIMERS: Readonly<Record<string, { name: string; callbackAt: number }>> = {
  setInterval: { name: 'setInterval', callbackAt: 0 },
  setTimeout: { name: 'setTimeout', callbackAt: 0 },
  'timers.setInterval': { name: 'setInterval', callbackAt: 0 },
  'timers.setTimeout': { name: 'setTimeout', callbackAt: 0 },
  'node-cron.schedule': { name: 'node-cron', callbackAt: 1 },
  'cron.schedule': { name: 'cron', callbackAt: 1 },
  'new cron.CronJob': { name: 'cron', callbackAt: 1 },
  'cron.CronJob.from': { name: 'cron', callbackAt: 0 },
  'node-schedule.scheduleJob': { name: 'node-schedule', callbackAt: 1 },
  // Python, as python/extract.ts names them: an instance's methods have the instance as argument 0
  // (network.ts, PYTHON_OBJECT_CLASSES), and a keyword argument given a function
  // (`Timer(5, function=job)`) is the keywords fact, at the position the callback takes positionally.
  'threading.Timer': { name: 'threading.Timer', callbackAt: 1 },
  'sched.scheduler.enter': { name: 'sched', callbackAt: 3 },
  'sched.scheduler.enterabs': { name: 'sched', callbackAt: 3 },
  'schedule.Job.do': { name: 'schedule', callbackAt: 0 },
  'asyncio.AbstractEventLoop.call_later': { name: 'loop.call_later', callbackAt: 2 },
  'asyncio.AbstractEventLoop.call_at': { name: 'loop.call_at', callbackAt: 2 },
  ...Object.fromEntries(APSCHEDULERS.map((scheduler) => [`${scheduler}.add_job`, { name: 'apscheduler', callbackAt: 1 }])),
};

export function timerApi(callee: string): { name: string; callbackAt: number } | null {
  return Object.hasOwn(TIMERS, callee) ? TIMERS[callee]! : null;
}

/**
 * How a listen call (catalog/network.ts, kind `listen`) binds: `all` for every interface (Node's
 * default when no host is given, `'0.0.0.0'`, `'::'`, `''`), `loopback` for a loopback host (or a
 * local socket or pipe), `unknown` when the host is computed at run time; `how` says why for `all`.
 */
export function listenBind(args: readonly ArgumentFact[], api: NetworkApi): { bind: Bind; how: string } {
  if (api.addressAt !== undefined || api.defaultHost !== undefined) return pythonBind(args, api);
  const [first, second] = args;
  if (first === undefined || first.function) return UNKNOWN;
  const options = api.optionsAt !== undefined ? args[api.optionsAt]?.properties : first.properties;
  if (options !== undefined) {
    if (Object.hasOwn(options, 'path') || Object.hasOwn(options, 'server') || Object.hasOwn(options, 'noServer')) return LOCAL;
    if (!Object.hasOwn(options, 'port') && !Object.hasOwn(first.propertyLabels ?? {}, 'port')) return UNKNOWN;
    const host = Object.hasOwn(options, 'host') ? options.host : undefined;
    if (host === undefined) return Object.hasOwn(first.propertyLabels ?? {}, 'host') ? UNKNOWN : NO_HOST;
    return typeof host === 'string' ? hostBind(host) : UNKNOWN;
  }
  // `listen('/tmp/app.sock')`, `listen('\\\\.\\pipe\\app')`: a local socket, not the network.
  if (first.literal !== undefined && !/^\d+$/.test(first.literal)) return LOCAL;
  if (second === undefined || second.function) return NO_HOST;
  // A host computed at run time (`process.env.HOST || 'localhost'`) is not judged.
  return second.literal === undefined ? UNKNOWN : hostBind(second.literal);
}

const UNKNOWN = { bind: 'unknown', how: '' } as const;
const LOCAL = { bind: 'loopback', how: '' } as const;
const NO_HOST = { bind: 'all', how: ' (no host given)' } as const;

/**
 * Python servers: the host of a `(host, port)` address (`""` is every interface), or the `host`
 * keyword of the call, then of the instance it is a method of (`FastMCP("x", host=…)`), else the
 * API's default; FastMCP listens only on a network transport (otherwise: loopback, it does not listen).
 */
function pythonBind(args: readonly ArgumentFact[], api: NetworkApi): { bind: Bind; how: string } {
  if (api.addressAt !== undefined) {
    const host = args[api.addressAt]?.elements?.[0]?.literal;
    return host === undefined ? UNKNOWN : hostBind(host);
  }
  const options = optionsPositions(args, api).map((position) => args[position]!).reverse();
  const named = (key: string): { value?: boolean | string; computed: boolean } => {
    for (const fact of options) {
      if (Object.hasOwn(fact.properties!, key)) return { value: fact.properties![key], computed: false };
      if (Object.hasOwn(fact.propertyLabels ?? {}, key)) return { computed: true };
    }
    return { computed: false };
  };
  if (api.transports !== undefined) {
    const transport = named('transport').value;
    if (typeof transport !== 'string' || !api.transports.includes(transport)) return LOCAL;
  }
  const positional = api.hostAt === undefined ? undefined : args[api.hostAt];
  if (positional !== undefined && positional.properties === undefined) return positional.literal === undefined ? UNKNOWN : hostBind(positional.literal);
  const host = named('host');
  if (host.computed) return UNKNOWN;
  if (typeof host.value === 'string') return hostBind(host.value);
  return hostBind(api.defaultHost!).bind === 'all' ? NO_HOST : LOCAL;
}

function hostBind(host: string): { bind: Bind; how: string } {
  if (host === '' || host === '0.0.0.0' || host === '::' || host === '[::]') return { bind: 'all', how: ` (host "${host}")` };
  if (/^(?:localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i.test(host)) return LOCAL;
  return UNKNOWN;
}

// ---- Python (python/listeners.ts reads the syntax; these say what it means) ----------------------

/** Constructors of Python web apps, routers and Socket.IO servers, by canonical callee: the framework a reader knows. */
const PYTHON_APPS: Readonly<Record<string, string>> = {
  'flask.Flask': 'flask',
  'flask.Blueprint': 'flask',
  'quart.Quart': 'quart',
  'quart.Blueprint': 'quart',
  'sanic.Sanic': 'sanic',
  'sanic.Blueprint': 'sanic',
  'fastapi.FastAPI': 'fastapi',
  'fastapi.APIRouter': 'fastapi',
  'starlette.applications.Starlette': 'starlette',
  'starlette.routing.Router': 'starlette',
  'aiohttp.web.Application': 'aiohttp',
  'aiohttp.web.RouteTableDef': 'aiohttp',
  'socketio.Server': 'socket.io',
  'socketio.AsyncServer': 'socket.io',
  'flask_socketio.SocketIO': 'socket.io',
  'mcp.server.fastmcp.FastMCP': 'fastmcp',
  'fastmcp.FastMCP': 'fastmcp',
};

export function pythonApp(callee: string): string | null {
  return Object.hasOwn(PYTHON_APPS, callee) ? PYTHON_APPS[callee]! : null;
}

const PY_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
const FLASK_LIKE = ['route', 'websocket', ...PY_VERBS];

/**
 * Each framework's decorators that register a handler (`@app.post("/run")`), and `web` for an app of
 * unknown framework (imported from another module), whose routes must be written `/…` to count.
 * Starlette's and aiohttp's `route` take the methods first (`@routes.route("POST", "/run")`).
 */
const PYTHON_ROUTE_DECORATORS: Readonly<Record<string, ReadonlySet<string>>> = {
  flask: new Set(FLASK_LIKE),
  quart: new Set(FLASK_LIKE),
  sanic: new Set(FLASK_LIKE),
  fastapi: new Set(['api_route', 'websocket', 'route', 'websocket_route', ...PY_VERBS]),
  starlette: new Set(['route', 'websocket_route']),
  aiohttp: new Set(['route', ...PY_VERBS]),
  'socket.io': new Set(['on', 'event']),
  fastmcp: new Set(['custom_route']),
  web: new Set(['route', 'api_route', 'websocket', ...PY_VERBS]),
};

/**
 * The listener a route decorator or registration method declares, as a reader knows it
 * (`flask route /run`, `fastapi POST /exec`, `aiohttp GET /x`, `socket.io message`), from its
 * constant arguments (`first`, `second`); null when the method registers nothing. `event` is the
 * decorated function's name, for Socket.IO's `@sio.event`.
 */
export function pythonRouteName(framework: string, method: string, first: string | undefined, second: string | undefined, event?: string): string | null {
  if (!PYTHON_ROUTE_DECORATORS[framework]?.has(method)) return null;
  if (framework === 'socket.io') return method === 'on' ? (first === undefined ? null : `socket.io ${first}`) : event === undefined ? null : `socket.io ${event}`;
  // `route("POST", "/run")`: aiohttp's table, and an app of unknown framework written that way.
  if (method === 'route' && (framework === 'aiohttp' || (framework === 'web' && httpMethod(first) !== null))) return routeName(framework, httpMethod(first) ?? 'route', second);
  if (framework === 'web' && !first?.startsWith('/')) return null;
  const verb = method === 'route' || method === 'api_route' || method === 'custom_route' ? 'route' : method.startsWith('websocket') ? 'websocket' : method.toUpperCase();
  return routeName(framework, verb, first);
}

function routeName(framework: string, verb: string, path: string | undefined): string {
  return path === undefined || path === '' ? `${framework} ${verb}` : `${framework} ${verb} ${path}`;
}

/** `"POST"` as `POST`, `"*"` (any method) as `route`; null when the text is no HTTP method. */
function httpMethod(text: string | undefined): string | null {
  if (text === '*') return 'route';
  return text !== undefined && PY_VERBS.includes(text.toLowerCase()) ? text.toUpperCase() : null;
}

/** Where a registration call takes its path, its methods and its handler (positional, or by keyword). */
export interface PythonRegistration {
  framework: string;
  /** `route`, `websocket` or an HTTP method; for a server, its name alone. */
  verb: string;
  pathAt?: number;
  /** aiohttp's `add_route(method, path, handler)`. */
  methodAt?: number;
  handlerAt: number;
  /** The keywords that may name the handler instead. */
  handlerKeywords: readonly string[];
  /** A server, named by itself (`websockets.serve`), whose own host decides its bind. */
  server?: true;
}

const AIOHTTP_ADDS = Object.fromEntries(
  PY_VERBS.filter((verb) => verb !== 'options' && verb !== 'trace').map((verb) => [`add_${verb}`, { framework: 'aiohttp', verb: verb.toUpperCase(), pathAt: 0, handlerAt: 1, handlerKeywords: ['handler'] }]),
);

/**
 * Methods of an app (or of aiohttp's `app.router`) that register a handler; `add_route` has three
 * shapes, told apart by its constant arguments (see pythonRegistrationMethod).
 */
const PYTHON_REGISTRATION_METHODS: Readonly<Record<string, Omit<PythonRegistration, 'framework'> & { framework?: string }>> = {
  add_url_rule: { verb: 'route', pathAt: 0, handlerAt: 2, handlerKeywords: ['view_func'] },
  add_api_route: { framework: 'fastapi', verb: 'route', pathAt: 0, handlerAt: 1, handlerKeywords: ['endpoint'] },
  add_api_websocket_route: { framework: 'fastapi', verb: 'websocket', pathAt: 0, handlerAt: 1, handlerKeywords: ['endpoint'] },
  add_websocket_route: { verb: 'websocket', pathAt: 0, handlerAt: 1, handlerKeywords: ['route'] },
  ...AIOHTTP_ADDS,
};

/**
 * `<app>.<method>(…)` registering a handler, given the app's framework (null when unknown) and the
 * call's first two constant arguments: `app.add_url_rule("/x", view_func=f)`,
 * `app.router.add_post("/x", h)`, `router.add_route("POST", "/x", h)` (aiohttp),
 * `app.add_route("/x", f)` (Starlette), `app.add_route(f, "/x")` (Sanic).
 */
export function pythonRegistrationMethod(framework: string | null, method: string, first: string | undefined, second: string | undefined): PythonRegistration | null {
  if (method === 'on' && framework === 'socket.io') return { framework, verb: 'on', methodAt: 0, handlerAt: 1, handlerKeywords: ['handler'] };
  if (method === 'add_route') {
    if (httpMethod(first) !== null) return { framework: 'aiohttp', verb: 'route', methodAt: 0, pathAt: 1, handlerAt: 2, handlerKeywords: ['handler'] };
    if (first?.startsWith('/') || (framework === 'starlette' || framework === 'fastapi')) return { framework: framework ?? 'starlette', verb: 'route', pathAt: 0, handlerAt: 1, handlerKeywords: ['route', 'endpoint'] };
    if (second?.startsWith('/') || framework === 'sanic') return { framework: framework ?? 'sanic', verb: 'route', pathAt: 1, handlerAt: 0, handlerKeywords: ['handler'] };
    return null;
  }
  if (!Object.hasOwn(PYTHON_REGISTRATION_METHODS, method)) return null;
  const known = PYTHON_REGISTRATION_METHODS[method]!;
  const path = known.pathAt === 0 ? first : second;
  // On an object of unknown kind, only a constant route counts.
  if (framework === null && known.framework === undefined && !path?.startsWith('/')) return null;
  return { ...known, framework: known.framework ?? framework ?? 'web' };
}

/** Functions that register or start a handler by canonical callee: aiohttp's route definitions, Starlette's routes, servers. */
const PYTHON_REGISTRATION_CALLS: Readonly<Record<string, PythonRegistration>> = {
  ...Object.fromEntries(
    PY_VERBS.filter((verb) => verb !== 'options' && verb !== 'trace').map((verb) => [`aiohttp.web.${verb}`, { framework: 'aiohttp', verb: verb.toUpperCase(), pathAt: 0, handlerAt: 1, handlerKeywords: ['handler'] }]),
  ),
  'aiohttp.web.route': { framework: 'aiohttp', verb: 'route', methodAt: 0, pathAt: 1, handlerAt: 2, handlerKeywords: ['handler'] },
  'starlette.routing.Route': { framework: 'starlette', verb: 'route', pathAt: 0, handlerAt: 1, handlerKeywords: ['endpoint'] },
  'starlette.routing.WebSocketRoute': { framework: 'starlette', verb: 'websocket', pathAt: 0, handlerAt: 1, handlerKeywords: ['endpoint'] },
  ...Object.fromEntries(WEBSOCKETS_SERVE.map((callee) => [callee, { framework: 'websockets.serve', verb: '', handlerAt: 0, handlerKeywords: ['handler', 'ws_handler'], server: true }])),
  'asyncio.start_server': { framework: 'asyncio.start_server', verb: '', handlerAt: 0, handlerKeywords: ['client_connected_cb'], server: true },
};

export function pythonRegistrationCall(callee: string): PythonRegistration | null {
  return Object.hasOwn(PYTHON_REGISTRATION_CALLS, callee) ? PYTHON_REGISTRATION_CALLS[callee]! : null;
}

/** The listener a registration declares, as pythonRouteName names it; `method` is the constant at methodAt. */
export function pythonRegistrationName(registration: PythonRegistration, path: string | undefined, method: string | undefined): string {
  if (registration.server) return registration.framework;
  if (registration.verb === 'on') return `socket.io ${method ?? 'event'}`;
  const verb = (registration.methodAt === undefined ? null : httpMethod(method)) ?? registration.verb;
  return routeName(registration.framework, verb, path);
}

/**
 * Base classes of request handlers, whose methods the server calls on each request with the request
 * in `self` (`self.path`, `self.headers`, `self.rfile`, `self.request`): `http.server`'s `do_GET`,
 * `do_POST`…, `socketserver`'s `handle`.
 */
const PYTHON_HANDLER_CLASSES: Readonly<Record<string, 'http.server' | 'socketserver'>> = {
  'http.server.BaseHTTPRequestHandler': 'http.server',
  'http.server.SimpleHTTPRequestHandler': 'http.server',
  'http.server.CGIHTTPRequestHandler': 'http.server',
  'socketserver.BaseRequestHandler': 'socketserver',
  'socketserver.StreamRequestHandler': 'socketserver',
  'socketserver.DatagramRequestHandler': 'socketserver',
};

export type PythonHandlerKind = 'http.server' | 'socketserver';

export function pythonHandlerClass(base: string): PythonHandlerKind | null {
  return Object.hasOwn(PYTHON_HANDLER_CLASSES, base) ? PYTHON_HANDLER_CLASSES[base]! : null;
}

/** Whether a method of such a class handles requests: `do_<METHOD>` for `http.server`, `handle` for `socketserver`. */
export function isPythonHandlerMethod(kind: PythonHandlerKind, method: string): boolean {
  return kind === 'http.server' ? /^do_[A-Z]+$/.test(method) : method === 'handle';
}
