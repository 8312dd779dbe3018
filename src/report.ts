// The public report contract (docs/report-format.md, schema/report.schema.json).
// Field names here are an interface users script against: rename nothing without bumping schemaVersion.
import type { Signer } from './bundle/container.js';

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type Gate = Severity | 'none';

/** The gate when neither --fail-on nor the policy file names one. */
export const DEFAULT_GATE: Gate = 'high';
/** What decides the gate: every bundle, or only those named on the command line (not installed ones) and the chains they form. */
export type GateScope = 'all' | 'named';
export type Level = 'none' | 'low' | 'medium' | 'high' | 'critical';

export const CATEGORIES = [
  'archive',
  'manifest',
  'signature',
  'shell-exec',
  'dynamic-code',
  'filesystem',
  'sensitive-path',
  'network',
  'env-access',
  'exfiltration',
  'obfuscation',
  'native-code',
  'install-script',
  'prompt-injection',
  'tool-mismatch',
  'supply-chain',
  'secret',
  'toxic-combination',
  'parse-error',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const CAPABILITIES = [
  'shell',
  'fs-read',
  'fs-write',
  'network',
  'env',
  'dynamic-code',
  'native-code',
  'untrusted-input',
] as const;
export type Capability = (typeof CAPABILITIES)[number];
/**
 * The privilege class of a connector (engine/classify.ts). The public contract has no value for what
 * is not an audited server: a bundle with no readable manifest, or a server configured by hand, gets
 * `transformation` (no capability found); human-readable reports say what it is (reporters/explain.ts).
 */
export type ConnectorClass = 'retrieval' | 'transformation' | 'execution';

/** What a tool that acts lets the model do, strongest first (engine/roles.ts: the sinks of chains). */
export const SINK_POWERS = ['command-execution', 'code-execution', 'file-change', 'send-out'] as const;
export type SinkPower = (typeof SINK_POWERS)[number];

export type Location =
  | { file: string; line?: number; column?: number }
  /** A JSON file: manifest.json, or Claude Desktop's claude_desktop_config.json for servers configured there. */
  | { file: string; pointer: string };

export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  location: Location;
  tool?: string;
  /** Every tool the message names, when it names more than one; `tool` is the first of them. */
  tools?: string[];
  /** For a network endpoint: the host the code connects to. */
  host?: string;
  /** For code findings: what sets the code off, the most exposed when several do (docs/report-format.md). */
  trigger?: FindingTrigger;
  origin?: 'first-party' | 'dependency';
  evidence?: string;
  /** Stable identity across runs (engine/fingerprint.ts): what baselines and SARIF match on. */
  fingerprint: string;
  /** With `--baseline`: whether the baseline already held this finding. */
  baselineState?: BaselineState;
}

export type BaselineState = 'new' | 'unchanged';

/**
 * `tool`: a tool handler (`name`: the tool); `load`: the module's own code as it is imported (`via`:
 * the import path, entry first); `listener`: a network server's handler (`name`: what starts it, `bind`:
 * the interfaces, `checked`: Origin or token checked); `timer`: a scheduled callback (`name`: the scheduler); `install`: a lifecycle script.
 */
export interface FindingTrigger {
  kind: 'tool' | 'load' | 'listener' | 'timer' | 'install';
  name?: string;
  bind?: 'all' | 'loopback' | 'unknown';
  /** A listener whose handlers check the request's Origin header or a secret token. */
  checked?: true;
  via?: string[];
}

/** A finding the policy file's suppression covers: kept out of the gate, the score and `findings`, but listed. */
export interface SuppressedFinding extends Finding {
  suppression: { reason: string; expires?: string };
}

/** A finding as a rule reports it, before the bundle gives it its fingerprint. */
export type RawFinding = Omit<Finding, 'fingerprint'>;

export interface ManifestSummary {
  name: string | null;
  displayName: string | null;
  version: string | null;
  manifestVersion: string | null;
  serverType: string | null;
}

/**
 * An archive's signature: `valid` (verifies and chains to a trusted root), `self-signed`, `untrusted`
 * (chains to no trusted root, expired, or not for code signing), `invalid` (the digest or the signature
 * does not verify, or the block does not cover the archive), `malformed`, `unsigned`; folders are
 * `not-applicable`.
 */
export type SignatureStatus = 'unsigned' | 'valid' | 'self-signed' | 'untrusted' | 'invalid' | 'malformed' | 'not-applicable';

export type { Signer };

export interface BundleReport {
  source: string;
  id: string;
  sha256: string | null;
  manifest: ManifestSummary | null;
  capabilities: Capability[];
  connectorClass: ConnectorClass;
  score: number;
  level: Level;
  complete: boolean;
  /** Why `complete` is false: one plain sentence per gap. Empty when complete. */
  incompleteReasons: string[];
  signature: SignatureStatus;
  /** Who signed, from the signer's certificate, when the block could be verified. */
  signer?: Signer;
  /** Present for installed extensions (`--installed`) and servers configured by hand in Claude Desktop. */
  installation?: Installation;
  findings: Finding[];
  /** Present when the policy file suppressed some of this bundle's findings. */
  suppressed?: SuppressedFinding[];
}

/** What Claude Desktop's own files say about an installed extension; never a userConfig value but granted paths. */
export interface Installation {
  kind: 'extension' | 'configured-server';
  /** A disabled extension is audited and listed, but never paired into a chain. */
  enabled: boolean;
  /** Directories and files the user granted it: its declared filesystem scope. */
  grantedPaths: string[];
  /** Claude Desktop's install registry entry, as far as it could be read. */
  registry: { version?: string; source?: string; signatureStatus?: string; hash?: string } | null;
}

export interface Combination {
  ruleId: string;
  category: 'toxic-combination';
  severity: Severity;
  message: string;
  /** Ids of the source bundle, then the sink bundle. */
  bundles: string[];
  /** The first tool that reads untrusted content, every such tool, what they read ("calendar events"), and where the first shows it. */
  source: { bundle: string; tool?: string; tools: string[]; content: string; location?: Location };
  /** The tool that acts, every tool that acts the same way, how, and where its worst finding of that kind is. */
  sink: { bundle: string; tool?: string; tools: string[]; power: SinkPower; location?: Location };
  fingerprint: string;
  baselineState?: BaselineState;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'dxt-audit'; version: string };
  bundles: BundleReport[];
  combinations: Combination[];
  /** With `--installed`: the Claude Desktop data folders read, and what in them could not be read. */
  installed?: { dataDirectories: string[]; problems: string[] };
  /** With a policy file (dxt-audit.config.json or --config): which, and what in it did not apply (unused or expired suppressions). */
  policy?: { file: string; problems: string[] };
  summary: {
    bundles: number;
    bySeverity: Record<Severity, number>;
    gate: Gate;
    failed: boolean;
    /** True when any bundle hit an internal error of dxt-audit itself (exit code 3). */
    internalError: boolean;
    /** With `--baseline`: the file, and how many findings and chains are new, unchanged, or gone since. */
    baseline?: { file: string; new: number; unchanged: number; absent: number };
    /** With `--gate-scope named`: only the bundles named on the command line, and the chains with one of them at either end, decided `failed`. */
    gateScope?: 'named';
  };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function atOrAbove(severity: Severity, gate: Gate): boolean {
  return gate !== 'none' && severityRank(severity) >= severityRank(gate);
}

/** Whether a finding or a chain fails the gate: at or above it, and not already in the baseline. */
export function failsGate(risk: Pick<Finding, 'severity' | 'baselineState'>, gate: Gate): boolean {
  return risk.baselineState !== 'unchanged' && atOrAbove(risk.severity, gate);
}
