import path from 'node:path';
import type { Rule, RuleMeta } from '../engine/rule.js';
import { jsonForDisplay } from '../escape.js';
import type { BundleReport, Category, Combination, Finding, Location, Report, Severity, SuppressedFinding } from '../report.js';
import { TOOL_NAME, TOOL_REPOSITORY } from '../version.js';

// SARIF 2.1.0 for code-scanning services (GitHub code scanning, Azure DevOps, SARIF viewers). One run;
// every rule is declared, whether or not it fired, so a service can show what was checked. Locations
// are URI references built from the report alone, one scheme for every file of every bundle, archive
// member or folder file alike: the bundle's path as given (relative to the working directory when it
// lies inside it), then `/` and the entry inside the bundle, a nested artifact of its bundle. No
// timestamps, no machine facts the report does not already hold: the same report always gives the
// same bytes.

export interface SarifOptions {
  /** The rules of the run, each declared in `tool.driver.rules` (results point at them by index). */
  rules: readonly Rule[];
  /** The directory absolute bundle paths are made relative to; without it they stay `file:` URIs. */
  cwd?: string;
}

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

// GitHub reads 9.0 and above as critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

// How often a finding of the category is a real problem. Archive, manifest and signature findings are
// byte-level facts; code findings follow calls the analysis resolved; secrets, obfuscation, exfiltration
// and chains rest on heuristics (entropy, token shapes, what a tool's name and code suggest).
const PRECISION: Readonly<Record<Category, 'very-high' | 'high' | 'medium'>> = {
  archive: 'very-high',
  manifest: 'very-high',
  signature: 'very-high',
  'parse-error': 'very-high',
  'shell-exec': 'high',
  'dynamic-code': 'high',
  filesystem: 'high',
  'sensitive-path': 'high',
  network: 'high',
  'env-access': 'high',
  'native-code': 'high',
  'install-script': 'high',
  'supply-chain': 'high',
  exfiltration: 'medium',
  obfuscation: 'medium',
  'prompt-injection': 'medium',
  'tool-mismatch': 'medium',
  secret: 'medium',
  'toxic-combination': 'medium',
};

/** The key of dxt-audit's own fingerprint in `partialFingerprints`; bump the version if its recipe changes. */
export const FINGERPRINT_KEY = 'dxtAuditFinding/v1';

/** Relative URIs are relative to the directory dxt-audit ran in. */
const SRCROOT = '%SRCROOT%';

/** What SARIF reads of a bundle: `dxt-audit diff` hands in the new version holding only the findings it adds. */
export type SarifBundle = Pick<BundleReport, 'source' | 'id' | 'sha256' | 'installation' | 'findings' | 'suppressed' | 'incompleteReasons'>;

/** What SARIF reads of a report. */
export interface SarifReport {
  tool: Report['tool'];
  bundles: readonly SarifBundle[];
  combinations: readonly Combination[];
  summary: Pick<Report['summary'], 'gate' | 'failed' | 'internalError'>;
}

export function renderSarif(report: SarifReport, options: SarifOptions): string {
  const artifacts = new Artifacts();
  const bundleArtifacts = report.bundles.map((bundle) => artifacts.bundle(bundle, options.cwd));
  const places = report.bundles.map((bundle, index) => new BundlePlaces(bundle, bundleArtifacts[index]!, artifacts));
  const ruleIndex: RuleIndex = new Map(options.rules.map(({ meta }, index) => [meta.id, index]));
  const results: SarifResult[] = [];
  report.bundles.forEach((bundle, index) => {
    for (const finding of bundle.findings) results.push(findingResult(finding, places[index]!, ruleIndex));
    for (const finding of bundle.suppressed ?? []) results.push(suppressedResult(finding, places[index]!, ruleIndex));
  });
  for (const combination of report.combinations) results.push(combinationResult(combination, report.bundles, places, ruleIndex));
  const notifications = report.bundles.flatMap((bundle, index) =>
    bundle.incompleteReasons.map((reason) => ({
      level: 'warning',
      message: { text: `${bundle.id} was not fully audited: ${reason}` },
      locations: [{ physicalLocation: { artifactLocation: artifacts.reference(bundleArtifacts[index]!) } }],
    })),
  );
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: sarifDriver(report.tool.version, options.rules, sarifLinks({ name: TOOL_NAME, repository: TOOL_REPOSITORY }, report.tool.version)) },
        invocations: [
          {
            executionSuccessful: !report.summary.internalError,
            ...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
            properties: { gate: report.summary.gate, failed: report.summary.failed },
          },
        ],
        ...(artifacts.usesSrcRoot ? { originalUriBaseIds: { [SRCROOT]: { description: { text: 'The directory dxt-audit ran in.' } } } } : {}),
        artifacts: artifacts.list,
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return `${jsonForDisplay(JSON.stringify(log, null, 2))}\n`;
}

