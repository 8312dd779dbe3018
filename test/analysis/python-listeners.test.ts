import type { Node, Tree } from 'web-tree-sitter';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pythonRegistrationMethod, pythonRouteName } from '../../src/analysis/catalog/listeners.js';
import type { FileFacts, ListenerFact } from '../../src/analysis/model/file-facts.js';
import { extractPythonFacts } from '../../src/analysis/python/extract.js';
import { scanFunction } from '../../src/analysis/python/listeners.js';
import { loadPythonParser, type PythonParser } from '../../src/analysis/python/parse.js';

// Listener recognition: the checks on parsed functions on their own, the catalogue's names, then
// each form through the extractor (python/extract.ts feeds python/listeners.ts as it walks).

let parser: PythonParser;
beforeAll(async () => {
  parser = await loadPythonParser();
});

const trees: Tree[] = [];
afterEach(() => {
  for (const tree of trees.splice(0)) tree.delete();
});

/** The first function (or lambda) of a source. */
const firstFunction = (source: string): Node => {
  const { tree } = parser.parse(source);
  if (tree === null) throw new Error('no tree');
  trees.push(tree);
  return tree.rootNode.descendantsOfType(['function_definition', 'lambda'])[0]!;
};

const extract = (lines: string[]): FileFacts => extractPythonFacts(`${lines.join('\n')}\n`, parser);
const listeners = (lines: string[]): Array<Pick<ListenerFact, 'name' | 'bind' | 'checked'>> =>
  extract(lines).listeners.map(({ name, bind, checked }) => ({ name, bind, ...(checked ? { checked } : {}) }));

describe('what counts as checking the request', () => {
  it.each([
    ['the Origin header compared to an allow-list', ['origin = request.headers.get("Origin")', 'if origin not in ALLOWED:', '    abort(403)']],
    ['the Authorization header compared in place', ['if self.headers["Authorization"] != f"Bearer {TOKEN}":', '    return']],
    ['an API key header held, trimmed, then compared', ['key = headers.get("X-API-Key", "")', 'key = key.strip()', 'if key == SECRET:', '    pass']],
    ['a token compared in constant time', ['token = request.args.get("token")', 'if not hmac.compare_digest(token, TOKEN):', '    abort(401)']],
    ['a header given to a validator in an if test', ['if not allowed_origin(request.headers.get("Origin")):', '    abort(403)']],
    ['a walrus held header compared', ['if (auth := request.headers.get("Authorization")) != EXPECTED:', '    abort(401)']],
    ['Flask\'s parsed Authorization compared', ['assert request.authorization == EXPECTED']],
  ])('%s is a check', (_, body) => {
    expect(scanFunction(firstFunction(`def handler(request):\n${body.map((line) => `    ${line}`).join('\n')}\n`)).checked).toBe(true);
  });

  it.each([
    ['the Origin reflected into a CORS header', ['origin = request.headers.get("Origin")', 'response.headers["Access-Control-Allow-Origin"] = origin', 'return response']],
    ['a CORS header set to the request\'s Origin in place', ['self.send_header("Access-Control-Allow-Origin", self.headers.get("Origin"))']],
    ['the Authorization header only tested for presence', ['if not request.headers.get("Authorization"):', '    abort(401)']],
    ['its length compared', ['auth = request.headers.get("Authorization")', 'if len(auth) == 0:', '    abort(401)']],
    ['a header that is no credential compared', ['if request.headers.get("Content-Type") != "application/json":', '    abort(415)']],
    ['the Origin logged', ['log.info("origin %s", request.headers.get("Origin"))']],
    ['a header compared to None by identity', ['if request.headers.get("Authorization") is None:', '    abort(401)']],
  ])('%s is not a check', (_, body) => {
    expect(scanFunction(firstFunction(`def handler(request):\n${body.map((line) => `    ${line}`).join('\n')}\n`)).checked).toBe(false);
  });

  it('reads FastAPI Header() parameters by name or alias, and names the functions a handler calls or depends on', () => {
    expect(scanFunction(firstFunction('def f(cmd: str, x_api_key: str = Header(...)):\n    if x_api_key != KEY:\n        raise E()\n')).checked).toBe(true);
    expect(scanFunction(firstFunction('def f(k: str = Header(None, alias="Authorization")):\n    if k != KEY:\n        raise E()\n')).checked).toBe(true);
    expect(scanFunction(firstFunction('def f(user_agent: str = Header(None)):\n    if user_agent != UA:\n        raise E()\n')).checked).toBe(false);
    const scan = scanFunction(firstFunction('def f(self, _=Depends(verify_key)):\n    if not authorized():\n        return\n    self._check()\n'));
    expect(scan.helpers).toEqual(expect.arrayContaining(['verify_key', 'authorized', '_check']));
  });
});

