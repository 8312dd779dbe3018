import { TOXIC_COMBINATION_RULE_ID } from '../src/chains/combine.js';
import { defineRule } from '../src/engine/rule.js';
import { SINK_WORDS, type SinkRole, type SourceRole } from '../src/engine/roles.js';
import { sentenceCase, toolList } from '../src/engine/wording.js';
import { severityRank, SINK_POWERS } from '../src/report.js';

// One bundle holding both halves of a chain: a tool that reads text strangers write and a tool that
// acts on the machine or sends data out. Text planted in the first (a calendar invitation, a web
// page) can make the model call the second; nothing but the model stands between them. One finding
// per kind of action, at the worst severity the rule that found the sink gave it (a shell command
// built from tool input is critical). A tool paired with itself is no chain: that is its own rule's
// finding (a URL fetch that can also send data out is code-network's).
export default defineRule({
  meta: {
    id: TOXIC_COMBINATION_RULE_ID,
    category: 'toxic-combination',
    severity: 'high',
    description:
      'One extension has a tool that reads untrusted content and a tool that runs commands or code, changes files anywhere or sends data out: text planted in the first can steer the second.',
    remediation:
      'Split reading untrusted content and acting on the machine into separate extensions the user enables deliberately, confine the acting tool (allow-lists, declared directories), or require approval for each call of it.',
    readsRoles: true,
    messages: {
      chain:
        '{content} read by {sources} can steer {sinks}, which {power}: text planted there can make the model {act} with nothing but the model in between.',
    },
    docs: {
      why:
        "One bundle holds both halves of a chain: a tool that reads text strangers write and a tool that runs commands or " +
        "code, changes files anywhere or sends data out. Text planted in the first (a calendar invitation, a web page, an " +
        "issue comment) can make the model call the second, and nothing but the model stands between them: the pattern of the " +
        "February 2026 zero-click disclosure, where a calendar event became a shell command. Practitioners' advice is to " +
        "classify connectors as retrieval or execution and to forbid or gate paths from one to the other; this finding is " +
        "where such a path exists inside one extension. Its severity is the worst severity the rule that found the acting tool " +
        "gave it: critical for a shell command built from tool input.",
      falsePositives:
        "A tool paired with itself is no chain; that is its own rule's finding (a URL fetch that can also send data out is " +
        "`code-network`'s), and a bundle with only one tool cannot form a chain (the `valid-one-tool` example). The acting " +
        "tools are those other rules marked as sinks because tool input reaches them: a constant command or a write to a fixed " +
        "path does not make a tool an actor. One finding per kind of action names every tool involved. An extension whose " +
        "acting tool always asks the user for approval first, or is confined to directories the user picked, is far less " +
        "exposed; the finding still stands, as the rule cannot see approval prompts.",
      references: [
        { title: 'CWE-1427: Improper Neutralization of Input Used for LLM Prompting', url: 'https://cwe.mitre.org/data/definitions/1427.html' },
        { title: "CWE-78: Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')", url: 'https://cwe.mitre.org/data/definitions/78.html' },
        { title: 'Model Context Protocol specification: tools, security considerations', url: 'https://modelcontextprotocol.io/specification/2025-06-18/server/tools' },
      ],
    },
  },
  check({ roles }, context) {
    if (roles === undefined || roles.sources.length === 0) return;
    for (const power of SINK_POWERS) {
      const sinks = roles.sinks.filter((sink) => sink.power === power);
      const worst = sinks.sort((a, b) => severityRank(b.severity) - severityRank(a.severity))[0];
      if (worst === undefined) continue;
      const sinkTools = [...new Set(sinks.map((sink) => sink.tool))];
      const sources = roles.sources.filter((source) => !(sinkTools.length === 1 && sinkTools[0] === source.tool));
      if (sources.length === 0) continue;
      context.report({
        messageId: 'chain',
        data: { content: sentenceCase(contentOf(sources)), sources: toolList(toolsOf(sources)), sinks: toolList(sinkTools), power: SINK_WORDS[power], act: ACTS[power] },
        severity: worst.severity,
        location: worst.location,
        tool: worst.tool,
        tools: [...sinkTools, ...toolsOf(sources)],
        evidence: worst.evidence,
      });
    }
  },
});

const ACTS: Record<(typeof SINK_POWERS)[number], string> = {
  'command-execution': 'run a command of the attacker\'s choosing',
  'code-execution': 'run code of the attacker\'s choosing',
  'file-change': 'overwrite or delete the user\'s files',
  'send-out': 'send what it has seen to the attacker',
};

function toolsOf(roles: ReadonlyArray<SourceRole | SinkRole>): string[] {
  return [...new Set(roles.map((role) => role.tool))];
}

/** The kinds of content, each named once: "web pages" is left out beside "web pages at any URL". */
export function contentOf(sources: readonly SourceRole[]): string {
  const named = [...new Set(sources.map((source) => source.content))];
  const contents = named.filter((content) => !named.some((other) => other !== content && other.startsWith(`${content} `)));
  return contents.length === 1 ? contents[0]! : `${contents.slice(0, -1).join(', ')} and ${contents.at(-1)!}`;
}
