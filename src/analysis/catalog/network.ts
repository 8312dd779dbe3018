import type { ArgumentFact } from '../model/file-facts.js';
import { hostOfUrl, isHostName, normalizeHost } from '../hosts.js';

// Network APIs by canonical callee (see CallFact.callee), and where each takes its destination:
// a URL argument, an options object (`{ hostname, host, port, url, baseURL }`), or both; and the
// calls that make the server listen. Mail senders are kept apart: their destination is a recipient.

export type NetworkKind = 'http' | 'socket' | 'dns' | 'listen';

export interface NetworkApi {
  kind: NetworkKind;
  /** Position of the URL (for dns: the host name) argument, when there is one. */
  urlAt?: number;
  /** Position of an options object that may name the destination; equal to urlAt when the API takes either there. */
  optionsAt?: number;
  /** Position of a bare host argument (`net.connect(port, host)`). */
  hostAt?: number;
  /** Python: position of a `(host, port)` address tuple (`sock.connect((host, port))`, `HTTPServer(("", 8000), H)`). */
  addressAt?: number;
  /**
   * Python: keyword arguments (one options fact after the positional ones, python/extract.ts), the
   * instance an API is a method of (argument 0, its constructor's arguments) and request objects
   * passed in may all name the destination: every argument with properties is read as options.
   */
  keywords?: true;
  /** Python servers: the host bound when none is given (uvicorn and FastMCP bind 127.0.0.1, aiohttp every interface). */
  defaultHost?: string;
  /** Python servers: listens only when its `transport` keyword is one of these (FastMCP's default, stdio, does not). */
  transports?: readonly string[];
  /**
   * The protocol, when the API never encrypts (Node's `http` module, `HTTPConnection`, `ftplib.FTP`,
   * `telnetlib.Telnet`): a destination named by a host rather than a URL is reached in clear.
   */
  cleartext?: string;
  /**
   * Python: a request object built to be opened (`urllib.request.Request(url)`, `requests.Request("GET", url)`):
   * its destination is reported where it is built, for it may be opened anywhere; what it returns
   * is no network data, and an opener sending it in the same function does not repeat the finding.
   */
  builds?: true;
}

/** `http.get(url | options)`, `axios(url | config)`: a URL or an options object first. */
const URL_OR_OPTIONS: NetworkApi = { kind: 'http', urlAt: 0, optionsAt: 0 };
/** Node's `http` module: plain HTTP whatever the options say. */
const PLAIN_HTTP: NetworkApi = { ...URL_OR_OPTIONS, cleartext: 'HTTP' };
/** `fetch(url, init)`, `axios.get(url, config)`: the URL first; the options never name the host (except a baseURL). */
const URL_FIRST: NetworkApi = { kind: 'http', urlAt: 0, optionsAt: 1 };
const CONFIG_ONLY: NetworkApi = { kind: 'http', optionsAt: 0 };
const SOCKET_URL: NetworkApi = { kind: 'socket', urlAt: 0 };
/** `net.connect(options)` or `net.connect(port, host)`. */
const SOCKET_CONNECT: NetworkApi = { kind: 'socket', optionsAt: 0, hostAt: 1 };
const DNS: NetworkApi = { kind: 'dns', urlAt: 0 };
/** `new WebSocketServer({ port, host })` listens by itself unless given a server. */
const SOCKET_SERVER: NetworkApi = { kind: 'listen', optionsAt: 0 };

