import { entryNameShape } from '../src/bundle/paths.js';
import type { ContainerFacts } from '../src/bundle/container.js';
import type { Platform } from '../src/analysis/binary/identify.js';
import {
  entryPointPath,
  intendedPlatforms,
  programContent,
  programsByPlatform,
  starts,
  verdictOn,
  type PlatformProgram,
  type ProgramContent,
  type Verdict,
} from '../src/analysis/binary/program.js';
import { defineRule } from '../src/engine/rule.js';
import { pointerOf } from '../src/manifest/access.js';
import { PLATFORMS, serverType } from '../src/manifest/mcp-config.js';
import type { Severity } from '../src/report.js';

// A `binary` server is a native program the bundle ships: the file its command names on each
// platform (a platform override's command, else the base one) must be a program that platform
// starts, in its format and for a processor its machines have. When it is not, the bundle is broken
// there, or the file is not what the manifest says it is; this rule never claims what the file does.
// Severities: medium when the program can start on none of the platforms the manifest declares
// (`compatibility.platforms`, else its override keys; any platform when it names none), since nothing
// the bundle ships can be the server and a reviewer cannot tell what was meant to run; low when one
// declared platform gets a file it cannot start while another can (a missing build), when the program
// is a script (it needs its interpreter, and its code is not analysed here), and when
// `server.entry_point` is not a program while the command is. Info: which platforms the program runs
// on when the manifest declares none, and a program whose permissions the archive does not record
// (it starts on macOS and Linux only if the host marks it executable). A missing executable bit on a
// recorded mode is manifest-server-command's finding, as are commands outside the bundle and missing files.

type Problem = Exclude<Verdict, 'runs'>;

const MESSAGE: Record<Problem, 'format' | 'architecture' | 'library' | 'malformed' | 'notProgram' | 'script'> = {
  format: 'format',
  architecture: 'architecture',
  library: 'library',
  malformed: 'malformed',
  'not-a-program': 'notProgram',
  script: 'script',
};

/** What a file is, as a noun phrase for messages. */
function describe(content: ProgramContent): string {
  switch (content.kind) {
    case 'native':
      return content.native.description;
    case 'script':
      return content.windows ? 'a Windows batch file' : `a script for "${content.interpreter}" (its "#!" line)`;
    case 'empty':
      return 'an empty file';
    case 'text':
      return 'a text file with no "#!" line';
    case 'data':
      return 'data in no executable format';
  }
}

const listed = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;

