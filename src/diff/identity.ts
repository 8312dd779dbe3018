import { escapeText } from '../escape.js';
import type { Finding } from '../report.js';

// A finding's identity between two versions of one extension: what makes it the same problem in
// both, so that an update which only moves code, reformats it or bumps the version adds nothing.
// Unlike the fingerprint (engine/fingerprint.ts), which tells runs of one bundle apart, it leaves out
// the bundle id and the severity (a severity that moves is a change of the same finding, not a new
// one) and the rank among equals (diff counts equals instead, match.ts), and it reads evidence
// loosely: the parts are the rule; the tool, else what sets the code off; the file (with its JSON
// pointer, array positions left out, as a tool inserted before another shifts them); and the
// evidence, else the message, normalised as below.

/** Normalised evidence keeps this many characters: an excerpt is cut at a fixed source length, so a reformatted call shows more or less of itself. */
const EVIDENCE_LENGTH = 80;

export function identityOf(finding: Finding, versions: readonly string[]): string {
  const { location } = finding;
  const place = 'pointer' in location ? `${location.file}#${location.pointer.replace(/\/\d+(?=\/|$)/g, '/*')}` : location.file;
  const detail =
    finding.evidence === undefined
      ? normalised(withoutPositions(finding.message), versions)
      : normalised(finding.evidence, versions).replace(/…$/, '').slice(0, EVIDENCE_LENGTH);
  // NUL never occurs in the parts (report text is escaped), so joined parts cannot collide by shifting.
  return [finding.ruleId, subjectOf(finding), place, detail].join('\u0000');
}

/** The tool whose handler reaches the finding, else its trigger's kind and name (never the import path, which refactoring moves). */
function subjectOf(finding: Finding): string {
  if (finding.tool !== undefined) return `tool ${finding.tool}`;
  const trigger = finding.trigger;
  if (trigger === undefined) return '';
  return trigger.name === undefined ? trigger.kind : `${trigger.kind} ${trigger.name}`;
}

/**
 * Messages that cite a place in a file (`manifest.json cannot be read (… at line 3, column 9)`,
 * `loads modules by computed names (src/index.js:42)`) without the place: the line moves with every edit above it.
 */
function withoutPositions(message: string): string {
  return message
    .replace(/\blines? \d+(?:[-–]\d+)?(?:, column \d+)?/g, 'line')
    .replace(/\bcolumn \d+/g, 'column')
    .replace(/(\.[A-Za-z][\w-]{0,9}):\d+(?::\d+)?\b/g, '$1');
}

/**
 * The text without what formatting or a release changes: whitespace (escaped newlines and tabs
 * included, as report text carries them), the quote style, and the two bundles' own version strings.
 */
function normalised(text: string, versions: readonly string[]): string {
  let result = text;
  for (const version of versions) result = result.replace(versionPattern(version), '<version>');
  return result.replace(/\\[nrt]|\s+/g, '').replace(/["'`]/g, "'");
}

function versionPattern(version: string): RegExp {
  const literal = escapeText(version).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // Whole versions only, `v1.2.3` included: `1.0.1` is no part of `1.0.15`.
  return new RegExp(`(?<![\\w.])v?${literal}(?![\\w.]*\\d)`, 'g');
}
