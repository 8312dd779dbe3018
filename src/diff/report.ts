// The public contract of `dxt-audit diff --format json` (docs/diff.md, schema/diff.schema.json).
// Field names here are an interface users script against: rename nothing without bumping schemaVersion.
import type { BundleReport, Finding, Gate, Level, Severity } from '../report.js';

/** One side of the comparison, as its audit saw it. */
export interface DiffSide {
  source: string;
  id: string;
  /** The manifest's version. */
  version: string | null;
  sha256: string | null;
  level: Level;
  score: number;
  complete: boolean;
  incompleteReasons: string[];
  signature: BundleReport['signature'];
}

/** A finding both sides have, whose severity moved: the new side's finding, and the old side's severity. */
export interface ChangedFinding extends Finding {
  previousSeverity: Severity;
}

/** What a drift item is about, in the order every output lists them. */
export const DRIFT_ASPECTS = ['signature', 'signer', 'publisher', 'capability', 'tool', 'host', 'launch', 'user-config', 'dependency', 'native-file'] as const;
export type DriftAspect = (typeof DRIFT_ASPECTS)[number];

/**
 * A change the finding list does not show by itself. `subject` names what changed (a tool, a host,
 * `mcp_config.args`, `npm lodash`); `before` is the old side's state, absent for an addition;
 * `after` the new side's, absent for a removal. Bundle text, raw: each output escapes it.
 */
export interface DriftItem {
  aspect: DriftAspect;
  change: 'added' | 'removed' | 'changed';
  subject: string;
  before?: string;
  after?: string;
}

export interface DiffReport {
  schemaVersion: 1;
  tool: { name: 'dxt-audit'; version: string };
  old: DiffSide;
  new: DiffSide;
  /** Findings the new side has and the old one does not (one per extra copy), in the new report's order. */
  added: Finding[];
  /** Findings the old side has and the new one does not, in the old report's order. */
  removed: Finding[];
  changed: ChangedFinding[];
  /** How many findings both sides have at the same severity. */
  unchanged: number;
  drift: DriftItem[];
  summary: {
    gate: Gate;
    /** An added finding, or a changed one made worse, is at or above the gate (exit code 1). */
    failed: boolean;
    /** dxt-audit itself failed on either side (exit code 3). */
    internalError: boolean;
    added: number;
    removed: number;
    changed: number;
    /** Changed findings whose severity rose. */
    worsened: number;
  };
}
