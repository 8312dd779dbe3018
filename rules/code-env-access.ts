import type { CallSite } from '../src/analysis/model/code-facts.js';
import { isMailSender, networkApi } from '../src/analysis/catalog/network.js';
import { environmentName, SOURCES } from '../src/analysis/catalog/sources.js';
import { atCallSite } from '../src/engine/call-site.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, quoteList } from '../src/engine/wording.js';

// The environment is where an extension's secrets live: Claude Desktop passes the user's API keys
// and tokens to the server as environment variables, next to whatever the user's own shell exported.
// Reading one variable is how configuration works and is not reported. Turning the whole of
// process.env into one string (JSON.stringify, util.inspect) is what stealers do before sending it,
// and what a "debug" tool does before handing every secret to the model: medium. Enumerating it
// (Object.keys/entries/values) is also how configuration loaders pick their prefixed variables: low.
// Passing `{ ...process.env }` as a child process's env is routine and never reported; when the whole
// environment reaches a network sink, code-exfiltration reports it. Only code the server's own
// authors wrote or a tool reaches counts: dependencies read the environment at load time for their
// own settings (debug's DEBUG_* variables).
// Python's twins: os.environ for process.env; `json.dumps(dict(os.environ))`, `str(os.environ)`
// serialise, `os.environ.items()` enumerates (the environment is the method's object, not an argument).
const SERIALISERS = new Set([
  'JSON.stringify', 'util.inspect', 'util.format', 'querystring.stringify', 'Buffer.from', 'v8.serialize',
  'json.dumps', 'json.dump', 'builtins.str', 'builtins.repr', 'pprint.pformat', 'pickle.dumps', 'marshal.dumps', 'yaml.dump', 'yaml.safe_dump', 'urllib.parse.urlencode',
]);
const ENUMERATORS = new Set(['member:keys', 'member:entries', 'member:values', 'Reflect.ownKeys']);
/** Calls that enumerate the environment by their name alone. */
const ENVIRONMENT_ENUMERATORS = new Set(['os.environ.items', 'os.environ.keys', 'os.environ.values', 'os.environb.items', 'os.environb.keys']);

export default defineRule({
  meta: {
    id: 'code-env-access',
    category: 'env-access',
    severity: 'medium',
    description:
      'Server code serialises or enumerates the whole environment (process.env), where the secrets passed to the extension live.',
    remediation:
      'Read the specific variables the server needs (process.env.MY_KEY) instead of the whole environment, and never return or log it.',
    messages: {
      serialises: '{api} serialises the whole environment ({env}, with every secret the server was started with){reach}.',
      enumerates: '{api} enumerates the whole environment ({env}){reach}.',
    },
    docs: {
      why:
        "Claude Desktop passes the extension's API keys and tokens as environment variables, next to everything the user's own " +
        "session exported (cloud credentials, tokens for other tools). Turning the whole of `process.env` into one string " +
        "(`JSON.stringify`, `util.inspect`, `util.format`, `Buffer.from`, `querystring.stringify`, `v8.serialize`) is what " +
        "credential stealers do before sending it, and what a \"debug\" tool does before handing every secret to the model, " +
        "which may repeat it anywhere: medium. Enumerating it (`Object.keys`, `Object.entries`, `Object.values`, " +
        "`Reflect.ownKeys`) is also how configuration loaders pick their prefixed variables: low. Python servers are read the " +
        "same way for `os.environ`: `json.dumps(dict(os.environ))`, `str(os.environ)` (medium), `os.environ.items()` (low).",
      falsePositives:
        "Reading one variable (`process.env.API_KEY`) is how configuration works and is never reported. Passing `{ " +
        "...process.env }` (Python `os.environ.copy()`, `{**os.environ}`) as a child process's environment is routine and not " +
        "reported. When the serialised environment goes " +
        "straight to a network or mail call on the same line, `code-exfiltration` reports it instead, once and at critical. " +
        "Dependencies read the environment at load time for their own settings (the `valid` example's `chatty-log`), so only " +
        "first-party code and code a tool reaches count. An enumeration that filters by a prefix (`MYAPP_`) is benign; the " +
        "excerpt shows the filter.",
      references: [
        { title: 'CWE-526: Cleartext Storage of Sensitive Information in an Environment Variable', url: 'https://cwe.mitre.org/data/definitions/526.html' },
        { title: 'CWE-200: Exposure of Sensitive Information to an Unauthorized Actor', url: 'https://cwe.mitre.org/data/definitions/200.html' },
        { title: 'Node.js: process.env', url: 'https://nodejs.org/api/process.html#processenv' },
      ],
    },
  },
  check({ code }, context) {
    const sinkLines = new Set(code.calls.filter((call) => isSink(call) && carriesWholeEnv(call)).map((call) => `${call.file}:${call.line}`));
    for (const call of code.calls) {
      const serialises = SERIALISERS.has(call.callee);
      const enumerates = ENVIRONMENT_ENUMERATORS.has(call.callee) || (ENUMERATORS.has(call.callee) && carriesWholeEnv(call));
      if (!enumerates && !(serialises && carriesWholeEnv(call))) continue;
      if (call.origin !== 'first-party' && call.tools.length === 0) continue;
      // `fetch(url, { body: JSON.stringify(process.env) })` is exfiltration, reported once, there.
      if (sinkLines.has(`${call.file}:${call.line}`)) continue;
      context.report({
        messageId: serialises ? 'serialises' : 'enumerates',
        data: { api: apiName(call.callee, call.excerpt), env: environmentName(call.file), reach: call.tools.length > 0 ? ` in tool ${quoteList(call.tools)}` : '' },
        severity: serialises ? 'medium' : 'low',
        ...atCallSite(call),
      });
    }
  },
});

function carriesWholeEnv(call: CallSite): boolean {
  return call.args.some((argument) => argument.labels.includes(SOURCES.envAll));
}

function isSink(call: CallSite): boolean {
  const api = networkApi(call.callee);
  return (api !== null && api.kind !== 'listen') || isMailSender(call.callee);
}
