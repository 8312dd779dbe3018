import { compareText } from '../common.js';
import { bindWords, viaPath } from '../engine/wording.js';
import { SEVERITIES, type BundleReport, type Finding, type FindingTrigger, type Location, type Report } from '../report.js';

// Wording and order that every human-readable reporter shares, so the text and markdown reports of
// one scan list the same extensions in the same order and count the same way. Nothing here escapes:
// each reporter escapes for its own medium.

const LEVELS = ['none', 'low', 'medium', 'high', 'critical'];

/** Bundles worst first: by score, then level, then id; the order of the "Extensions, worst first" tables. */
export function worstFirst(bundles: readonly BundleReport[]): BundleReport[] {
  return [...bundles].sort((a, b) => b.score - a.score || LEVELS.indexOf(b.level) - LEVELS.indexOf(a.level) || compareText(a.id, b.id));
}

/** What a table calls a bundle: its display name, else its id; raw bundle text, to be escaped. */
export function bundleName(bundle: BundleReport): string {
  return (bundle.manifest?.displayName ?? bundle.id) + (bundle.installation?.enabled === false ? ' (disabled)' : '');
}

/**
 * A bundle block's heading, raw: its display name and its id, each once, and its version, then where
 * it was read from, unless that path is one of those names; a bundle known only by its file or folder
 * name (no manifest name) is headed by its path as given. No name shows twice.
 */
export function bundleHeading(bundle: Pick<BundleReport, 'id' | 'source' | 'manifest' | 'installation'>): { title: string; source: string | null } {
  const { manifest } = bundle;
  if ((manifest?.name ?? null) === null && bundle.installation?.kind !== 'configured-server') return { title: bundle.source, source: null };
  const display = manifest?.displayName ?? null;
  const names = display === null || display === bundle.id ? bundle.id : `${display} (${bundle.id})`;
  // A folder scanned from where it lies is named as its manifest is: the path adds nothing then.
  const given = bundle.source.replace(/^\.[\\/]/, '').replace(/[\\/]+$/, '');
  return { title: [names, manifest?.version].filter((part) => part).join(' '), source: given === bundle.id || given === display ? null : bundle.source };
}

export function renderLocation(location: Location): string {
  if ('pointer' in location) return `${location.file}#${location.pointer}`;
  const position = location.line === undefined ? '' : `:${location.line}${location.column === undefined ? '' : `:${location.column}`}`;
  return `${location.file}${position}`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** "3 bundles: 1 critical, 0 high, … · 1 chain across extensions": the counts every summary line starts with. */
export function countsLine(report: Report): string {
  const { summary } = report;
  const counts = [...SEVERITIES].reverse().map((severity) => `${summary.bySeverity[severity]} ${severity}`).join(', ');
  const chains = report.combinations.length;
  return `${plural(summary.bundles, 'bundle')}: ${counts}${chains > 0 ? ` · ${plural(chains, 'chain')} across extensions` : ''}`;
}

export function incompleteCount(report: Report): number {
  return report.bundles.filter((bundle) => !bundle.complete).length;
}

/**
 * What sets a finding's code off, raw (each reporter escapes it): `tool x`, `load` or `load via
 * a → b`, `listener http.createServer (all interfaces)`, `timer setInterval`, `install postinstall`.
 * A load path of one file (the finding's own) is not repeated.
 */
export function triggerLabel(trigger: FindingTrigger): string {
  switch (trigger.kind) {
    case 'load': {
      const via = trigger.via ?? [];
      return via.length <= 1 ? 'load' : `load via ${viaPath(via)}`;
    }
    case 'listener':
      return `${['listener', trigger.name].filter((word) => word !== undefined && word !== '').join(' ')} (${bindWords(trigger.bind ?? 'unknown')}${trigger.checked ? ', Origin or token checked' : ''})`;
    default:
      return trigger.name === undefined ? trigger.kind : `${trigger.kind} ${trigger.name}`;
  }
}

/** The trigger a where-line adds to a finding, or null when it says no more than the finding's tool. */
export function extraTrigger(finding: Pick<Finding, 'tool' | 'trigger'>): string | null {
  const trigger = finding.trigger;
  if (trigger === undefined) return null;
  if (trigger.kind === 'tool' && trigger.name === finding.tool) return null;
  return `trigger: ${triggerLabel(trigger)}`;
}

/** The signature in words, with the signer's common name where one is known; null for folders. Not escaped. */
export function signatureText(bundle: Pick<BundleReport, 'signature' | 'signer'>): string | null {
  const signer = bundle.signer === undefined ? '' : ` by ${commonNameOf(bundle.signer.subject)}`;
  switch (bundle.signature) {
    case 'not-applicable':
      return null;
    case 'unsigned':
      return 'unsigned';
    case 'valid':
      return `signed${signer}`;
    case 'self-signed':
      return `self-signed${signer}`;
    case 'untrusted':
      return `signed${signer}, not trusted`;
    case 'invalid':
      return `signature INVALID${signer === '' ? '' : ` (claims${signer.slice(3)})`}`;
    case 'malformed':
      return 'signature malformed';
  }
}

function commonNameOf(subject: string): string {
  const commonName = /(?:^|, )CN=(.*?)(?:, [A-Z]+=|$)/.exec(subject);
  return commonName === null ? subject : commonName[1]!;
}
