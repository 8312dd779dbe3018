// What Claude Desktop would launch, read from `server.mcp_config` and its platform overrides, and how
// the paths in it relate to the bundle. Shared by the manifest rules; never throws on a hostile shape.
import type { ContainerFacts } from '../bundle/container.js';
import { entryNameShape } from '../bundle/paths.js';
import { isObject, objectAt, valueAt, type JsonObject, type JsonPath } from './access.js';

export const PLATFORMS = ['darwin', 'win32', 'linux'] as const;

export const MCP_CONFIG_PATH: JsonPath = ['server', 'mcp_config'];

export interface PlacedString {
  value: string;
  /** Where the value sits in the manifest. */
  path: JsonPath;
}

/** One launch configuration: the base mcp_config, or the effective one on one overridden platform. */
export interface LaunchConfig {
  /** null for the base config. */
  platform: string | null;
  /** Falls back to the base command when the override has none (or an empty one), as the reference host does. */
  command: PlacedString | null;
  /** String elements only, each with its own path; the override's args replace the base ones whole. */
  args: Array<PlacedString & { index: number }>;
  /** String values only; the override's env replaces the base one whole (no merge). */
  env: Array<PlacedString & { name: string }>;
}

interface OwnFields {
  command: PlacedString | null;
  args: Array<PlacedString & { index: number }> | null;
  env: Array<PlacedString & { name: string }> | null;
}

function ownFields(block: JsonObject, path: JsonPath): OwnFields {
  const command = typeof block.command === 'string' && block.command !== '' ? { value: block.command, path: [...path, 'command'] } : null;
  const args = Array.isArray(block.args)
    ? block.args.flatMap((value, index) => (typeof value === 'string' ? [{ value, index, path: [...path, 'args', index] }] : []))
    : null;
  const env = isObject(block.env)
    ? Object.entries(block.env).flatMap(([name, value]) => (typeof value === 'string' ? [{ name, value, path: [...path, 'env', name] }] : []))
    : null;
  return { command, args, env };
}

/** The base config and each platform override's effective config. Empty when mcp_config is not an object. */
export function launchConfigs(manifest: unknown): LaunchConfig[] {
  const base = objectAt(manifest, MCP_CONFIG_PATH);
  if (base === undefined) return [];
  const own = ownFields(base, MCP_CONFIG_PATH);
  const configs: LaunchConfig[] = [{ platform: null, command: own.command, args: own.args ?? [], env: own.env ?? [] }];
  for (const [platform, override] of platformOverrides(manifest)) {
    const fields = ownFields(override, [...MCP_CONFIG_PATH, 'platform_overrides', platform]);
    configs.push({
      platform,
      command: fields.command ?? own.command,
      args: fields.args ?? own.args ?? [],
      env: fields.env ?? own.env ?? [],
    });
  }
  return configs;
}

/** Override blocks that are objects, keyed by their (unchecked) platform name. */
export function platformOverrides(manifest: unknown): Array<[string, JsonObject]> {
  const overrides = objectAt(manifest, [...MCP_CONFIG_PATH, 'platform_overrides']);
  if (overrides === undefined) return [];
  return Object.entries(overrides).flatMap(([key, value]) => (isObject(value) ? [[key, value] as [string, JsonObject]] : []));
}

/** Every string the base config and the overrides themselves hold (no fallbacks), each once. */
export function launchStrings(manifest: unknown): Array<PlacedString & { field: 'command' | 'args' | 'env' }> {
  const blocks: Array<[JsonObject | undefined, JsonPath]> = [
    [objectAt(manifest, MCP_CONFIG_PATH), MCP_CONFIG_PATH],
    ...platformOverrides(manifest).map(([platform, block]): [JsonObject, JsonPath] => [block, [...MCP_CONFIG_PATH, 'platform_overrides', platform]]),
  ];
  return blocks.flatMap(([block, path]) => {
    if (block === undefined) return [];
    const own = ownFields(block, path);
    return [
      ...(own.command ? [{ ...own.command, field: 'command' as const }] : []),
      ...(own.args ?? []).map((arg) => ({ value: arg.value, path: arg.path, field: 'args' as const })),
      ...(own.env ?? []).map((entry) => ({ value: entry.value, path: entry.path, field: 'env' as const })),
    ];
  });
}

/** Names referenced as `${user_config.NAME}` in a string, in order of appearance. */
export function userConfigRefs(text: string): string[] {
  return [...text.matchAll(/\$\{user_config\.([^}]+)\}/g)].map((match) => match[1]!);
}

