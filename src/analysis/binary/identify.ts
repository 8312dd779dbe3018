// What native code a file holds, by its leading bytes alone, never by its name: ELF, Mach-O (thin and
// universal), PE and WebAssembly. Bundle files are hostile input, so every header field is read with
// a bounds check and reported only as far as the bytes say.

export type Platform = 'darwin' | 'win32' | 'linux';

export interface NativeFile {
  /** Short format name used in messages: `ELF`, `Mach-O`, `PE`, `WebAssembly`. */
  format: 'ELF' | 'Mach-O' | 'PE' | 'WebAssembly';
  /** What the header says, as a noun phrase: `an ELF 64-bit x86-64 shared object`. */
  description: string;
  /** The platform whose loader takes this format; null for WebAssembly (any). */
  platform: Platform | null;
  /** The magic is there but the header is cut short or invalid: what is wrong with it, else null. */
  malformed: string | null;
  /**
   * What a loader can do with it: start it as a `program`, map it into one as a `library` (shared
   * objects, DLLs, dylibs, plugins), or neither (`other`: object files, core dumps, debug symbols);
   * `unknown` when the bytes do not say (a shared ELF object whose program headers cannot be read,
   * WebAssembly, a malformed header).
   */
  kind: NativeKind;
  /** Processors it holds code for, by the names below (`x86-64`, `arm64`, `x86`, `arm`, else the header's name); empty when unknown. */
  architectures: readonly string[];
}

export type NativeKind = 'program' | 'library' | 'other' | 'unknown';

// Bounds-checked reads: a hostile file may be any length, so every field read may fail.
function u16(bytes: Uint8Array, at: number, little: boolean): number | undefined {
  if (at < 0 || at + 2 > bytes.length) return undefined;
  return little ? bytes[at]! | (bytes[at + 1]! << 8) : (bytes[at]! << 8) | bytes[at + 1]!;
}