describe('the catalogue\'s names for routes', () => {
  it.each([
    ['flask', 'route', '/run', undefined, 'flask route /run'],
    ['flask', 'post', '/run', undefined, 'flask POST /run'],
    ['fastapi', 'post', '/exec', undefined, 'fastapi POST /exec'],
    ['fastapi', 'websocket', '/ws', undefined, 'fastapi websocket /ws'],
    ['fastapi', 'get', '', undefined, 'fastapi GET'],
    ['starlette', 'websocket_route', '/ws', undefined, 'starlette websocket /ws'],
    ['aiohttp', 'route', 'POST', '/x', 'aiohttp POST /x'],
    ['aiohttp', 'route', '*', '/x', 'aiohttp route /x'],
    ['fastmcp', 'custom_route', '/callback', undefined, 'fastmcp route /callback'],
    ['socket.io', 'on', 'message', undefined, 'socket.io message'],
    ['web', 'get', '/x', undefined, 'web GET /x'],
    ['web', 'get', 'x', undefined, null],
    ['web', 'command', '/x', undefined, null],
    ['fastmcp', 'tool', undefined, undefined, null],
  ])('%s %s(%j, %j) is %j', (framework, method, first, second, name) => {
    expect(pythonRouteName(framework, method, first, second)).toBe(name);
  });

  it('tells the shapes of add_route apart by their constants', () => {
    expect(pythonRegistrationMethod(null, 'add_route', 'POST', '/x')).toMatchObject({ framework: 'aiohttp', pathAt: 1, handlerAt: 2 });
    expect(pythonRegistrationMethod(null, 'add_route', '/x', undefined)).toMatchObject({ framework: 'starlette', pathAt: 0, handlerAt: 1 });
    expect(pythonRegistrationMethod(null, 'add_route', undefined, '/x')).toMatchObject({ framework: 'sanic', pathAt: 1, handlerAt: 0 });
    expect(pythonRegistrationMethod(null, 'add_route', undefined, undefined)).toBeNull();
    expect(pythonRegistrationMethod(null, 'add_url_rule', 'x', undefined)).toBeNull();
    expect(pythonRegistrationMethod('flask', 'add_url_rule', undefined, undefined)).toMatchObject({ framework: 'flask', handlerKeywords: ['view_func'] });
  });
});

