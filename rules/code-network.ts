import type { CallSite } from '../src/analysis/model/code-facts.js';
import { exfiltrationService, linkShortener, type ExfiltrationService } from '../src/analysis/catalog/exfiltration.js';
import { listenBind } from '../src/analysis/catalog/listeners.js';
import { isEscaperName, pageBody, RETURNED_PAGE, returnsPages } from '../src/analysis/catalog/responses.js';
import { destinationOf, networkApi, opensBuiltRequest, optionsPositions, requestBuilders, type Destination, type NetworkApi } from '../src/analysis/catalog/network.js';
import { classifyHost, declaredHosts, type DeclaredHosts, type HostClass } from '../src/analysis/hosts.js';
import { onlyThrough, REQUEST_LABEL, type ArgumentFact } from '../src/analysis/model/file-facts.js';
import { addToList, compareText } from '../src/common.js';
import { atCallSite, findingTrigger, listenerSeverity, sourceTrigger, worstInput, type ListenerTrigger } from '../src/engine/call-site.js';
import { endpointOf, worthReporting } from '../src/engine/endpoints.js';
import { defineRule, type RuleReport } from '../src/engine/rule.js';
import { apiName, inputWords, quoteList, triggerPhrase, whoWords } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// Where an extension talks to decides what it can leak. Every host the reachable code connects to is
// listed once (info, with how many places), so the report is an inventory rather than a flood; a host
// the manifest does not vouch for is low, a raw public IP or the cloud metadata service medium (a raw
// IP high when a call contacts it as the module loads or on a timer: nobody asked for it), and a
// drop box for stolen data (webhook catchers, chat webhooks, paste sites, tunnels, out-of-band hosts)
// high; what flows there is code-exfiltration's to judge. Two shapes are findings of their own: a
// URL taken from tool input (the model can fetch internal addresses and send data anywhere: medium;
// not when a helper returns the URL only after checking its host against a set or list of allowed
// hosts, throwing otherwise: CallSite.allowedArgs), and a server bound to every interface (other machines can reach it, as in CVE-2025-49596: medium).
// A listener that sends back a web page with its request's input written in unescaped is reflected
// cross-site scripting (catalog/responses.ts): medium on every interface, lower on loopback or an
// unknown bind, and again when the handler checks the Origin or a token (listenerSeverity).
// Each call that reaches a host beyond this machine and its network unencrypted (an `http://`, `ws://`
// or `ftp://` URL, Node's `http` module, `HTTPConnection`, `ftplib.FTP`, `telnetlib.Telnet`) is low:
// whoever sits on the path reads the credentials sent and can swap what comes back, code included.
// Hosts come from call sites, and from first-party URL constants that are bound to endpoint names
// (`API_URL`, `baseURL`) or are exfiltration services or raw IPs; dependency constants are not
// endpoints by themselves. Library internals nothing sets off (no tool, load, listener or timer) are not reported.
export default defineRule({
  meta: {
    id: 'code-network',
    category: 'network',
    severity: 'info',
    description:
      'Hosts the server code connects to (inventory); undeclared hosts, raw IPs and known exfiltration services above it, URLs taken from tool input, connections that travel unencrypted, and servers listening on all interfaces.',
    remediation:
      'Declare the hosts the extension talks to in its manifest (homepage, documentation or support URLs) or allow them with --allow-host; bind local servers to 127.0.0.1; validate URLs from tool input against an allow-list; use https, wss or FTP over TLS for hosts beyond this machine.',
    messages: {
      declared: 'Endpoint {host}{where}: a host the manifest declares or --allow-host allows.',
      local: 'Endpoint {host}{where}, on this machine.',
      undeclared: 'Endpoint {host}{where}: a host the manifest does not declare.',
      private: 'Endpoint {host}{where}: a private-network address the manifest does not declare.',
      rawIp: 'Endpoint {host}{where}: a raw public IP address, with no name saying who runs it.',
      metadata: "Endpoint {host}{where}: the cloud instance metadata service, which hands out the machine's cloud credentials.",
      exfiltrationService: 'Endpoint {host}{where} is a known drop for stolen data ({service}): whoever holds the URL receives what is sent there.',
      shortener: 'Endpoint {host}{where} is a link shortener ({service}): the URL does not say where it leads, and whoever owns the link can point it elsewhere at any time.',
      computed: '{api} connects to a destination computed at run time{reach}{more}.',
      urlFromInput: '{api} connects to a URL taken from the input of tool {tools}: the model can make the server request any address, internal services included, and send data anywhere.',
      urlFromListener: '{api} connects to a URL taken from {input}: {who} can make the server request any address, internal services included.',
      listensOnAll: '{api} listens on all network interfaces{how}{reach}: other machines on the network can connect to it.',
      cleartext: '{api} talks to {host} over unencrypted {protocol}{reach}: anyone on the network path can read what is sent, credentials included, and change what comes back.',
      reflectedPage:
        "{api} sends back a web page built from {input} without escaping it: a link that carries script in the request runs that script as the listener's own page, which can call the listener's other routes.",
      reflectedReturn:
        "The web page this function returns as the response is built from {input} without escaping it: a link that carries script in the request runs that script as the listener's own page, which can call the listener's other routes.",
    },
    docs: {
      why:
        "Where an extension talks to decides what it can leak. Every host the reachable code connects to is listed once with " +
        "how many places use it (info), so the report is an inventory rather than a flood. Low: a host the manifest does not " +
        "vouch for, or a private-network address. Medium: a raw public IP (no name says who runs it; high when a call " +
        "contacts it as soon as a module is loaded or on a timer, with nobody asking, which is how droppers and beacons are " +
        "written); the cloud metadata " +
        "service (169.254.169.254), which hands out the machine's cloud credentials; a URL taken from tool input, with which " +
        "the model can make the server request internal addresses and send data anywhere (server-side request forgery), the " +
        "same from a network listener's request (high when it takes connections on every interface: anyone on the network " +
        "can make the server fetch internal addresses; lower on loopback and when its handler checks the Origin or a token); and a " +
        "server listening on all interfaces, so that other machines on the network can reach it, as the MCP Inspector proxy " +
        "did (CVE-2025-49596); in Python, `uvicorn.run(app, host=\"0.0.0.0\")`, `sock.bind((\"\", port))`, or a FastMCP " +
        "server on the SSE or HTTP transport with such a host; a link shortener the code connects to (`bit.ly`, `tinyurl.com`: the " +
        "link hides where it leads and its owner can retarget it after review; a short link merely written in text for people is " +
        "not an endpoint, and the shorteners' own APIs, such as `api-ssl.bitly.com`, are not listed). High: a known drop for stolen data (webhook catchers, chat webhooks, paste sites, tunnels, " +
        "out-of-band interaction hosts, IP loggers such as `grabify.link`); what flows there is `code-exfiltration`'s to judge. Low, at each call: a connection " +
        "that travels unencrypted to a host beyond this machine and its local network (an `http://`, `ws://` or `ftp://` URL, " +
        "Node's `http` module, Python's `HTTPConnection`, urllib3's `HTTPConnectionPool`, `ftplib.FTP`, `telnetlib.Telnet`): " +
        "whoever sits on the path (a café network, a hostile router) reads the tokens sent and can replace what comes back, " +
        "a download or a script included. A Python request object (`urllib.request.Request(url)`, `requests.Request(\"GET\", url)`) " +
        "is a destination where it is built, for it is made to be opened, wherever that happens; an opener sending one built " +
        "in the same file does not say it again. urllib3's pool and proxy managers count too (`ProxyManager(proxy_url)` " +
        "goes through the proxy it names). A network listener that sends back a web page (`res.send`, `res.end`, `res.write`, " +
        "Hono's `c.html`; Django's `HttpResponse`, Flask's `make_response` or a view's returned string, `HTMLResponse`) " +
        "with its request's input written into the markup unescaped: reflected cross-site scripting, medium on every " +
        "interface, low on loopback or an unknown bind (a local OAuth callback page, say), one step lower when its handler " +
        "checks the Origin or a token.",
      falsePositives:
        "A host counts as declared when the manifest names it (homepage, documentation, support, repository URLs) or " +
        "`--allow-host` allows it, subdomains included; declared hosts stay at info. Placeholder hosts (`example.com`) are " +
        "ignored, and loopback addresses are listed as on this machine, at info. URL constants count only in first-party code " +
        "and only when bound to an endpoint-like name (`API_URL`, `baseURL`, `webhook`) or when they are a raw IP or a drop " +
        "service (also named without its scheme, `'abc.oast.fun/track'`; other bare dotted names are file or package names), so links in help text are not endpoints. A dependency's update checker that nothing sets off (no tool, no " +
        "module load, no listener, no timer) is silent (the `valid` example's `tiny-updater`). A constant raw IP written at " +
        "module level is not raised by itself: only a call contacting the host as the module loads or on a timer is. A " +
        "server bound to `127.0.0.1`, a Unix socket or a named pipe is not reported, nor " +
        "is a Python server left on its default host (uvicorn, FastMCP and Flask bind 127.0.0.1) or FastMCP on stdio, nor " +
        "one whose host is computed at run time (`process.env.HOST || 'localhost'`). Plain HTTP to loopback, private-network " +
        "addresses (`192.168.1.20`, `nas.local`) and the metadata service, which offer nothing else, is not called unencrypted, " +
        "nor is a call whose scheme is not known where it is written. A URL from tool input is not reported " +
        "when it goes through a function of the bundle that returns it only after looking its host up in a set or list of " +
        "allowed hosts and throws (or returns nothing) otherwise (`if (!ALLOWED.has(url.hostname)) throw …; return url.href`, " +
        "`if parsed.hostname not in ALLOWED_HOSTS: raise …`), in whichever module it is written; a helper that only logs an " +
        "unexpected host does not count. Nor is input that only extends a URL something else starts: in " +
        "`config.base + req.query.path` the host is the configuration's (the destination is listed as computed at run time), " +
        "and an Express handler's `req.session` is what the server stored, not what the client sent. Undeclared hosts are common in " +
        "legitimate extensions (an API the manifest forgot to name); the finding is a prompt to check that the host belongs to " +
        "the service the extension wraps. A page is not called reflected when what is put into it went through an HTML escaper " +
        "(`html.escape`, `markupsafe.escape`, `format_html`, `urllib.parse.quote`; in Node any function named like one: " +
        "`escapeHtml`, `he.encode`, `encodeURIComponent`, `sanitize`), nor a string a FastAPI or Starlette view returns " +
        "(sent as JSON), nor a tool's output (the model reads it as text).",
      references: [
        { title: 'CWE-918: Server-Side Request Forgery (SSRF)', url: 'https://cwe.mitre.org/data/definitions/918.html' },
        { title: 'CWE-1327: Binding to an Unrestricted IP Address', url: 'https://cwe.mitre.org/data/definitions/1327.html' },
        { title: 'CVE-2025-49596: MCP Inspector proxy reachable without authentication', url: 'https://nvd.nist.gov/vuln/detail/CVE-2025-49596' },
        { title: 'Node.js: server.listen and the default host', url: 'https://nodejs.org/api/net.html#serverlisten' },
      ],
    },
  },
  check({ code, manifest, settings }, context) {
    const declared = declaredHosts(manifest.json, settings.allowedHosts);
    const fileOrder = new Map(code.reachable.map((file, index) => [file, index]));
    const hosts = new Map<string, HostUse>();
    const computed = new Map<string, CallSite[]>();
    const fromInput: CallSite[] = [];
    const inClear: Array<{ call: CallSite; destination: Destination }> = [];
    const builders = requestBuilders(code.calls);
    for (const call of code.calls) {
      const api = networkApi(call.callee);
      if (api === null || !worthReporting(call) || opensBuiltRequest(call, api, builders)) continue;
      if (api.kind === 'listen') {
        // Python's `sock.listen(5)` takes a backlog, not a port: binding is `bind`'s (catalog/network.ts).
        if (call.callee === 'member:listen' && /\.pyw?$/i.test(call.file)) continue;
        const { bind, how } = listenBind(call.args, api);
        if (bind === 'all') {
          context.report({ messageId: 'listensOnAll', data: { api: apiName(call.callee, call.excerpt), how, reach: triggerPhrase(call.triggers) }, severity: 'medium', ...atCallSite(call) });
        }
        continue;
      }
      const destination = destinationOf(call.args, api);
      if (destination === null && urlFromInput(call, api)) {
        fromInput.push(call);
      } else if (destination === null) {
        addToList(computed, call.file, call);
      } else {
        addUse(hosts, destination, {
          file: call.file,
          line: call.line,
          at: atCallSite(call),
          where: ` (${apiName(call.callee, call.excerpt)}${triggerPhrase(call.triggers)}`,
          order: [0, fileOrder.get(call.file) ?? -1, call.line, call.column],
          unattended: call.triggers.some((trigger) => trigger.kind === 'load' || trigger.kind === 'timer'),
        });
        if (destination.cleartext !== undefined && beyondLocalNetwork(destination.host)) inClear.push({ call, destination });
      }
    }
    for (const site of code.strings) {
      const destination = endpointOf(site);
      if (destination === null) continue;
      addUse(hosts, destination, {
        file: site.file,
        line: site.line,
        at: { location: { file: site.file, line: site.line, column: site.column }, evidence: site.value, origin: site.origin, tools: site.tools },
        where: ` (named in code${site.key === undefined ? '' : ` as ${site.key}`}`,
        order: [1, fileOrder.get(site.file) ?? -1, site.line, site.column],
        // A constant is written at load; what contacts the host is the call that uses it.
        unattended: false,
      });
    }

    // A library the server hands the URL to (a PDF reader) repeats the server's own finding: a
    // dependency's call is reported only for tools no first-party call already accounts for.
    const covered = new Set(fromInput.filter((call) => call.origin === 'first-party').flatMap((call) => call.taintedBy));
    for (const call of fromInput) {
      if (call.taintedBy.length === 0) {
        // From a network listener's request: anyone it lets in picks what the server fetches.
        const worst = worstInput(call, 'medium', 'high')!;
        context.report({
          messageId: 'urlFromListener',
          data: { api: apiName(call.callee, call.excerpt), input: inputWords(worst.source), who: whoWords(worst.source) },
          severity: worst.severity,
          ...atCallSite(call),
          trigger: sourceTrigger(worst.source),
        });
        continue;
      }
      if (call.origin === 'dependency' && call.taintedBy.every((tool) => covered.has(tool))) continue;
      context.report({
        messageId: 'urlFromInput',
        data: { api: apiName(call.callee, call.excerpt), tools: quoteList(call.taintedBy) },
        severity: 'medium',
        ...atCallSite(call),
        // What comes back is any page on the web; what goes out can carry anything the model saw.
        roles: [
          { kind: 'source', tools: call.taintedBy, content: 'web pages at any URL', basis: 'code' },
          { kind: 'sink', tools: call.taintedBy, power: 'send-out' },
        ],
      });
    }
    for (const [host, use] of [...hosts].sort(([a], [b]) => compareText(a, b))) {
      const verdict = judgeHost(host, use, declared);
      if (verdict === null) continue;
      const sites = use.sites.sort((a, b) => compareOrder(a.order, b.order));
      // Raised for a call nobody asked for: that call is the one to show.
      const first = (verdict.unattended ? sites.find((site) => site.unattended) : undefined) ?? sites[0]!;
      context.report({
        messageId: verdict.messageId,
        data: { host, where: `${first.where}${use.sites.length > 1 ? `; ${use.sites.length} places` : ''})`, service: verdict.service ?? '' },
        severity: verdict.severity,
        ...first.at,
        host,
      });
    }
    for (const { call, listener } of reflectedPages(code.calls)) {
      context.report({
        messageId: call.callee === RETURNED_PAGE ? 'reflectedReturn' : 'reflectedPage',
        data: { api: apiName(call.callee, call.excerpt), input: inputWords({ kind: 'listener', listener }) },
        severity: listenerSeverity('medium', listener),
        ...atCallSite(call),
        trigger: findingTrigger(listener),
      });
    }
    for (const { call, destination } of inClear) {
      context.report({
        messageId: 'cleartext',
        data: { api: apiName(call.callee, call.excerpt), host: destination.host, protocol: destination.cleartext!, reach: triggerPhrase(call.triggers) },
        severity: 'low',
        ...atCallSite(call),
        host: destination.host,
      });
    }
    for (const calls of computed.values()) {
      const [first, ...others] = calls;
      context.report({
        messageId: 'computed',
        data: { api: apiName(first!.callee, first!.excerpt), reach: triggerPhrase(first!.triggers), more: others.length > 0 ? ` (and ${others.length} more network call${others.length > 1 ? 's' : ''} in this file)` : '' },
        severity: 'info',
        ...atCallSite(first!),
      });
    }
  },
});

