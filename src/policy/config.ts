import { Ajv } from 'ajv';
import schema from '../../schema/config.schema.json' with { type: 'json' };
import { normalizeAllowedHost } from '../analysis/hosts.js';
import { UsageError } from '../common.js';
import type { Rule } from '../engine/rule.js';
import { readUserJson } from '../user-json.js';
import type { Category, Gate, Severity } from '../report.js';

// The team's policy file (schema/config.schema.json): read from the working directory or from
// --config, validated whole before anything is scanned, and never from inside a bundle: a bundle
// that ships a dxt-audit.config.json or comments addressed to dxt-audit is obeyed in nothing.

export const CONFIG_FILE_NAME = 'dxt-audit.config.json';

export interface Suppression {
  rule: string;
  bundle: string;
  file?: string;
  sha256: string;
  reason: string;
  expires?: string;
}

export interface Policy {
  /** Where it was read from, as given or found. */
  file: string;
  failOn?: Gate;
  allowedHosts: string[];
  allowedPaths: string[];
  rules: Record<string, Severity | 'off'>;
  categories: Partial<Record<Category, Severity>>;
  suppressions: Suppression[];
}

type PolicyFile = Partial<Omit<Policy, 'file'>>;

/**
 * The policy at `explicit` (--config), else dxt-audit.config.json in `cwd`, else none; the rules it
 * names must be among `rules` (`RULES`). Throws UsageError for a file that is missing (when named),
 * unreadable, not JSON, or not valid.
 */
export async function loadPolicy(explicit: string | undefined, cwd: string, rules: readonly Rule[]): Promise<Policy | undefined> {
  const file = explicit ?? CONFIG_FILE_NAME;
  const json = await readUserJson(file, cwd, 'policy file', explicit === undefined);
  if (json === undefined) return undefined;
  return parsePolicy(json, file, rules);
}

/** Checks a parsed policy file against the schema and `rules`, the rules this version has (`RULES`). */
export function parsePolicy(json: unknown, file: string, rules: readonly Rule[]): Policy {
  // Compiled here, once per run, rather than when the module loads: most runs have no policy file.
  const validate = new Ajv({ allErrors: true }).compile<PolicyFile>(schema);
  if (!validate(json)) {
    const problems = (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    throw new UsageError(`the policy file ${file} is not valid: ${problems.join('; ')}`);
  }
  const known = new Set(rules.map((rule) => rule.meta.id));
  const named = [...Object.keys(json.rules ?? {}), ...(json.suppressions ?? []).map((suppression) => suppression.rule)];
  const unknown = [...new Set(named.filter((id) => !known.has(id)))];
  if (unknown.length > 0) throw new UsageError(`the policy file ${file} names rules that do not exist: ${unknown.join(', ')} (see \`dxt-audit rules\`)`);
  const badDates = (json.suppressions ?? []).filter((suppression) => suppression.expires !== undefined && !isCalendarDate(suppression.expires));
  if (badDates.length > 0) throw new UsageError(`the policy file ${file} has expiry dates that are not days of the calendar: ${badDates.map((s) => s.expires).join(', ')}`);
  const hosts = (json.allowedHosts ?? []).map((host) => ({ host, normal: normalizeAllowedHost(host) }));
  const badHosts = hosts.filter(({ normal }) => normal === '').map(({ host }) => JSON.stringify(host));
  if (badHosts.length > 0) throw new UsageError(`the policy file ${file} has allowedHosts that are not host names: ${badHosts.join(', ')}`);
  return {
    file,
    ...(json.failOn === undefined ? {} : { failOn: json.failOn }),
    allowedHosts: hosts.map(({ normal }) => normal),
    allowedPaths: json.allowedPaths ?? [],
    rules: json.rules ?? {},
    categories: json.categories ?? {},
    suppressions: (json.suppressions ?? []).map((suppression) => ({ ...suppression, sha256: suppression.sha256.toLowerCase() })),
  };
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
