import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../bundle/directory.js';
import { EXTENSIONS_FOLDER } from '../bundle/discover.js';
import { compareText } from '../common.js';
import { isObject, stringAt, type JsonObject } from '../manifest/access.js';

// What Claude Desktop's data folder says about the extensions in it: which are installed (one folder
// each under `Claude Extensions/`), which are enabled, which folders the user granted them, what the
// install registry recorded, and the servers configured by hand in `claude_desktop_config.json`.
// Settings hold the user's configuration, credentials included: only enablement and the values of
// options the manifest declares as directories or files are kept; nothing else leaves this module.
// Every file here is read as untrusted (size caps, no links followed) and shapes vary by version:
// what cannot be read is a problem in the result, never an exception.

export interface RegistryEntry {
  version?: string;
  source?: string;
  signatureStatus?: string;
  hash?: string;
}

export interface InstalledExtension {
  id: string;
  directory: string;
  /** The folder is a symbolic link: it is reported, never entered. */
  linked: boolean;
  /** `isEnabled: true` in its settings file; a missing or unreadable settings file means disabled. */
  enabled: boolean;
  /** Directories and files the user granted through options the manifest types as `directory` or `file`. */
  grantedPaths: string[];
  registry: RegistryEntry | null;
  /** The manifest the registry recorded at install, to compare with the one in the folder now. */
  recordedManifest?: JsonObject;
}

export interface ConfiguredServer {
  name: string;
  command: string;
  args: string[];
  /** Names only: values are often credentials. */
  envKeys: string[];
}

export interface Installation {
  dataDirectory: string;
  extensions: InstalledExtension[];
  configuredServers: ConfiguredServer[];
  /** Files that exist but could not be read or understood, one sentence each. */
  problems: string[];
}

const SETTINGS_FOLDER = 'Claude Extensions Settings';
const REGISTRY_FILE = 'extensions-installations.json';
export const CONFIG_FILE = 'claude_desktop_config.json';
const MAX_JSON_BYTES = 16 * 1024 * 1024;

export async function readInstallation(dataDirectory: string): Promise<Installation> {
  const problems: string[] = [];
  const readJson = async (file: string): Promise<unknown> => {
    const exists = await fs.lstat(file).catch(() => null);
    if (exists === null) return undefined;
    const bytes = await readRegularFile(file, MAX_JSON_BYTES);
    const parsed = bytes === null ? undefined : parseJson(bytes);
    if (parsed === undefined) problems.push(`${path.relative(dataDirectory, file)} could not be read as JSON; it was ignored`);
    return parsed;
  };

  const registry = registryEntries(await readJson(path.join(dataDirectory, REGISTRY_FILE)));
  const extensions: InstalledExtension[] = [];
  for (const { id, link } of await extensionFolders(path.join(dataDirectory, EXTENSIONS_FOLDER))) {
    const directory = path.join(dataDirectory, EXTENSIONS_FOLDER, id);
    const settings = await readJson(path.join(dataDirectory, SETTINGS_FOLDER, `${id}.json`));
    // A linked extension folder is reported by the scan and never entered, not even for its manifest.
    const manifest = link ? undefined : await readJson(path.join(directory, 'manifest.json'));
    const recorded = registry.get(id);
    extensions.push({
      id,
      directory,
      linked: link,
      enabled: isObject(settings) && settings.isEnabled === true,
      grantedPaths: grantedPaths(manifest, settings),
      registry: recorded?.entry ?? null,
      ...(recorded?.manifest === undefined ? {} : { recordedManifest: recorded.manifest }),
    });
  }
  return { dataDirectory, extensions, configuredServers: configuredServers(await readJson(path.join(dataDirectory, CONFIG_FILE))), problems };
}

async function extensionFolders(folder: string): Promise<Array<{ id: string; link: boolean }>> {
  const children = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  return children
    .filter((child) => child.isDirectory() || child.isSymbolicLink())
    .map((child) => ({ id: child.name, link: child.isSymbolicLink() }))
    .sort((a, b) => compareText(a.id, b.id));
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, '')) as unknown;
  } catch {
    return undefined;
  }
}

/** `{ extensions: { id: entry } }` as observed, or a bare map, or a list of entries with `id`. */
function registryEntries(json: unknown): Map<string, { entry: RegistryEntry; manifest?: JsonObject }> {
  const entries = new Map<string, { entry: RegistryEntry; manifest?: JsonObject }>();
  const container = isObject(json) && json.extensions !== undefined ? json.extensions : json;
  const pairs: Array<[string, unknown]> = Array.isArray(container)
    ? container.flatMap((entry) => (isObject(entry) && typeof entry.id === 'string' ? [[entry.id, entry] as [string, unknown]] : []))
    : isObject(container) ? Object.entries(container) : [];
  for (const [id, entry] of pairs) {
    if (!isObject(entry)) continue;
    const found: Array<[keyof RegistryEntry, string | undefined]> = [
      ['version', stringAt(entry, ['version'])],
      ['source', stringAt(entry, ['source'])],
      ['signatureStatus', stringAt(entry, ['signatureInfo', 'status']) ?? stringAt(entry, ['signature', 'status']) ?? stringAt(entry, ['signatureStatus'])],
      ['hash', stringAt(entry, ['hash'])],
    ];
    const entryOf = Object.fromEntries(found.filter(([, value]) => value !== undefined)) as RegistryEntry;
    entries.set(id, { entry: entryOf, ...(isObject(entry.manifest) ? { manifest: entry.manifest } : {}) });
  }
  return entries;
}

const PATH_TYPES = new Set(['directory', 'file']);

function grantedPaths(manifest: unknown, settings: unknown): string[] {
  if (!isObject(manifest) || !isObject(manifest.user_config) || !isObject(settings) || !isObject(settings.userConfig)) return [];
  const options: JsonObject = manifest.user_config;
  const values: JsonObject = settings.userConfig;
  const granted = Object.entries(options).flatMap(([key, option]) => {
    if (!isObject(option) || !PATH_TYPES.has(String(option.type)) || !Object.hasOwn(values, key)) return [];
    const value = values[key];
    return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string' && item !== '');
  });
  return [...new Set(granted)].sort();
}

function configuredServers(json: unknown): ConfiguredServer[] {
  if (!isObject(json) || !isObject(json.mcpServers)) return [];
  return Object.entries(json.mcpServers)
    .flatMap(([name, server]): ConfiguredServer[] => {
      if (!isObject(server)) return [];
      return [
        {
          name,
          command: stringAt(server, ['command']) ?? '',
          args: Array.isArray(server.args) ? server.args.filter((arg): arg is string => typeof arg === 'string') : [],
          envKeys: isObject(server.env) ? Object.keys(server.env).sort() : [],
        },
      ];
    })
    .sort((a, b) => compareText(a.name, b.name));
}