const APIS: Readonly<Record<string, NetworkApi>> = {
  fetch: URL_FIRST,
  'node-fetch': URL_FIRST,
  'cross-fetch': URL_FIRST,
  'isomorphic-fetch': URL_FIRST,
  'make-fetch-happen': URL_FIRST,
  'undici.fetch': URL_FIRST,
  'undici.request': URL_FIRST,
  'undici.stream': URL_FIRST,
  'undici.connect': URL_FIRST,
  'new undici.Client': { kind: 'http', urlAt: 0 },
  'new undici.Pool': { kind: 'http', urlAt: 0 },
  'http.get': PLAIN_HTTP,
  'http.request': PLAIN_HTTP,
  'https.get': URL_OR_OPTIONS,
  'https.request': URL_OR_OPTIONS,
  'http2.connect': URL_OR_OPTIONS,
  axios: URL_OR_OPTIONS,
  // `request(configOrUrl, config)`: axios 1 takes a URL string first too.
  'axios.request': URL_OR_OPTIONS,
  'axios.create': CONFIG_ONLY,
  'axios.get': URL_FIRST,
  'axios.delete': URL_FIRST,
  'axios.head': URL_FIRST,
  'axios.options': URL_FIRST,
  'axios.post': URL_FIRST,
  'axios.put': URL_FIRST,
  'axios.patch': URL_FIRST,
  'axios.postForm': URL_FIRST,
  'axios.putForm': URL_FIRST,
  'axios.patchForm': URL_FIRST,
  got: URL_OR_OPTIONS,
  'got.get': URL_OR_OPTIONS,
  'got.post': URL_OR_OPTIONS,
  'got.put': URL_OR_OPTIONS,
  'got.patch': URL_OR_OPTIONS,
  'got.delete': URL_OR_OPTIONS,
  'got.head': URL_OR_OPTIONS,
  'got.stream': URL_OR_OPTIONS,
  'got.extend': CONFIG_ONLY,
  ky: URL_FIRST,
  'ky.get': URL_FIRST,
  'ky.post': URL_FIRST,
  'ky.put': URL_FIRST,
  'ky.patch': URL_FIRST,
  'ky.delete': URL_FIRST,
  'ky.create': CONFIG_ONLY,
  'ofetch.ofetch': URL_FIRST,
  'ofetch.$fetch': URL_FIRST,
  request: URL_OR_OPTIONS,
  'request.get': URL_OR_OPTIONS,
  'request.post': URL_OR_OPTIONS,
  'needle.get': URL_FIRST,
  'needle.post': URL_FIRST,
  'superagent.get': URL_FIRST,
  'superagent.post': URL_FIRST,
  'superagent.put': URL_FIRST,
  'superagent.patch': URL_FIRST,
  'superagent.delete': URL_FIRST,
  'new XMLHttpRequest': { kind: 'http' },
  'new WebSocket': SOCKET_URL,
  'new ws': SOCKET_URL,
  'new ws.WebSocket': SOCKET_URL,
  'socket.io-client': SOCKET_URL,
  'socket.io-client.io': SOCKET_URL,
  'socket.io-client.connect': SOCKET_URL,
  'new EventSource': SOCKET_URL,
  'new eventsource': SOCKET_URL,
  'net.connect': SOCKET_CONNECT,
  'net.createConnection': SOCKET_CONNECT,
  'tls.connect': SOCKET_CONNECT,
  'dgram.createSocket': { kind: 'socket' },
  'new ws.WebSocketServer': SOCKET_SERVER,
  'new ws.Server': SOCKET_SERVER,
  'member:listen': { kind: 'listen' },
};

// Python, by import path. Keyword arguments, a client's constructor arguments (argument 0 of its
// methods, see PYTHON_OBJECT_CLASSES) and a `urllib.request.Request` passed in are options facts.
/** `requests.get(url, …)`, `httpx.post(url, …)`. */
const PY_URL_FIRST: NetworkApi = { kind: 'http', urlAt: 0, keywords: true };
/** `requests.request(method, url, …)`, `httpx.stream(method, url)`. */
const PY_METHOD_URL: NetworkApi = { kind: 'http', urlAt: 1, keywords: true };
/** A client's `get(url)`: the client is argument 0, with the `base_url` it was built with. */
const PY_CLIENT_URL: NetworkApi = { kind: 'http', urlAt: 1, keywords: true };
/** A client's `request(method, url)`. */
const PY_CLIENT_METHOD_URL: NetworkApi = { kind: 'http', urlAt: 2, keywords: true };
/** `smtplib.SMTP(host)`, `asyncio.open_connection(host, port)`: a bare host first. */
const PY_HOST_FIRST: NetworkApi = { kind: 'socket', hostAt: 0, keywords: true };
/** `HTTPSConnection(host)`: a connection to a host, whose `request(method, path)` goes there. */
const PY_HTTP_HOST: NetworkApi = { kind: 'http', hostAt: 0, keywords: true };
/** `HTTPConnection(host)`, urllib3's `HTTPConnectionPool(host)`: the same in plain HTTP. */
const PY_PLAIN_HTTP_HOST: NetworkApi = { ...PY_HTTP_HOST, cleartext: 'HTTP' };
/** `HTTPServer(("", 8000), Handler)`: a server bound to a `(host, port)` address. */
const PY_ADDRESS_SERVER: NetworkApi = { kind: 'listen', addressAt: 0 };
/** `sock.connect((host, port))`: the socket is argument 0. */
const PY_SOCKET_ADDRESS: NetworkApi = { kind: 'socket', addressAt: 1 };

