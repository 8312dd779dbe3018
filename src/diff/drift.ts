import { compareText } from '../common.js';
import type { BundleReport, Signer } from '../report.js';
import { DRIFT_ASPECTS, type DriftAspect, type DriftItem } from './report.js';
import type { BundleSurface } from './surface.js';

// What changed between two versions beyond their findings: the signature and who signed, the
// publisher, capabilities, tools, hosts, the launch command, user_config, shipped packages and native
// files. Each is compared by its own key (a tool by name, a package by ecosystem and name), so an
// item is added, removed or changed; whitespace alone never makes a change.

/** What a host's drift item says of a host the manifest does not name and --allow-host does not allow. */
export const UNDECLARED_HOST = 'not declared by the manifest';

/** One side: its report, and its surface when its audit got that far (none after our own failure). */
export interface AuditedSide {
  bundle: BundleReport;
  surface: BundleSurface | null;
}

export function driftOf(before: AuditedSide, after: AuditedSide): DriftItem[] {
  const items = [
    ...signatureDrift(before.bundle, after.bundle),
    ...compareKeyed('capability', before.bundle.capabilities, after.bundle.capabilities, (capability) => capability, () => undefined),
  ];
  if (before.surface !== null && after.surface !== null) items.push(...surfaceDrift(before.surface, after.surface));
  const change = ['added', 'changed', 'removed'];
  return items.sort(
    (a, b) =>
      DRIFT_ASPECTS.indexOf(a.aspect) - DRIFT_ASPECTS.indexOf(b.aspect) || change.indexOf(a.change) - change.indexOf(b.change) || compareText(a.subject, b.subject),
  );
}

function surfaceDrift(before: BundleSurface, after: BundleSurface): DriftItem[] {
  return [
    ...compareValue('publisher', 'author', before.publisher, after.publisher),
    ...compareKeyed('tool', before.tools, after.tools, (tool) => tool.name, (tool) => (tool.descriptions.length === 0 ? undefined : tool.descriptions.join(' / '))),
    ...compareKeyed('host', before.hosts, after.hosts, (host) => host.host, (host) => (host.declared ? 'declared' : UNDECLARED_HOST)),
    ...compareKeyed('launch', before.launch, after.launch, (entry) => entry.field, (entry) => entry.value),
    ...compareKeyed('user-config', before.userConfig, after.userConfig, (option) => option.key, (option) => option.type + (option.default === undefined ? '' : `, default ${option.default}`)),
    ...compareKeyed('dependency', before.dependencies, after.dependencies, (entry) => `${entry.ecosystem} ${entry.name}`, (entry) => entry.versions.join(', ')),
    ...compareKeyed('native-file', before.nativeFiles, after.nativeFiles, (file) => file.path, (file) => `${file.description}, sha256 ${file.sha256}`),
  ];
}

/** The signature's status, and the signer when either side has one: a different certificate or subject is a changed signer. */
function signatureDrift(before: BundleReport, after: BundleReport): DriftItem[] {
  const items = compareValue('signature', 'status', before.signature, after.signature);
  const signerBefore = before.signer;
  const signerAfter = after.signer;
  const same = signerBefore?.sha256 === signerAfter?.sha256 && signerBefore?.subject === signerAfter?.subject;
  if (!same) items.push(...compareValue('signer', 'certificate', signerWords(signerBefore), signerWords(signerAfter)));
  return items;
}

function signerWords(signer: Signer | undefined): string | null {
  return signer === undefined ? null : `${signer.subject}, issued by ${signer.issuer}, sha256 ${signer.sha256}`;
}

function compareValue(aspect: DriftAspect, subject: string, before: string | null, after: string | null): DriftItem[] {
  if (before === null) return after === null ? [] : [{ aspect, change: 'added', subject, after }];
  if (after === null) return [{ aspect, change: 'removed', subject, before }];
  return same(before, after) ? [] : [{ aspect, change: 'changed', subject, before, after }];
}

function compareKeyed<T>(aspect: DriftAspect, before: readonly T[], after: readonly T[], key: (item: T) => string, state: (item: T) => string | undefined): DriftItem[] {
  const old = new Map(before.map((item) => [key(item), state(item)]));
  const items: DriftItem[] = [];
  const seen = new Set<string>();
  for (const item of after) {
    const subject = key(item);
    const now = state(item);
    seen.add(subject);
    if (!old.has(subject)) items.push({ aspect, change: 'added', subject, ...(now === undefined ? {} : { after: now }) });
    else if (!same(old.get(subject), now)) {
      const was = old.get(subject);
      items.push({ aspect, change: 'changed', subject, ...(was === undefined ? {} : { before: was }), ...(now === undefined ? {} : { after: now }) });
    }
  }
  for (const [subject, was] of old) if (!seen.has(subject)) items.push({ aspect, change: 'removed', subject, ...(was === undefined ? {} : { before: was }) });
  return items;
}

function same(a: string | undefined, b: string | undefined): boolean {
  const squeeze = (text: string | undefined) => text?.replace(/\s+/g, ' ').trim();
  return squeeze(a) === squeeze(b);
}