describe('listeners, form by form', () => {
  it('reads Flask, Quart and blueprint routes, with the file\'s bind', () => {
    const facts = extract([
      'from flask import Flask, Blueprint',
      'import quart',
      'app = Flask(__name__)',
      'bp = Blueprint("admin", __name__)',
      'qa = quart.Quart(__name__)',
      '@app.route("/run", methods=["POST"])',
      'def run(): pass',
      '@bp.post("/bp")',
      'def admin(): pass',
      '@qa.websocket("/ws")',
      'async def ws(): pass',
      'def view(): pass',
      'app.add_url_rule("/view", view_func=view)',
      'if __name__ == "__main__":',
      '    app.run(host="0.0.0.0", port=5000)',
    ]);
    expect(facts.listeners.map(({ name, bind }) => ({ name, bind }))).toEqual([
      { name: 'flask route /run', bind: 'all' },
      { name: 'flask POST /bp', bind: 'all' },
      { name: 'quart websocket /ws', bind: 'all' },
      { name: 'flask route /view', bind: 'all' },
    ]);
    const named = (name: string) => facts.functions.find((fn) => fn.name === name)!.id;
    expect(facts.listeners.map((listener) => listener.handler)).toEqual([named('run'), named('admin'), named('ws'), 'local:view']);
    expect(facts.listeners[0]).toMatchObject({ line: 6, column: 1 });
  });

  it('reads FastAPI and Starlette routes, routers and route objects', () => {
    expect(
      listeners([
        'from fastapi import FastAPI, APIRouter',
        'from starlette.applications import Starlette',
        'from starlette.routing import Route, WebSocketRoute',
        'import uvicorn',
        'api = FastAPI()',
        'router = APIRouter()',
        '@api.post("/exec")',
        'def run(cmd: str): pass',
        '@router.websocket("/ws")',
        'async def ws(websocket): pass',
        '@api.api_route("/any", methods=["GET", "POST"])',
        'def anything(): pass',
        'api.add_api_route("/added", run, methods=["POST"])',
        'star = Starlette(routes=[Route("/r", run), WebSocketRoute("/w", endpoint=ws)])',
        'uvicorn.run(api, host="127.0.0.1", port=8000)',
      ]),
    ).toEqual([
      { name: 'fastapi POST /exec', bind: 'loopback' },
      { name: 'fastapi websocket /ws', bind: 'loopback' },
      { name: 'fastapi route /any', bind: 'loopback' },
      { name: 'fastapi route /added', bind: 'loopback' },
      { name: 'starlette route /r', bind: 'loopback' },
      { name: 'starlette websocket /w', bind: 'loopback' },
    ]);
  });

  it('reads aiohttp route tables, router methods and route definitions; run_app binds every interface by default', () => {
    expect(
      listeners([
        'from aiohttp import web',
        'routes = web.RouteTableDef()',
        '@routes.post("/a")',
        'async def a(request): pass',
        '@routes.route("PUT", "/b")',
        'async def b(request): pass',
        'async def h(request): pass',
        'app = web.Application()',
        'app.router.add_get("/g", h)',
        'app.router.add_route("DELETE", "/d", h)',
        'app.add_routes([web.post("/p", h), web.get("/l", lambda request: None), routes])',
        'web.run_app(app, port=8080)',
      ]),
    ).toEqual([
      { name: 'aiohttp POST /a', bind: 'all' },
      { name: 'aiohttp PUT /b', bind: 'all' },
      { name: 'aiohttp GET /g', bind: 'all' },
      { name: 'aiohttp DELETE /d', bind: 'all' },
      { name: 'aiohttp POST /p', bind: 'all' },
      { name: 'aiohttp GET /l', bind: 'all' },
    ]);
  });

  it('reads websockets and asyncio servers, each judged by its own host', () => {
    const facts = extract([
      'import asyncio, websockets',
      'from websockets.server import serve',
      'async def echo(websocket):',
      '    async for message in websocket: pass',
      'async def client(reader, writer): pass',
      'async def main():',
      '    async with websockets.serve(echo, "0.0.0.0", 8765): pass',
      '    await serve(echo, host="localhost", port=8766)',
      '    await websockets.serve(echo, port=8767)',
      '    await asyncio.start_server(client, "127.0.0.1", 9000)',
      '    await asyncio.start_server(client_connected_cb=client, port=9001)',
      '    await websockets.serve(lambda ws: None, os.environ["HOST"], 1)',
    ]);
    expect(facts.listeners.map(({ name, handler, bind }) => ({ name, handler, bind }))).toEqual([
      { name: 'websockets.serve', handler: 'local:echo', bind: 'all' },
      { name: 'websockets.serve', handler: 'local:echo', bind: 'loopback' },
      { name: 'websockets.serve', handler: 'local:echo', bind: 'all' },
      { name: 'asyncio.start_server', handler: 'local:client', bind: 'loopback' },
      { name: 'asyncio.start_server', handler: 'local:client', bind: 'all' },
      { name: 'websockets.serve', handler: expect.stringMatching(/^\d+$/), bind: 'unknown' },
    ]);
    expect(facts.functions.find((fn) => fn.id === facts.listeners[5]!.handler)).toMatchObject({ name: null, paramNames: ['ws'] });
  });

  it('reads http.server and socketserver handler classes, subclasses of them included', () => {
    const facts = extract([
      'import http.server',
      'from http.server import BaseHTTPRequestHandler, HTTPServer',
      'import socketserver',
      'class Handler(BaseHTTPRequestHandler):',
      '    def do_POST(self): pass',
      '    def do_GET(self): pass',
      '    def log_message(self, *args): pass',
      'class Static(http.server.SimpleHTTPRequestHandler):',
      '    def do_PUT(self): pass',
      'class Sub(Handler):',
      '    def do_DELETE(self): pass',
      'class Raw(socketserver.StreamRequestHandler):',
      '    def handle(self): pass',
      'class Other:',
      '    def do_GET(self): pass',
      'HTTPServer(("", 8000), Handler).serve_forever()',
    ]);
    expect(facts.listeners.map(({ name, bind, line }) => ({ name, bind, line }))).toEqual([
      { name: 'http.server do_POST', bind: 'all', line: 5 },
      { name: 'http.server do_GET', bind: 'all', line: 6 },
      { name: 'http.server do_PUT', bind: 'all', line: 9 },
      { name: 'http.server do_DELETE', bind: 'all', line: 11 },
      { name: 'socketserver handle', bind: 'all', line: 13 },
    ]);
    expect(facts.listeners[0]!.handler).toBe(facts.functions.find((fn) => fn.line === 5)!.id);
  });

  it('reads Socket.IO events and FastMCP custom routes, but not tools, resources or unrelated decorators', () => {
    expect(
      listeners([
        'import socketio',
        'from mcp.server.fastmcp import FastMCP',
        'sio = socketio.AsyncServer()',
        'mcp = FastMCP("x")',
        '@sio.event',
        'async def message(sid, data): pass',
        '@sio.on("run")',
        'async def run(sid, data): pass',
        'sio.on("other", run)',
        '@mcp.custom_route("/callback", methods=["GET"])',
        'async def callback(request): pass',
        '@mcp.tool()',
        'def tool(x: str): pass',
        '@mcp.resource("config://x")',
        'def resource(): pass',
        '@functools.lru_cache()',
        'def cached(): pass',
        '@cli.command("/x")',
        'def command(): pass',
        'mcp.run()',
      ]),
    ).toEqual([
      { name: 'socket.io message', bind: 'loopback' },
      { name: 'socket.io run', bind: 'loopback' },
      { name: 'socket.io other', bind: 'loopback' },
      { name: 'fastmcp route /callback', bind: 'loopback' },
    ]);
  });

  it('reads routes of an app imported from another module when written with a path, and leaves the bind unknown without a listen call', () => {
    expect(listeners(['from .server import app', '@app.post("/run")', 'def run(): pass', '@app.get(PATH)', 'def other(): pass'])).toEqual([
      { name: 'web POST /run', bind: 'unknown' },
    ]);
  });

  it('reads Django views, functions whose first parameter is the request, in a module that imports Django', () => {
    const views = ['def report(request, year):', '    return render(request, "r.html")', 'def helper(path, request=None):', '    pass'];
    expect(listeners(['from django.shortcuts import render', ...views])).toEqual([{ name: 'django view report', bind: 'unknown' }]);
    // Known by its shape alone: model/reachability.ts counts it in first-party files only.
    expect(extract(['from django.shortcuts import render', ...views]).listeners[0]).toMatchObject({ convention: true });
    // The same names elsewhere are nobody's views.
    expect(listeners(['from flask import render_template as render', ...views])).toEqual([]);
  });

  it('takes every interface when any listen call of the file binds them, else loopback', () => {
    const routes = ['from flask import Flask', 'app = Flask(__name__)', '@app.get("/x")', 'def x(): pass'];
    expect(listeners([...routes, 'app.run()'])).toEqual([{ name: 'flask GET /x', bind: 'loopback' }]);
    expect(listeners([...routes, 'app.run()', 'import uvicorn', 'uvicorn.run(other, host="0.0.0.0")'])).toEqual([{ name: 'flask GET /x', bind: 'all' }]);
    expect(listeners([...routes, 'app.run(host=os.environ["HOST"])'])).toEqual([{ name: 'flask GET /x', bind: 'unknown' }]);
    // A socket's backlog is no address.
    expect(listeners([...routes, 'sock.listen(5)'])).toEqual([{ name: 'flask GET /x', bind: 'unknown' }]);
  });
});