/** `socket.gethostbyname(name)`, `dns.resolver.resolve(name)`: the name looked up first. */
const PY_DNS: NetworkApi = { kind: 'dns', urlAt: 0, keywords: true };
/** A resolver's `resolve(name)`: the resolver is argument 0. */
const PY_CLIENT_DNS: NetworkApi = { kind: 'dns', urlAt: 1, keywords: true };

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
/** urllib's openers: their `open(url)` and `retrieve(url)` fetch it. */
const PY_URL_OPENERS = ['urllib.request.OpenerDirector', 'urllib.request.URLopener', 'urllib.request.FancyURLopener'];
/** HTTP clients whose module functions and instances' methods are named after the verbs. */
const PY_HTTP_MODULES = ['requests', 'httpx'];
const PY_HTTP_CLIENTS = ['requests.Session', 'httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession'];
/** Connections to a host and their `request(method, path)`, the plain HTTP ones first. */
const PY_PLAIN_HTTP_CONNECTIONS = ['http.client.HTTPConnection', 'urllib3.HTTPConnectionPool', 'urllib3.connectionpool.HTTPConnectionPool'];
const PY_TLS_HTTP_CONNECTIONS = ['http.client.HTTPSConnection', 'urllib3.HTTPSConnectionPool', 'urllib3.connectionpool.HTTPSConnectionPool'];
/** urllib3's pool managers, whose `request(method, url)` goes to the URL's host (a proxy manager's through its proxy). */
const PY_POOL_MANAGERS = ['urllib3.PoolManager', 'urllib3.poolmanager.PoolManager', 'urllib3.ProxyManager', 'urllib3.poolmanager.ProxyManager'];
/** A connection's or a pool's methods that send a request to its host. */
function connectionMethods(connection: string): string[] {
  return [`${connection}.request`, `${connection}.urlopen`, `${connection}.request_encode_url`, `${connection}.request_encode_body`];
}
/** websockets' server functions, old and new. */
export const WEBSOCKETS_SERVE: readonly string[] = ['websockets.serve', 'websockets.server.serve', 'websockets.asyncio.server.serve', 'websockets.sync.server.serve', 'websockets.legacy.server.serve'];
const PY_ADDRESS_SERVERS = ['http.server.HTTPServer', 'http.server.ThreadingHTTPServer', 'socketserver.TCPServer', 'socketserver.ThreadingTCPServer', 'socketserver.UDPServer'];

/** One API for each name. */
function each(names: readonly string[], api: NetworkApi): Array<[string, NetworkApi]> {
  return names.map((name) => [name, api]);
}

