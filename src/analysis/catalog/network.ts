// Network APIs by canonical callee (see CallFact.callee), and where each takes its destination:
// a URL argument, an options object (`{ hostname, host, port, url, baseURL }`), or both.

export type NetworkKind = 'http' | 'socket' | 'dns' | 'listen';

export interface NetworkApi {
  kind: NetworkKind;
  /** Position of the URL or host argument, when there is one. */
  urlAt?: number;
  /** Position of an options object that may name the destination. */
  optionsAt?: number;
}

/** `fetch(url)`, `http.get(url | options)`, `axios(url | config)`: a URL or an options object first. */
const URL_FIRST: NetworkApi = { kind: 'http', urlAt: 0, optionsAt: 0 };

const APIS: Readonly<Record<string, NetworkApi>> = {
  fetch: URL_FIRST,
  'node-fetch': URL_FIRST,
  'undici.fetch': URL_FIRST,
  'undici.request': URL_FIRST,
  'undici.stream': URL_FIRST,
  'http.get': URL_FIRST,
  'http.request': URL_FIRST,
  'https.get': URL_FIRST,
  'https.request': URL_FIRST,
  'http2.connect': URL_FIRST,
  axios: URL_FIRST,
  'axios.request': { kind: 'http', optionsAt: 0 },
  'axios.create': { kind: 'http', optionsAt: 0 },
  'axios.get': URL_FIRST,
  'axios.delete': URL_FIRST,
  'axios.head': URL_FIRST,
  'axios.options': URL_FIRST,
  'axios.post': URL_FIRST,
  'axios.put': URL_FIRST,
  'axios.patch': URL_FIRST,
  got: URL_FIRST,
  'got.get': URL_FIRST,
  'got.post': URL_FIRST,
  'got.put': URL_FIRST,
  'got.patch': URL_FIRST,
  'got.delete': URL_FIRST,
  'got.extend': { kind: 'http', optionsAt: 0 },
  'superagent.get': URL_FIRST,
  'superagent.post': URL_FIRST,
  'new XMLHttpRequest': { kind: 'http' },
  'new WebSocket': { kind: 'socket', urlAt: 0 },
  'new ws': { kind: 'socket', urlAt: 0 },
  'new ws.WebSocket': { kind: 'socket', urlAt: 0 },
  'net.connect': { kind: 'socket', optionsAt: 0 },
  'net.createConnection': { kind: 'socket', optionsAt: 0 },
  'tls.connect': { kind: 'socket', optionsAt: 0 },
  'dgram.createSocket': { kind: 'socket' },
  'dns.lookup': { kind: 'dns', urlAt: 0 },
  'dns.resolve': { kind: 'dns', urlAt: 0 },
  'dns.promises.lookup': { kind: 'dns', urlAt: 0 },
  'dns.promises.resolve': { kind: 'dns', urlAt: 0 },
  'dns.resolveTxt': { kind: 'dns', urlAt: 0 },
  'dns.promises.resolveTxt': { kind: 'dns', urlAt: 0 },
  'member:listen': { kind: 'listen' },
};

export function networkApi(callee: string): NetworkApi | null {
  return Object.hasOwn(APIS, callee) ? APIS[callee]! : null;
}
