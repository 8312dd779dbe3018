// manifest.json -> ManifestFacts: decode, parse, find the version the way the reference validator
// (@anthropic-ai/mcpb 2.1.2) does, and validate against our own strict per-version JSON Schema.
// Never throws: every defect of the file becomes a fact.

import type { ErrorObject } from 'ajv';
import type { VirtualFile } from '../bundle/container.js';
import { compareText } from '../common.js';
import { isObject } from './access.js';
import {
  KNOWN_MANIFEST_VERSIONS,
  type KnownManifestVersion,
  type ManifestFacts,
  type ManifestVersionFacts,
  type SchemaIssue,
} from './facts.js';
import common from './schemas/manifest-common.schema.json' with { type: 'json' };
import v01 from './schemas/manifest-0.1.schema.json' with { type: 'json' };
import v02 from './schemas/manifest-0.2.schema.json' with { type: 'json' };
import v03 from './schemas/manifest-0.3.schema.json' with { type: 'json' };
import v04 from './schemas/manifest-0.4.schema.json' with { type: 'json' };
import dxt from './schemas/manifest-dxt.schema.json' with { type: 'json' };
import { findJsonSyntaxError, firstInvalidUtf8, lineAndColumn } from './syntax.js';
import { dxt as dxtValidator, v0_1, v0_2, v0_3, v0_4 } from './validators.js';

const MANIFEST_FILE = 'manifest.json';

/** A hostile manifest can hold millions of bad values; past this many issues the verdict is clear. */
export const MAX_SCHEMA_ISSUES = 1000;

type Schema = Record<string, unknown>;

const VERSION_SCHEMAS: Record<KnownManifestVersion, Schema> = { '0.1': v01, '0.2': v02, '0.3': v03, '0.4': v04 };