const PYTHON_APIS: Readonly<Record<string, NetworkApi>> = Object.fromEntries([
  ...PY_HTTP_MODULES.flatMap((module) => each(HTTP_VERBS.map((verb) => `${module}.${verb}`), PY_URL_FIRST)),
  ...PY_HTTP_CLIENTS.flatMap((client) => each(HTTP_VERBS.map((verb) => `${client}.${verb}`), PY_CLIENT_URL)),
  ...PY_HTTP_CLIENTS.flatMap((client) => each([`${client}.request`, `${client}.stream`], PY_CLIENT_METHOD_URL)),
  ...each(['requests.request', 'httpx.request', 'httpx.stream', 'aiohttp.request', 'urllib3.request'], PY_METHOD_URL),
  ['aiohttp.ClientSession.ws_connect', { kind: 'socket', urlAt: 1, keywords: true }],
  // A `Request` passed in is read as options: its url and data.
  ...each(['urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib.urlopen', 'urllib.urlretrieve', 'urllib2.urlopen'], PY_URL_FIRST),
  // `build_opener().open(url)`, `URLopener().retrieve(url)`, `PoolManager().request("GET", url)`: the opener is argument 0.
  ...PY_URL_OPENERS.flatMap((opener) => each([`${opener}.open`, `${opener}.retrieve`], PY_CLIENT_URL)),
  // Request objects, made to be opened: a URL given to one is a destination, wherever it is opened.
  ...each(['urllib.request.Request', 'urllib2.Request'], { ...PY_URL_FIRST, builds: true }),
  ['requests.Request', { ...PY_METHOD_URL, builds: true }],
  // urllib3's pool managers (a proxy manager goes through the proxy it names) and their methods.
  ...PY_POOL_MANAGERS.flatMap((manager) => each([`${manager}.request`, `${manager}.urlopen`, `${manager}.request_encode_url`, `${manager}.request_encode_body`], PY_CLIENT_METHOD_URL)),
  ...PY_POOL_MANAGERS.flatMap((manager) => [[`${manager}.connection_from_url`, PY_CLIENT_URL], [`${manager}.connection_from_host`, { kind: 'http', hostAt: 1, keywords: true }]] as Array<[string, NetworkApi]>),
  ...each(['urllib3.ProxyManager', 'urllib3.poolmanager.ProxyManager', 'urllib3.proxy_from_url', 'urllib3.poolmanager.proxy_from_url'], PY_URL_FIRST),
  ['urllib3.connectionpool.connection_from_url', PY_URL_FIRST],
  // Name lookups carry data in the name itself (`f"{secret}.attacker.example"`).
  ...each(['socket.gethostbyname', 'socket.gethostbyname_ex', 'socket.getaddrinfo', 'dns.resolver.query', 'dns.resolver.resolve'], PY_DNS),
  ...each(['dns.resolver.Resolver.query', 'dns.resolver.Resolver.resolve', 'dns.asyncresolver.Resolver.resolve'], PY_CLIENT_DNS),
  ...each(['aiodns.DNSResolver.query', 'aiodns.DNSResolver.query_dns', 'aiodns.DNSResolver.gethostbyname', 'aiodns.DNSResolver.getaddrinfo'], PY_CLIENT_DNS),
  ...each(PY_PLAIN_HTTP_CONNECTIONS, PY_PLAIN_HTTP_HOST),
  ...each(PY_TLS_HTTP_CONNECTIONS, PY_HTTP_HOST),
  // `conn.request("POST", "/path", body)`: the connection (argument 0) names the host.
  ...each(PY_PLAIN_HTTP_CONNECTIONS.flatMap(connectionMethods), { ...PY_CLIENT_METHOD_URL, cleartext: 'HTTP' }),
  ...each(PY_TLS_HTTP_CONNECTIONS.flatMap(connectionMethods), PY_CLIENT_METHOD_URL),
  ['urllib3.connection_from_url', PY_URL_FIRST],
  ...each(['websockets.connect', 'websockets.client.connect'], { kind: 'socket', urlAt: 0, keywords: true }),
  ['socket.create_connection', { kind: 'socket', addressAt: 0 }],
  ...each(['socket.socket.connect', 'socket.socket.connect_ex'], PY_SOCKET_ADDRESS),
  // A datagram's address; what `send` writes goes where the socket was connected (SOCKET_WRITES).
  ['socket.socket.sendto', { kind: 'socket', addressAt: 2 }],
  ...each(['asyncio.open_connection', 'smtplib.SMTP', 'smtplib.SMTP_SSL', 'ftplib.FTP_TLS'], PY_HOST_FIRST),
  ['ftplib.FTP', { ...PY_HOST_FIRST, cleartext: 'FTP' }],
  ['telnetlib.Telnet', { ...PY_HOST_FIRST, cleartext: 'Telnet' }],
  // Servers.
  ['socket.socket.bind', { kind: 'listen', addressAt: 1 }],
  ...each(PY_ADDRESS_SERVERS, PY_ADDRESS_SERVER),
  ['uvicorn.run', { kind: 'listen', keywords: true, defaultHost: '127.0.0.1' }],
  ['aiohttp.web.run_app', { kind: 'listen', keywords: true, defaultHost: '0.0.0.0' }],
  ['asyncio.start_server', { kind: 'listen', hostAt: 1, keywords: true, defaultHost: '0.0.0.0' }],
  // `websockets.serve(handler, host, port)`: no host is every interface, as for asyncio's servers.
  ...each(WEBSOCKETS_SERVE, { kind: 'listen', hostAt: 1, keywords: true, defaultHost: '0.0.0.0' }),
  ['flask.Flask.run', { kind: 'listen', hostAt: 1, keywords: true, defaultHost: '127.0.0.1' }],
  ...each(['mcp.server.fastmcp.FastMCP.run', 'fastmcp.FastMCP.run'], { kind: 'listen', keywords: true, defaultHost: '127.0.0.1', transports: ['sse', 'streamable-http', 'http'] }),
]);

