// What was learned about manifest.json: its text, whether it parsed, which version it claims and
// which schema issues the validator found. Rules turn these facts into findings.

export const KNOWN_MANIFEST_VERSIONS = ['0.1', '0.2', '0.3', '0.4'] as const;
export type KnownManifestVersion = (typeof KNOWN_MANIFEST_VERSIONS)[number];

export interface ManifestVersionFacts {
  /** Which field supplied the version, or null when neither is present. */
  field: 'manifest_version' | 'dxt_version' | null;
  /** The raw value of that field (any JSON type). */
  raw: unknown;
  /** The version as a known value, or null when missing or unknown. */
  known: KnownManifestVersion | null;
}

export interface SchemaIssue {
  /** JSON pointer to the offending value (the parent object for unknown and missing keys). */
  pointer: string;
  /** ajv keyword: required, type, enum, additionalProperties, pattern, ... */
  keyword: string;
  /** Plain-language description, without bundle-controlled text. */
  message: string;
  /** For `additionalProperties`: the unknown key. */
  unknownKey?: string;
  /** For unknown keys: the known manifest versions whose schema accepts this key at this place. */
  acceptedBy?: KnownManifestVersion[];
}

export interface ManifestFacts {
  /** manifest.json exists at the bundle root. */
  present: boolean;
  /** Decoded text, when present and readable. */
  text: string | null;
  /** JSON syntax error, with 1-based line and column. */
  parseError: { message: string; line: number; column: number } | null;
  /** The parsed value; undefined when missing or unparseable. */
  json: unknown;
  version: ManifestVersionFacts;
  /** Schema issues against the claimed version's schema (strict, the reference validator's rules). */
  schemaIssues: SchemaIssue[];
}