export default defineRule({
  meta: {
    id: 'manifest-binary-entry',
    category: 'manifest',
    severity: 'low',
    description:
      "A binary server's program (its command on each platform, and server.entry_point) is not a native executable that platform starts: a script, text or data, a library, another platform's format, or another processor's code.",
    remediation:
      'Ask the publisher for a build of the program for each platform the manifest declares (with a platform override naming it), or for a manifest that declares only the platforms the bundle has a program for.',
    messages: {
      format: '{field} runs "{path}" on {platforms}, but it is {what}, which {platforms} cannot start{summary}.',
      architecture: '{field} runs "{path}" on {platforms}, but it is {what}, code for a processor that {platforms} desktop machines do not have{summary}.',
      library: '{field} runs "{path}" on {platforms}, but it is {what}, which no loader starts as a program{summary}.',
      malformed: '{field} runs "{path}" on {platforms}, but it starts like {format} file whose header is {problem}, so it cannot be started{summary}.',
      notProgram: '{field} runs "{path}" on {platforms}, but it is {what}, which no operating system starts as a program{summary}.',
      script: '{field} runs "{path}" on {platforms}, {what}, not a native program: it needs that interpreter installed, and its code is not analysed here.',
      entryPoint:
        'server.entry_point names "{path}", {what}, which {scope} starts as a program; the server is started by the command instead, so the entry point does not say what runs.',
      undeclared:
        '{field} runs "{path}", {what}, which starts on {runs} only; the manifest declares no platforms, so the extension can be installed where it cannot start.',
      noModes:
        '{field} runs "{path}" on {platforms}, but the archive records no file permissions for it: it starts there only if the host marks it executable when unpacking.',
    },
    docs: {
      why:
        "A `binary` server is a native program shipped in the bundle: the file its command names on each platform (a " +
        "platform override's command, else the base one; on Windows a name without an extension runs `name.exe`) must be a " +
        "program that platform starts, in its format (Mach-O on darwin, PE on win32, ELF on linux) and for a processor its " +
        "desktop machines have. When it is not, the bundle is broken there, or the file is not what the manifest says it is. " +
        "Medium when the program can start on none of the platforms the manifest declares (`compatibility.platforms`, else the " +
        "platforms it writes overrides for, else any): nothing the bundle ships can be the server, and a reviewer cannot tell " +
        "what was meant to run. Low when one declared platform gets a file it cannot start while another can (a build left " +
        "out), when the program is a script (it needs its interpreter installed, and this audit does not analyse shell " +
        "code), and when `server.entry_point` names something that is not a program while the command is one. Info: which " +
        "platforms the program starts on when the manifest declares none, and a program whose permissions the archive does " +
        "not record (zips made on Windows), which starts on macOS and Linux only if the host marks it executable.",
      falsePositives:
        "Files are judged by their leading bytes (see `file-native-code`), never by name. A shared ELF object whose program " +
        "headers ask for an interpreter or carry the PIE flag is a program; when its headers cannot be read it is given the " +
        "benefit of the doubt. Processors: x86-64 and arm64 for darwin; x86, x86-64 and arm64 for win32; x86-64, arm64, x86 " +
        "and arm for linux. A `#!` script is a legitimate way to ship a server (shell-based frameworks do) and is only low. " +
        "Commands that are not bundle paths (`${user_config.*}`, names on the PATH), missing files and a missing executable " +
        "bit are left to `manifest-server-command` and `manifest-entry-point`, so each problem is reported once. What the " +
        "program does is never judged here: see `file-native-code` and `file-binary-strings`.",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'Node.js: process.platform', url: 'https://nodejs.org/api/process.html#processplatform' },
        { title: 'CWE-1357: Reliance on Insufficiently Trustworthy Component', url: 'https://cwe.mitre.org/data/definitions/1357.html' },
      ],
    },
  },
  check({ manifest, container }, context) {
    if (manifest.json === undefined || serverType(manifest.json) !== 'binary') return;
    const intended = intendedPlatforms(manifest.json);
    const scope: readonly Platform[] = intended.from === 'none' ? PLATFORMS : intended.platforms;
    const contents = new Map<string, ProgramContent>();
    const contentOf = (path: string): ProgramContent => {
      let content = contents.get(path);
      if (content === undefined) {
        content = programContent(path, container.files.get(path)!.bytes);
        contents.set(path, content);
      }
      return content;
    };
    const judged = programsByPlatform(manifest.json, container, scope).map((program) => ({
      ...program,
      verdict: verdictOn(contentOf(program.path), program.platform),
    }));
    const startsSomewhere = judged.some(({ verdict }) => starts(verdict));

    // One finding per place in the manifest, file and verdict, naming every platform it concerns.
    const groups = new Map<string, { program: PlatformProgram; verdict: Verdict; platforms: Platform[] }>();
    for (const { verdict, ...program } of judged) {
      const key = `${pointerOf(program.pointer)}\u0000${program.path}\u0000${verdict}`;
      const group = groups.get(key) ?? { program, verdict, platforms: [] };
      group.platforms.push(program.platform);
      groups.set(key, group);
    }

    if (intended.from === 'none' && startsSomewhere) {
      // Nothing was promised: say where the program starts, and report only scripts beyond that.
      const running = judged.filter(({ verdict }) => starts(verdict));
      const first = running[0]!;
      context.report({
        messageId: 'undeclared',
        severity: 'info',
        data: { field: first.field, path: first.path, what: describe(contentOf(first.path)), runs: listed(running.map(({ platform }) => platform)) },
        location: { file: 'manifest.json', pointer: pointerOf(first.pointer) },
      });
    }
    for (const { program, verdict, platforms } of groups.values()) {
      if (verdict === 'runs') continue;
      if (intended.from === 'none' && startsSomewhere && verdict !== 'script') continue;
      const content = contentOf(program.path);
      const severity: Severity = verdict === 'script' || startsSomewhere ? 'low' : 'medium';
      const summary =
        severity === 'medium'
          ? intended.from === 'none'
            ? '; the server can start on no platform'
            : '; the server can start on none of the platforms the manifest declares'
          : '';
      context.report({
        messageId: MESSAGE[verdict],
        severity,
        data: {
          field: program.field,
          path: program.path,
          platforms: listed(platforms),
          what: describe(content),
          summary,
          format: content.kind === 'native' ? `${content.native.format === 'ELF' ? 'an' : 'a'} ${content.native.format}` : '',
          problem: content.kind === 'native' ? (content.native.malformed ?? '') : '',
        },
        location: { file: 'manifest.json', pointer: pointerOf(program.pointer) },
      });
    }

    // The entry point documents the program; when the command runs another file (or one outside the
    // bundle), it should still be one. When nothing the command names can start, that finding says enough.
    const entry = entryPointPath(manifest.json);
    if (entry !== null && container.files.has(entry) && !judged.some(({ path }) => path === entry) && (judged.length === 0 || startsSomewhere)) {
      const content = contentOf(entry);
      if (!scope.some((platform) => starts(verdictOn(content, platform)))) {
        context.report({
          messageId: 'entryPoint',
          severity: 'low',
          data: {
            path: entry,
            what: describe(content),
            scope: intended.from === 'none' ? 'no platform' : `none of the platforms the manifest declares (${listed(scope)})`,
          },
          location: { file: 'manifest.json', pointer: pointerOf(['server', 'entry_point']) },
        });
      }
    }

    // Without recorded permissions, whether a program starts on macOS and Linux depends on the unpacker.
    const unrecorded = new Set<string>();
    for (const { program, verdict, platforms } of groups.values()) {
      const unix = platforms.filter((platform) => platform !== 'win32');
      if (!starts(verdict) || unix.length === 0 || recordsMode(container, program.path) || unrecorded.has(program.path)) continue;
      unrecorded.add(program.path);
      context.report({
        messageId: 'noModes',
        severity: 'info',
        data: { field: program.field, path: program.path, platforms: listed(unix) },
        location: { file: 'manifest.json', pointer: pointerOf(program.pointer) },
      });
    }
  },
});

function recordsMode(container: ContainerFacts, path: string): boolean {
  return container.entries.some((entry) => entry.mode !== null && entryNameShape(entry.name).path === path);
}