/** APScheduler's schedulers: `scheduler.add_job(job, "interval", seconds=10)` (catalog/listeners.ts). */
export const APSCHEDULERS: readonly string[] = [
  'apscheduler.schedulers.background.BackgroundScheduler',
  'apscheduler.schedulers.asyncio.AsyncIOScheduler',
  'apscheduler.schedulers.blocking.BlockingScheduler',
];

/**
 * Python classes whose instances' method calls python/extract.ts names `<class>.<method>`
 * (`requests.Session.get`, `smtplib.SMTP.sendmail`), with the names of their constructors' positional
 * parameters: an instance is passed to its methods as argument 0, an options fact of what it was
 * built with (`base_url`, `host`). `type` is the class its instances are named after when the
 * constructor is a function (`requests.session()`).
 */
const PYTHON_OBJECT_CLASSES: Readonly<Record<string, { positional: readonly string[]; type?: string }>> = {
  'requests.Session': { positional: [] },
  'requests.session': { positional: [], type: 'requests.Session' },
  'httpx.Client': { positional: [] },
  'httpx.AsyncClient': { positional: [] },
  'aiohttp.ClientSession': { positional: ['base_url'] },
  'urllib.request.Request': { positional: ['url', 'data', 'headers'] },
  'urllib.request.build_opener': { positional: [], type: 'urllib.request.OpenerDirector' },
  'urllib.request.OpenerDirector': { positional: [] },
  'urllib.request.URLopener': { positional: [] },
  'urllib.request.FancyURLopener': { positional: [] },
  'urllib3.PoolManager': { positional: [] },
  // An SSH connection, whose exec_command catalog/processes.ts reads.
  'paramiko.SSHClient': { positional: [] },
  'paramiko.client.SSHClient': { positional: [] },
  'urllib3.poolmanager.PoolManager': { positional: [] },
  'urllib3.ProxyManager': { positional: ['proxy_url'] },
  'urllib3.poolmanager.ProxyManager': { positional: ['proxy_url'] },
  'urllib3.proxy_from_url': { positional: ['proxy_url'], type: 'urllib3.ProxyManager' },
  'urllib3.poolmanager.proxy_from_url': { positional: ['proxy_url'], type: 'urllib3.ProxyManager' },
  'urllib2.Request': { positional: ['url', 'data', 'headers'] },
  'urllib2.build_opener': { positional: [], type: 'urllib.request.OpenerDirector' },
  'urllib.URLopener': { positional: [], type: 'urllib.request.URLopener' },
  'urllib.FancyURLopener': { positional: [], type: 'urllib.request.FancyURLopener' },
  'dns.resolver.Resolver': { positional: [] },
  'dns.asyncresolver.Resolver': { positional: [] },
  'aiodns.DNSResolver': { positional: ['nameservers'] },
  ...Object.fromEntries([...PY_PLAIN_HTTP_CONNECTIONS, ...PY_TLS_HTTP_CONNECTIONS].map((connection) => [connection, { positional: ['host', 'port'] }])),
  'smtplib.SMTP': { positional: ['host', 'port'] },
  'smtplib.SMTP_SSL': { positional: ['host', 'port'] },
  'socket.socket': { positional: [] },
  'mcp.server.fastmcp.FastMCP': { positional: ['name', 'instructions'] },
  'fastmcp.FastMCP': { positional: ['name', 'instructions'] },
  'flask.Flask': { positional: ['import_name'] },
  // Not network clients: schedulers and event loops, whose methods catalog/listeners.ts reads as timers.
  'sched.scheduler': { positional: ['timefunc', 'delayfunc'] },
  'asyncio.get_event_loop': { positional: [], type: 'asyncio.AbstractEventLoop' },
  'asyncio.get_running_loop': { positional: [], type: 'asyncio.AbstractEventLoop' },
  'asyncio.new_event_loop': { positional: [], type: 'asyncio.AbstractEventLoop' },
  ...Object.fromEntries(APSCHEDULERS.map((scheduler) => [scheduler, { positional: [] }])),
  // A screen grabber held in a variable (`with mss.mss() as sct: sct.grab(m)`), whose grab catalog/host-capture.ts reads.
  'mss.mss': { positional: [] },
  // The interpreter loop of the `code` module, whose methods catalog/dynamic-code.ts reads as evaluators.
  'code.InteractiveInterpreter': { positional: ['locals'] },
  'code.InteractiveConsole': { positional: ['locals', 'filename'] },
};

