import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import schema from '../../schema/config.schema.json' with { type: 'json' };
import { normalizeAllowedHost } from '../analysis/hosts.js';
import { UsageError } from '../common.js';
import type { Rule } from '../engine/rule.js';
import { readUserJsonText } from '../user-json.js';
import type { Category, Gate, Severity } from '../report.js';
import { describeProblems, schemaProblems, type PolicyProblem } from './problems.js';

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
 * names must be among `rules()` (`RULES`, loaded only when there is a policy file to check). Throws
 * UsageError for a file that is missing (when named), unreadable, not JSON, or not valid, saying
 * where in the file.
 */
export async function loadPolicy(explicit: string | undefined, cwd: string, rules: () => Promise<readonly Rule[]>): Promise<Policy | undefined> {
  const file = explicit ?? CONFIG_FILE_NAME;
  const read = await readUserJsonText(file, cwd, 'policy file', explicit === undefined);
  if (read === undefined) return undefined;
  return parsePolicy(read.json, file, await rules(), read.text);
}

/**
 * Checks a parsed policy file against the schema and `rules`, the rules this version has (`RULES`).
 * Each problem names its key; given the file's `text`, also where it is (`team.json:9:7`).
 */
export function parsePolicy(json: unknown, file: string, rules: readonly Rule[], text?: string): Policy {
  const invalid = (problems: readonly PolicyProblem[]) => new UsageError(`the policy file is not valid: ${describeProblems(problems, file, text)}`);
  // Loaded and compiled here, once per run, rather than when the module loads: most runs have no policy file.
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  const validate = new Ajv({ allErrors: true, verbose: true }).compile<PolicyFile>(schema);
  if (!validate(json)) throw invalid(schemaProblems(validate.errors ?? [], json));
  const known = new Set(rules.map((rule) => rule.meta.id));
  const suppressions = json.suppressions ?? [];
  const hosts = (json.allowedHosts ?? []).map((host) => ({ host, normal: normalizeAllowedHost(host) }));
  const problems: PolicyProblem[] = [
    ...Object.keys(json.rules ?? {})
      .filter((id) => !known.has(id))
      .map((id) => ({ path: ['rules', id], message: 'no such rule (see `dxt-audit rules`)' })),
    ...suppressions.flatMap((suppression, index) => [
      ...(known.has(suppression.rule) ? [] : [{ path: ['suppressions', index, 'rule'], message: `no rule "${suppression.rule}" (see \`dxt-audit rules\`)` }]),
      ...(suppression.expires === undefined || isCalendarDate(suppression.expires)
        ? []
        : [{ path: ['suppressions', index, 'expires'], message: `"${suppression.expires}" is not a day of the calendar` }]),
    ]),
    ...hosts.flatMap(({ host, normal }, index) => (normal === '' ? [{ path: ['allowedHosts', index], message: `${JSON.stringify(host)} is not a host name` }] : [])),
  ];
  if (problems.length > 0) throw invalid(problems);
  return {
    file,
    ...(json.failOn === undefined ? {} : { failOn: json.failOn }),
    allowedHosts: hosts.map(({ normal }) => normal),
    allowedPaths: json.allowedPaths ?? [],
    rules: json.rules ?? {},
    categories: json.categories ?? {},
    suppressions: suppressions.map((suppression) => ({ ...suppression, sha256: suppression.sha256.toLowerCase() })),
  };
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
}