type Order = [number, number, number, number];

interface HostUse {
  sites: Array<{
    file: string;
    line: number;
    at: Pick<RuleReport<string>, 'location' | 'evidence' | 'origin' | 'tool' | 'tools' | 'trigger'>;
    where: string;
    order: Order;
    /** A call set off with nobody asking: as the module loads, or on a timer. */
    unattended: boolean;
  }>;
  service?: ExfiltrationService;
}

function addUse(hosts: Map<string, HostUse>, destination: Destination, site: HostUse['sites'][number]): void {
  const use = hosts.get(destination.host) ?? { sites: [] };
  // A URL literal written in the call that uses it is one place, not two.
  if (use.sites.some((known) => known.file === site.file && known.line === site.line)) return;
  use.sites.push(site);
  use.service ??= exfiltrationService(destination.host, destination.path);
  hosts.set(destination.host, use);
}

function compareOrder(a: Order, b: Order): number {
  for (let index = 0; index < a.length; index++) if (a[index] !== b[index]) return a[index]! - b[index]!;
  return 0;
}

type HostMessage = 'declared' | 'local' | 'undeclared' | 'private' | 'rawIp' | 'metadata' | 'exfiltrationService' | 'shortener';

/**
 * How much a host says; `unattended`: the verdict is raised because a call contacts it as the module
 * loads or on a timer, with nobody asking (a raw IP: what droppers and beacons are written with).
 */
