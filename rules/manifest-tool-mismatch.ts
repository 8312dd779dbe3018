import type { CallSite, CodeFacts, UnnamedRegistrationSite } from '../src/analysis/model/code-facts.js';
import { fileApi, operationOf, zoneOf } from '../src/analysis/catalog/filesystem.js';
import { isMailSender, networkApi } from '../src/analysis/catalog/network.js';
import { processApi } from '../src/analysis/catalog/processes.js';
import { dynamicCodeKind } from '../src/analysis/catalog/dynamic-code.js';
import { defineRule } from '../src/engine/rule.js';
import { apiName, quoteList } from '../src/engine/wording.js';
import { arrayAt, isObject } from '../src/manifest/access.js';
import { serverType } from '../src/manifest/mcp-config.js';
import type { Location, Severity } from '../src/report.js';
import { addToList } from '../src/common.js';

// The manifest's tools[] and prompts[] are what a user is shown before installing; the server's own
// registrations are what the model gets. A tool the code registers and the manifest does not declare
// is a capability nobody was told about: medium when it reaches a kind of sink (programs, code
// evaluation, file changes, the network) that no declared tool reaches, low otherwise, one step
// lower when it is registered only under a setting or client capability, info when the manifest
// says more tools are generated at run time. A declared tool the code does not register is low (the
// manifest promises what the server does not do), info when the code could hide it from this reading
// (names computed at run time, files that did not parse, modules loaded by computed names), and not
// reported at all when there is no code to read or no registration in it is recognised (then the
// declarations are not what is missing: this reading is). Prompts are compared the same way,
// without sinks. When the declared tools cannot all be found, what they reach is unknown, so an
// undeclared tool reaching any sink is medium and the message makes no comparison.
// More than five findings of one kind and severity become one, so that a server whose manifest
// lists a few of its thirty tools gets a line, not a wall.

/** Findings of one kind and severity beyond this many are reported as one. */
const MAX_SEPARATE = 5;

type Kind = 'tool' | 'prompt';

const WORDS: Record<Kind, { What: string; kind: string; list: string; flag: string }> = {
  tool: { What: 'Tool', kind: 'tool', list: 'tools', flag: 'tools_generated' },
  prompt: { What: 'Prompt', kind: 'prompt', list: 'prompts', flag: 'prompts_generated' },
};

/** What a call lets the model do beyond answering, as a message says it. */
type Sink = 'runs programs' | 'evaluates code' | 'changes files' | 'reaches the network' | 'sends mail';

type MessageId =
  | 'undeclared'
  | 'undeclaredConditional'
  | 'undeclaredGenerated'
  | 'undeclaredGroup'
  | 'undeclaredGeneratedGroup'
  | 'missing'
  | 'missingUncertain'
  | 'missingGroup'
  | 'missingUncertainGroup'
  | 'nearMatch';

interface Registration {
  name: string;
  location: Location;
  conditional?: string;
}

interface Declaration {
  name: string;
  index: number;
}

/** One finding before grouping: findings with the same group key may become one. */
interface Item {
  group: string;
  name: string;
  severity: Severity;
  messageId: MessageId;
  data: Record<string, string | number>;
  location: Location;
  /** For an undeclared tool: what it reaches that no declared tool does, for a grouped message. */
  newSinks?: string;
}

