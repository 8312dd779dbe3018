import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import semver from 'semver';
import builtinTable from '../../advisories/advisories.json' with { type: 'json' };
import schema from '../../schema/advisories.schema.json' with { type: 'json' };
import { UsageError } from '../common.js';
import { readUserJson } from '../user-json.js';

// The offline advisory table (advisories/advisories.json, schema/advisories.schema.json): known-
// vulnerable and malicious packages, matched against the packages a bundle ships by the rule
// deps-known-advisory. `--advisories FILE` adds entries in the same shape; an entry with the id of
// a built-in one replaces it, so a team can correct a range without waiting for a release.
//
// Ranges are node-semver ranges. npm versions are semver already; PyPI versions (PEP 440) are
// mapped onto semver by `comparableVersion` (epochs and four-part releases are not comparable and
// never match); docs/advisories.md says what that mapping gets wrong.

export type Ecosystem = 'npm' | 'pypi';

export interface Advisory {
  id: string;
  aliases: string[];
  package: string;
  ecosystem: Ecosystem;
  affected: string;
  fixed: string | null;
  severity: 'low' | 'medium' | 'high' | 'critical';
  kind: 'vulnerability' | 'malicious';
  summary: string;
  reference: string;
}

interface AdvisoryFile {
  advisories: Advisory[];
}

const BUILTIN_ADVISORIES_FILE = 'advisories/advisories.json';

let builtin: readonly Advisory[] | undefined;

/**
 * The table shipped with dxt-audit, checked once per thread; a bad entry is our bug and throws. Its
 * shape is held to the schema by the tests, so a scan does not load a schema validator for it.
 */
export function builtinAdvisories(): readonly Advisory[] {
  builtin ??= Object.freeze(checkAdvisories(builtinTable as AdvisoryFile, BUILTIN_ADVISORIES_FILE, (message) => new Error(message)));
  return builtin;
}

/** The built-in table with `extra` added; an extra entry with a built-in id replaces that entry. */
export function advisoryTable(extra: readonly Advisory[] = []): readonly Advisory[] {
  if (extra.length === 0) return builtinAdvisories();
  const replaced = new Set(extra.map((advisory) => advisory.id));
  return [...builtinAdvisories().filter((advisory) => !replaced.has(advisory.id)), ...extra];
}

/** Reads `--advisories FILE`; throws UsageError when it is unreadable, not JSON or not valid. */
export async function loadAdvisories(file: string, cwd: string): Promise<Advisory[]> {
  return parseAdvisories(await readUserJson(file, cwd, 'advisories file'), file);
}

/** Checks a parsed advisories file against the schema, then each range and version. */
export function parseAdvisories(json: unknown, file: string): Advisory[] {
  const fail = (message: string) => new UsageError(message);
  // Loaded and compiled here, on use, rather than when the module loads (as for the policy file).
  const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
  const validate = new Ajv({ allErrors: true }).compile<AdvisoryFile>(schema);
  if (!validate(json)) {
    const problems = (validate.errors ?? []).slice(0, 10).map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
    throw fail(`the advisories file ${file} is not valid: ${problems.join('; ')}`);
  }
  return checkAdvisories(json, file, fail);
}

/** What the schema cannot say: unique ids, ranges and versions that parse, a fixed version outside its range. */
function checkAdvisories(json: AdvisoryFile, file: string, fail: (message: string) => Error): Advisory[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  json.advisories.forEach((advisory, index) => {
    const where = `/advisories/${index} (${advisory.id})`;
    if (seen.has(advisory.id)) problems.push(`${where} repeats the id ${advisory.id}`);
    seen.add(advisory.id);
    if (semver.validRange(advisory.affected) === null) problems.push(`${where} affected "${advisory.affected}" is not a semver range`);
    if (advisory.fixed !== null) {
      const fixed = comparableVersion(advisory.fixed, advisory.ecosystem);
      if (fixed === null) problems.push(`${where} fixed "${advisory.fixed}" is not a version`);
      else if (semver.validRange(advisory.affected) !== null && inRange(fixed, advisory.affected)) {
        problems.push(`${where} fixed version ${advisory.fixed} is inside its own affected range`);
      }
    }
    if (advisory.kind === 'malicious' && advisory.fixed !== null) problems.push(`${where} is malicious but names a fixed version`);
  });
  if (problems.length > 0) throw fail(`the advisories file ${file} is not valid: ${problems.slice(0, 10).join('; ')}`);
  return json.advisories.map((advisory) => ({ ...advisory, aliases: [...advisory.aliases] }));
}

/** The advisories of `table` that cover this package at this version (none when the version is not comparable). */
export function advisoriesFor(table: readonly Advisory[], ecosystem: Ecosystem, name: string, version: string): Advisory[] {
  const key = packageKey(ecosystem, name);
  const candidates = table.filter((advisory) => advisory.ecosystem === ecosystem && packageKey(ecosystem, advisory.package) === key);
  if (candidates.length === 0) return [];
  const comparable = comparableVersion(version, ecosystem);
  if (comparable === null) return [];
  return candidates.filter((advisory) => inRange(comparable, advisory.affected));
}

/** Whether `table` has any advisory for this package name, whatever the version. */
export function hasAdvisories(table: readonly Advisory[], ecosystem: Ecosystem, name: string): Advisory[] {
  const key = packageKey(ecosystem, name);
  return table.filter((advisory) => advisory.ecosystem === ecosystem && packageKey(ecosystem, advisory.package) === key);
}

/** npm names are compared as written; PyPI names after PEP 503 normalisation (case, and runs of `-_.`). */
export function packageKey(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

function inRange(version: string, range: string): boolean {
  // A pre-release of a fixed version is still affected; includePrerelease says so.
  return semver.satisfies(version, range, { includePrerelease: true });
}

// PEP 440: [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local], with the spellings normalisation accepts.
const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i;
const PRE_TAGS: Record<string, string> = { a: 'a', alpha: 'a', b: 'b', beta: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };

/**
 * The version as a strict semver string the ranges can compare, or null. npm versions must be valid
 * semver. PyPI versions map onto semver: the release padded to three parts (a fourth and later part
 * must be zero), `aN`/`bN`/`rcN` to `-a.N`/`-b.N`/`-rc.N`, `.devN` to a pre-release that sorts first,
 * `.postN` and `+local` dropped (a post-release compares equal to its release). Epochs never match.
 */
export function comparableVersion(version: string, ecosystem: Ecosystem): string | null {
  if (version.length > 256) return null;
  if (ecosystem === 'npm') return semver.valid(version);
  const match = PEP440.exec(version.trim());
  if (match === null) return null;
  const [, epoch, release, preTag, preNumber, , , devNumber] = match;
  if (epoch !== undefined && Number(epoch) !== 0) return null;
  const parts = release!.split('.').map((part) => String(Number(part)));
  if (parts.length > 3 && parts.slice(3).some((part) => part !== '0')) return null;
  while (parts.length < 3) parts.push('0');
  const pre: string[] = [];
  if (preTag !== undefined) pre.push(PRE_TAGS[preTag.toLowerCase()]!, String(Number(preNumber || '0')));
  if (devNumber !== undefined) pre.push(...(pre.length === 0 ? ['0', 'dev'] : ['dev']), String(Number(devNumber || '0')));
  // `.postN` and `+local` are dropped: semver has no post-releases, and build metadata never counts.
  const text = `${parts.slice(0, 3).join('.')}${pre.length > 0 ? `-${pre.join('.')}` : ''}`;
  return semver.valid(text);
}
