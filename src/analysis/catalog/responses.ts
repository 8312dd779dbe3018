import type { ArgumentFact } from '../model/file-facts.js';

// What a network listener sends back as a web page: a browser renders it in the listener's origin,
// so request input written into it unescaped is reflected cross-site scripting (a link that carries
// script runs it there, and can call the listener's other routes as its own page). Node writes the
// body through the response (`res.send(html)`, `res.end(html)`, `res.write(html)`, Hono's
// `c.html(html)`); Python frameworks take it from a response object (`HttpResponse(html)`,
// `make_response(html)`, `HTMLResponse(html)`), and a Flask or Quart view from what it returns, which
// python/extract.ts records as a call of RETURNED_PAGE when it looks like a page.

/** The callee of the pseudo-call a Python `return` of a page is recorded as (`return` is no name a call can have). */
export const RETURNED_PAGE = 'return';

/** What sends a page, each taking it as its first argument. */
const PAGE_SENDERS: ReadonlySet<string> = new Set([
  'member:send',
  'member:end',
  'member:write',
  'member:html',
  RETURNED_PAGE,
  'django.http.HttpResponse',
  'django.http.response.HttpResponse',
  'flask.make_response',
  'flask.Response',
  'quart.make_response',
  'starlette.responses.HTMLResponse',
  'fastapi.responses.HTMLResponse',
]);

/** Node's senders, by name: the methods on a value of unknown type that rules read only when given a page (catalog/members.ts). */
export const PAGE_SENDER_METHODS: ReadonlySet<string> = new Set([...PAGE_SENDERS].filter((callee) => callee.startsWith('member:')));

/** Frameworks whose views may return the page itself (a string), by the listener names python/listeners.ts gives. */
const RETURNS_PAGES = /^(?:flask|quart) /;

export function returnsPages(listenerName: string): boolean {
  return RETURNS_PAGES.test(listenerName);
}

// A tag as it opens (`<a href=`, `<p>`, `<script`) or closes (`</a>`): not `a < b` or `List<T>` alone.
const TAG = /<\/?[a-z][a-z0-9-]*(?:\s|\/?>|$)/i;

/** Constant text of the value that holds an HTML tag. */
export function looksLikePage(arg: ArgumentFact | undefined): boolean {
  if (arg === undefined) return false;
  const texts = [arg.literal, arg.prefix, ...(arg.parts ?? [])];
  return texts.some((text) => text !== undefined && TAG.test(text));
}

/** The body a call sends as a page, when it is one (looksLikePage); null otherwise. */
export function pageBody(call: { callee: string; args: readonly ArgumentFact[] }): ArgumentFact | null {
  if (!PAGE_SENDERS.has(call.callee)) return null;
  const body = call.args[0];
  return looksLikePage(body) ? body! : null;
}

/**
 * Python functions whose result is the text escaped for HTML (or a URL component, which holds no
 * markup): what went through them is no longer markup. `format_html` escapes its arguments.
 */
export const PYTHON_HTML_ESCAPERS: ReadonlySet<string> = new Set([
  'html.escape', 'markupsafe.escape', 'markupsafe.Markup.escape', 'flask.escape', 'jinja2.escape', 'cgi.escape',
  'django.utils.html.escape', 'django.utils.html.format_html', 'django.utils.html.conditional_escape', 'bleach.clean',
  'xml.sax.saxutils.escape', 'urllib.parse.quote', 'urllib.parse.quote_plus', 'urllib.parse.urlencode',
]);

/** A function of the bundle or a package named as an escaper (`escapeHtml`, `he.encode`, `sanitize`, `encodeURIComponent`), by its last name. */
export function isEscaperName(name: string): boolean {
  return /escape|saniti[sz]e|encode|purify|clean/i.test(name);
}
