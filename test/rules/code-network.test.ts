import { expect, it } from 'vitest';
import rule from '../../rules/code-network.js';
import type { Trigger } from '../../src/analysis/model/triggers.js';
import { runRuleOnCode } from '../helpers/bundle.js';
import { callSite } from '../helpers/facts.js';
import { findingWith, findingsOf, scanFixture } from '../helpers/fixtures.js';

const INVALID = 'fixtures/rules/code-network/invalid';

it('lists each host once, at its first use, with the number of places, and low when the manifest does not declare it', async () => {
  const bundle = await scanFixture(INVALID);
  expect(findingWith(bundle, 'code-network', 'Endpoint api.weatherly.dev (fetch() in tool "forecast"; 3 places): a host the manifest does not declare')).toMatchObject({
    severity: 'low',
    category: 'network',
    tool: 'forecast',
    host: 'api.weatherly.dev',
    origin: 'first-party',
    location: { file: 'server/index.js', line: 9, column: 26 },
  });
  expect(findingWith(bundle, 'code-network', 'Endpoint api.github.com (fetch() in tool "release_notes")')).toMatchObject({ severity: 'info', tool: 'release_notes', host: 'api.github.com' });
  expect(bundle.findings.filter((finding) => !finding.message.startsWith('Endpoint ')).every((finding) => finding.host === undefined)).toBe(true);
  expect(findingWith(bundle, 'code-network', 'Endpoint api.github.com').message).toContain('declares');
  expect(bundle.capabilities).toContain('network');
});

it('reports a URL taken from tool input and a server bound to every interface, at medium', async () => {
  const bundle = await scanFixture(INVALID);
  expect(findingWith(bundle, 'code-network', 'fetch() connects to a URL taken from the input of tool "fetch_page"')).toMatchObject({
    severity: 'medium',
    tool: 'fetch_page',
    location: { line: 19, column: 26 },
    evidence: "fetch(url, { redirect: 'follow' })",
  });
  expect(findingWith(bundle, 'code-network', 'status.listen() listens on all network interfaces (no host given) as soon as the module is loaded')).toMatchObject({
    severity: 'medium',
    location: { line: 29, column: 1 },
  });
  // The hosts of the forecast calls are fixed by a constant: tool input only fills the query.
  expect(findingsOf(bundle, 'code-network').filter((finding) => finding.message.includes('URL taken from the input'))).toHaveLength(1);
});

it('turns an undeclared host into inventory when the user allows it', async () => {
  const bundle = await scanFixture(INVALID, { allowedHosts: ['weatherly.dev'] });
  expect(findingWith(bundle, 'code-network', 'Endpoint api.weatherly.dev')).toMatchObject({ severity: 'info' });
});

it('ranks drop boxes high, raw public addresses medium (high when contacted as the module loads) and the metadata service medium', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-drop');
  expect(findingWith(bundle, 'code-network', 'Endpoint webhook.site (axios.post() in tool "save_note") is a known drop for stolen data (request catcher)')).toMatchObject({
    severity: 'high',
    tool: 'save_note',
    location: { line: 9, column: 9 },
  });
  expect(findingWith(bundle, 'code-network', 'Endpoint discord.com (named in code as HOOK) is a known drop for stolen data (Discord webhook)')).toMatchObject({ severity: 'high', location: { line: 6, column: 14 } });
  // Contacted with nobody asking, as the module loads: the shape of a dropper or a beacon.
  expect(findingWith(bundle, 'code-network', 'Endpoint 45.61.136.7 (net.connect() as soon as the module is loaded): a raw public IP address')).toMatchObject({
    severity: 'high',
    trigger: { kind: 'load', via: ['server/index.js'] },
  });
  expect(findingWith(bundle, 'code-network', 'Endpoint 45.61.136.9 (axios.get() in tool "mirror_status"): a raw public IP address')).toMatchObject({ severity: 'medium', tool: 'mirror_status' });
  expect(findingWith(bundle, 'code-network', 'Endpoint 169.254.169.254 (axios.get() as soon as the module is loaded): the cloud instance metadata service')).toMatchObject({ severity: 'medium' });
  // A URL literal inside the call that uses it counts once.
  expect(findingWith(bundle, 'code-network', 'Endpoint webhook.site').message).not.toContain('; 2 places');
  // A drop written without its scheme is the drop still.
  expect(findingWith(bundle, 'code-network', 'Endpoint c7f1e2.oast.live (named in code as BEACON) is a known drop for stolen data (out-of-band testing host)')).toMatchObject({ severity: 'high', location: { line: 23 } });
});

