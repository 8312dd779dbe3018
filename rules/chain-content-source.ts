import type { CallSite, StringSite } from '../src/analysis/model/code-facts.js';
import { contentOfCallee, contentOfHost, contentOfText } from '../src/analysis/catalog/content.js';
import { destinationOf, networkApi } from '../src/analysis/catalog/network.js';
import { hostOfUrl } from '../src/analysis/hosts.js';
import { atCallSite, isReached } from '../src/engine/call-site.js';
import type { BundleFacts } from '../src/engine/facts.js';
import { defineRule, type RuleReport } from '../src/engine/rule.js';
import { apiName, sentenceCase, toolList } from '../src/engine/wording.js';
import { arrayAt, isObject, pointerOf, stringAt } from '../src/manifest/access.js';

// The first half of a connector chain: a tool that hands the model text strangers write (calendar
// invitations, e-mail, chat, issues, shared documents, web pages). Alone it is no risk, hence info;
// next to a tool that acts (chain-toxic-combination, and across bundles `combinations`) it is how a
// crafted calendar event became a shell command in February 2026. Code evidence comes first: a tool
// that reaches a client library or an API host of such a service. A tool's own name and description
// count only for tools the code gives no evidence for, and only when the code shows network use at
// all (or could not be analysed): a "calendar" tool that never touches the network reads no stranger's text.
export default defineRule({
  meta: {
    id: 'chain-content-source',
    category: 'toxic-combination',
    severity: 'info',
    description:
      'A tool brings text third parties write (calendar events, e-mail, chat, issues, shared documents, web pages) into the model\'s context: one half of a toxic combination.',
    remediation:
      'Keep tools that read untrusted content away from tools that run commands, write files or send data, or require approval for every call of the latter.',
    messages: {
      api: '{tools} {bring} {content} into the model\'s context ({how}): whoever can write there can steer what the model does next.',
      described:
        'Described as reading {content} (matching "{word}"): {tools}; the server uses the network, so whoever can write there can steer what the model does next.',
    },
    docs: {
      why:
        "In February 2026 a crafted Google Calendar event, read by a calendar extension when a user asked Claude something " +
        "vague, led the model to call another extension that ran local commands: zero clicks, full code execution, and no " +
        "patch, because nothing stands between reading untrusted data and acting on it. This rule finds the first half of such " +
        "a chain: a tool that brings text strangers write (calendar events, e-mail, chat, issues, shared documents, web pages) " +
        "into the model's context. Info on its own, since reading is not a risk by itself; `chain-toxic-combination` raises it " +
        "when the same bundle can act, and the report's `combinations` when another installed or scanned bundle can.",
      falsePositives:
        "Code evidence comes first: a tool whose handler reaches a client library or an API host of such a service. A tool's " +
        "own name and description count only for tools the code gives no evidence for, and only when the server uses the " +
        "network at all (or its code could not be analysed): a \"calendar\" tool that never touches the network reads no " +
        "stranger's text (the `valid` example). A tool named like a reader (`list-events`) counts when the bundle's own " +
        "description names the service. If a finding names a tool that reads only the user's own data (a personal notes file), " +
        "it is still a source when others can write into that data; judge by who can put text there. One finding per kind of " +
        "content names every tool that reaches it.",
      references: [
        { title: 'CWE-1427: Improper Neutralization of Input Used for LLM Prompting', url: 'https://cwe.mitre.org/data/definitions/1427.html' },
        { title: 'Model Context Protocol specification: tools, security considerations', url: 'https://modelcontextprotocol.io/specification/2025-06-18/server/tools' },
      ],
    },
  },
  check(facts, context) {
    // One finding per kind of content, at its first evidence, naming every tool that reaches one:
    // a GitHub server's thirty tools calling one request helper are one fact.
    const byCode = new Map<string, { tools: Set<string>; how: string; at: Pick<RuleReport<'api'>, 'location' | 'evidence' | 'origin'> }>();
    const add = (tools: readonly string[], content: string, how: string, at: Pick<RuleReport<'api'>, 'location' | 'evidence' | 'origin'>) => {
      const group = byCode.get(content) ?? { tools: new Set<string>(), how, at };
      for (const tool of tools) group.tools.add(tool);
      byCode.set(content, group);
    };
    for (const call of facts.code.calls) {
      const found = contentOfCall(call);
      if (found === null) continue;
      // Only where the first call is: the finding names every tool of the group, not this call's.
      const { location, evidence, origin } = atCallSite(call);
      add(call.tools, found.content, found.how, { location, evidence, origin });
    }
    for (const site of facts.code.strings) {
      const content = contentOfString(site);
      if (content === null) continue;
      add(site.tools, content, `it names ${hostOfUrl(site.value)!.host}`, { location: { file: site.file, line: site.line, column: site.column }, evidence: site.value, origin: site.origin });
    }
    for (const [content, group] of byCode) {
      const tools = [...group.tools];
      context.report({
        messageId: 'api',
        data: { tools: sentenceCase(toolList(tools)), bring: tools.length === 1 ? 'brings' : 'bring', content, how: group.how },
        tools,
        ...group.at,
        roles: [{ kind: 'source', tools, content, basis: 'code' }],
      });
    }
    if (!usesNetwork(facts)) return;
    const withEvidence = new Set([...byCode.values()].flatMap((group) => [...group.tools]));
    const bundleContent = contentOfText(bundleText(facts));
    // One finding per kind of content: a calendar extension's ten readers are one fact.
    const byContent = new Map<string, { tools: string[]; word: string; location: DescribedTool['location'] }>();
    for (const described of describedTools(facts)) {
      if (withEvidence.has(described.name)) continue;
      // Its own words first; else a reader's name (`list-events`) in an extension whose description names the service.
      const found = contentOfText(`${described.name} ${described.description}`) ?? (readsByName(described.name) ? bundleContent : null);
      if (found === null) continue;
      withEvidence.add(described.name);
      const group = byContent.get(found.content) ?? { tools: [], word: found.word, location: described.location };
      group.tools.push(described.name);
      byContent.set(found.content, group);
    }
    for (const [content, group] of byContent) {
      context.report({
        messageId: 'described',
        data: { tools: toolList(group.tools), content, word: group.word },
        tools: group.tools,
        location: group.location,
        roles: [{ kind: 'source', tools: group.tools, content, basis: 'description' }],
      });
    }
  },
});

