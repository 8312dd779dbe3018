import { fingerprintCombination } from '../engine/fingerprint.js';
import { SINK_WORDS, type BundleRoles } from '../engine/roles.js';
import { compareText } from '../common.js';
import { shown } from '../escape.js';
import { sentenceCase, toolList } from '../engine/wording.js';
import { severityRank, type Combination } from '../report.js';

// Chains across extensions: a tool of one bundle that reads text strangers write, and a tool of
// another that acts. Both enabled in the same Claude Desktop, the model carries the planted text from
// the first to the second (February 2026: a calendar event, then a shell command). One entry per
// ordered pair of bundles, naming the first source tool and the sink tool of the strongest kind;
// disabled extensions are never paired (they are listed in the report, and can be enabled later).

/** The rule of chains, within one bundle (its own finding) and across bundles (a combination here). */
export const TOXIC_COMBINATION_RULE_ID = 'chain-toxic-combination';

export interface RoleHolder {
  id: string;
  /** How a reader knows the extension: its display name, else its id. */
  name: string;
  /** False for an installed extension the user has disabled. */
  enabled: boolean;
  roles: BundleRoles;
}

export function combineBundles(holders: readonly RoleHolder[]): Combination[] {
  const combinations: Combination[] = [];
  // Fingerprints kept, and each bundle's tools worked out once: a batch of a few hundred bundles
  // makes tens of thousands of pairs, and searching the chains kept for each cost the square of that.
  const kept = new Set<string>();
  const sinkToolsOf = new Map(holders.map((holder) => [holder, strongestSinkTools(holder.roles)]));
  for (const from of holders) {
    const source = from.roles.sources[0];
    if (!from.enabled || source === undefined) continue;
    const sourceTools = [...new Set(from.roles.sources.map((role) => role.tool))];
    for (const to of holders) {
      const sink = to.roles.sinks[0];
      if (to === from || to.id === from.id || !to.enabled || sink === undefined) continue;
      const sinkTools = sinkToolsOf.get(to)!;
      const combination: Omit<Combination, 'fingerprint'> = {
        ruleId: TOXIC_COMBINATION_RULE_ID,
        category: 'toxic-combination',
        severity: sink.severity,
        message:
          `${sentenceCase(source.content)} read by "${shownName(from.name)}" ${toolList(sourceTools.map(shownName))} can steer ` +
          `"${shownName(to.name)}" ${toolList(sinkTools.map(shownName))}, ` +
          `which ${SINK_WORDS[sink.power]}: nothing but the model stands between the two.`,
        bundles: [from.id, to.id],
        source: { bundle: from.id, tool: source.tool, tools: sourceTools, content: source.content, location: source.location },
        sink: { bundle: to.id, tool: sink.tool, tools: sinkTools, power: sink.power, location: sink.location },
      };
      const fingerprint = fingerprintCombination(combination);
      // Two copies of one extension (a downloaded bundle and its installed copy) make one chain, not two.
      if (kept.has(fingerprint)) continue;
      kept.add(fingerprint);
      combinations.push({ ...combination, fingerprint });
    }
  }
  return combinations.sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || compareText(a.source.bundle, b.source.bundle) || compareText(a.sink.bundle, b.sink.bundle),
  );
}

/** The tools of a bundle's strongest kind of sink (its first, as roles are sorted). */
function strongestSinkTools(roles: BundleRoles): string[] {
  const strongest = roles.sinks[0];
  return strongest === undefined ? [] : [...new Set(roles.sinks.filter((role) => role.power === strongest.power).map((role) => role.tool))];
}

/** Names come from bundles: escaped and cut short before they join a message (as the rule engine does). */
function shownName(name: string): string {
  return shown(name, 80);
}
