import type { Origin } from '../src/analysis/model/origin.js';
import { defineRule } from '../src/engine/rule.js';
import { arrayAt } from '../src/manifest/access.js';
import { identifyNative, roleByName, type NativeFile, type Platform } from '../src/analysis/binary/identify.js';
import { entryPointPath, serverProgramPaths } from '../src/analysis/binary/program.js';
import { serverType } from '../src/manifest/mcp-config.js';
import { addToList } from '../src/common.js';

// A native executable or addon runs with the user's full privileges and does whatever its machine
// code says: nothing in it can be audited the way JavaScript or Python can, and a server can load
// one (`require('x.node')`, `ctypes`, `spawn`) under any name. So files are recognised by their
// leading bytes, never by extension, and every one is listed. Severity: medium for ELF, Mach-O and
// PE (executables and libraries alike: a library is code as much as a program is); low for
// WebAssembly, which can only call what the JavaScript loading it hands in; low for a file that
// starts like a native binary but is too short to be loaded. Header fields are read with bounds
// checks and reported only as far as the bytes say: a shared ELF object is called a program when it
// asks for an interpreter or carries the PIE flag, a library when its dynamic section says neither,
// and "a library or a position-independent executable" when its program headers cannot be read.
// One decision, one finding: a dependency's prebuilt binaries for several platforms, and a binary
// server's builds of its program (the files its command names on each platform, and its entry point).

const PLATFORMS: ReadonlySet<string> = new Set<Platform>(['darwin', 'win32', 'linux']);