/** An ajv validator: true when the value conforms, else false with the errors left on it. */
interface ManifestValidator {
  (value: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// Validators compiled ahead of time by `npm run generate` (ajv's standalone code, validators.ts):
// compiling one version's schema at start-up cost more than the rest of a small bundle's audit.
const VALIDATORS: Record<KnownManifestVersion | 'dxt', ManifestValidator> = { '0.1': v0_1, '0.2': v0_2, '0.3': v0_3, '0.4': v0_4, dxt: dxtValidator };

const SCHEMAS_BY_ID = new Map<string, Schema>(
  [common, v01, v02, v03, v04, dxt].map((schema): [string, Schema] => [schema.$id, schema]),
);

export function readManifest(files: ReadonlyMap<string, VirtualFile>): ManifestFacts {
  const facts: ManifestFacts = {
    present: false,
    text: null,
    parseError: null,
    json: undefined,
    version: { field: null, raw: undefined, known: null },
    schemaIssues: [],
  };
  const file = files.get(MANIFEST_FILE);
  if (file === undefined) return facts;
  facts.present = true;

  const bom = file.bytes[0] === 0xef && file.bytes[1] === 0xbb && file.bytes[2] === 0xbf;
  const bytes = bom ? file.bytes.subarray(3) : file.bytes;
  const invalidAt = firstInvalidUtf8(bytes);
  if (invalidAt !== -1) {
    const before = new TextDecoder().decode(bytes.subarray(0, invalidAt));
    facts.parseError = { message: 'not valid UTF-8', ...lineAndColumn(before, before.length) };
    return facts;
  }
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  facts.text = text;

  try {
    facts.json = JSON.parse(text);
  } catch (error) {
    // RangeError: nesting deeper than the engine allows. The scanner has no depth limit, so it
    // finds nothing; the whole file is the error's place then.
    const problem = findJsonSyntaxError(text) ?? {
      offset: 0,
      message: error instanceof RangeError ? 'nested too deeply to parse' : 'not valid JSON',
    };
    facts.parseError = { message: problem.message, ...lineAndColumn(text, problem.offset) };
    return facts;
  }

  if (!isObject(facts.json)) return facts;
  facts.version = detectVersion(facts.json);
  const schema = schemaFor(facts.version);
  if (schema !== null) facts.schemaIssues = validate(facts.json, schema);
  return facts;
}

/** Like the reference: the first of manifest_version, dxt_version that holds a known version string. */
export function detectVersion(manifest: Readonly<Record<string, unknown>>): ManifestVersionFacts {
  for (const field of ['manifest_version', 'dxt_version'] as const) {
    const raw = manifest[field];
    if (Object.hasOwn(manifest, field) && isKnownVersion(raw)) return { field, raw, known: raw };
  }
  // Unknown: report the field a reader would look at first.
  for (const field of ['manifest_version', 'dxt_version'] as const) {
    if (Object.hasOwn(manifest, field)) return { field, raw: manifest[field], known: null };
  }
  return { field: null, raw: undefined, known: null };
}

function isKnownVersion(value: unknown): value is KnownManifestVersion {
  return typeof value === 'string' && (KNOWN_MANIFEST_VERSIONS as readonly string[]).includes(value);
}

/**
 * The known version's schema, as the reference picks it (a known dxt_version alone selects that
 * version's schema too). A manifest carrying only an unknown dxt_version string is what DXT-era
 * tooling accepted, so it is checked against that era's schema; other unknown versions are not
 * checked at all, since no schema says what they mean.
 */
function schemaFor(version: ManifestVersionFacts): KnownManifestVersion | 'dxt' | null {
  if (version.known !== null) return version.known;
  // An unknown version names manifest_version whenever that key is present, so this is dxt_version alone.
  return version.field === 'dxt_version' && typeof version.raw === 'string' ? 'dxt' : null;
}

function validate(manifest: unknown, schema: KnownManifestVersion | 'dxt'): SchemaIssue[] {
  const validator = VALIDATORS[schema];
  if (validator(manifest)) return [];
  const issues = (validator.errors ?? [])
    // An anyOf reports each failed branch and then itself; the anyOf error alone says it.
    .filter((error) => !error.schemaPath.includes('/anyOf/'))
    .map(toIssue);
  issues.sort(compareIssues);
  return issues.slice(0, MAX_SCHEMA_ISSUES);
}

function toIssue(error: ErrorObject): SchemaIssue {
  const issue: SchemaIssue = { pointer: error.instancePath, keyword: error.keyword, message: describe(error) };
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    issue.unknownKey = key;
    issue.acceptedBy = KNOWN_MANIFEST_VERSIONS.filter((version) =>
      acceptsKey(VERSION_SCHEMAS[version], parsePointer(error.instancePath), key),
    );
  }
  return issue;
}

/** Messages name only what the schema expects, never the offending value. */
function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const description = (error.parentSchema as Schema | undefined)?.description;
  switch (error.keyword) {
    case 'required':
      return `lacks the required key "${String(params.missingProperty)}"`;
    case 'additionalProperties':
      return 'has a key this manifest version does not define';
    case 'type':
      return `must be ${listOf(String(params.type).split(','), 'or', typeName)}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'enum':
      return `must be one of ${listOf(params.allowedValues as unknown[], 'or', (v) => JSON.stringify(v))}`;
    case 'format':
      return params.format === 'email' ? 'must be an email address' : 'must be an absolute URL';
    case 'pattern':
      return typeof description === 'string' ? `must be ${description}` : 'is not in the expected format';
    case 'minLength':
      return 'must not be empty';
    case 'anyOf':
      return 'must declare manifest_version (or the deprecated dxt_version)';
    default:
      return error.message ?? `fails the ${error.keyword} check`;
  }
}

function typeName(type: string): string {
  return { object: 'an object', array: 'an array', string: 'a string', number: 'a number', boolean: 'a boolean' }[type] ?? type;
}

function listOf<T>(items: readonly T[], conjunction: string, name: (item: T) => string): string {
  const names = items.map(name);
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1)}`;
}

function compareIssues(a: SchemaIssue, b: SchemaIssue): number {
  return (
    compareText(a.pointer, b.pointer) ||
    compareText(a.keyword, b.keyword) ||
    compareText(a.unknownKey ?? '', b.unknownKey ?? '') ||
    compareText(a.message, b.message)
  );
}

function parsePointer(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/**
 * Whether `schema` lets the object at `path` hold `key`, read off the schema alone (not the
 * document): follow properties, additionalProperties and items down the path, then look the key up.
 * Handles exactly the keywords our manifest schemas use.
 */
export function acceptsKey(schema: Schema, path: readonly string[], key: string): boolean {
  let node: Schema | 'anything' | 'nothing' = resolve(schema);
  for (const segment of path) {
    if (node === 'anything' || node === 'nothing') break;
    node = child(node, segment);
  }
  if (node === 'anything' || node === 'nothing') return node === 'anything';
  return child(node, key) !== 'nothing';
}

function child(node: Schema, segment: string): Schema | 'anything' | 'nothing' {
  const properties = node.properties as Record<string, Schema> | undefined;
  if (properties !== undefined && Object.hasOwn(properties, segment)) return resolve(properties[segment]!);
  if (isObject(node.items) && /^(0|[1-9][0-9]*)$/.test(segment)) return resolve(node.items);
  const additional = node.additionalProperties;
  if (additional === false) return 'nothing';
  return isObject(additional) ? resolve(additional) : 'anything';
}

function resolve(node: Schema): Schema {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  const [id = '', fragment = ''] = ref.split('#');
  let target: unknown = SCHEMAS_BY_ID.get(id);
  for (const segment of parsePointer(fragment)) target = isObject(target) ? target[segment] : undefined;
  if (!isObject(target)) throw new Error(`unresolvable $ref ${ref} in a manifest schema`);
  return resolve(target);
}