function judgeHost(host: string, use: HostUse, declared: DeclaredHosts): { messageId: HostMessage; severity: Severity; service?: string; unattended?: true } | null {
  const kind: HostClass = classifyHost(host);
  if (kind === 'placeholder') return null;
  if (kind === 'loopback' || kind === 'unspecified') return { messageId: 'local', severity: 'info' };
  if (declared.covers(host)) return { messageId: 'declared', severity: 'info' };
  const unattended = use.sites.some((site) => site.unattended);
  if (use.service) return { messageId: 'exfiltrationService', severity: 'high', service: use.service.service, ...(unattended ? { unattended: true as const } : {}) };
  if (kind === 'metadata') return { messageId: 'metadata', severity: 'medium' };
  const shortener = linkShortener(host);
  if (shortener) return { messageId: 'shortener', severity: 'medium', service: shortener.service };
  if (kind === 'public-ip') return unattended ? { messageId: 'rawIp', severity: 'high', unattended: true } : { messageId: 'rawIp', severity: 'medium' };
  if (kind === 'private') return { messageId: 'private', severity: 'low' };
  return { messageId: 'undeclared', severity: 'low' };
}

/** Hosts whose traffic crosses networks nobody here controls: not this machine, a private network or the metadata service (plain HTTP only). */
function beyondLocalNetwork(host: string): boolean {
  return !['loopback', 'unspecified', 'private', 'metadata'].includes(classifyHost(host));
}

