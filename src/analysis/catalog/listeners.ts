import type { ArgumentFact } from '../model/file-facts.js';
import type { Bind } from '../model/triggers.js';
import { optionsPositions, type NetworkApi } from './network.js';

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
export function serverFactory(callee: string): string | null {
  return Object.hasOwn(SERVER_FACTORIES, callee) ? SERVER_FACTORIES[callee]! : null;
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
  ...Object.fromEntries(Object.entries(SERVER_FACTORIES).map(([callee, name]) => [callee, name])),
};

export function dispatcher(callee: string): string | null {
  return Object.hasOwn(DISPATCHERS, callee) ? DISPATCHERS[callee]! : null;
}

/** Methods of a dispatcher that register a handler for what the network sends. */
const HANDLER_METHODS = new Set(['on', 'once', 'addListener', 'use', 'all', 'get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'route', 'ws', 'websocket', 'register']);
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