export default defineRule({
  meta: {
    id: 'manifest-tool-mismatch',
    category: 'tool-mismatch',
    severity: 'medium',
    description:
      "The tools and prompts the server code registers differ from the manifest's tools[] and prompts[]: undeclared tools (medium when they reach programs, code evaluation, file changes or the network that no declared tool reaches), and declared ones the code does not register.",
    remediation:
      "Declare every tool and prompt the server registers in the manifest, with an honest description, or set tools_generated / prompts_generated when the server builds them at run time; remove declarations the server does not implement.",
    messages: {
      undeclared: '{What} "{name}" is registered in the code but not declared in the manifest\'s {list}{reach}.',
      undeclaredConditional: '{What} "{name}" is registered only when {condition}, and is not declared in the manifest\'s {list}{reach}.',
      undeclaredGenerated: '{What} "{name}" is registered in the code and not listed in the manifest, which says more {list} are generated at run time ({flag}).',
      undeclaredGroup: '{count} {list} registered in the code{condition} are not declared in the manifest\'s {list}: {names}{reach}.',
      undeclaredGeneratedGroup: '{count} {list} registered in the code are not listed in the manifest, which says more are generated at run time ({flag}): {names}.',
      missing: '{What} "{name}" is declared in the manifest but not found in the code dxt-audit can read: the manifest promises a {kind} the server may not offer.',
      missingUncertain: '{What} "{name}" is declared in the manifest but not found in the code dxt-audit can read, {why}.',
      missingGroup: '{count} {list} declared in the manifest are not found in the code dxt-audit can read: {names}.',
      missingUncertainGroup: '{count} {list} declared in the manifest are not found in the code dxt-audit can read, {why}: {names}.',
      nearMatch:
        '{What} "{declared}" is declared in the manifest, but the code registers "{registered}" ({file}): the names differ only in case or in "-" and "_", and clients match them exactly.',
    },
    docs: {
      why:
        "Before installing an extension, a user sees the tools and prompts its manifest declares; once installed, the model " +
        "gets whatever the server registers. A tool the code registers and the manifest leaves out is a capability nobody was " +
        "told about, and the model can call it with the user's privileges. This rule compares the two lists, names matched " +
        "exactly (a declaration differing only in case or in `-` and `_` is one finding with a hint). An undeclared tool is " +
        "medium when it reaches, through its handler, a kind of sink that no declared tool reaches (it starts programs, " +
        "evaluates code, writes, moves or deletes files outside the bundle, or reaches the network or sends mail), low " +
        "otherwise; a tool registered only inside an `if`, `?:`, `&&` or `||` whose test reads the environment, the command " +
        "line, client capabilities or a setting (`process.env.ENABLE_WRITE`, `os.environ`, `config.experimental`) is " +
        "reported as conditional, one step lower; `tools_generated: true` makes the undeclared case info, since the " +
        "manifest says more tools exist. When some declared tools are registered where this reading cannot see them, what " +
        "they reach is unknown, and an undeclared tool reaching any of these sinks is medium. A declared tool that the code " +
        "does not register is low: the manifest promises what the server does not do. More than five findings of one kind and severity are reported as one that lists " +
        "them. Prompts (`server.prompt`, `registerPrompt`, a ListPrompts answer, FastMCP `@mcp.prompt()`) are compared with " +
        "`prompts[]` the same way, with `prompts_generated`.",
      falsePositives:
        "Registrations are read from the code reachable from the entry point: `server.tool`, `registerTool`, `addTool` and " +
        "the names a CallTool dispatch tests or a ListTools answer lists, FastMCP `@mcp.tool()` and `Tool(name=…)` in a " +
        "`list_tools` handler. A declared tool registered under a name computed at run time (`server.registerTool(tool.name, " +
        "…)` in a loop, a CallTool handler that looks tools up in a table, `@mcp.tool(name=NAME)`), or in a file that did not " +
        "parse or a module loaded by a computed name, cannot be told from a missing one: those are reported at info and say " +
        "why. When no tool registration at all is recognised (a stub, a minified server whose request schemas are renamed, a " +
        "framework this rule does not know), or no prompt registration in a server whose tools were not recognised either, " +
        "the declarations are not compared, nor are they for a bundle with no readable server code (a binary server, a " +
        "missing entry point). A condition is recognised only around the registration itself: a " +
        "function that registers tools and is called under a condition is not seen as conditional. Sinks are the calls the " +
        "tool's handler reaches, across the bundle's functions and modules; a tool that reaches a network call through a " +
        "shared client reaches the network, like every other tool using it.",
      references: [
        { title: 'MCPB manifest specification: tools, prompts and the _generated flags (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'Model Context Protocol specification: tools', url: 'https://modelcontextprotocol.io/specification/2025-06-18/server/tools' },
        { title: 'Model Context Protocol specification: prompts', url: 'https://modelcontextprotocol.io/specification/2025-06-18/server/prompts' },
        { title: 'CWE-912: Hidden Functionality', url: 'https://cwe.mitre.org/data/definitions/912.html' },
      ],
    },
  },
  check({ manifest, code }, context) {
    const json = manifest.json;
    if (!isObject(json)) return;
    const type = serverType(json);
    // A binary server, or code that could not be found: nothing to compare the declarations with.
    if ((type !== 'node' && type !== 'python' && type !== 'uv') || code.reachable.length === 0) return;
    const sinks = sinksByTool(code);
    const items = [
      ...compare('tool', declarationsOf(json, 'tools'), toolRegistrations(code), json.tools_generated === true, code, sinks),
      ...compare('prompt', declarationsOf(json, 'prompts'), promptRegistrations(code), json.prompts_generated === true, code, new Map()),
    ];
    const groups = new Map<string, Item[]>();
    for (const item of items) addToList(groups, item.group, item);
    for (const [key, members] of groups) {
      // When every registration has a computed name, one finding says so for every declared name.
      if (key === 'near' || members.length <= (key.endsWith(' unread') ? 1 : MAX_SEPARATE)) {
        for (const item of members) {
          context.report({ messageId: item.messageId, data: item.data, severity: item.severity, location: item.location, ...(key.startsWith('tool undeclared') ? { tool: item.name } : {}) });
        }
        continue;
      }
      context.report({ ...grouped(key, members), ...(key.startsWith('tool undeclared') ? { tools: members.map((item) => item.name) } : {}) });
    }
  },
});

function declarationsOf(json: Record<string, unknown>, list: 'tools' | 'prompts'): Declaration[] {
  return (arrayAt(json, [list]) ?? []).flatMap((entry, index) => (isObject(entry) && typeof entry.name === 'string' ? [{ name: entry.name, index }] : []));
}

/**
 * Each tool once, where it is registered (a `server.tool` call or dispatch branch before a ListTools
 * listing); conditional when any place it is registered or listed is.
 */
function toolRegistrations(code: CodeFacts): Map<string, Registration> {
  const found = new Map<string, Registration>();
  for (const site of [...code.tools, ...code.listedTools]) {
    const known = found.get(site.name);
    const conditional = known?.conditional ?? site.conditional;
    const location = known?.location ?? { file: site.file, line: site.line, column: site.column };
    found.set(site.name, { name: site.name, location, ...(conditional === undefined ? {} : { conditional }) });
  }
  return found;
}

function promptRegistrations(code: CodeFacts): Map<string, Registration> {
  const found = new Map<string, Registration>();
  for (const site of code.prompts) {
    if (found.has(site.name)) continue;
    found.set(site.name, { name: site.name, location: { file: site.file, line: site.line, column: site.column }, ...(site.conditional === undefined ? {} : { conditional: site.conditional }) });
  }
  return found;
}

/** Names that differ only in case or in `-`, `_`, `.` and spaces. */
function looseName(name: string): string {
  return name.toLowerCase().replace(/[-_.\s]+/g, '_');
}

function compare(kind: Kind, declared: Declaration[], registered: Map<string, Registration>, generated: boolean, code: CodeFacts, sinks: Map<string, Map<Sink, CallSite>>): Item[] {
  const words = WORDS[kind];
  const items: Item[] = [];
  const declaredNames = new Set(declared.map(({ name }) => name));
  const undeclared = new Map([...registered].filter(([name]) => !declaredNames.has(name)));
  const missing: Declaration[] = [];
  // Names the manifest declares that the code registers, exactly or loosely: the tools the user was told about.
  const told = new Set(declared.filter(({ name }) => registered.has(name)).map(({ name }) => name));
  // Undeclared registrations by loose name, in the order registered: looked up, not searched, so
  // that thousands of declarations against thousands of registrations cost no square.
  const loosely = new Map<string, Registration[]>();
  for (const registration of undeclared.values()) addToList(loosely, looseName(registration.name), registration);
  for (const declaration of declared) {
    if (registered.has(declaration.name)) continue;
    const twin = loosely.get(looseName(declaration.name))?.shift();
    if (twin === undefined) {
      missing.push(declaration);
      continue;
    }
    undeclared.delete(twin.name);
    told.add(twin.name);
    items.push({
      group: 'near',
      name: declaration.name,
      severity: 'low',
      messageId: 'nearMatch',
      data: { What: words.What, declared: declaration.name, registered: twin.name, file: `${twin.location.file}:${'line' in twin.location ? twin.location.line : ''}` },
      location: { file: 'manifest.json', pointer: `/${words.list}/${declaration.index}` },
    });
  }

  // No registration of this kind recognised at all (a tool-less stub, a minified server whose request
  // schemas are renamed, a framework not read here): nothing to compare the declarations with.
  // Prompts are still compared when the server's tools were read: then it is known how it registers.
  const unnamed = code.unnamedRegistrations.find((site) => site.kind === kind && site.origin === 'first-party');
  const readable = registered.size > 0 || unnamed !== undefined || (kind === 'prompt' && code.tools.length + code.listedTools.length > 0);
  const why = uncertainty(kind, unnamed, code);
  // What the declared tools reach is known only when the code registers all of them where it can be read.
  const toldSinks = missing.length > 0 && why !== null ? null : new Set([...told].flatMap((name) => [...(sinks.get(name)?.keys() ?? [])]));
  for (const registration of undeclared.values()) items.push(undeclaredItem(kind, registration, generated, sinks.get(registration.name), toldSinks));

  for (const declaration of readable ? missing : []) {
    const data = { What: words.What, name: declaration.name, kind: words.kind, ...(why === null ? {} : { why }) };
    items.push({
      // Nothing registered but under computed names: one finding however few the declarations (see check).
      group: `${kind} missing ${why === null ? 'low' : registered.size === 0 ? 'unread' : 'info'}`,
      name: declaration.name,
      severity: why === null ? 'low' : 'info',
      messageId: why === null ? 'missing' : 'missingUncertain',
      data,
      location: { file: 'manifest.json', pointer: `/${words.list}/${declaration.index}` },
    });
  }
  return items;
}

/**
 * `toldSinks`: the kinds of sink the declared tools reach, null when some declared tools could not
 * be found where the code can be read (then every sink counts, and the message claims no comparison).
 */
function undeclaredItem(kind: Kind, registration: Registration, generated: boolean, reached: Map<Sink, CallSite> | undefined, toldSinks: ReadonlySet<Sink> | null): Item {
  const words = WORDS[kind];
  const base = { name: registration.name, location: registration.location };
  const data = { What: words.What, name: registration.name, list: words.list };
  if (generated) {
    return { ...base, group: `${kind} undeclared generated`, severity: 'info', messageId: 'undeclaredGenerated', data: { ...data, flag: words.flag } };
  }
  const all = [...(reached ?? new Map<Sink, CallSite>())];
  const fresh = all.filter(([sink]) => toldSinks === null || !toldSinks.has(sink));
  const reach =
    fresh.length === 0 ? (all.length > 0 ? `; it ${describeSinks(all)}, as declared tools do` : '')
    : toldSinks === null ? `; it ${describeSinks(fresh)}`
    : `; it ${describeSinks(fresh)}, which no declared tool does`;
  const severity: Severity = fresh.length > 0 ? (registration.conditional === undefined ? 'medium' : 'low') : registration.conditional === undefined ? 'low' : 'info';
  const newSinks = fresh.length > 0 ? `"${registration.name}" ${fresh.map(([sink]) => sink).join(' and ')}` : undefined;
  const variant = registration.conditional === undefined ? 'plain' : 'conditional';
  return {
    ...base,
    group: `${kind} undeclared ${variant} ${severity}`,
    severity,
    messageId: registration.conditional === undefined ? 'undeclared' : 'undeclaredConditional',
    data: { ...data, reach, ...(registration.conditional === undefined ? {} : { condition: registration.conditional }) },
    ...(newSinks === undefined ? {} : { newSinks }),
  };
}

/** `runs programs (child_process.exec()) and reaches the network (fetch())`. */
function describeSinks(sinks: ReadonlyArray<[Sink, CallSite]>): string {
  const parts = sinks.map(([sink, call]) => `${sink} (${apiName(call.callee, call.excerpt)})`);
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** Why a declared name may be registered where this reading does not see it; null when nothing hides it. */
function uncertainty(kind: Kind, unnamed: UnnamedRegistrationSite | undefined, code: CodeFacts): string | null {
  if (unnamed !== undefined) return `but the code registers ${WORDS[kind].list} under names computed at run time (${unnamed.file}:${unnamed.line})`;
  const broken = code.parseErrors[0];
  if (broken !== undefined) return `but ${broken.file} could not be parsed and may register it`;
  const loader = code.calls.find((call) => call.origin === 'first-party' && dynamicCodeKind(call) === 'loader');
  if (loader !== undefined) return `but the code loads modules by names computed at run time (${loader.file}:${loader.line}), which may register it`;
  return null;
}

/** One finding for more than MAX_SEPARATE items of one group: a count, the first names, and where the first is. */
function grouped(key: string, members: Item[]): { messageId: MessageId; data: Record<string, string | number>; severity: Severity; location: Location } {
  const first = members[0]!;
  const words = WORDS[key.startsWith('tool') ? 'tool' : 'prompt'];
  const common = { severity: first.severity, location: first.location };
  const data = { count: members.length, list: words.list, names: quoteList(members.map((item) => item.name), 5) };
  if (key.includes(' missing ')) {
    const why = first.data.why;
    const location = { file: 'manifest.json', pointer: `/${words.list}` };
    return why === undefined ? { ...common, location, messageId: 'missingGroup', data } : { ...common, location, messageId: 'missingUncertainGroup', data: { ...data, why } };
  }
  if (key.endsWith(' generated')) return { ...common, messageId: 'undeclaredGeneratedGroup', data: { ...data, flag: words.flag } };
  const fresh = members.flatMap((item) => (item.newSinks === undefined ? [] : [item.newSinks]));
  const reach = fresh.length === 0 ? '' : `; among them ${fresh.slice(0, 3).join(', ')}${fresh.length > 3 ? `, and ${fresh.length - 3} more reach sinks` : ''}`;
  const condition = key.includes(' conditional ') ? ' only under a setting or client capability' : '';
  return { ...common, messageId: 'undeclaredGroup', data: { ...data, reach, condition } };
}

/** For each tool, the first call of each kind of sink its handler reaches. */
function sinksByTool(code: CodeFacts): Map<string, Map<Sink, CallSite>> {
  const byTool = new Map<string, Map<Sink, CallSite>>();
  for (const call of code.calls) {
    if (call.tools.length === 0 && call.taintedBy.length === 0) continue;
    const sink = sinkOf(call);
    if (sink === null) continue;
    for (const tool of new Set([...call.tools, ...call.taintedBy])) {
      const found = byTool.get(tool) ?? new Map<Sink, CallSite>();
      if (!found.has(sink)) found.set(sink, call);
      byTool.set(tool, found);
    }
  }
  return byTool;
}

function sinkOf(call: CallSite): Sink | null {
  if (processApi(call.callee) !== null) return 'runs programs';
  if (dynamicCodeKind(call) !== null) return 'evaluates code';
  const file = fileApi(call.callee);
  if (file !== null) {
    const operation = operationOf(file, call.args);
    if (operation === 'read' || operation === 'list' || operation === 'metadata') return null;
    // A cache or log in the bundle's own folder changes nothing of the user's.
    const outside = file.pathArgs.some((position) => call.args[position] !== undefined && zoneOf(call.args[position]!) !== 'bundle');
    return outside ? 'changes files' : null;
  }
  const network = networkApi(call.callee);
  if (network !== null) return network.kind === 'listen' ? null : 'reaches the network';
  return isMailSender(call.callee) ? 'sends mail' : null;
}
