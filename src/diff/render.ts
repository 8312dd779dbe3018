import type { Rule } from '../engine/rule.js';
import { jsonForDisplay } from '../escape.js';
import { renderDiffMarkdown } from './render-markdown.js';
import { renderDiffSarif } from './render-sarif.js';
import { renderDiffText } from './render-text.js';
import type { DiffReport } from './report.js';

export type DiffFormat = 'text' | 'json' | 'sarif' | 'markdown';

/** The diff in one of the scan's formats; JSON is the contract of schema/diff.schema.json. */
export function renderDiff(diff: DiffReport, format: DiffFormat, context: { color: boolean; cwd: string; rules: readonly Rule[] }): string {
  switch (format) {
    case 'json':
      return `${jsonForDisplay(JSON.stringify(diff, null, 2))}\n`;
    case 'sarif':
      return renderDiffSarif(diff, { rules: context.rules, cwd: context.cwd });
    case 'markdown':
      return renderDiffMarkdown(diff);
    case 'text':
      return renderDiffText(diff, { color: context.color });
  }
}