it('stays silent on loopback servers, sockets, placeholders and library code no tool reaches', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/valid');
  expect(findingsOf(bundle, 'code-network')).toEqual([]);
  expect(bundle.capabilities).not.toContain('network');
  expect(bundle.complete).toBe(true);
});

it('reads Python clients: hosts from URL literals and base_url, a URL from tool input, drops, raw IPs and servers on every interface', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-python');
  // `self.client = httpx.AsyncClient(base_url=API_URL)` in __init__, `self.client.get("/daily")` in another method.
  expect(findingWith(bundle, 'code-network', 'Endpoint api.weatherly.dev (httpx.AsyncClient.get() in tool "forecast"; 2 places): a host the manifest does not declare')).toMatchObject({
    severity: 'low',
    tool: 'forecast',
    location: { file: 'server/main.py', line: 18, column: 26 },
  });
  // A urllib Request built first and opened after: its URL is the destination, named where the request is built.
  expect(findingWith(bundle, 'code-network', 'Endpoint api.github.com (urllib.request.Request() in tool "release_notes")')).toMatchObject({ severity: 'info' });
  expect(findingWith(bundle, 'code-network', 'requests.get() connects to a URL taken from the input of tool "fetch_page"')).toMatchObject({
    severity: 'medium',
    tool: 'fetch_page',
    location: { line: 31, column: 12 },
    evidence: 'requests.get(url, timeout=10)',
  });
  expect(findingWith(bundle, 'code-network', 'Endpoint webhook.site (requests.post() in tool "share") is a known drop for stolen data (request catcher)')).toMatchObject({ severity: 'high', tool: 'share' });
  expect(findingWith(bundle, 'code-network', 'Endpoint 45.61.136.7 (socket.create_connection() as soon as the module is loaded): a raw public IP address')).toMatchObject({ severity: 'high', location: { line: 50 } });
  expect(findingWith(bundle, 'code-network', 'uvicorn.run() listens on all network interfaces (host "0.0.0.0")')).toMatchObject({ severity: 'medium', location: { line: 55 } });
  // FastMCP("weather", host="0.0.0.0") then run(transport="sse"): the instance's host, the call's transport.
  expect(findingWith(bundle, 'code-network', 'mcp.server.fastmcp.FastMCP.run() listens on all network interfaces (host "0.0.0.0") as soon as the module is loaded')).toMatchObject({
    severity: 'medium',
    location: { line: 67, column: 5 },
  });
  // `listener.bind(("0.0.0.0", port))` binds; `listener.listen(5)` after it takes a backlog, not a port.
  expect(findingWith(bundle, 'code-network', 'socket.socket.bind() listens on all network interfaces (host "0.0.0.0")')).toMatchObject({ severity: 'medium', location: { line: 60 } });
  expect(findingsOf(bundle, 'code-network')).toHaveLength(8);
  expect(bundle.capabilities).toContain('network');
});

it('ranks a link shortener the code connects to medium and an IP logger with the drops, high; a short link for people is no endpoint', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-python-shady-links');
  // The constant bound to an endpoint name and the call that opens it are one host, two places.
  expect(findingWith(bundle, 'code-network', 'Endpoint tinyurl.com (urllib.request.urlopen() in tool "list_plugins"; 2 places) is a link shortener (TinyURL)')).toMatchObject({ severity: 'medium', location: { line: 14 } });
  expect(findingWith(bundle, 'code-network', 'Endpoint bit.ly (urllib.request.urlopen() in tool "install_plugin") is a link shortener (Bitly)')).toMatchObject({ severity: 'medium', location: { line: 23 } });
  expect(findingWith(bundle, 'code-network', 'Endpoint grabify.link (urllib.request.urlopen() in tool "install_plugin") is a known drop for stolen data (IP logger)')).toMatchObject({ severity: 'high', location: { line: 22 } });
  expect(findingsOf(bundle, 'code-network')).toHaveLength(3);
});

it('stays silent on Python loopback servers, stdio, placeholders, links and a dependency no tool reaches', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/valid-python');
  expect(findingsOf(bundle, 'code-network')).toEqual([]);
  expect(bundle.capabilities).not.toContain('network');
});