function u32(bytes: Uint8Array, at: number, little: boolean): number | undefined {
  if (at < 0 || at + 4 > bytes.length) return undefined;
  const [a, b, c, d] = little ? [bytes[at + 3]!, bytes[at + 2]!, bytes[at + 1]!, bytes[at]!] : [bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!];
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/** A 64-bit field as a number when it is below 2^32 (no file held in memory is larger), else undefined. */
function u64(bytes: Uint8Array, at: number, little: boolean): number | undefined {
  const low = u32(bytes, little ? at : at + 4, little);
  const high = u32(bytes, little ? at + 4 : at, little);
  return low === undefined || high !== 0 ? undefined : low;
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

const hex = (value: number): string => `0x${value.toString(16)}`;
const cutShort = (bytes: Uint8Array): string => `cut short at ${bytes.length} bytes`;
const listed = (names: readonly string[]): string =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;

const ELF_MACHINES: Readonly<Record<number, string>> = {
  2: 'SPARC', 3: 'x86', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 's390x', 40: 'ARM', 43: 'SPARC64',
  50: 'IA-64', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V', 247: 'eBPF', 258: 'LoongArch',
};
const ELF_TYPES: Readonly<Record<number, string>> = {
  1: 'relocatable object',
  2: 'executable',
  3: 'shared object (a library or a position-independent executable)',
  4: 'core dump',
};
const ET_EXEC = 2;
const ET_DYN = 3;
/** Canonical names of the processors desktop platforms run, by e_machine. */
const ELF_ARCHITECTURES: Readonly<Record<number, string>> = { 3: 'x86', 40: 'arm', 62: 'x86-64', 183: 'arm64' };

function elf(bytes: Uint8Array): NativeFile {
  const elfClass = bytes[4];
  const data = bytes[5];
  const little = data === 1;
  const type = u16(bytes, 16, little);
  const machine = u16(bytes, 18, little);
  // The identification bytes and e_type/e_machine are the least a loader needs to look at.
  if ((elfClass !== 1 && elfClass !== 2) || (data !== 1 && data !== 2) || type === undefined || machine === undefined) {
    return { format: 'ELF', description: 'an ELF file', platform: 'linux', malformed: bytes.length < 20 ? cutShort(bytes) : 'not valid', kind: 'unknown', architectures: [] };
  }
  const bits = elfClass === 1 ? 32 : 64;
  const machineName = ELF_MACHINES[machine] ?? `machine ${hex(machine)}`;
  const kind = type === ET_EXEC ? 'program' : type === ET_DYN ? sharedObjectKind(bytes, bits, little) : type in ELF_TYPES ? 'other' : 'unknown';
  const typeName =
    type === ET_DYN && kind === 'program'
      ? 'position-independent executable'
      : type === ET_DYN && kind === 'library'
        ? 'shared library'
        : (ELF_TYPES[type] ?? `file of type ${hex(type)}`);
  return {
    format: 'ELF',
    description: `an ELF ${bits}-bit ${machineName} ${typeName}`,
    platform: 'linux',
    malformed: null,
    kind,
    architectures: [ELF_ARCHITECTURES[machine] ?? machineName],
  };
}

const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const DT_FLAGS_1 = 0x6ffffffb;
const DF_1_PIE = 0x08000000;
/** Dynamic entries read at most: real files have a few dozen before DT_NULL. */
const MAX_DYNAMIC_ENTRIES = 1024;

/**
 * A shared object (ET_DYN) is a program when it asks for a program interpreter (PT_INTERP: every
 * dynamically linked position-independent executable) or carries the PIE flag (DF_1_PIE: static-pie
 * programs, which have no interpreter); otherwise a library. `unknown` when its program headers
 * cannot be read.
 */
function sharedObjectKind(bytes: Uint8Array, bits: 32 | 64, little: boolean): NativeKind {
  const wide = bits === 64;
  const phoff = wide ? u64(bytes, 0x20, little) : u32(bytes, 0x1c, little);
  const phentsize = u16(bytes, wide ? 0x36 : 0x2a, little);
  const phnum = u16(bytes, wide ? 0x38 : 0x2c, little);
  if (phoff === undefined || phentsize === undefined || phnum === undefined || phnum === 0 || phentsize < (wide ? 56 : 32)) return 'unknown';
  let dynamic: { offset: number; size: number } | null = null;
  for (let index = 0; index < phnum; index++) {
    const at = phoff + index * phentsize;
    const type = u32(bytes, at, little);
    if (type === undefined) return 'unknown';
    if (type === PT_INTERP) return 'program';
    if (type === PT_DYNAMIC) {
      const offset = wide ? u64(bytes, at + 8, little) : u32(bytes, at + 4, little);
      const size = wide ? u64(bytes, at + 32, little) : u32(bytes, at + 16, little);
      if (offset !== undefined && size !== undefined) dynamic = { offset, size };
    }
  }
  if (dynamic === null) return 'unknown';
  const entrySize = wide ? 16 : 8;
  const entries = Math.min(Math.floor(dynamic.size / entrySize), MAX_DYNAMIC_ENTRIES);
  for (let index = 0; index < entries; index++) {
    const at = dynamic.offset + index * entrySize;
    const tag = wide ? u64(bytes, at, little) : u32(bytes, at, little);
    const value = wide ? u64(bytes, at + 8, little) : u32(bytes, at + 4, little);
    if (tag === undefined || tag === 0) break;
    if (tag === DT_FLAGS_1) return value !== undefined && (value & DF_1_PIE) !== 0 ? 'program' : 'library';
  }
  return 'library';
}

// cputype values from <mach/machine.h>; 0x01000000 marks the 64-bit ABI.
const MACH_CPUS: Readonly<Record<number, string>> = {
  7: 'x86', 0x01000007: 'x86-64', 12: 'ARM', 0x0100000c: 'arm64', 0x0200000c: 'arm64_32', 18: 'PowerPC', 0x01000012: 'PowerPC64',
};
const MACH_TYPES: Readonly<Record<number, string>> = {
  1: 'object file', 2: 'executable', 6: 'dynamic library', 7: 'dynamic linker', 8: 'loadable bundle (plugin)', 10: 'debug symbols file',
};

const MACH_MAGICS: ReadonlyArray<{ magic: readonly number[]; bits: 32 | 64; little: boolean }> = [
  { magic: [0xfe, 0xed, 0xfa, 0xce], bits: 32, little: false },
  { magic: [0xce, 0xfa, 0xed, 0xfe], bits: 32, little: true },
  { magic: [0xfe, 0xed, 0xfa, 0xcf], bits: 64, little: false },
  { magic: [0xcf, 0xfa, 0xed, 0xfe], bits: 64, little: true },
];

const cpuName = (cpu: number): string => MACH_CPUS[cpu] ?? `CPU type ${hex(cpu)}`;
const MACH_ARCHITECTURES: Readonly<Record<number, string>> = { 7: 'x86', 0x01000007: 'x86-64', 12: 'arm', 0x0100000c: 'arm64' };
const machArchitecture = (cpu: number): string => MACH_ARCHITECTURES[cpu] ?? cpuName(cpu);
const MH_EXECUTE = 2;
const MH_DYLIB = 6;
const MH_BUNDLE = 8;

function machKind(type: number): NativeKind {
  if (type === MH_EXECUTE) return 'program';
  if (type === MH_DYLIB || type === MH_BUNDLE) return 'library';
  return type in MACH_TYPES ? 'other' : 'unknown';
}

function machO(bytes: Uint8Array, bits: 32 | 64, little: boolean): NativeFile {
  const cpu = u32(bytes, 4, little);
  const type = u32(bytes, 12, little);
  // The 32-bit header is 28 bytes, the 64-bit one 32: anything shorter cannot be loaded.
  if (cpu === undefined || type === undefined || bytes.length < (bits === 32 ? 28 : 32)) {
    return { format: 'Mach-O', description: 'a Mach-O file', platform: 'darwin', malformed: cutShort(bytes), kind: 'unknown', architectures: [] };
  }
  const typeName = MACH_TYPES[type] ?? `file of type ${hex(type)}`;
  return {
    format: 'Mach-O',
    description: `a Mach-O ${bits}-bit ${cpuName(cpu)} ${typeName}`,
    platform: 'darwin',
    malformed: null,
    kind: machKind(type),
    architectures: [machArchitecture(cpu)],
  };
}

/** The file type of the thin Mach-O header at `at` (a universal binary's slice), in its own byte order. */
function sliceKind(bytes: Uint8Array, at: number): NativeKind {
  const magic = MACH_MAGICS.find(({ magic }) => startsWith(bytes.subarray(at), magic));
  const type = magic === undefined ? undefined : u32(bytes, at + 12, magic.little);
  return type === undefined ? 'unknown' : machKind(type);
}

// A universal binary and a Java class file share CAFEBABE. The next word is the architecture
// count in one and the class-file version (minor << 16 | major, major 45 and up) in the other; real
// universal binaries hold a handful of slices. Each slice record (20 bytes, or 32 for the 64-bit
// variant) must also fit in the file and point inside it, which Java's constant pool almost never does.
const MAX_FAT_ARCHS = 44;

function universal(bytes: Uint8Array, little: boolean, wide: boolean): NativeFile | null {
  const count = u32(bytes, 4, little);
  if (count === undefined || count === 0 || count > MAX_FAT_ARCHS) return null;
  const recordSize = wide ? 32 : 20;
  const cpus: number[] = [];
  const kinds = new Set<NativeKind>();
  for (let index = 0; index < count; index++) {
    const at = 8 + index * recordSize;
    const cpu = u32(bytes, at, little);
    const offset = wide ? u32(bytes, at + 12, little) : u32(bytes, at + 8, little);
    const size = wide ? u32(bytes, at + 20, little) : u32(bytes, at + 12, little);
    if (cpu === undefined || offset === undefined || size === undefined) {
      // Records cut short: the count looked right, so it is one, truncated.
      return { format: 'Mach-O', description: 'a universal Mach-O file', platform: 'darwin', malformed: cutShort(bytes), kind: 'unknown', architectures: [] };
    }
    if (MACH_CPUS[cpu] === undefined || offset < 8 + count * recordSize || offset + size > bytes.length) return null;
    cpus.push(cpu);
    kinds.add(sliceKind(bytes, offset));
  }
  // Slices of one binary are built alike; when they differ, the most capable says what it can be.
  const kind = (['program', 'library', 'other', 'unknown'] as const).find((candidate) => kinds.has(candidate)) ?? 'unknown';
  const names = [...new Set(cpus.map(cpuName))];
  return {
    format: 'Mach-O',
    description: `a universal Mach-O ${kind === 'program' ? 'executable' : kind === 'library' ? 'library' : 'binary'} for ${listed(names)}`,
    platform: 'darwin',
    malformed: null,
    kind,
    architectures: [...new Set(cpus.map(machArchitecture))],
  };
}

const PE_MACHINES: Readonly<Record<number, string>> = {
  0x14c: 'x86', 0x8664: 'x86-64', 0xaa64: 'ARM64', 0xa641: 'ARM64EC', 0x1c0: 'ARM', 0x1c4: 'ARMv7 (Thumb-2)', 0x200: 'IA-64', 0x0: 'machine-independent',
};
// ARM64EC is x64-compatible code that runs natively on Windows on Arm.
const PE_ARCHITECTURES: Readonly<Record<number, string>> = { 0x14c: 'x86', 0x8664: 'x86-64', 0xaa64: 'arm64', 0xa641: 'arm64', 0x1c0: 'arm', 0x1c4: 'arm' };
const IMAGE_FILE_DLL = 0x2000;

// `MZ` alone is two printable letters; only a `PE\0\0` signature where e_lfanew points makes it a
// Windows image.
function pe(bytes: Uint8Array): NativeFile | null {
  const lfanew = u32(bytes, 0x3c, true);
  if (lfanew === undefined || !startsWith(bytes.subarray(lfanew), [0x50, 0x45, 0x00, 0x00])) return null;
  const machine = u16(bytes, lfanew + 4, true);
  const characteristics = u16(bytes, lfanew + 22, true);
  if (machine === undefined || characteristics === undefined) {
    return { format: 'PE', description: 'a Windows PE image', platform: 'win32', malformed: cutShort(bytes), kind: 'unknown', architectures: [] };
  }
  const dll = (characteristics & IMAGE_FILE_DLL) !== 0;
  const machineName = PE_MACHINES[machine] ?? `machine ${hex(machine)}`;
  return {
    format: 'PE',
    description: `a Windows PE ${machineName} ${dll ? 'DLL' : 'executable'}`,
    platform: 'win32',
    malformed: null,
    kind: dll ? 'library' : 'program',
    architectures: [PE_ARCHITECTURES[machine] ?? machineName],
  };
}

function wasm(bytes: Uint8Array): NativeFile {
  const version = u32(bytes, 4, true);
  if (version === undefined) {
    return { format: 'WebAssembly', description: 'a WebAssembly file', platform: null, malformed: cutShort(bytes), kind: 'unknown', architectures: [] };
  }
  // Core modules are version 1; the component model uses version 0x0d with layer 1 in the high half.
  const description =
    version === 1 ? 'a WebAssembly module' : (version & 0xffff0000) === 0x00010000 ? 'a WebAssembly component' : `a WebAssembly file of version ${hex(version)}`;
  return { format: 'WebAssembly', description, platform: null, malformed: null, kind: 'unknown', architectures: [] };
}

/** What native code `bytes` holds, by content alone, or null when it is not native code. */
export function identifyNative(bytes: Uint8Array): NativeFile | null {
  if (startsWith(bytes, [0x7f, 0x45, 0x4c, 0x46])) return elf(bytes);
  for (const { magic, bits, little } of MACH_MAGICS) if (startsWith(bytes, magic)) return machO(bytes, bits, little);
  if (startsWith(bytes, [0xca, 0xfe, 0xba, 0xbe])) return universal(bytes, false, false);
  if (startsWith(bytes, [0xca, 0xfe, 0xba, 0xbf])) return universal(bytes, false, true);
  if (startsWith(bytes, [0xbe, 0xba, 0xfe, 0xca])) return universal(bytes, true, false);
  if (startsWith(bytes, [0x4d, 0x5a])) return pe(bytes);
  if (startsWith(bytes, [0x00, 0x61, 0x73, 0x6d])) return wasm(bytes);
  return null;
}

/** The role a file's name suggests, as a phrase, or null. Only ever said as a suggestion. */
export function roleByName(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (name.endsWith('.node')) return 'a Node.js native addon';
  if (/\.(cpython-[^.]+|abi3|pypy[^.]*)\.so$/.test(name) || name.endsWith('.pyd')) return 'a Python extension module';
  if (/\.so(\.\d+)*$/.test(name)) return 'a shared library';
  if (name.endsWith('.dylib')) return 'a macOS dynamic library';
  if (name.endsWith('.dll')) return 'a Windows DLL';
  if (name.endsWith('.exe')) return 'a Windows program';
  return null;
}