export function pythonObjectClass(constructor: string): { type: string; positional: readonly string[] } | null {
  if (!Object.hasOwn(PYTHON_OBJECT_CLASSES, constructor)) return null;
  const known = PYTHON_OBJECT_CLASSES[constructor]!;
  return { type: known.type ?? constructor, positional: known.positional };
}

/** `dns.lookup`, `dns.resolveTxt`, `dns.promises.resolve4`, `dns/promises` members: name lookups, a channel of their own. */
const DNS_CALL = /^dns\.(?:promises\.)?(?:lookup|resolve\w*|reverse)$/;

/** Both tables in one map: asked of every call, by the extractor and by several rules. */
const API_BY_CALLEE = new Map<string, NetworkApi>([...Object.entries(PYTHON_APIS), ...Object.entries(APIS)]);

export function networkApi(callee: string): NetworkApi | null {
  return API_BY_CALLEE.get(callee) ?? (callee.startsWith('dns.') && DNS_CALL.test(callee) ? DNS : null);
}

/**
 * Mail clients' send methods (nodemailer `sendMail`, Postmark `sendEmail`; Python's smtplib
 * connections, see PYTHON_OBJECT_CLASSES): the data leaves as mail.
 */
const MAIL_SENDERS = new Set([
  'member:sendMail', 'member:sendEmail', 'member:sendEmailBatch',
  ...['smtplib.SMTP', 'smtplib.SMTP_SSL'].flatMap((client) => [`${client}.sendmail`, `${client}.send_message`]),
]);

export function isMailSender(callee: string): boolean {
  return MAIL_SENDERS.has(callee);
}

/**
 * Writes to a socket connected elsewhere in the code (`sock.connect(addr)`, then `sock.sendall(data)`):
 * the data leaves, to the host the connect call names, which code-network lists.
 */
const SOCKET_WRITES = new Set(['socket.socket.send', 'socket.socket.sendall', 'socket.socket.sendmsg', 'socket.socket.sendfile']);

/**
 * Node calls that open a request or a socket whose writes send data to where the call points
 * (`const req = https.request(opts, cb); req.write(body)`, `const ws = new WebSocket(url); ws.send(data)`):
 * the opener as calls are recorded, the name js/extract.ts gives the object (its methods are
 * `<name>.<method>`, for these methods only), and the methods that send.
 */