// Timer triggers are filled by reachability; until then this case is built by hand.
it('ranks a raw public IP contacted on a timer high, and the same host reached from a tool medium', () => {
  const fetchIp = (triggers: Parameters<typeof callSite>[0]['triggers'], line: number) =>
    callSite({ callee: 'fetch', line, args: [{ labels: [], literal: 'http://45.61.136.7/beat' }], excerpt: "fetch('http://45.61.136.7/beat')", triggers });
  const onTimer = fetchIp([{ kind: 'timer', name: 'setInterval' }], 9);
  const fromTool = { ...fetchIp([{ kind: 'tool', name: 'ping' }], 3), tools: ['ping'] };
  const [finding, ...others] = runRuleOnCode(rule, { calls: [fromTool, onTimer] });
  // Beside the host, each call says it travels in plain HTTP.
  expect(others.map((other) => [other.severity, 'line' in other.location && other.location.line, other.message.includes('over unencrypted HTTP')])).toEqual([['low', 3, true], ['low', 9, true]]);
  // The call that raises it is the one shown, though the tool's comes first in the file.
  expect(finding).toMatchObject({
    severity: 'high',
    message: 'Endpoint 45.61.136.7 (fetch() on a timer (setInterval); 2 places): a raw public IP address, with no name saying who runs it.',
    location: { line: 9 },
    trigger: { kind: 'timer', name: 'setInterval' },
  });
  expect(runRuleOnCode(rule, { calls: [fromTool] })[0]).toMatchObject({ severity: 'medium', location: { line: 3 } });
});

it('is high when a callback scheduled at start-up contacts a raw IP, and names the timer', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-timer');
  expect(findingWith(bundle, 'code-network', 'Endpoint 185.220.101.4')).toMatchObject({
    severity: 'high',
    location: { file: 'server/index.js', line: 4 },
    trigger: { kind: 'timer', name: 'setInterval' },
  });
});

it('credits a URL from tool input that a helper returns only for allowed hosts, and not one the helper returns anyway', async () => {
  for (const [fixture, file, line] of [
    ['invalid-host-allowlist', 'server/index.mjs', 16],
    ['invalid-host-allowlist-python', 'server/main.py', 19],
  ] as const) {
    const bundle = await scanFixture(`fixtures/rules/code-network/${fixture}`);
    const fromInput = findingsOf(bundle, 'code-network').filter((finding) => finding.message.includes('URL taken from the input'));
    expect(fromInput, fixture).toHaveLength(1);
    expect(fromInput[0], fixture).toMatchObject({ severity: 'medium', tool: 'fetch_page', location: { file, line } });
    // The allowed one is still an outbound call, computed at run time: inventory, not a finding above info.
    expect(findingWith(bundle, 'code-network', 'connects to a destination computed at run time in tool "fetch_doc"')).toMatchObject({ severity: 'info' });
  }
});

it('is high when a listener on every interface fetches a URL taken from the request', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-listener-ssrf');
  expect(findingWith(bundle, 'code-network', 'fetch() connects to a URL taken from a request to a network listener (express GET /preview, all interfaces)')).toMatchObject({
    severity: 'high',
    location: { file: 'server/index.js', line: 9 },
    trigger: { kind: 'listener', name: 'express GET /preview', bind: 'all' },
  });
});

it("takes the host from what comes first in a built URL, and a handler's session for server state", async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-listener-lead');
  const fromRequest = findingsOf(bundle, 'code-network').filter((finding) => finding.message.includes('URL taken from a request'));
  // `req.query.service + '/healthz'` and `'https://' + req.query.site + …`: the request writes the host.
  expect(fromRequest.map((finding) => (finding.location as { line?: number } | undefined)?.line)).toEqual([8, 9]);
  expect(fromRequest[0]).toMatchObject({ severity: 'medium', trigger: { kind: 'listener', name: 'express GET /check', bind: 'loopback' } });
  // `settings.mirror + req.query.name`, `req.session.avatarUrl` and a destructured `session`: computed, chosen by no request.
  expect(findingWith(bundle, 'code-network', 'fetch() connects to a destination computed at run time')).toMatchObject({ severity: 'info', location: { line: 15 } });
  expect(findingWith(bundle, 'code-network', 'fetch() connects to a destination computed at run time').message).toContain('and 2 more network calls');
});

