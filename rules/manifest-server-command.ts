import { entryNameShape } from '../src/bundle/paths.js';
import type { ContainerFacts } from '../src/bundle/container.js';
import { defineRule } from '../src/engine/rule.js';
import { pointerOf } from '../src/manifest/access.js';
import {
  caseVariantOf,
  commandName,
  dirnamePath,
  fieldLabel,
  isShell,
  launchConfigs,
  presenceOf,
  serverType,
} from '../src/manifest/mcp-config.js';

// `python3.12`, `pythonw`, `py` (the Windows launcher). `uv` is accepted for python servers because
// the `uv` server type only exists in the experimental 0.4 manifest.
const INTERPRETERS: ReadonlyMap<string, { accepts: (name: string) => boolean; expected: string }> = new Map([
  ['node', { accepts: (name: string) => name === 'node' || name === 'nodejs', expected: '"node"' }],
  ['python', { accepts: (name: string) => /^python(\d+(\.\d+)?)?w?$/.test(name) || name === 'py' || name === 'uv', expected: '"python", "python3" or "py"' }],
  ['uv', { accepts: (name: string) => name === 'uv', expected: '"uv"' }],
]);

// Pure package fetchers are manifest-runtime-fetch's finding, at a higher severity; saying here too
// that `npx` is not `node` would only repeat it.
const FETCHERS: ReadonlySet<string> = new Set(['npx', 'pnpx', 'bunx', 'uvx', 'pipx']);

/** Whether `command` is what a server of `type` should run; undefined for types this rule does not know. */
export function fitsInterpreter(type: string, command: string): boolean | undefined {
  return INTERPRETERS.get(type)?.accepts(commandName(command));
}

function recordsModes(container: ContainerFacts, path: string): boolean {
  return container.entries.some((entry) => entry.mode !== null && entryNameShape(entry.name).path === path);
}