const CONNECTIONS: ReadonlyArray<readonly [opener: string, name: string, methods: readonly string[]]> = [
  ...['http.request', 'https.request', 'net.connect', 'net.createConnection', 'tls.connect'].map((opener) => [opener, opener, ['write', 'end']] as const),
  ['new net.Socket', 'net.Socket', ['write', 'end']],
  ...['WebSocket', 'ws', 'ws.WebSocket'].map((name) => [`new ${name}`, name, ['send']] as const),
  // A UDP socket: each `send(msg, port, address)` names its own destination (datagramDestination).
  ['dgram.createSocket', 'dgram.createSocket', ['send']],
];
const OPENED_BY_NAME = new Set(CONNECTIONS.map(([, name]) => name));
const OPENER_OF_WRITE = new Map<string, string>(CONNECTIONS.flatMap(([opener, name, methods]) => methods.map((method) => [`${name}.${method}`, opener] as const)));
const OPENERS = new Set(CONNECTIONS.map(([opener]) => opener));

/** Whether a call of this callee (`https.request`, `WebSocket` for `new WebSocket(…)`) returns a request or socket whose writes send (see CONNECTIONS). */
export function opensConnection(callee: string): boolean {
  return OPENED_BY_NAME.has(callee);
}

/** Whether a method name is one that sends on some opened connection (`write`, `end`, `send`): js/extract.ts names only these. */
export function isConnectionMethod(name: string): boolean {
  return name === 'write' || name === 'end' || name === 'send';
}

/** The recorded callee of the call that opened the connection a write goes through (`https.request.write` gives `https.request`, `WebSocket.send` gives `new WebSocket`), or null. */
export function connectionOpener(callee: string): string | null {
  return OPENER_OF_WRITE.get(callee) ?? null;
}

/** Whether a recorded call opens such a connection (`https.request`, `new WebSocket`). */
export function isConnectionOpener(callee: string): boolean {
  return OPENERS.has(callee);
}

/** Where a UDP socket's `send(msg, port, address)` or `send(msg, offset, length, port, address)` goes, when the address is a constant name. */
export function datagramDestination(args: readonly ArgumentFact[]): Destination | null {
  return destinationOf(args, { kind: 'socket', hostAt: args.length >= 5 ? 4 : 2 });
}

export function isSocketWrite(callee: string): boolean {
  return SOCKET_WRITES.has(callee) || OPENER_OF_WRITE.has(callee);
}

export interface Destination {
  host: string;
  /** The URL's path when known (`/api/webhooks/…`), else `/`. */
  path: string;
  /** The protocol, when what is sent travels unencrypted: an `http://`, `ws://` or `ftp://` URL, or an API that never encrypts (NetworkApi.cleartext). */
  cleartext?: string;
}

/** URL schemes that carry data in clear, and the protocol's name. */
const CLEARTEXT_SCHEMES: Readonly<Record<string, string>> = { http: 'HTTP', ws: 'WebSocket', ftp: 'FTP' };

/** A URL's destination, with its protocol when that is unencrypted. */
function reachedByUrl(found: { host: string; path: string; scheme: string } | null): Destination | null {
  if (found === null) return null;
  const cleartext = Object.hasOwn(CLEARTEXT_SCHEMES, found.scheme) ? CLEARTEXT_SCHEMES[found.scheme] : undefined;
  return { host: found.host, path: found.path, ...(cleartext === undefined ? {} : { cleartext }) };
}

/** A destination named by its host: unencrypted when the API is. */
function reachedByHost(host: string, path: string, api: NetworkApi): Destination {
  return { host: normalizeHost(host), path, ...(api.cleartext === undefined ? {} : { cleartext: api.cleartext }) };
}

/**
 * Where a network call goes, when its arguments say: a URL (literal, a constant start that closes the
 * host, or the first constant the value is built from that is a URL), an options object's `url`,
 * `baseURL` or `hostname`, or a bare host. Null when the destination is computed at run time.
 */