/**
 * Tool input decides the host: it reaches the URL (or the options' url/host), no constant fixes the
 * host first, and no helper checked the host against a list of allowed hosts (CallSite.allowedArgs).
 */
function urlFromInput(call: CallSite, api: NetworkApi): boolean {
  if (call.taintedBy.length === 0 && !call.inputFrom.some((trigger) => trigger.kind === 'listener')) return false;
  const positions = [api.urlAt, api.optionsAt, api.hostAt, api.addressAt, ...optionsPositions(call.args, api)].filter((position): position is number => position !== undefined);
  return positions.some((position) => call.taintedArgs.includes(position) && !call.allowedArgs?.includes(position) && carriesDestination(call.args[position], api, position));
}

/** A label that may be input: a parameter (tool input once a handler is known) or a listener's request; other sources are not. */
function isInput(label: string): boolean {
  return !label.startsWith('@') || label === REQUEST_LABEL;
}

const DESTINATION_KEYS = ['url', 'baseURL', 'baseUrl', 'base_url', 'prefixUrl', 'origin', 'hostname', 'host'];

function carriesDestination(argument: ArgumentFact | undefined, api: NetworkApi, position: number): boolean {
  if (argument === undefined || argument.function) return false;
  // Python's `(host, port)`: the host is the first element.
  if (position === api.addressAt && argument.properties === undefined) return (argument.elements?.[0]?.labels ?? argument.labels).some((label) => !label.startsWith('@'));
  if (argument.properties !== undefined) {
    // An options object: tool input must come through a destination property and through nothing else,
    // or a tainted body would pass for a tainted host.
    const labelled = argument.propertyLabels ?? {};
    const keys = Object.keys(labelled);
    const parameters = (key: string) => (labelled[key] ?? []).filter((label) => !label.startsWith('@'));
    return keys.some((key) => DESTINATION_KEYS.includes(key) && parameters(key).length > 0)
      && keys.every((key) => DESTINATION_KEYS.includes(key) || parameters(key).length === 0);
  }
  if (position !== api.urlAt && position !== api.hostAt) return false;
  // `config.base + input`: what comes first fixes the host, and the input is not it.
  if (argument.leadLabels !== undefined && !argument.leadLabels.some(isInput)) return false;
  // Where either a URL or an options object is accepted, a value built from constants none of which is a URL is an
  // options object; not a string with a constant start, nor one built with a scheme or `//` (`"//" + host`).
  if (api.urlAt === api.optionsAt && argument.prefix === undefined && (argument.parts?.length ?? 0) > 0 && !(argument.parts ?? []).some((part) => part.includes('//'))) return false;
  return true;
}

/**
 * First-party pages a listener's request fills (catalog/responses.ts), with the most exposed such
 * listener: a view's returned string only where the framework sends it as the page (Flask, Quart).
 * Input that only reaches the page through an escaper of the bundle or a package (its label carries
 * the call, see Label) is written as text, not markup.
 */
function reflectedPages(calls: readonly CallSite[]): Array<{ call: CallSite; listener: ListenerTrigger }> {
  const found: Array<{ call: CallSite; listener: ListenerTrigger }> = [];
  for (const call of calls) {
    if (call.origin !== 'first-party' || !call.taintedArgs.includes(0)) continue;
    const body = pageBody(call);
    if (body === null || escapedInput(body)) continue;
    const listener = call.inputFrom.find((trigger): trigger is ListenerTrigger => trigger.kind === 'listener' && (call.callee !== RETURNED_PAGE || returnsPages(trigger.name)));
    if (listener !== undefined) found.push({ call, listener });
  }
  return found;
}

function escapedInput(body: ArgumentFact): boolean {
  return onlyThrough(body.labels, isEscaperName);
}