/** The declared user_config options that are objects, with their paths. */
export function userConfigOptions(manifest: unknown): Array<{ name: string; option: JsonObject; path: JsonPath }> {
  const options = objectAt(manifest, ['user_config']);
  if (options === undefined) return [];
  return Object.entries(options).flatMap(([name, option]) => (isObject(option) ? [{ name, option, path: ['user_config', name] }] : []));
}

/** The server type when it is a string, else undefined. */
export function serverType(manifest: unknown): string | undefined {
  const type = valueAt(manifest, ['server', 'type']);
  return typeof type === 'string' ? type : undefined;
}

/**
 * The program name a command runs: the last path segment, lower-cased, without a Windows executable
 * suffix. `/usr/bin/Python3.exe` -> `python3`.
 */
export function commandName(command: string): string {
  const base = command.split(/[/\\]/).at(-1) ?? command;
  return base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
}

// Anything that runs a command string it is given: the server then is whatever that string says.
const SHELLS: ReadonlySet<string> = new Set([
  'sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'csh', 'tcsh', 'fish', 'busybox',
  'cmd', 'powershell', 'pwsh', 'wsl', 'osascript', 'cscript', 'wscript', 'mshta',
]);

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

/** Shell-like words of a script: quotes group words and are removed; nothing is expanded. */
export function shellWords(script: string): string[] {
  return [...script.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** Where a path-like string lands relative to the bundle root. */
export type BundlePath =
  | { kind: 'inside'; path: string }
  | { kind: 'outside'; reason: 'absolute' | 'drive' | 'traversal' | 'variable' }
  | { kind: 'unknown' };

const LOCATION_VARIABLES = /^\$\{(HOME|DESKTOP|DOCUMENTS|DOWNLOADS)\}/;

function withSeparators(text: string): string {
  return text.replace(/\$\{(\/|pathSeparator)\}/g, '/');
}

/**
 * A path meant to be relative to the bundle root (entry_point, icon). `..` that stays inside the bundle
 * is resolved; `..` that climbs above the root is traversal. `\` counts as a separator, as on Windows.
 */
export function resolveBundleRelative(text: string): BundlePath {
  const value = withSeparators(text);
  if (/^[a-zA-Z]:/.test(value)) return { kind: 'outside', reason: 'drive' };
  if (value.startsWith('/') || value.startsWith('\\')) return { kind: 'outside', reason: 'absolute' };
  if (LOCATION_VARIABLES.test(value)) return { kind: 'outside', reason: 'variable' };
  const segments: string[] = [];
  for (const segment of value.split(/[/\\]/)) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) return { kind: 'outside', reason: 'traversal' };
      segments.pop();
    } else segments.push(segment);
  }
  if (segments.some((segment) => segment.includes('${'))) return { kind: 'unknown' };
  return { kind: 'inside', path: segments.join('/') };
}

/**
 * The bundle path a launch string names through `${__dirname}`, or null when it names none.
 * `--config=${__dirname}/cfg.json` names `cfg.json`; a `:` or `;` ends the path (PATH-style lists).
 */
export function dirnamePath(text: string): BundlePath | null {
  const marker = '${__dirname}';
  const start = text.indexOf(marker);
  if (start === -1) return null;
  const rest = withSeparators(text.slice(start + marker.length)).split(/[:;]/)[0] ?? '';
  if (rest === '') return { kind: 'inside', path: '' };
  if (!rest.startsWith('/') && !rest.startsWith('\\')) return { kind: 'unknown' };
  return resolveBundleRelative(rest.replace(/^[/\\]+/, ''));
}

export type Presence = 'file' | 'directory' | 'other' | null;

/** Whether a normalised bundle path exists in the container, as a file, a folder or another entry. */
export function presenceOf(container: ContainerFacts, path: string): Presence {
  if (path === '') return 'directory';
  if (container.files.has(path)) return 'file';
  const prefix = `${path}/`;
  for (const key of container.files.keys()) if (key.startsWith(prefix)) return 'directory';
  for (const entry of container.entries) {
    if (entryNameShape(entry.name).path === path) return entry.kind === 'directory' ? 'directory' : 'other';
  }
  return null;
}

/** A file whose path equals `path` but for letter case: it exists on macOS and Windows only. */
export function caseVariantOf(container: ContainerFacts, path: string): string | null {
  const lower = path.toLowerCase();
  for (const key of container.files.keys()) if (key.toLowerCase() === lower) return key;
  return null;
}

/** A manifest path as a reader writes it: `server.mcp_config.args[1]`. */
export function fieldLabel(path: JsonPath): string {
  return path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('');
}