export default defineRule({
  meta: {
    id: 'file-native-code',
    category: 'native-code',
    severity: 'medium',
    description:
      'A file is native machine code (ELF, Mach-O, PE) or WebAssembly, recognised by its leading bytes whatever its name; its behaviour cannot be audited.',
    remediation:
      'Ask the publisher which native files the server loads and why, and where they were built from; prefer bundles without native code, or with only the platforms you run.',
    messages: {
      binary: 'File "{name}" is {description}{role}: native code, whose behaviour cannot be audited from its source.{platformNote}',
      wasm: 'File "{name}" is {description}{role}: compiled code whose effects are limited to what the JavaScript loading it passes in.',
      malformed: 'File "{name}" starts with the {format} signature but its header is {problem}; as it stands it cannot be loaded.',
      package: 'Dependency "{package}" ships {count} native files ({formats}), for example "{name}", {description}; native code cannot be audited from its source.',
      program:
        'The server\'s program ships as {count} native files ({formats}), for example "{name}", {description}: native code, whose behaviour cannot be audited from its source.',
    },
    docs: {
      why:
        "A native executable or addon runs with the user's full privileges and does whatever its machine code says; nothing in " +
        "it can be audited the way JavaScript or Python can, and a server can load one under any name (`require('x.node')`, " +
        "`process.dlopen`, `ctypes`, `spawn`). Files are therefore recognised by their leading bytes, never by extension, and " +
        "every one is listed: ELF, Mach-O (universal binaries included) and PE executables and libraries at medium, since a " +
        "library is code as much as a program is; WebAssembly at low, since it can only call what the JavaScript loading it " +
        "hands in; a file that starts like a native binary but is too short to load at low. A dependency's prebuilt binaries " +
        "for several platforms are one finding for the package, and so are a binary server's builds of its program. The " +
        "message notes when no platform the manifest declares can load the file, a sign it is meant for something other " +
        "than the server.",
      falsePositives:
        'Java class files, text files named like addons (`addon.node` holding JavaScript), text starting with `MZ`, and data ' +
        'that contains a native signature past its first bytes are not native code (the `valid` example). Many legitimate ' +
        'extensions need native code (SQLite drivers, image codecs, `keytar`, `node-pty`); the finding says which file it is ' +
        'and what the header says, so you can check that it belongs to a known package and platform. The header description is ' +
        'only as specific as the bytes: a shared ELF object is a program when it asks for an interpreter or carries the PIE ' +
        'flag, a library when its dynamic section says neither, and the message says "a library or a position-independent ' +
        'executable" when its program headers cannot be read.',
      references: [
        { title: 'Node.js: C++ addons', url: 'https://nodejs.org/api/addons.html' },
        { title: 'Node.js: process.dlopen', url: 'https://nodejs.org/api/process.html#processdlopenmodule-filename-flags' },
        { title: 'CWE-1357: Reliance on Insufficiently Trustworthy Component', url: 'https://cwe.mitre.org/data/definitions/1357.html' },
      ],
    },
  },
  check(facts, context) {
    const { originOf } = facts;
    const declared = (arrayAt(facts.manifest.json, ['compatibility', 'platforms']) ?? []).filter(
      (platform): platform is Platform => typeof platform === 'string' && PLATFORMS.has(platform),
    );
    const reportFile = (path: string, native: NativeFile, origin: Origin): void => {
      const base = { location: { file: path }, origin } as const;
      const role = roleByName(path);
      const roleText = role === null ? '' : `; its name suggests ${role}`;
      if (native.malformed !== null) {
        context.report({ messageId: 'malformed', data: { name: path, format: native.format, problem: native.malformed }, severity: 'low', ...base });
      } else if (native.platform === null) {
        context.report({ messageId: 'wasm', data: { name: path, description: native.description, role: roleText }, severity: 'low', ...base });
      } else {
        // Declared platforms that cannot load this format: the file is dead weight there, or meant
        // for something other than the server (a bundle declaring only win32 that ships only Mach-O
        // will not run where it says it does).
        const platformNote =
          declared.length > 0 && !declared.includes(native.platform)
            ? ` No platform the manifest declares (${declared.join(', ')}) loads ${native.format} files natively.`
            : '';
        context.report({ messageId: 'binary', data: { name: path, description: native.description, role: roleText, platformNote }, ...base });
      }
    };

    // A dependency's prebuilt binaries for every platform are one decision (ship the package or
    // not): one finding per package, at the severity of its most capable file.
    const byPackage = new Map<string, Array<{ path: string; native: NativeFile }>>();
    // A binary server's builds for each platform are one program: one finding for them all.
    const { json } = facts.manifest;
    const programPaths = new Set(serverType(json) === 'binary' ? serverProgramPaths(json, facts.container, entryPointPath(json)) : []);
    const programs: Array<{ path: string; native: NativeFile }> = [];
    for (const file of facts.container.files.values()) {
      const native = identifyNative(file.bytes);
      if (native === null) continue;
      if (programPaths.has(file.path) && capable(native)) {
        programs.push({ path: file.path, native });
        continue;
      }
      const origin = originOf(file.path);
      const dependency = origin === 'dependency' ? packageOf(file.path) : null;
      if (dependency === null) reportFile(file.path, native, origin);
      else addToList(byPackage, dependency, { path: file.path, native });
    }
    if (programs.length === 1) reportFile(programs[0]!.path, programs[0]!.native, originOf(programs[0]!.path));
    if (programs.length > 1) {
      const [example] = programs;
      context.report({
        messageId: 'program',
        data: {
          count: programs.length,
          formats: [...new Set(programs.map(({ native }) => native.format))].sort().join(', '),
          name: example!.path,
          description: example!.native.description,
        },
        location: { file: example!.path },
        origin: originOf(example!.path),
      });
    }
    for (const [name, files] of byPackage) {
      if (files.length === 1) {
        reportFile(files[0]!.path, files[0]!.native, 'dependency');
        continue;
      }
      const example = files.find(({ native }) => capable(native)) ?? files[0]!;
      context.report({
        messageId: 'package',
        data: {
          package: name,
          count: files.length,
          formats: [...new Set(files.map(({ native }) => native.format))].sort().join(', '),
          name: example.path,
          description: example.native.description,
        },
        severity: files.some(({ native }) => capable(native)) ? 'medium' : 'low',
        location: { file: example.path },
        origin: 'dependency',
      });
    }
  },
});

/** Machine code a loader would take: a well-formed ELF, Mach-O or PE file. */
function capable(native: NativeFile): boolean {
  return native.malformed === null && native.platform !== null;
}

/** The package a dependency file belongs to: the path up to the last `node_modules/<name>` (or `@scope/name`), or a Python distribution. */
function packageOf(path: string): string | null {
  const segments = path.split('/');
  const at = segments.findLastIndex((segment) => segment === 'node_modules' || segment === 'site-packages' || segment === 'dist-packages');
  if (at === -1 || at + 1 >= segments.length - 1) return null;
  const scoped = segments[at + 1]!.startsWith('@') && at + 2 < segments.length - 1;
  return segments.slice(at + 1, scoped ? at + 3 : at + 2).join('/');
}