export default defineRule({
  meta: {
    id: 'manifest-server-command',
    category: 'manifest',
    severity: 'medium',
    description:
      'mcp_config.command (or a platform override) does not fit server.type: a shell, another interpreter, a program outside the bundle, or a missing or non-executable bundled binary.',
    remediation:
      'A shell as the command runs whatever its arguments say: do not install without reading them. Otherwise ask the publisher to declare the server type that matches the command.',
    messages: {
      shell: '{field} runs the shell "{command}": the server is whatever command line the arguments spell out, not code in the bundle.',
      mismatch: 'server.type is "{type}" but {field} is "{command}", not {expected}: the declared type does not say what runs.',
      fixedPath: '{field} runs the interpreter at the fixed path "{command}" on this machine, not the one on the PATH: what runs depends on what is installed there.',
      bundledInterpreter: '{field} runs "{path}", an interpreter shipped inside the bundle: a native program that this audit does not inspect.',
      bundledProgram: 'server.type is "{type}" but {field} runs the bundled program "{path}": a native executable, not {type} code.',
      notInBundle: 'server.type is "binary" but {field} "{command}" is not a program in the bundle: it runs whatever that name means on this machine.',
      outside: '{field} "{command}" climbs out of the bundle folder: the program it runs lies outside the bundle and was not audited.',
      missing: '{field} runs "{path}", which is not in the bundle: the server cannot start, and what it was meant to be was not audited.',
      caseOnly: '{field} runs "{path}", but the bundle has it only as "{actual}": it starts on macOS and Windows, not on Linux.',
      notFile: '{field} runs "{path}", which is a folder in the bundle, not a program.',
      notExecutable: '{field} runs "{path}", which lacks the executable permission in the bundle: the server will not start on macOS or Linux.',
    },
    docs: {
      why:
        "`server.type` tells a reviewer, and this audit, what kind of code runs; `mcp_config.command` says what actually " +
        "starts. A shell or script host as the command (`bash`, `sh`, `cmd`, `powershell`, `osascript`, `wsl`, `mshta` and " +
        "similar, also when written whole as `bash -c ...`) means the server is whatever command line the arguments spell out, " +
        "not code in the bundle: high. So is a command that climbs out of the bundle. A `node` server started by `python`, a " +
        "`binary` server whose program is not in the bundle (it runs whatever that name means on this machine's PATH), or a " +
        "bundled native program in a `node` bundle make the declared type misleading: medium. Low: an interpreter at a fixed " +
        "absolute path, an interpreter shipped inside the bundle, a binary without its executable bit, or a path that exists " +
        "only with different letter case.",
      falsePositives:
        "Commands chosen through a `${user_config.*}` option (a custom interpreter path) cannot be judged before install and " +
        "are skipped. For `python` servers, `python3`, `python3.12`, `pythonw`, the Windows `py` launcher and `uv` are " +
        "accepted. Package launchers such as `npx` and `uvx` are `manifest-runtime-fetch`'s finding, not repeated here. " +
        "Windows runs programs by extension, so the executable bit is not required for `win32` overrides or `.exe`, `.bat`, " +
        "`.cmd` files, nor in zips that record no modes at all (the `valid` example ships `tool` and `tool.exe`).",
      references: [
        { title: 'MCPB manifest specification (MANIFEST.md)', url: 'https://github.com/anthropics/mcpb/blob/main/MANIFEST.md' },
        { title: 'CWE-426: Untrusted Search Path', url: 'https://cwe.mitre.org/data/definitions/426.html' },
        { title: 'CWE-78: Improper Neutralization of Special Elements used in an OS Command', url: 'https://cwe.mitre.org/data/definitions/78.html' },
      ],
    },
  },
  check({ manifest, container }, context) {
    if (manifest.json === undefined) return;
    const type = serverType(manifest.json);
    const seen = new Set<string>();
    for (const config of launchConfigs(manifest.json)) {
      if (config.command === null) continue;
      const { value: command, path } = config.command;
      const pointer = pointerOf(path);
      if (seen.has(pointer)) continue;
      seen.add(pointer);
      const location = { file: 'manifest.json' as const, pointer };
      const field = fieldLabel(path);

      // `bash -c ...` written whole into the command field still runs a shell.
      const firstWord = commandName(command.trim().split(/\s+/)[0] ?? command);
      const name = isShell(commandName(command)) ? commandName(command) : firstWord;
      if (isShell(name)) {
        context.report({ messageId: 'shell', severity: 'high', data: { field, command }, location });
        continue;
      }
      // A command chosen by the user through an option (a custom interpreter path) cannot be judged here.
      if (type === undefined || command.includes('${user_config.')) continue;

      const inBundle = dirnamePath(command);
      const checkBundled = (target: string): boolean => {
        const presence = presenceOf(container, target);
        if (presence === null) {
          const actual = caseVariantOf(container, target);
          if (actual !== null) context.report({ messageId: 'caseOnly', severity: 'low', data: { field, path: target, actual }, location });
          else context.report({ messageId: 'missing', data: { field, path: target }, location });
          return false;
        }
        if (presence === 'directory') {
          context.report({ messageId: 'notFile', data: { field, path: target }, location });
          return false;
        }
        return true;
      };

      if (inBundle?.kind === 'outside') {
        context.report({ messageId: 'outside', severity: 'high', data: { field, command }, location });
        continue;
      }
      if (inBundle?.kind === 'unknown') continue;

      if (type === 'binary') {
        if (inBundle === null) {
          context.report({ messageId: 'notInBundle', data: { field, command }, location });
        } else if (checkBundled(inBundle.path)) {
          const target = inBundle.path;
          // Windows runs by extension, not mode bits; zips made on Windows record no modes at all.
          const windowsOnly = config.platform === 'win32' || /\.(exe|bat|cmd|com)$/i.test(target);
          const file = container.files.get(target);
          if (!windowsOnly && file !== undefined && !file.executable && recordsModes(container, target)) {
            context.report({ messageId: 'notExecutable', severity: 'low', data: { field, path: target }, location });
          }
        }
        continue;
      }

      const interpreter = INTERPRETERS.get(type);
      if (interpreter === undefined) continue;
      const commandIsPath = /[/\\]/.test(command);
      if (interpreter.accepts(commandName(command))) {
        if (inBundle !== null) {
          if (checkBundled(inBundle.path)) {
            context.report({ messageId: 'bundledInterpreter', severity: 'low', data: { field, path: inBundle.path }, location });
          }
        } else if (commandIsPath) {
          context.report({ messageId: 'fixedPath', severity: 'low', data: { field, command }, location });
        }
        continue;
      }
      if (inBundle !== null) {
        if (checkBundled(inBundle.path)) context.report({ messageId: 'bundledProgram', data: { type, field, path: inBundle.path }, location });
        continue;
      }
      if (FETCHERS.has(firstWord)) continue;
      context.report({ messageId: 'mismatch', data: { type, field, command, expected: interpreter.expected }, location });
    }
  },
});
