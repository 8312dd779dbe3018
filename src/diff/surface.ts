import { createHash } from 'node:crypto';
import { identifyNative } from '../analysis/binary/identify.js';
import { destinationOf, networkApi } from '../analysis/catalog/network.js';
import { classifyHost, declaredHosts } from '../analysis/hosts.js';
import { addToList, compareText } from '../common.js';
import { endpointOf, worthReporting } from '../engine/endpoints.js';
import type { BundleFacts } from '../engine/facts.js';
import { looksSecret } from '../engine/secret-names.js';
import { isObject, stringAt, valueAt } from '../manifest/access.js';
import { launchStrings, userConfigOptions } from '../manifest/mcp-config.js';

// What `dxt-audit diff` compares besides findings: what an extension exposes and depends on, read
// from the facts of its audit when it is asked for (a scan never computes it). Plain data only, so a
// worker thread can hand it back with the report. Nothing here is a verdict: findings judge, this
// only lists, so that an update that adds a tool, a host or a dependency says so even when no rule fires.

export interface BundleSurface {
  /** Every tool the manifest or the code names, by name, with the descriptions the model reads (manifest first, then code). */
  tools: Array<{ name: string; descriptions: string[] }>;
  /** Hosts the code connects to (the code-network rule's inventory), and whether the manifest or --allow-host vouches for each. */
  hosts: Array<{ host: string; declared: boolean }>;
  /** What starts the server: `server.entry_point` and each string of `server.mcp_config`, by field (`mcp_config.env.API_KEY`). */
  launch: Array<{ field: string; value: string }>;
  /** user_config options: their type, and the default of directory and file options (the filesystem scope a user grants by accepting it). */
  userConfig: Array<{ key: string; type: string; default?: string }>;
  /** Packages shipped in the bundle (npm packages under node_modules, Python distributions), each version once. */
  dependencies: Array<{ ecosystem: 'npm' | 'pypi'; name: string; versions: string[] }>;
  /** Files holding native code, by their leading bytes. */
  nativeFiles: Array<{ path: string; sha256: string; description: string }>;
  /** The manifest's author: `name <email> url`, as far as given. */
  publisher: string | null;
}

export function surfaceOf(facts: BundleFacts): BundleSurface {
  const json = facts.manifest.json;
  return {
    tools: toolsOf(facts),
    hosts: hostsOf(facts),
    launch: launchOf(json),
    userConfig: userConfigOf(json),
    dependencies: dependenciesOf(facts),
    nativeFiles: nativeFilesOf(facts),
    publisher: publisherOf(json),
  };
}

function toolsOf({ toolNames, modelText }: BundleFacts): BundleSurface['tools'] {
  // Descriptions gathered by tool in one pass: filtering every text for each tool cost the square of
  // the tools (40 s for a server of 40,000).
  const descriptions = new Map<string, string[]>();
  for (const text of modelText) if (text.kind === 'tool-description' && text.tool !== undefined) addToList(descriptions, text.tool, text.text);
  return [...toolNames].sort(compareText).map((name) => ({ name, descriptions: [...new Set(descriptions.get(name))] }));
}

function hostsOf({ code, manifest, settings }: BundleFacts): BundleSurface['hosts'] {
  const hosts = new Set<string>();
  for (const call of code.calls) {
    const api = networkApi(call.callee);
    if (api === null || api.kind === 'listen' || !worthReporting(call)) continue;
    const destination = destinationOf(call.args, api);
    if (destination !== null) hosts.add(destination.host);
  }
  for (const site of code.strings) {
    const destination = endpointOf(site);
    if (destination !== null) hosts.add(destination.host);
  }
  const declared = declaredHosts(manifest.json, settings.allowedHosts);
  return [...hosts]
    .filter((host) => classifyHost(host) !== 'placeholder')
    .sort(compareText)
    .map((host) => ({ host, declared: declared.covers(host) }));
}

function launchOf(json: unknown): BundleSurface['launch'] {
  const fields = new Map<string, string[]>();
  const entry = stringAt(json, ['server', 'entry_point']);
  if (entry !== undefined) fields.set('server.entry_point', [entry]);
  for (const { value, path, field } of launchStrings(json)) {
    // Arguments compare as one list: inserting one must not read as every later one changing.
    const at = field === 'args' ? path.slice(0, -1) : path;
    const name = at.slice(1).join('.');
    const shown = field === 'env' ? envValue(String(path.at(-1)), value) : value;
    addToList(fields, name, shown);
  }
  return [...fields]
    .map(([field, values]) => ({ field, value: field.endsWith('.args') ? JSON.stringify(values) : values.join(' ') }))
    .sort((a, b) => compareText(a.field, b.field));
}

/**
 * An environment value as the diff may show it: a variable named like a credential and holding more
 * than `${user_config.…}` references is shown by length only, as a scan shows secrets.
 */
function envValue(name: string, value: string): string {
  const literal = value.replace(/\$\{[^}]*\}/g, '').trim();
  return looksSecret(name) && literal !== '' ? `(a value of ${value.length} characters)` : value;
}

function userConfigOf(json: unknown): BundleSurface['userConfig'] {
  return userConfigOptions(json)
    .map(({ name, option }) => {
      const type = typeof option.type === 'string' ? option.type : '(no type)';
      const scoped = (type === 'directory' || type === 'file') && option.default !== undefined;
      return { key: name, type, ...(scoped ? { default: JSON.stringify(option.default) } : {}) };
    })
    .sort((a, b) => compareText(a.key, b.key));
}

function dependenciesOf({ dependencies }: BundleFacts): BundleSurface['dependencies'] {
  const versions = new Map<string, { ecosystem: 'npm' | 'pypi'; name: string; versions: Set<string> }>();
  const installed = [...dependencies.npm.filter((pkg) => pkg.position === 'installed'), ...dependencies.python];
  for (const { ecosystem, name, version } of installed) {
    const key = `${ecosystem}\u0000${name}`;
    const known = versions.get(key) ?? { ecosystem, name, versions: new Set<string>() };
    known.versions.add(version);
    versions.set(key, known);
  }
  return [...versions.values()]
    .map((entry) => ({ ecosystem: entry.ecosystem, name: entry.name, versions: [...entry.versions].sort(compareText) }))
    .sort((a, b) => compareText(a.ecosystem, b.ecosystem) || compareText(a.name, b.name));
}

function nativeFilesOf({ container }: BundleFacts): BundleSurface['nativeFiles'] {
  const natives: BundleSurface['nativeFiles'] = [];
  for (const file of container.files.values()) {
    const native = identifyNative(file.bytes);
    if (native === null) continue;
    natives.push({ path: file.path, sha256: createHash('sha256').update(file.bytes).digest('hex'), description: native.description });
  }
  return natives.sort((a, b) => compareText(a.path, b.path));
}

function publisherOf(json: unknown): string | null {
  const author = valueAt(json, ['author']);
  if (!isObject(author)) return null;
  const parts = [stringAt(author, ['name']), stringAt(author, ['email']) === undefined ? undefined : `<${stringAt(author, ['email'])}>`, stringAt(author, ['url'])];
  const text = parts.filter((part) => part !== undefined && part !== '').join(' ');
  return text === '' ? null : text;
}
