// What a binary server starts on each platform: the bundle file its command names there (a platform
// override's command, else the base one), what that file is as far as starting it goes, and whether
// that platform can start it. Only files inside the bundle are judged: a command that is not a bundle
// path, or names a missing file, is manifest-server-command's finding.
import type { ContainerFacts } from '../../bundle/container.js';
import { arrayAt, stringAt, type JsonPath } from '../../manifest/access.js';
import { dirnamePath, fieldLabel, launchConfigs, platformOverrides, PLATFORMS, resolveBundleRelative } from '../../manifest/mcp-config.js';
import { identifyNative, type NativeFile, type Platform } from './identify.js';

/** What a file named as the server's program holds. */
export type ProgramContent =
  | { kind: 'native'; native: NativeFile }
  /** A `#!` script (`interpreter` as its first line names it) or a Windows batch file (`cmd`). */
  | { kind: 'script'; interpreter: string; windows: boolean }
  | { kind: 'empty' }
  /** Text without a `#!` line: no loader starts it. */
  | { kind: 'text' }
  /** Bytes in no format a loader knows. */
  | { kind: 'data' };

const TEXT_PROBE_BYTES = 4096;
const MAX_INTERPRETER_CHARS = 80;

export function programContent(path: string, bytes: Uint8Array): ProgramContent {
  const native = identifyNative(bytes);
  if (native !== null) return { kind: 'native', native };
  if (bytes.length === 0) return { kind: 'empty' };
  if (bytes[0] === 0x23 && bytes[1] === 0x21) {
    const end = bytes.indexOf(0x0a);
    const line = Buffer.from(bytes.subarray(2, end === -1 ? Math.min(bytes.length, 2 + MAX_INTERPRETER_CHARS) : Math.min(end, 2 + MAX_INTERPRETER_CHARS)))
      .toString('utf8')
      .trim();
    return { kind: 'script', interpreter: line === '' ? 'no interpreter' : line, windows: false };
  }
  if (!isText(bytes)) return { kind: 'data' };
  if (/\.(?:bat|cmd)$/i.test(path)) return { kind: 'script', interpreter: 'cmd.exe', windows: true };
  return { kind: 'text' };
}

function isText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, TEXT_PROBE_BYTES);
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Processors each platform's desktop machines use; code for others does not run there. */
const DESKTOP_ARCHITECTURES: Readonly<Record<Platform, ReadonlySet<string>>> = {
  darwin: new Set(['x86-64', 'arm64']),
  win32: new Set(['x86', 'x86-64', 'arm64']),
  linux: new Set(['x86-64', 'arm64', 'x86', 'arm']),
};

/**
 * Whether `platform` can start the file: `runs` (a program in its format, for one of its processors;
 * also a shared ELF object whose headers do not say), `script` (an interpreter runs it, if installed),
 * or why not.
 */
export type Verdict = 'runs' | 'script' | 'format' | 'architecture' | 'library' | 'malformed' | 'not-a-program';

export function verdictOn(content: ProgramContent, platform: Platform): Verdict {
  switch (content.kind) {
    case 'native': {
      const { native } = content;
      if (native.platform !== platform) return 'format';
      if (native.malformed !== null) return 'malformed';
      if (native.kind === 'library' || native.kind === 'other') return 'library';
      return native.architectures.some((architecture) => DESKTOP_ARCHITECTURES[platform].has(architecture)) ? 'runs' : 'architecture';
    }
    case 'script':
      return content.windows === (platform === 'win32') ? 'script' : 'format';
    default:
      return 'not-a-program';
  }
}

/** Whether the verdict lets the server start there. */
export function starts(verdict: Verdict): boolean {
  return verdict === 'runs' || verdict === 'script';
}

/**
 * The platforms the manifest says the server is for: `compatibility.platforms`, else the platforms it
 * writes overrides for; `none` when it says neither (Claude Desktop then installs it anywhere).
 */
export function intendedPlatforms(manifest: unknown): { platforms: Platform[]; from: 'compatibility' | 'overrides' | 'none' } {
  const isPlatform = (value: unknown): value is Platform => typeof value === 'string' && (PLATFORMS as readonly string[]).includes(value);
  const declared = [...new Set((arrayAt(manifest, ['compatibility', 'platforms']) ?? []).filter(isPlatform))];
  if (declared.length > 0) return { platforms: declared, from: 'compatibility' };
  const overridden = platformOverrides(manifest).map(([key]) => key).filter(isPlatform);
  return overridden.length > 0 ? { platforms: overridden, from: 'overrides' } : { platforms: [], from: 'none' };
}

/** The bundle file one platform launches, and the manifest field that names it. */
export interface PlatformProgram {
  platform: Platform;
  path: string;
  /** The command's place in the manifest (the override's own, or the base one it falls back to). */
  pointer: JsonPath;
  field: string;
}

/**
 * The file each of `platforms` launches, when its command is a present bundle file. On Windows a
 * name without an extension runs `name.com` or `name.exe`: Node's process spawning (libuv) appends
 * them, so one command can name `server/tool` and `server/tool.exe` alike.
 */
export function programsByPlatform(manifest: unknown, container: ContainerFacts, platforms: readonly Platform[]): PlatformProgram[] {
  const configs = launchConfigs(manifest);
  const base = configs.find((config) => config.platform === null);
  const programs: PlatformProgram[] = [];
  for (const platform of platforms) {
    const command = (configs.find((config) => config.platform === platform) ?? base)?.command;
    if (command === null || command === undefined) continue;
    const located = dirnamePath(command.value);
    if (located?.kind !== 'inside' || located.path === '') continue;
    const path = launchedFile(container, located.path, platform);
    if (path !== null) programs.push({ platform, path, pointer: command.path, field: fieldLabel(command.path) });
  }
  return programs;
}

function launchedFile(container: ContainerFacts, path: string, platform: Platform): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // libuv tries `.com`, then `.exe`; the bare name is kept last so that the verdict says what it is.
  const candidates = platform === 'win32' && !name.includes('.') ? [`${path}.com`, `${path}.exe`, path] : [path];
  return candidates.find((candidate) => container.files.has(candidate)) ?? null;
}

/** Every bundle file a binary server may start, on any platform, with its entry point: what deserves the closest look. */
export function serverProgramPaths(manifest: unknown, container: ContainerFacts, entryPoint: string | null): string[] {
  const paths = new Set(programsByPlatform(manifest, container, PLATFORMS).map((program) => program.path));
  if (entryPoint !== null && container.files.has(entryPoint)) paths.add(entryPoint);
  return [...paths];
}

/** The bundle path `server.entry_point` names (`${__dirname}/` accepted, as manifest-entry-point does), or null. */
export function entryPointPath(manifest: unknown): string | null {
  const entry = stringAt(manifest, ['server', 'entry_point']);
  if (entry === undefined || entry === '') return null;
  const located = entry.startsWith('${__dirname}') ? dirnamePath(entry) : resolveBundleRelative(entry);
  return located?.kind === 'inside' && located.path !== '' ? located.path : null;
}
