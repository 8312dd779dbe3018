import { plural } from '../reporters/common.js';
import { SEVERITIES, type Finding } from '../report.js';
import { UNDECLARED_HOST } from './drift.js';
import { isWorse } from './match.js';
import type { DiffReport, DriftAspect, DriftItem } from './report.js';

// The wording the text and markdown diffs share. Bundle text goes through `quote`, which escapes it
// for the medium and shortens it to the length given; nothing here escapes.

export type Quote = (text: string, maxLength: number) => string;

/** How many names a headline lists per kind of change before "and N more". */
const HEADLINE_NAMES = 3;

const NOUNS: Readonly<Record<DriftAspect, readonly [string, string]>> = {
  signature: ['signature', 'signatures'],
  signer: ['signer', 'signers'],
  publisher: ['publisher', 'publishers'],
  capability: ['capability', 'capabilities'],
  tool: ['tool', 'tools'],
  host: ['host', 'hosts'],
  launch: ['launch field', 'launch fields'],
  'user-config': ['option', 'options'],
  dependency: ['package', 'packages'],
  'native-file': ['native file', 'native files'],
};

/** What a change of an existing item is a change of. */
const CHANGED_NOUNS: Readonly<Partial<Record<DriftAspect, readonly [string, string]>>> = {
  tool: ['tool description', 'tool descriptions'],
  dependency: ['package version', 'package versions'],
};

/** Aspects with one value per bundle: their subject says nothing a reader needs, the values say it all. */
const SINGLE: ReadonlySet<DriftAspect> = new Set(['signature', 'signer', 'publisher']);

/** "This update adds: …" and "It removes: …", each a list of phrases; empty when there is nothing to say. */
export function headline(diff: DiffReport, quote: Quote): { adds: string[]; removes: string[] } {
  const worsened = diff.changed.filter(isWorse);
  const eased = diff.changed.length - worsened.length;
  const adds = [
    ...(diff.added.length > 0 ? [`${plural(diff.added.length, 'new finding')} (${severityCounts(diff.added)})`] : []),
    ...(worsened.length > 0 ? [`${plural(worsened.length, 'finding')} made worse`] : []),
    ...driftPhrases(diff.drift, 'added', quote),
    ...driftPhrases(diff.drift, 'changed', quote),
  ];
  const removes = [
    ...(diff.removed.length > 0 ? [`${plural(diff.removed.length, 'finding')} (${severityCounts(diff.removed)})`] : []),
    ...(eased > 0 ? [`${plural(eased, 'finding')} made less severe`] : []),
    ...driftPhrases(diff.drift, 'removed', quote),
  ];
  return { adds, removes };
}

/** The headline when the update adds nothing: hedged when a side was not audited completely, as a partial audit never looks clean. */
export function nothingAdded(diff: DiffReport): string {
  if (diff.old.complete && diff.new.complete) return 'This update adds nothing dxt-audit can see';
  const which = !diff.old.complete && !diff.new.complete ? 'neither version was' : `the ${diff.new.complete ? 'old' : 'new'} version was not`;
  return `This update adds nothing dxt-audit could see, but ${which} audited completely`;
}

/** One drift item in words, after its change mark: `tool "run": "Runs a command"`, `signer: A → B`. */
export function driftWords(item: DriftItem, quote: Quote): string {
  const what = SINGLE.has(item.aspect) ? NOUNS[item.aspect][0] : `${NOUNS[item.aspect][0]} ${quote(item.subject, 80)}`;
  const value = (text: string | undefined) => (text === undefined ? '(none)' : quote(text, 200));
  if (item.change === 'changed') return `${what}: ${value(item.before)} → ${value(item.after)}`;
  const state = item.change === 'added' ? item.after : item.before;
  return state === undefined ? what : `${what}: ${value(state)}`;
}

/** Findings counted by severity, worst first: `1 critical, 2 low`. */
function severityCounts(findings: readonly Finding[]): string {
  return [...SEVERITIES]
    .reverse()
    .map((severity) => [severity, findings.filter((finding) => finding.severity === severity).length] as const)
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ');
}

function driftPhrases(drift: readonly DriftItem[], change: DriftItem['change'], quote: Quote): string[] {
  const phrases: string[] = [];
  const items = drift.filter((item) => item.change === change);
  for (const aspect of new Set(items.map((item) => item.aspect))) {
    const ofAspect = items.filter((item) => item.aspect === aspect);
    if (SINGLE.has(aspect)) {
      phrases.push(...ofAspect.map((item) => driftWords(item, quote)));
      continue;
    }
    const [one, many] = (change === 'changed' ? CHANGED_NOUNS[aspect] : undefined) ?? NOUNS[aspect];
    const names = ofAspect.slice(0, HEADLINE_NAMES).map((item) => quote(item.subject, 60) + (aspect === 'host' && item.after === UNDECLARED_HOST ? ' (undeclared)' : ''));
    const more = ofAspect.length > HEADLINE_NAMES ? ` and ${ofAspect.length - HEADLINE_NAMES} more` : '';
    phrases.push(`${change === 'changed' ? 'changed ' : ''}${ofAspect.length === 1 ? one : many} ${names.join(', ')}${more}`);
  }
  return phrases;
}
