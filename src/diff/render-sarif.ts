import type { Rule } from '../engine/rule.js';
import { renderSarif } from '../reporters/sarif.js';
import { isWorse } from './match.js';
import type { DiffReport } from './report.js';

// SARIF of a diff: the scan's SARIF (reporters/sarif.ts) of the new version, holding only what the
// update brings, the findings it adds (baselineState `new`) and those it makes worse. Removed and
// unchanged findings are left out: this log answers "what does accepting the update add?".

export function renderDiffSarif(diff: DiffReport, options: { rules: readonly Rule[]; cwd?: string }): string {
  const worsened = diff.changed.filter(isWorse);
  const bundle = {
    source: diff.new.source,
    id: diff.new.id,
    sha256: diff.new.sha256,
    incompleteReasons: diff.new.incompleteReasons,
    findings: [...diff.added.map((finding) => ({ ...finding, baselineState: 'new' as const })), ...worsened],
  };
  return renderSarif({ tool: diff.tool, bundles: [bundle], combinations: [], summary: diff.summary }, options);
}