/** `tool.driver`: dxt-audit, its version, where to read more, and every rule of the run. */
export function sarifDriver(version: string, rules: readonly Rule[], links: SarifLinks) {
  return {
    name: 'dxt-audit',
    version,
    semanticVersion: version,
    informationUri: links.informationUri,
    rules: rules.map(({ meta }) => ruleDescriptor(meta, links)),
  };
}

/** Where SARIF points for more: the project's page, and each rule's page at this version. */
export interface SarifLinks {
  informationUri: string;
  helpUri: (ruleId: string) => string;
}

/**
 * The links for package `name` at `version`. With a GitHub repository in package.json (a URL,
 * `git+https://….git`, an npm shorthand `owner/repo` or `github:owner/repo`, or `{ url }`): the
 * repository, and each rule's page, docs/rules/<id>.md, at this version's tag. Otherwise the
 * package as the npm registry publishes it: its npm page (or another https repository, when one
 * is named) and the rule's page in the published package's files (the package ships docs/), by
 * unpkg's address. SARIF allows absolute URIs only here.
 */
export function sarifLinks(pkg: { name: string; repository: unknown }, version: string): SarifLinks {
  const repository = repositoryUrl(pkg.repository);
  if (repository !== null && /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/.test(repository)) {
    return { informationUri: repository, helpUri: (ruleId) => `${repository}/blob/v${version}/${rulePage(ruleId)}` };
  }
  return {
    informationUri: repository ?? `https://www.npmjs.com/package/${pkg.name}`,
    helpUri: (ruleId) => `https://unpkg.com/${pkg.name}@${version}/${rulePage(ruleId)}`,
  };
}

/** package.json's `repository` as an https address, or null when it names none. */
function repositoryUrl(repository: unknown): string | null {
  const written = typeof repository === 'string' ? repository : typeof repository === 'object' && repository !== null ? (repository as { url?: unknown }).url : undefined;
  if (typeof written !== 'string') return null;
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(written);
  const url = (shorthand === null ? written.replace(/^git\+/, '') : `https://github.com/${shorthand[1]}`).replace(/\.git$/, '').replace(/\/+$/, '');
  return /^https:\/\/[^\s/]+(?:\/\S*)?$/.test(url) && !/[^\x21-\x7e]/.test(url) ? url : null;
}