describe('checked listeners', () => {
  it('credits a handler that compares the Origin, not one that reflects it into a CORS header', () => {
    expect(
      listeners([
        'from flask import Flask, request',
        'app = Flask(__name__)',
        '@app.post("/checked")',
        'def checked():',
        '    if request.headers.get("Origin") not in ("http://localhost:3000",):',
        '        abort(403)',
        '@app.post("/cors")',
        'def cors():',
        '    response = make_response(run(request.json["cmd"]))',
        '    response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")',
        '    return response',
      ]),
    ).toEqual([
      { name: 'flask POST /checked', bind: 'unknown', checked: true },
      { name: 'flask POST /cors', bind: 'unknown' },
    ]);
  });

  it('credits checks in a function the handler calls, a decorator or dependency of the file, and a before_request hook', () => {
    expect(
      listeners([
        'from fastapi import FastAPI, Depends, Header',
        'api = FastAPI()',
        'def verify(x_token: str = Header(...)):',
        '    if x_token != TOKEN: raise HTTPException(401)',
        '@api.post("/dep", dependencies=[Depends(verify)])',
        'def dep(): pass',
        '@api.post("/param")',
        'def param(_=Depends(verify)): pass',
        '@api.post("/open")',
        'def open_(): pass',
      ]),
    ).toEqual([
      { name: 'fastapi POST /dep', bind: 'unknown', checked: true },
      { name: 'fastapi POST /param', bind: 'unknown', checked: true },
      { name: 'fastapi POST /open', bind: 'unknown' },
    ]);
    expect(
      listeners([
        'from flask import Flask, request',
        'app = Flask(__name__)',
        '@app.before_request',
        'def guard():',
        '    if request.headers.get("Authorization") != f"Bearer {TOKEN}":',
        '        abort(401)',
        '@app.post("/run")',
        'def run(): pass',
      ]),
    ).toEqual([{ name: 'flask POST /run', bind: 'unknown', checked: true }]);
    expect(
      listeners([
        'from http.server import BaseHTTPRequestHandler',
        'class H(BaseHTTPRequestHandler):',
        '    def _authorized(self):',
        '        return hmac.compare_digest(self.headers.get("Authorization", ""), EXPECTED)',
        '    def do_POST(self):',
        '        if not self._authorized():',
        '            return self.send_error(401)',
        '    def do_GET(self):',
        '        self.send_header("Access-Control-Allow-Origin", "*")',
      ]),
    ).toEqual([
      { name: 'http.server do_POST', bind: 'unknown', checked: true },
      { name: 'http.server do_GET', bind: 'unknown' },
    ]);
  });

  it('credits websockets\' origins= and a process_request hook that checks a token', () => {
    expect(
      listeners([
        'import websockets',
        'async def echo(ws): pass',
        'def check(connection, request):',
        '    if request.headers.get("X-Token") != TOKEN:',
        '        return connection.respond(401, "no")',
        'websockets.serve(echo, "localhost", 1, origins=["http://localhost"])',
        'websockets.serve(echo, "localhost", 2, origins=None)',
        'websockets.serve(echo, "localhost", 3, process_request=check)',
      ]),
    ).toEqual([
      { name: 'websockets.serve', bind: 'loopback', checked: true },
      { name: 'websockets.serve', bind: 'loopback' },
      { name: 'websockets.serve', bind: 'loopback', checked: true },
    ]);
  });
});