it('stays quiet when the request picks only the path on a declared host', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/valid-listener-fetch');
  expect(findingsOf(bundle, 'code-network')).toEqual([]);
});

it('reports each call that reaches a host beyond the local network unencrypted, at low, with its protocol', async () => {
  const node = await scanFixture('fixtures/rules/code-network/invalid-cleartext');
  const inClear = (bundle: typeof node) => findingsOf(bundle, 'code-network').filter((finding) => finding.message.includes(' over unencrypted '));
  expect(inClear(node).map((finding) => ['line' in finding.location && finding.location.line, finding.severity, finding.tool, finding.host])).toEqual([
    [9, 'low', 'latest_reading', 'stations.meteofeed.net'],
    [17, 'low', 'station_list', 'stations.meteofeed.net'],
    [27, 'low', 'watch', 'live.meteofeed.net'],
  ]);
  expect(findingWith(node, 'code-network', 'http.get() talks to stations.meteofeed.net over unencrypted HTTP in tool "station_list"')).toBeDefined();
  expect(findingWith(node, 'code-network', 'new WebSocket() talks to live.meteofeed.net over unencrypted WebSocket')).toBeDefined();

  const python = await scanFixture('fixtures/rules/code-network/invalid-cleartext-python');
  expect(inClear(python).map((finding) => finding.message.replace(/:.*/, ''))).toEqual([
    // A helper's constant default is the URL it fetches when called without one.
    'urllib.request.URLopener.retrieve() talks to files.meteofeed.net over unencrypted FTP in tool "raw_files"',
    'requests.get() talks to archive.meteofeed.net over unencrypted HTTP in tool "daily_summary"',
    'ftplib.FTP() talks to files.meteofeed.net over unencrypted FTP in tool "raw_files"',
    'telnetlib.Telnet() talks to console.meteofeed.net over unencrypted Telnet in tool "station_console"',
    'http.client.HTTPConnection() talks to status.meteofeed.net over unencrypted HTTP in tool "station_status"',
    'http.client.HTTPConnection.request() talks to status.meteofeed.net over unencrypted HTTP in tool "station_status"',
  ]);
});

it('does not call plain HTTP to this machine, a private network or the metadata service unencrypted', () => {
  const fetching = (url: string) => callSite({ callee: 'fetch', args: [{ labels: [], literal: url }], excerpt: `fetch('${url}')`, triggers: [{ kind: 'tool', name: 'sync' }] });
  for (const url of ['http://127.0.0.1:8080/x', 'http://192.168.1.20/api', 'http://nas.local/share', 'http://169.254.169.254/latest/meta-data/']) {
    expect(runRuleOnCode(rule, { calls: [fetching(url)] }).filter((finding) => finding.message.includes('unencrypted'))).toEqual([]);
  }
  expect(runRuleOnCode(rule, { calls: [fetching('http://203.0.113.50/x')] }).filter((finding) => finding.message.includes('unencrypted'))).toHaveLength(1);
});

it('reads a string built with a scheme or a constant start as a URL where an API also takes options, and a value of other constants as options', () => {
  const get = (arg: Record<string, unknown>) =>
    callSite({ callee: 'request.get', args: [{ labels: ['4#0'], ...arg }], excerpt: 'request.get(x)', triggers: [{ kind: 'tool', name: 'proxy' }], taintedBy: ['proxy'], taintedArgs: [0] });
  const steered = (arg: Record<string, unknown>) => runRuleOnCode(rule, { calls: [get(arg)] }).some((finding) => finding.message.includes('URL taken from the input'));
  expect(steered({ parts: ['//'] })).toBe(true);
  expect(steered({ prefix: 'https://', parts: ['https://'] })).toBe(true);
  expect(steered({})).toBe(true);
  // `{ method: 'POST', json: true, body: input }`: an options object whose constants name no destination.
  expect(steered({ parts: ['POST'] })).toBe(false);
});

