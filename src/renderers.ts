import { RULES } from './audit-content.js';
import type { Report } from './report.js';
import { renderHtml } from './reporters/html.js';
import { renderJson } from './reporters/json.js';
import { renderMarkdown } from './reporters/markdown.js';
import { renderSarif } from './reporters/sarif.js';
import { renderText } from './reporters/text.js';

// The library's renderers: a report from audit() as each `--format` prints it, byte for byte, with
// the rules of this version (for remediation lines and SARIF's rule table).

/** `--format text`; ANSI colour only when `color` is true. */
export function toText(report: Report, options: { color?: boolean } = {}): string {
  return renderText(report, { color: options.color ?? false, rules: RULES });
}

/** `--format json`: the report, with invisible characters escaped so that printing it hides nothing. */
export function toJson(report: Report): string {
  return renderJson(report);
}

/** `--format sarif`; bundle paths inside `cwd` become relative to it, as the command line makes them relative to the working directory. */
export function toSarif(report: Report, options: { cwd?: string } = {}): string {
  return renderSarif(report, { rules: RULES, ...(options.cwd === undefined ? {} : { cwd: options.cwd }) });
}

/** `--format markdown`: a pull-request comment, within GitHub's size limit. */
export function toMarkdown(report: Report): string {
  return renderMarkdown(report, { rules: RULES });
}

/** `--format html`: one self-contained page that loads nothing and runs no script (docs/html.md). */
export function toHtml(report: Report): string {
  return renderHtml(report, { rules: RULES });
}