function contentOfCall(call: CallSite): { content: string; how: string } | null {
  if (call.tools.length === 0) return null;
  const content = contentOfCallee(call.callee);
  if (content !== null) return { content, how: `it calls ${apiName(call.callee, call.excerpt)}` };
  const api = networkApi(call.callee);
  if (api === null || api.kind === 'listen') return null;
  const destination = destinationOf(call.args, api);
  const hostContent = destination === null ? null : contentOfHost(destination.host, destination.path);
  return hostContent === null ? null : { content: hostContent, how: `${apiName(call.callee, call.excerpt)} requests ${destination!.host}` };
}

function contentOfString(site: StringSite): string | null {
  if (site.kind !== 'url' || site.tools.length === 0) return null;
  const destination = hostOfUrl(site.value);
  return destination === null ? null : contentOfHost(destination.host, destination.path);
}

/**
 * Network calls or service clients in code something sets off (a tool, a module's load, a listener,
 * a timer), or in first-party
 * code (tools registered from a generated table are not traced to their calls); or no code analysed
 * to say otherwise.
 */
function usesNetwork(facts: BundleFacts): boolean {
  if (facts.code.reachable.length === 0) return true;
  return facts.code.calls.some((call) => {
    if (!isReached(call) && call.origin !== 'first-party') return false;
    const api = networkApi(call.callee);
    return (api !== null && api.kind !== 'listen') || contentOfCallee(call.callee) !== null;
  });
}

const READER_WORDS = new Set(['list', 'get', 'read', 'search', 'fetch', 'find', 'query', 'retrieve', 'show', 'view', 'browse', 'download']);

/** A tool name with a word that says the tool brings something back: `list-events`, `searchMessages`, `API-retrieve-a-page`. */
function readsByName(name: string): boolean {
  const words = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/);
  return words.some((word) => READER_WORDS.has(word));
}

function bundleText(facts: BundleFacts): string {
  const json = facts.manifest.json;
  return ['name', 'display_name', 'description'].map((key) => stringAt(json, [key]) ?? '').join(' ');
}

interface DescribedTool {
  name: string;
  description: string;
  location: RuleReport<string>['location'];
}

/** Tools the manifest lists and tools the code registers, with what the model is told about them. */
function describedTools(facts: BundleFacts): DescribedTool[] {
  const listed = (arrayAt(facts.manifest.json, ['tools']) ?? []).flatMap((tool, index): DescribedTool[] =>
    isObject(tool) && typeof tool.name === 'string'
      ? [{ name: tool.name, description: typeof tool.description === 'string' ? tool.description : '', location: { file: 'manifest.json', pointer: pointerOf(['tools', index]) } }]
      : [],
  );
  const registered = facts.code.tools.map((tool) => ({ name: tool.name, description: tool.description ?? '', location: { file: tool.file, line: tool.line, column: tool.column } }));
  return [...listed, ...registered];
}