export function destinationOf(args: readonly ArgumentFact[], api: NetworkApi): Destination | null {
  const url = api.urlAt === undefined ? undefined : args[api.urlAt];
  if (url !== undefined && url.properties === undefined) {
    const found = api.kind === 'dns' ? hostNamed(url) : reachedByUrl(urlNamed(url));
    if (found) return found;
  }
  for (const position of optionsPositions(args, api)) {
    const options = args[position]!.properties!;
    for (const key of ['url', 'baseURL', 'baseUrl', 'base_url', 'prefixUrl', 'origin']) {
      const value = Object.hasOwn(options, key) ? options[key] : undefined;
      const found = typeof value === 'string' ? reachedByUrl(hostOfUrl(value)) : null;
      if (found) return found;
    }
    for (const key of ['hostname', 'host']) {
      const value = Object.hasOwn(options, key) ? options[key] : undefined;
      if (typeof value === 'string' && isHostName(normalizeHost(value))) return reachedByHost(value, stringProperty(options, 'path') ?? '/', api);
    }
  }
  const host = api.hostAt === undefined ? undefined : args[api.hostAt]?.literal;
  if (host !== undefined && isHostName(normalizeHost(host))) return reachedByHost(host, '/', api);
  const address = api.addressAt === undefined ? undefined : args[api.addressAt]?.elements?.[0]?.literal;
  return address !== undefined && isHostName(normalizeHost(address)) ? reachedByHost(address, '/', api) : null;
}

/** The arguments read as options: `optionsAt`, and for Python APIs every argument with properties (see NetworkApi.keywords). */
export function optionsPositions(args: readonly ArgumentFact[], api: NetworkApi): number[] {
  if (api.keywords) return args.flatMap((argument, position) => (argument.properties !== undefined ? [position] : []));
  return api.optionsAt !== undefined && args[api.optionsAt]?.properties !== undefined ? [api.optionsAt] : [];
}

function urlNamed(argument: ArgumentFact): ReturnType<typeof hostOfUrl> {
  if (argument.literal !== undefined) return hostOfUrl(argument.literal);
  if (argument.prefix !== undefined) {
    const found = hostOfUrl(argument.prefix, false);
    if (found) return found;
  }
  for (const part of argument.parts ?? []) {
    const found = hostOfUrl(part);
    if (found) return found;
  }
  return null;
}

const HOST_NAME = /^\.?[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?$/i;

/** A name lookup's host: the literal, or a constant domain the name is built under (`${data}.collector.example`). */
function hostNamed(argument: ArgumentFact): Destination | null {
  const isName = (text: string) => text.length <= 254 && HOST_NAME.test(text);
  if (argument.literal !== undefined) return isName(argument.literal) ? { host: normalizeHost(argument.literal.replace(/^\./, '')), path: '/' } : null;
  const suffix = (argument.parts ?? []).find(isName);
  return suffix === undefined ? null : { host: normalizeHost(suffix.replace(/^\./, '')), path: '/' };
}

function stringProperty(properties: Record<string, boolean | string>, key: string): string | undefined {
  const value = Object.hasOwn(properties, key) ? properties[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Whether an opener's call sends a request object that a call of the same file built
 * (`urlopen(Request(url))`, `opener.open(req)`): the built request names the destination and is
 * reported where it is built (NetworkApi.builds), so the opener would say it twice.
 * `builders` holds the files that build request objects.
 */
export function opensBuiltRequest(call: { file: string; args: readonly ArgumentFact[] }, api: NetworkApi, builders: ReadonlySet<string>): boolean {
  return !api.builds && api.urlAt !== undefined && builders.has(call.file) && call.args[api.urlAt]?.properties !== undefined;
}

/** The files of these calls that build request objects (see opensBuiltRequest). */
export function requestBuilders(calls: ReadonlyArray<{ file: string; callee: string }>): Set<string> {
  const files = new Set<string>();
  for (const call of calls) if (networkApi(call.callee)?.builds) files.add(call.file);
  return files;
}