/** The rule's page, as the package ships it. */
function rulePage(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

function ruleDescriptor(meta: RuleMeta<string>, links: SarifLinks) {
  const page = `Rule page: ${rulePage(meta.id)} in the dxt-audit package; \`dxt-audit explain ${meta.id}\` prints it.`;
  return {
    id: meta.id,
    name: meta.id.replace(/(?:^|-)([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()),
    shortDescription: { text: firstClause(meta.description) },
    fullDescription: { text: meta.description },
    helpUri: links.helpUri(meta.id),
    help: {
      text: `${meta.description}\n\nRemediation: ${meta.remediation}\n\n${page}`,
      markdown: `${meta.description}\n\n**Remediation:** ${meta.remediation}\n\n${page}`,
    },
    defaultConfiguration: { level: LEVEL[meta.severity] },
    properties: {
      tags: ['security', meta.category],
      'security-severity': SECURITY_SEVERITY[meta.severity],
      precision: PRECISION[meta.category],
      severity: meta.severity,
    },
  };
}

/** The description up to its first `: ` or `; ` outside parentheses: a title for lists of alerts. */
function firstClause(description: string): string {
  let depth = 0;
  let end = description.length;
  for (let index = 0; index < description.length - 1; index++) {
    const character = description[index]!;
    if (character === '(') depth += 1;
    else if (character === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (character === ':' || character === ';') && description[index + 1] === ' ') {
      end = index;
      break;
    }
  }
  return `${description.slice(0, end).replace(/\.$/, '')}.`;
}

/** Each rule's place in `tool.driver.rules`, by id. */
type RuleIndex = ReadonlyMap<string, number>;

function ruleReference(ruleId: string, ruleIndex: RuleIndex): { ruleId: string; ruleIndex?: number } {
  const index = ruleIndex.get(ruleId);
  return index === undefined ? { ruleId } : { ruleId, ruleIndex: index };
}

function findingResult(finding: Finding, where: BundlePlaces, ruleIndex: RuleIndex): SarifResult {
  return resultOf(finding, [where.of(finding.location)], ruleIndex, {
    ...(finding.tool === undefined ? {} : { tool: finding.tool }),
    ...(finding.trigger === undefined ? {} : { trigger: finding.trigger }),
    ...(finding.origin === undefined ? {} : { origin: finding.origin }),
    ...(finding.evidence === undefined ? {} : { evidence: finding.evidence }),
  });
}

function suppressedResult(finding: SuppressedFinding, where: BundlePlaces, ruleIndex: RuleIndex): SarifResult {
  const { reason, expires } = finding.suppression;
  return {
    ...findingResult(finding, where, ruleIndex),
    suppressions: [{ kind: 'external', status: 'accepted', justification: reason, ...(expires === undefined ? {} : { properties: { expires } }) }],
  };
}

/**
 * A chain across two bundles: located where the reading tool shows it reads untrusted content, in the
 * bundle that reads it; where the acting tool acts, in the other bundle, is its related location.
 * A chain from an older report without those locations points at the bundles themselves.
 */
function combinationResult(combination: Combination, bundles: readonly SarifBundle[], places: readonly BundlePlaces[], ruleIndex: RuleIndex): SarifResult {
  const { source, sink } = combination;
  const at = (side: Combination['source'] | Combination['sink']): SarifLocation | undefined => {
    // Ids can repeat (a folder and its installed copy); a disabled extension is never part of a chain.
    const index = bundles.findIndex((bundle) => bundle.id === side.bundle && bundle.installation?.enabled !== false);
    return index < 0 ? undefined : places[index]!.of(side.location ?? { file: '.' });
  };
  const sourceAt = at(source);
  const sinkAt = at(sink);
  return {
    ...resultOf(combination, sourceAt === undefined ? [] : [sourceAt], ruleIndex, { bundles: combination.bundles, source, sink }),
    ...(sinkAt === undefined
      ? {}
      : { relatedLocations: [{ ...sinkAt, id: 1, message: { text: `Where the extension that acts, ${sink.bundle}, acts${sink.tool === undefined ? '' : ` (tool ${sink.tool})`}` } }] }),
  };
}

type Reported = Pick<Finding, 'ruleId' | 'category' | 'severity' | 'message' | 'fingerprint' | 'baselineState'>;

function resultOf(item: Reported, locations: SarifLocation[], ruleIndex: RuleIndex, properties: Record<string, unknown>): SarifResult {
  return {
    ...ruleReference(item.ruleId, ruleIndex),
    level: LEVEL[item.severity],
    message: { text: item.message },
    ...(locations.length === 0 ? {} : { locations }),
    partialFingerprints: { [FINGERPRINT_KEY]: item.fingerprint },
    ...(item.baselineState === undefined ? {} : { baselineState: item.baselineState }),
    properties: { severity: item.severity, 'security-severity': SECURITY_SEVERITY[item.severity], category: item.category, ...properties },
  };
}

interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
  index: number;
}

interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: { startLine: number; startColumn?: number } };
  logicalLocations?: { name: string; fullyQualifiedName: string; kind: string }[];
  message?: { text: string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex?: number;
  level: 'error' | 'warning' | 'note';
  message: { text: string };
  locations?: SarifLocation[];
  relatedLocations?: (SarifLocation & { id: number })[];
  partialFingerprints: Record<string, string>;
  baselineState?: 'new' | 'unchanged';
  suppressions?: { kind: 'external'; status: 'accepted'; justification: string; properties?: { expires: string } }[];
  properties: Record<string, unknown>;
}

interface SarifArtifact {
  location: { uri: string; uriBaseId?: string };
  parentIndex?: number;
  roles?: string[];
  hashes?: Record<string, string>;
}

/** `run.artifacts`, one per URI: the bundles first, in report order, then the files results point at. */
class Artifacts {
  readonly list: SarifArtifact[] = [];
  private readonly byUri = new Map<string, number>();

  get usesSrcRoot(): boolean {
    return this.list.some((artifact) => artifact.location.uriBaseId === SRCROOT);
  }

  bundle(bundle: SarifBundle, cwd: string | undefined): number {
    const location = bundleLocation(bundle.source, cwd);
    return this.add(location, {
      roles: ['analysisTarget'],
      ...(bundle.sha256 === null ? {} : { hashes: { 'sha-256': bundle.sha256 } }),
    });
  }

  /** A file inside the bundle at `parent`, named by entry path segments that are all plain names. */
  nested(parent: number, segments: readonly string[]): number {
    const base = this.list[parent]!.location;
    const prefix = base.uri === './' ? '' : `${base.uri}/`;
    const location = { ...base, uri: prefix + segments.map(encodeSegment).join('/') };
    return this.add(location, { parentIndex: parent });
  }

  reference(index: number): SarifArtifactLocation {
    return { ...this.list[index]!.location, index };
  }

  private add(location: SarifArtifact['location'], extra: Omit<SarifArtifact, 'location'>): number {
    const known = this.byUri.get(location.uri);
    if (known !== undefined) return known;
    this.list.push({ location, ...extra });
    this.byUri.set(location.uri, this.list.length - 1);
    return this.list.length - 1;
  }
}

/** Where a bundle's findings point, as SARIF locations. */
class BundlePlaces {
  constructor(
    private readonly bundle: SarifBundle,
    private readonly artifact: number,
    private readonly artifacts: Artifacts,
  ) {}

  of(location: Location): SarifLocation {
    const place = this.placeOf(location.file);
    const artifact = place === 'bundle' ? this.artifact : this.artifacts.nested(this.artifact, place);
    const line = 'line' in location ? location.line : undefined;
    const column = 'column' in location ? location.column : undefined;
    return {
      physicalLocation: {
        artifactLocation: this.artifacts.reference(artifact),
        ...(line === undefined ? {} : { region: { startLine: line, ...(column === undefined ? {} : { startColumn: column }) } }),
      },
      ...('pointer' in location ? { logicalLocations: [pointerLocation(location.pointer)] } : {}),
      ...(place === 'bundle' && location.file !== '.' && !this.isConfigFile ? { message: { text: `archive entry ${location.file}` } } : {}),
    };
  }

  /**
   * The entry's path segments, or the bundle itself: for "." (the bundle as a whole), for a
   * hand-configured server (its source is claude_desktop_config.json itself), and for an entry name
   * that is absolute or climbs with `..`. Such a name (the finding is about exactly that) would make a
   * URI that resolves outside the bundle, so the location's message names the entry instead.
   */
  private placeOf(file: string): readonly string[] | 'bundle' {
    if (file === '.' || this.isConfigFile) return 'bundle';
    const segments = file.split('/');
    return segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') ? segments : 'bundle';
  }

  private get isConfigFile(): boolean {
    return this.bundle.installation?.kind === 'configured-server';
  }
}

/**
 * A JSON pointer as a logical location: the pointer itself is the fully qualified name, its last
 * token (unescaped) the name. The root is the document's value; a numeric token most likely an array
 * item's value; any other token a property.
 */
function pointerLocation(pointer: string): { name: string; fullyQualifiedName: string; kind: string } {
  const last = pointer === '' ? '' : pointer.slice(pointer.lastIndexOf('/') + 1).replace(/~1/g, '/').replace(/~0/g, '~');
  const kind = pointer === '' || /^(?:0|[1-9]\d*)$/.test(last) ? 'value' : 'property';
  return { name: pointer === '' ? '(root)' : last, fullyQualifiedName: pointer, kind };
}

/** The bundle's path as a URI reference: relative to `%SRCROOT%` when it can be, else a `file:` URI. */
function bundleLocation(source: string, cwd: string | undefined): { uri: string; uriBaseId?: string } {
  let given = source;
  if (path.isAbsolute(given)) {
    const relative = cwd === undefined ? undefined : path.relative(cwd, given);
    if (relative === undefined || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return { uri: fileUri(given) };
    given = relative;
  }
  const segments = toSlashes(given)
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  return { uri: segments.length === 0 ? './' : segments.map(encodeSegment).join('/'), uriBaseId: SRCROOT };
}

function fileUri(absolute: string): string {
  const segments = toSlashes(absolute).split('/');
  // A Windows drive (C:) stays as it is: the colon is what makes it a drive in a file URI.
  const encoded = segments.map((segment, index) => (index <= 1 && /^[A-Za-z]:$/.test(segment) ? segment : encodeSegment(segment)));
  const joined = encoded.join('/');
  return `file://${joined.startsWith('/') ? '' : '/'}${joined}`;
}

function toSlashes(file: string): string {
  return path.sep === '\\' ? file.replaceAll('\\', '/') : file;
}

// RFC 3986 pchar without the colon (a colon in a first segment would read as a scheme); everything
// else, bundle-controlled bytes included, becomes %XX of its UTF-8 bytes, so a URI is plain ASCII.
const KEPT = /^[A-Za-z0-9\-._~!$&'()*+,;=@]$/;
const UTF8 = new TextEncoder();

function encodeSegment(segment: string): string {
  let encoded = '';
  for (const char of segment) {
    if (KEPT.test(char)) encoded += char;
    else for (const byte of UTF8.encode(char)) encoded += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return encoded;
}