it('reads a Python request object built from tool input as a destination, and urllib3 proxy managers', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/invalid-python-request');
  expect(findingWith(bundle, 'code-network', 'urllib.request.Request() connects to a URL taken from the input of tool "read_feed"')).toMatchObject({ severity: 'medium', location: { file: 'server/main.py', line: 17 } });
  expect(findingWith(bundle, 'code-network', 'requests.Request() connects to a URL taken from the input of tool "check_link"')).toMatchObject({ severity: 'medium', location: { line: 24 } });
  expect(findingWith(bundle, 'code-network', 'urllib3.ProxyManager.urlopen() connects to a URL taken from the input of tool "check_link"')).toMatchObject({ location: { line: 26 } });
  expect(findingWith(bundle, 'code-network', 'urllib3.ProxyManager() talks to gateway.feedhub.io over unencrypted HTTP')).toMatchObject({ severity: 'low', location: { line: 10 } });
  // `urlopen(Request(page))`: one finding, the request object's; the opener would say it again.
  const fetchPage = findingsOf(bundle, 'code-network').filter((finding) => finding.tool === 'fetch_page');
  expect(fetchPage.map((finding) => finding.message)).toEqual([expect.stringContaining('urllib.request.Request() connects to a URL taken from the input of tool "fetch_page"')]);
});

it('says a request object opened in the file that built it once, where it is built', async () => {
  const bundle = await scanFixture('fixtures/rules/code-network/valid-python-request');
  expect(findingsOf(bundle, 'code-network')).toEqual([]);
});

it("reads axios.request's first argument as a URL or a config, as axios 1 does", () => {
  const fromTool = callSite({ callee: 'axios.request', args: [{ labels: ['7#0'] }], taintedBy: ['fetch_page'], taintedArgs: [0], tools: ['fetch_page'] });
  expect(runRuleOnCode(rule, { calls: [fromTool] })[0]).toMatchObject({ severity: 'medium', message: expect.stringContaining('axios.request() connects to a URL taken from the input of tool "fetch_page"') });
});

it('reports a listener page that writes its request into the markup unescaped, by whom the listener lets in', async () => {
  const node = await scanFixture('fixtures/rules/code-network/invalid-reflected-page');
  const [page, ...others] = findingsOf(node, 'code-network');
  expect(others).toEqual([]);
  expect(page).toMatchObject({ severity: 'low', location: { file: 'server/index.js', line: 12 }, trigger: { kind: 'listener', name: 'http.createServer', bind: 'loopback' } });
  expect(page!.message).toBe(
    "res.end() sends back a web page built from a request to a network listener (http.createServer, loopback) without escaping it: a link that carries script in the request runs that script as the listener's own page, which can call the listener's other routes.",
  );
  const python = await scanFixture('fixtures/rules/code-network/invalid-reflected-page-python');
  const reflected = findingsOf(python, 'code-network').filter((finding) => finding.message.includes('returns as the response'));
  expect(reflected).toHaveLength(1);
  expect(reflected[0]).toMatchObject({ severity: 'low', location: { file: 'server/main.py', line: 15 } });
  expect(reflected[0]!.message).toMatch(/^The web page this function returns as the response is built from a request to a network listener \(flask route \/preview, loopback\)/);
});

it('raises a reflected page to medium on every interface, and leaves tool output and FastAPI returns alone', () => {
  const page = (trigger: Trigger[], callee = 'member:send') =>
    callSite({ callee, args: [{ labels: ['1#0'], prefix: '<p>' }], taintedArgs: [0], excerpt: 'res.send(`<p>${q}</p>`)', inputFrom: trigger, triggers: trigger });
  const all = { kind: 'listener', name: 'express GET /q', bind: 'all' } as const;
  const reflected = (calls: ReturnType<typeof callSite>[]) => runRuleOnCode(rule, { calls }).filter((finding) => /sends back a web page|returns as the response/.test(finding.message));
  expect(reflected([page([all])])[0]!.severity).toBe('medium');
  expect(reflected([page([{ ...all, checked: true }])])[0]!.severity).toBe('low');
  expect(reflected([page([{ kind: 'tool', name: 'render' }])])).toEqual([]);
  expect(reflected([page([{ kind: 'listener', name: 'fastapi GET /q', bind: 'all' }], 'return')])).toEqual([]);
  expect(reflected([page([{ kind: 'listener', name: 'flask route /q', bind: 'all' }], 'return')])).toHaveLength(1);
  // Input that went through an escaper of a package or of the bundle is text.
  expect(reflected([{ ...page([all]), args: [{ labels: ['1#0~3:10:escapeHtml'], prefix: '<p>' }] }])).toEqual([]);
});
